package dev.jcni.dist;

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
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The release tarball {@code jcni-<version>-linux-<arch>.tar.gz}: one top directory {@code jcni-<version>/} with
 * the packaged tree ({@code bin/ libexec/ lib/ runtime/ VERSION}), README.md, LICENSE, NOTICE and, when the
 * repository has them, the {@code deploy/} manifests. Class-data archives are left out (only valid for the path
 * they were made for; {@code jcni install} makes them on the node). A plain ustar writer: hard links stay hard
 * links (every {@code bin/<type>} is the one shim), modes are kept, owner is root (0/0), entries are sorted by
 * name, and with {@code SOURCE_DATE_EPOCH} set every mtime is that (gzip's header carries none), so two builds of
 * the same tree give the same bytes.
 *
 * <p>Usage: {@code Tarball <tree> <repository root> <out dir> <version>}.
 */
public final class Tarball {
  private Tarball() {}

  public static void main(String[] args) throws IOException {
    Path tree = Path.of(args[0]).toAbsolutePath().normalize();
    Path root = Path.of(args[1]).toAbsolutePath().normalize();
    Path outDir = Path.of(args[2]);
    String version = args[3];
    String arch = switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "amd64"; // the names Kubernetes and the Go CNI plugins' releases use
      case "aarch64", "arm64" -> "arm64";
      default -> System.getProperty("os.arch");
    };
    String top = "jcni-" + version;
    // entry name -> file, sorted
    TreeMap<String, Path> entries = new TreeMap<>();
    for (String d : List.of("VERSION", "bin", "libexec", "lib", "runtime")) {
      add(entries, top + "/" + d, tree.resolve(d));
    }
    add(entries, top + "/README.md", root.resolve("dist/README.md"));
    add(entries, top + "/LICENSE", root.resolve("LICENSE"));
    add(entries, top + "/NOTICE", root.resolve("NOTICE"));
    add(entries, top + "/deploy", root.resolve("deploy"));
    entries.put(top, tree); // the top directory itself
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    Long mtime = epoch == null || epoch.isBlank() ? null : Long.parseLong(epoch.strip());

    Files.createDirectories(outDir);
    Path out = outDir.resolve(top + "-linux-" + arch + ".tar.gz");
    Path tmp = outDir.resolve("." + out.getFileName() + ".tmp");
    Map<Object, String> inodes = new HashMap<>();
    long files = 0;
    try (OutputStream os = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      for (Map.Entry<String, Path> e : entries.entrySet()) {
        Path p = e.getValue();
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = mode(p);
        long mt = mtime != null ? mtime : a.lastModifiedTime().toMillis() / 1000;
        if (a.isSymbolicLink()) {
          header(os, e.getKey(), 0777, 0, mt, '2', Files.readSymbolicLink(p).toString());
        } else if (a.isDirectory()) {
          header(os, e.getKey() + "/", mode, 0, mt, '5', "");
        } else if (a.isRegularFile()) {
          int nlink = ((Number) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
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
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("jcni dist: " + out + " (" + files + " files, " + Files.size(out) / 1024 + " KiB)");
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
        if (q.getParent() != null && q.getParent().getFileName().toString().equals("lib")
            && q.getParent().getParent().equals(p.getParent()) && (n.endsWith(".jsa") || n.endsWith(".aot"))) {
          continue; // the tree's lib/*.jsa, *.aot: made for the build's path (runtime/lib/server/*.jsa stay)
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

  private static void header(OutputStream os, String name, int mode, long size, long mtime, char type, String link)
      throws IOException {
    byte[] h = new byte[512];
    String prefix = "";
    if (utf8(name).length > 100) {
      int cut = name.lastIndexOf('/', name.length() - 2);
      while (cut > 0 && (utf8(name.substring(cut + 1)).length > 100 || utf8(name.substring(0, cut)).length > 155)) {
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
