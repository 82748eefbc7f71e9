package dev.jcni.api;

/** One entry of GC's {@code cni.dev/valid-attachments}: a (containerID, ifname) pair to keep. */
public record Attachment(String containerId, String ifname) {}
