package dev.jcni.runtime;

import dev.jcni.system.NetNs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code jcni netns add|del|list [NAME]}: named network namespaces under {@code /run/netns} for
 * quick experiments with {@code jcni add}, created natively through cni-system's {@link NetNs}
 * (what {@code ip netns add} does). It lives here, not in cni-api, so that cni-api does not depend
 * on cni-system; the CLI finds it through the {@link CliCommand} SPI (registered in
 * META-INF/services).
 */
public final class NetnsCommand implements CliCommand {
  /** For ServiceLoader. */
  public NetnsCommand() {}

  @Override
  public String name() {
    return "netns";
  }

  @Override
  public String usage() {
    return """
        netns add NAME            create network namespace /run/netns/NAME (root), like 'ip netns add'
        netns del NAME            delete it
        netns list                list the named network namespaces""";
  }

  @Override
  public int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    String verb = args.isEmpty() ? "" : args.get(0);
    int want = verb.equals("list") ? 1 : 2;
    if (!List.of("add", "del", "list").contains(verb) || args.size() != want) {
      err.println("jcni: usage: jcni netns add|del NAME | jcni netns list");
      return 2;
    }
    try {
      switch (verb) {
        case "add" -> {
          try (NetNs ns = NetNs.create(args.get(1))) {
            out.println(ns.path());
          }
        }
        case "del" -> NetNs.delete(args.get(1));
        default -> list().forEach(out::println);
      }
      out.flush();
      return 0;
    } catch (RuntimeException | IOException e) {
      err.println("jcni netns " + verb + ": " + e.getMessage());
      return 1;
    }
  }

  private static List<String> list() throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(NetNs.RUN_DIR)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    } catch (NoSuchFileException e) {
      return names;
    }
    Collections.sort(names);
    return names;
  }
}
