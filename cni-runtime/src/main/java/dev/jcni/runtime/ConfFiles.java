package dev.jcni.runtime;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.NetConfList;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loads conflists from a configuration directory as libcni's {@code conf.go} does, into cni-spec's
 * one model ({@link NetConfList}, {@link NetConf}).
 *
 * <p>{@link #load}: {@code *.conflist} files in lexical order, the first whose {@code name} matches
 * wins; otherwise the deprecated single-plugin {@code *.conf}/{@code *.json} files, upgraded to a
 * one-plugin list. Any file that fails to parse on the way is an error, as in libcni. Drop-ins
 * ({@code <dir>/<name>/*.conf}) are appended unless the list sets {@code loadOnlyInlinedPlugins}.
 */
public final class ConfFiles {
  private ConfFiles() {}

  /**
   * Reads a conflist file and, unless {@code loadOnlyInlinedPlugins}, appends the plugin configs
   * found in {@code <file's dir>/<name>/*.conf} (lexical order). No plugin at all is an error.
   */
  public static NetConfList fromFile(Path file) {
    NetConfList list = NetConfList.parse(readFile(file));
    if (!list.loadOnlyInlinedPlugins()) {
      Path dir = file.toAbsolutePath().getParent();
      List<NetConf> dropIns = new ArrayList<>();
      for (Path p : confFiles(dir.resolve(list.name()), List.of(".conf"))) {
        dropIns.add(NetConfList.parsePlugin(readFile(p)));
      }
      list = list.withDropIns(dropIns);
    }
    if (list.plugins().isEmpty()) {
      throw new CniException(
          ErrorCodes.INVALID_NETWORK_CONFIG, "no plugin configs found in " + file);
    }
    return list;
  }

  /**
   * Finds network {@code name} in {@code dir} as libcni's {@code LoadNetworkConf} does.
   *
   * @throws NetworkNotFoundException when no file in {@code dir} defines it (or there is no config
   *     at all)
   */
  public static NetConfList load(Path dir, String name) {
    List<Path> lists = confFiles(dir, List.of(".conflist"));
    for (Path f : lists) {
      NetConfList l = fromFile(f);
      if (l.name().equals(name)) {
        return l;
      }
    }
    List<Path> singles = confFiles(dir, List.of(".conf", ".json"));
    if (singles.isEmpty()) {
      throw lists.isEmpty()
          ? new NetworkNotFoundException("no net configurations found in " + dir)
          : new NetworkNotFoundException(
              "no net configuration with name \"" + name + "\" in " + dir);
    }
    for (Path f : singles) {
      NetConf conf = NetConfList.parsePlugin(readFile(f));
      if (name.equals(conf.name())) {
        return NetConfList.fromPlugin(conf);
      }
    }
    throw new NetworkNotFoundException("no net configuration with name \"" + name + "\" in " + dir);
  }

  /**
   * Regular files (not directories) in {@code dir} with one of the extensions, sorted; none if no
   * such dir.
   */
  static List<Path> confFiles(Path dir, List<String> extensions) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String fn = p.getFileName().toString();
        int dot = fn.lastIndexOf('.');
        if (dot >= 0 && extensions.contains(fn.substring(dot))) {
          out.add(p);
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE,
          "failed to read config files in " + dir + ": " + ErrorText.of(e),
          null,
          e);
    }
    Collections.sort(out, (a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  private static byte[] readFile(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "error reading " + f + ": " + ErrorText.of(e), null, e);
    }
  }
}
