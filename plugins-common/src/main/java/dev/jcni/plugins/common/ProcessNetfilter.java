package dev.jcni.plugins.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@link Netfilter} over the nft and iptables executables. */
final class ProcessNetfilter implements Netfilter {
  private static final List<String> DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin");

  // tests run the tools through `ip netns exec NS`; production code runs them directly
  private final List<String> prefix;

  ProcessNetfilter() {
    this(List.of());
  }

  ProcessNetfilter(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  @Override
  public boolean nftAvailable() {
    return find("nft") != null;
  }

  @Override
  public boolean iptablesAvailable() {
    return find("iptables") != null && find("iptables-restore") != null && find("iptables-save") != null;
  }

  @Override
  public void nft(String script) {
    Out o = run(List.of(tool("nft"), "-f", "-"), script);
    if (o.rc != 0) {
      throw new NetfilterException("nft failed: " + o.err.strip());
    }
  }

  @Override
  public String nftListTables() {
    Out o = run(List.of(tool("nft"), "list", "tables"), null);
    if (o.rc != 0) {
      throw new NetfilterException("nft list tables failed: " + o.err.strip());
    }
    return o.out;
  }

  @Override
  public boolean nftTableExists(String family, String name) {
    return run(List.of(tool("nft"), "list", "table", family, name), null).rc == 0;
  }

  @Override
  public void iptablesRestore(int family, String script) {
    String t = family == 6 ? "ip6tables-restore" : "iptables-restore";
    Out o = run(List.of(tool(t), "--noflush", "-w", "5"), script);
    if (o.rc != 0) {
      throw new NetfilterException(t + " failed: " + o.err.strip());
    }
  }

  @Override
  public String iptablesSave(int family, String table) {
    String t = family == 6 ? "ip6tables-save" : "iptables-save";
    if (find(t) == null) {
      return "";
    }
    Out o = run(List.of(tool(t), "-t", table), null);
    if (o.rc != 0) {
      throw new NetfilterException(t + " failed: " + o.err.strip());
    }
    return o.out;
  }

  private static String tool(String name) {
    String p = find(name);
    if (p == null) {
      throw new NetfilterException(name + " not found");
    }
    return p;
  }

  private static String find(String name) {
    String path = System.getenv("PATH");
    List<String> dirs = path == null ? DIRS : List.of((path + ":" + String.join(":", DIRS)).split(":"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private record Out(int rc, String out, String err) {}

  private Out run(List<String> argv, String stdin) {
    try {
      List<String> cmd = new java.util.ArrayList<>(prefix);
      cmd.addAll(argv);
      Process p = new ProcessBuilder(cmd).start();
      // stderr drained on a short-lived platform thread so a chatty tool cannot block on a full pipe
      byte[][] err = new byte[1][];
      Thread drain = new Thread(() -> err[0] = readAll(p.getErrorStream()), "netfilter-stderr");
      drain.start();
      try (OutputStream os = p.getOutputStream()) {
        if (stdin != null) {
          os.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] out = readAll(p.getInputStream());
      int rc = p.waitFor();
      drain.join();
      return new Out(rc, new String(out, StandardCharsets.UTF_8),
          err[0] == null ? "" : new String(err[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NetfilterException(argv.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetfilterException(argv.get(0) + ": interrupted");
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
