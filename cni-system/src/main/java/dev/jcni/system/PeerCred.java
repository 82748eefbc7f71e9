package dev.jcni.system;

/**
 * The credentials of the process at the other end of a connected AF_UNIX socket, as the kernel
 * recorded them at connect time ({@code SO_PEERCRED}). The pid is in the reader's pid namespace (0
 * when the peer's process is not visible there), uid and gid in its user namespace.
 */
public record PeerCred(int pid, int uid, int gid) {}
