package dev.jcni.spec;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * A failure in words for a CNI error message: what failed and why, naming the path, never a Java
 * class name. ({@code e.toString()} gives {@code java.nio.file.AccessDeniedException:
 * /var/lib/cni/x}; {@code getMessage()} of a {@link NoSuchFileException} is the bare path, without
 * the reason.)
 */
public final class ErrorText {
  private ErrorText() {}

  /**
   * {@code t} in words: a CNI error's own message, a file system failure as "PATH: reason", else
   * the message.
   */
  public static String of(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    if (t instanceof CniException c) {
      return c.msg();
    }
    if (t instanceof FileSystemException f) {
      StringBuilder b = new StringBuilder();
      if (f.getFile() != null) {
        b.append(f.getFile());
      }
      if (f.getOtherFile() != null) {
        b.append(b.length() > 0 ? " -> " : "").append(f.getOtherFile());
      }
      return b.append(b.length() > 0 ? ": " : "").append(reason(f)).toString();
    }
    if (t instanceof InvalidPathException p) {
      return "invalid path \"" + p.getInput() + "\": " + p.getReason();
    }
    String m = t.getMessage();
    Throwable cause = t.getCause();
    // wrappers made with new X(cause) carry cause.toString(), class name included: describe the
    // cause instead
    if (cause != null && cause != t && (m == null || m.isBlank() || m.equals(cause.toString()))) {
      return of(cause);
    }
    if (m == null || m.isBlank()) {
      return "internal error (" + words(t.getClass().getSimpleName()) + ")";
    }
    return m;
  }

  private static String reason(FileSystemException f) {
    if (f instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (f instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (f instanceof FileAlreadyExistsException) {
      return "file exists";
    }
    if (f instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (f instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (f instanceof NotLinkException) {
      return "not a symbolic link";
    }
    if (f instanceof FileSystemLoopException) {
      return "too many levels of symbolic links";
    }
    String r = f.getReason();
    return r == null || r.isBlank() ? "file system error" : lowerFirst(r);
  }

  /** "Read-only file system" -> "read-only file system" (as Go prints strerror texts). */
  private static String lowerFirst(String s) {
    return s.length() > 1
            && Character.isUpperCase(s.charAt(0))
            && Character.isLowerCase(s.charAt(1))
        ? Character.toLowerCase(s.charAt(0)) + s.substring(1)
        : s;
  }

  /** "NullPointerException" -> "null pointer", "StackOverflowError" -> "stack overflow". */
  static String words(String simpleName) {
    String n = simpleName;
    for (String suffix : new String[] {"Exception", "Error"}) {
      if (n.endsWith(suffix) && n.length() > suffix.length()) {
        n = n.substring(0, n.length() - suffix.length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0 && !Character.isUpperCase(n.charAt(i - 1))) {
          b.append(' ');
        }
        b.append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
