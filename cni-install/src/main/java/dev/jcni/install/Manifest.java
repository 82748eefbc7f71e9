package dev.jcni.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code jcni install} placed outside its version directories, kept in {@code
 * <prefix>/manifest} so that {@code jcni uninstall} removes exactly that: the symlinks in the CNI
 * bin directory (with their target), the systemd unit (with its SHA-256), files moved aside with
 * {@code --overwrite} (put back on uninstall), and the version directories under the prefix. One
 * entry per line, fields separated by a tab; paths with a tab or a line break are refused at
 * install, so the format needs no quoting.
 */
final class Manifest {
  static final String FILE = "manifest";
  static final String HEADER =
      "# jcni install manifest 1: what `jcni install` placed; `jcni uninstall` removes exactly this";

  /** A symlink placed in the bin directory. */
  record Link(Path path, String target) {}

  /** A file we wrote (the systemd unit), with the SHA-256 of what we wrote. */
  record Written(Path path, String sha256) {}

  /** A file that was in the way with {@code --overwrite}, moved to {@code saved}. */
  record Displaced(Path path, Path saved) {}

  String current;
  String previous;
  Path binDir;
  final List<String> versions = new ArrayList<>();
  final List<Link> links = new ArrayList<>();
  final List<Written> written = new ArrayList<>();
  final List<Displaced> displaced = new ArrayList<>();

  static Manifest read(Path prefix) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(prefix.resolve(FILE), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    Manifest m = new Manifest();
    for (String line : lines) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "current" -> m.current = f[1];
        case "previous" -> m.previous = f[1];
        case "bin-dir" -> m.binDir = Path.of(f[1]);
        case "version" -> m.versions.add(f[1]);
        case "link" -> m.links.add(new Link(Path.of(f[1]), f[2]));
        case "file" -> m.written.add(new Written(Path.of(f[1]), f[2]));
        case "displaced" -> m.displaced.add(new Displaced(Path.of(f[1]), Path.of(f[2])));
        default -> throw new IOException(prefix.resolve(FILE) + ": unknown entry '" + f[0] + "'");
      }
    }
    return m;
  }

  /**
   * Written to a temporary file and renamed over the old one: a crash leaves the old or the new
   * manifest.
   */
  void write(Path prefix) throws IOException {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    if (current != null) {
      b.append("current\t").append(current).append('\n');
    }
    if (previous != null) {
      b.append("previous\t").append(previous).append('\n');
    }
    if (binDir != null) {
      b.append("bin-dir\t").append(binDir).append('\n');
    }
    for (String v : versions) {
      b.append("version\t").append(v).append('\n');
    }
    for (Link l : links) {
      b.append("link\t").append(l.path()).append('\t').append(l.target()).append('\n');
    }
    for (Written w : written) {
      b.append("file\t").append(w.path()).append('\t').append(w.sha256()).append('\n');
    }
    for (Displaced d : displaced) {
      b.append("displaced\t").append(d.path()).append('\t').append(d.saved()).append('\n');
    }
    Path tmp = prefix.resolve("." + FILE + ".tmp");
    Files.writeString(tmp, b, StandardCharsets.UTF_8);
    Files.move(tmp, prefix.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }

  Link link(Path p) {
    for (Link l : links) {
      if (l.path().equals(p)) {
        return l;
      }
    }
    return null;
  }

  /** True when {@code p} is still the symlink we placed (same target). */
  static boolean unchanged(Link l) {
    try {
      return Files.isSymbolicLink(l.path())
          && Files.readSymbolicLink(l.path()).toString().equals(l.target());
    } catch (IOException e) {
      return false;
    }
  }

  static boolean unchanged(Written w) {
    try {
      return Files.isRegularFile(w.path(), LinkOption.NOFOLLOW_LINKS)
          && sha256(Files.readAllBytes(w.path())).equals(w.sha256());
    } catch (IOException e) {
      return false;
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
