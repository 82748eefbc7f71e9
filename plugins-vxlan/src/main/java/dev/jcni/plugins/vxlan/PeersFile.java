package dev.jcni.plugins.vxlan;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The peers file: a JSON array of {@code {"underlayIP": "...", "podSubnet": "...", "name": "..."}}
 * (an object with a {@code peers} array is accepted too). The node agent writes it atomically (temp
 * file + rename), so a reader sees either the old or the new list, never a torn one; the plugin
 * re-reads it on every call.
 */
public final class PeersFile {
  private PeersFile() {}

  /** Reads the file; a missing file is an empty list (the agent may not have written it yet). */
  public static List<Peer> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE, "peersFile: cannot read " + file + ": " + ErrorText.of(e));
    }
    if (bytes.length == 0) {
      return List.of();
    }
    Object tree;
    try {
      tree = Json.parse(bytes);
    } catch (CniException e) {
      throw CniException.invalidConfig("peersFile: " + file + " is not valid JSON: " + e.msg());
    }
    return parse(tree, "peersFile");
  }

  /** Parses a peers list tree; errors name {@code key} and the entry index. */
  public static List<Peer> parse(Object tree, String key) {
    if (tree instanceof Map<?, ?> m && Keys.get(m, "peers") != null) {
      tree = Keys.get(m, "peers");
    }
    if (!(tree instanceof List<?> list)) {
      throw CniException.invalidConfig(
          key + ": must be a list of {\"underlayIP\", \"podSubnet\"} objects");
    }
    List<Peer> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(Peer.fromJson(list.get(i), key + "[" + i + "]"));
    }
    return out;
  }

  /** The JSON text for {@code peers} (one entry per line, stable for diffs). */
  public static String toJson(List<Peer> peers) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < peers.size(); i++) {
      Peer p = peers.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("  {");
      if (p.name() != null) {
        sb.append("\"name\": ").append(quote(p.name())).append(", ");
      }
      sb.append("\"underlayIP\": \"")
          .append(Peer.format(p.underlayIP()))
          .append("\", ")
          .append("\"podSubnet\": \"")
          .append(p.podSubnet())
          .append("\"}");
    }
    return sb.append(peers.isEmpty() ? "]\n" : "\n]\n").toString();
  }

  /**
   * Writes {@code peers} atomically: a temp file in the same directory, fsync, then rename over the
   * target.
   *
   * @return true when the content changed (false: the file already held exactly this list and was
   *     left alone)
   */
  public static boolean writeAtomically(Path file, List<Peer> peers) throws IOException {
    byte[] content = toJson(peers).getBytes(StandardCharsets.UTF_8);
    try {
      if (java.util.Arrays.equals(Files.readAllBytes(file), content)) {
        return false;
      }
    } catch (NoSuchFileException e) {
      // first write
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(content));
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return true;
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
