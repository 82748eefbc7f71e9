package dev.jcni.packager;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A release tarball {@code <name>-<version>-linux-<arch>.tar.gz} of a packaged tree: one top
 * directory {@code <name>-<version>/} with the tree ({@code bin/ libexec/ lib/ runtime/ VERSION})
 * and extra files or directories beside it (jcni's: README.md, LICENSE, NOTICE, deploy/).
 * Class-data archives in {@code lib/} are left out (only valid for the path they were made for;
 * {@code jcni install} makes them on the node). A plain ustar writer: hard links stay hard links
 * (every {@code bin/<type>} is the one shim), modes are kept, owner is root (0/0), entries are
 * sorted by name, and with {@code SOURCE_DATE_EPOCH} set every mtime is that (gzip's header carries
 * none), so two builds of the same tree give the same bytes.
 */
public final class Tarball {
  /** What a packaged tree holds, at the tarball's top level. */
  static final List<String> TREE = List.of("VERSION", "bin", "libexec", "lib", "runtime");

  private Tarball() {}

  /**
   * The architecture as Kubernetes and the Go CNI plugins' releases name it ({@code amd64}, {@code
   * arm64}).
   */
  public static String arch() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
  }

  /**
   * Writes {@code <outDir>/<name>-<version>-linux-<arch>.tar.gz} (through a temporary file,
   * renamed).
   *
   * @param tree the packaged tree
   * @param extras top-level name → file or directory added beside the tree (each must exist)
   * @return the tarball
   */
  public static Path write(
      Path tree,
      Map<String, Path> extras,
      Path outDir,
      String name,
      String version,
      Consumer<String> log)
      throws IOException {
    tree = tree.toAbsolutePath().normalize();
    if (!Files.isDirectory(tree.resolve("bin"))) {
      throw new IOException("no packaged tree at " + tree + " (run the package goal first)");
    }
    String top = name + "-" + version;
    // entry name -> file, sorted
    TreeMap<String, Path> entries = new TreeMap<>();
    for (String d : TREE) {
      add(entries, top + "/" + d, tree.resolve(d));
    }
    for (Map.Entry<String, Path> e : extras.entrySet()) {
      if (!Files.exists(e.getValue(), LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("no " + e.getValue() + " to put into the tarball as " + e.getKey());
      }
      if (TREE.contains(e.getKey())) {
        throw new IOException(
            e.getKey() + " is the packaged tree's own; name " + e.getValue() + " otherwise");
      }
      add(entries, top + "/" + e.getKey(), e.getValue().toAbsolutePath().normalize());
    }
    entries.put(top, tree); // the top directory itself
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    Long mtime = epoch == null || epoch.isBlank() ? null : Long.parseLong(epoch.strip());

    Files.createDirectories(outDir);
    Path out = outDir.resolve(top + "-linux-" + arch() + ".tar.gz");
    Path tmp = outDir.resolve("." + out.getFileName() + ".tmp");
    Map<Object, String> inodes = new HashMap<>();
    long files = 0;
    try (OutputStream os =
        new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      for (Map.Entry<String, Path> e : entries.entrySet()) {
        Path p = e.getValue();
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = mode(p);
        long mt = mtime != null ? mtime : a.lastModifiedTime().toMillis() / 1000;
        if (a.isSymbolicLink()) {
          header(os, e.getKey(), 0777, 0, mt, '2', Files.readSymbolicLink(p).toString());
        } else if (a.isDirectory()) {
          header(os, e.getKey() + "/", mode, 0, mt, '5', "");
        } else if (a.isRegularFile()) {
          int nlink =
              ((Number) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
          String first = nlink > 1 ? inodes.putIfAbsent(a.fileKey(), e.getKey()) : null;
          if (first != null) {
            header(os, e.getKey(), mode, 0, mt, '1', first);
          } else {
            header(os, e.getKey(), mode, a.size(), mt, '0', "");
            long n = Files.copy(p, os);
            if (n != a.size()) {
              throw new IOException(p + " changed while being archived");
            }
            os.write(new byte[(int) ((512 - n % 512) % 512)]);
          }
          files++;
        }
      }
      os.write(new byte[1024]); // two zero blocks end the archive
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    log.accept(out + " (" + files + " files, " + Files.size(out) / 1024 + " KiB)");
    return out;
  }

  private static void add(TreeMap<String, Path> entries, String name, Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      entries.put(name, p);
      return;
    }
    try (Stream<Path> w = Files.walk(p)) {
      for (Path q : w.toList()) {
        String n = q.getFileName().toString();
        if (q.getParent() != null
            && q.getParent().getFileName().toString().equals("lib")
            && q.getParent().getParent().equals(p.getParent())
            && (n.endsWith(".jsa") || n.endsWith(".aot"))) {
          continue; // the tree's lib/*.jsa, *.aot: made for the build's path
          // (runtime/lib/server/*.jsa stay)
        }
        String rel = p.relativize(q).toString();
        entries.put(rel.isEmpty() ? name : name + "/" + rel, q);
      }
    }
  }

  private static int mode(Path p) throws IOException {
    if (Files.isSymbolicLink(p)) {
      return 0777;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
    int m = 0;
    for (PosixFilePermission x : perms) {
      m |= 1 << (8 - x.ordinal()); // OWNER_READ is ordinal 0 = 0400 ... OTHERS_EXECUTE is 8 = 0001
    }
    return m;
  }

  private static void header(
      OutputStream os, String name, int mode, long size, long mtime, char type, String link)
      throws IOException {
    byte[] h = new byte[512];
    String prefix = "";
    if (utf8(name).length > 100) {
      int cut = name.lastIndexOf('/', name.length() - 2);
      while (cut > 0
          && (utf8(name.substring(cut + 1)).length > 100
              || utf8(name.substring(0, cut)).length > 155)) {
        cut = name.lastIndexOf('/', cut - 1);
      }
      if (cut <= 0) {
        throw new IOException("name too long for a ustar entry: " + name);
      }
      prefix = name.substring(0, cut);
      name = name.substring(cut + 1);
    }
    if (utf8(link).length > 100) {
      throw new IOException("link target too long for a ustar entry: " + link);
    }
    put(h, 0, 100, utf8(name));
    put(h, 100, 8, octal(mode, 7));
    put(h, 108, 8, octal(0, 7));
    put(h, 116, 8, octal(0, 7));
    put(h, 124, 12, octal(size, 11));
    put(h, 136, 12, octal(mtime, 11));
    h[156] = (byte) type;
    put(h, 157, 100, utf8(link));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    put(h, 265, 32, utf8("root"));
    put(h, 297, 32, utf8("root"));
    put(h, 329, 8, octal(0, 7));
    put(h, 337, 8, octal(0, 7));
    put(h, 345, 155, utf8(prefix));
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
    os.write(h);
  }

  private static byte[] octal(long v, int digits) {
    return (String.format("%0" + digits + "o", v) + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(byte[] h, int off, int len, byte[] v) {
    System.arraycopy(v, 0, h, off, Math.min(len, v.length));
  }
}
