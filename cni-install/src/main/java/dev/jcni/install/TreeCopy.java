package dev.jcni.install;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies the packaged tree into a new version directory: permissions and modification times kept,
 * symlinks copied as symlinks, hard links kept as hard links (every {@code bin/<type>} is one
 * inode, the shim). Class-data archives ({@code lib/*.jsa}, {@code lib/*.aot}) are left out: they
 * are only valid for the path they were made for, and install makes new ones.
 *
 * <p>{@code -Djcni.install.failAfterFiles=N} (tests only, through {@code JCNI_JAVA_OPTS}) fails the
 * copy after N files, as a full disk or an I/O error would.
 */
final class TreeCopy extends SimpleFileVisitor<Path> {
  private final Path from;
  private final Path to;
  private final Map<Object, Path> inodes = new HashMap<>();
  private final Deque<Set<PosixFilePermission>> dirModes = new ArrayDeque<>();
  private final long failAfter = Long.getLong("jcni.install.failAfterFiles", -1);
  private long files;
  private long bytes;

  private TreeCopy(Path from, Path to) {
    this.from = from;
    this.to = to;
  }

  /**
   * What a packaged tree consists of; anything else beside it (a build directory's sources) is not
   * copied.
   */
  static final List<String> ENTRIES =
      List.of(
          "VERSION",
          "bin",
          "libexec",
          "lib",
          "runtime",
          "README.md",
          "LICENSE",
          "NOTICE",
          "deploy");

  /** Returns the bytes copied. {@code to} must not exist. */
  static long copy(Path from, Path to) throws IOException {
    TreeCopy c = new TreeCopy(from, to);
    Files.createDirectory(to);
    for (String e : ENTRIES) {
      if (Files.exists(from.resolve(e), LinkOption.NOFOLLOW_LINKS)) {
        Files.walkFileTree(from.resolve(e), c);
      }
    }
    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    return c.bytes;
  }

  @Override
  public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
    Path d = to.resolve(from.relativize(dir).toString());
    Files.createDirectory(d);
    dirModes.push(Files.getPosixFilePermissions(dir));
    return FileVisitResult.CONTINUE;
  }

  @Override
  public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
    if (e != null) {
      throw e;
    }
    Path d = to.resolve(from.relativize(dir).toString());
    Files.getFileAttributeView(d, PosixFileAttributeView.class).setPermissions(dirModes.pop());
    Files.setLastModifiedTime(d, Files.getLastModifiedTime(dir));
    return FileVisitResult.CONTINUE;
  }

  @Override
  public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
    Path rel = from.relativize(file);
    Path dst = to.resolve(rel.toString());
    if (attrs.isSymbolicLink()) {
      Files.createSymbolicLink(dst, Files.readSymbolicLink(file));
      return FileVisitResult.CONTINUE;
    }
    if (!attrs.isRegularFile()) {
      return FileVisitResult.CONTINUE; // sockets, fifos: not part of a tree
    }
    String name = file.getFileName().toString();
    if (rel.getNameCount() == 2
        && rel.getName(0).toString().equals("lib")
        && (name.endsWith(".jsa") || name.endsWith(".aot"))) {
      return FileVisitResult.CONTINUE;
    }
    if (failAfter >= 0 && files >= failAfter) {
      throw new IOException(
          "injected fault after " + files + " files (jcni.install.failAfterFiles)");
    }
    files++;
    Object key = attrs.fileKey();
    int nlink =
        ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    if (nlink > 1 && key != null) {
      Path first = inodes.get(key);
      if (first != null) {
        Files.createLink(dst, first);
        return FileVisitResult.CONTINUE;
      }
      inodes.put(key, dst);
    }
    Files.copy(file, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    bytes += attrs.size();
    return FileVisitResult.CONTINUE;
  }
}
