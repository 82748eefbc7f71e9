package dev.jcni.api;

/** The CNI verbs ({@code CNI_COMMAND}). */
public enum Command {
  ADD,
  DEL,
  CHECK,
  GC,
  STATUS,
  VERSION
}
