package dev.jcni.ipam.hostlocal;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ipam.resolvConf}: a resolv.conf file turned into the result's {@code dns}, as Go's
 * host-local does.
 */
final class ResolvConf {
  private ResolvConf() {}

  static Result.Dns read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CniException.invalidConfig("ipam.resolvConf: " + file + " does not exist");
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "ipam.resolvConf: cannot read " + file + ": " + ErrorText.of(e));
    }
    return parse(lines);
  }

  static Result.Dns parse(List<String> lines) {
    List<String> nameservers = new ArrayList<>();
    List<String> search = new ArrayList<>();
    List<String> options = new ArrayList<>();
    String domain = null;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length < 2) {
        continue;
      }
      switch (f[0]) {
        case "nameserver":
          nameservers.add(f[1]);
          break;
        case "domain":
          domain = f[1];
          break;
        case "search":
          search.addAll(Arrays.asList(f).subList(1, f.length));
          break;
        case "options":
          options.addAll(Arrays.asList(f).subList(1, f.length));
          break;
        default:
          break;
      }
    }
    return new Result.Dns(nameservers, domain, search, options);
  }
}
