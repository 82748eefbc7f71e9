package dev.jcni.packager;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plugin's training resource, {@code META-INF/jcni/training/<type>.json} in its jar: the sample
 * calls that {@link Train} runs in-process through the dispatcher (stdout discarded) so that their
 * classes land in the class-data archive. Format (every key optional, unknown keys are an error
 * naming the key):
 *
 * <pre>{@code
 * {"netlink": false,                         // the netlink/netns warm-up (default: when cni-netlink is present)
 *  "hook": "org.example.MyTraining",         // a class with `public static void run()`, or a Runnable
 *  "calls": [{"commands": ["ADD", "CHECK", "DEL"],   // or "command": "ADD"
 *             "versions": ["1.1.0", "0.4.0"],        // each replaces ${cniVersion}; default: one call, no version
 *             "env": {"CNI_ARGS": "K8S_POD_NAME=x"}, // over the defaults (CNI_NETNS is a path that does not exist)
 *             "netns": false,                        // true: a throwaway namespace as CNI_NETNS, skipped unless root
 *             "stdin": {"cniVersion": "${cniVersion}", "name": "train", "type": "x", "dataDir": "${tmpdir}"}}]}
 * }</pre>
 *
 * <p>{@code stdin} is a JSON value (written out as the call's stdin) or a string taken verbatim. In
 * stdin and env values {@code ${cniVersion}}, {@code ${type}} and {@code ${tmpdir}} (a scratch
 * directory removed afterwards) are replaced.
 */
public record TrainingSpec(Boolean netlink, String hook, List<Call> calls) {
  /** Where a plugin jar keeps the training resource of one type. */
  public static String resource(String type) {
    return "META-INF/jcni/training/" + type + ".json";
  }

  /** One entry of {@code calls}, before expansion over commands and versions. */
  public record Call(
      List<String> commands,
      List<String> versions,
      Map<String, String> env,
      String stdin,
      boolean netns) {}

  /** One concrete call to make. */
  public record Sample(String command, Map<String, String> env, String stdin, boolean netns) {}

  public static TrainingSpec parse(InputStream in, String source) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(source + ": a training resource is a JSON object");
      }
      Boolean netlink = null;
      String hook = null;
      List<Call> calls = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        switch (key) {
          case "netlink" -> {
            if (!t.isBoolean()) {
              throw new IOException(source + ": \"netlink\" must be true or false");
            }
            netlink = p.getBooleanValue();
          }
          case "hook" -> hook = string(p, source, key);
          case "calls" -> {
            expect(p, JsonToken.START_ARRAY, source, key);
            while (p.nextToken() != JsonToken.END_ARRAY) {
              calls.add(call(p, source + ": calls[" + calls.size() + "]"));
            }
          }
          default -> throw new IOException(source + ": unknown key \"" + key + "\"");
        }
      }
      return new TrainingSpec(netlink, hook, List.copyOf(calls));
    }
  }

  private static Call call(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IOException(where + ": a call is a JSON object");
    }
    List<String> commands = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    String stdin = "";
    boolean netns = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      switch (key) {
        case "command" -> commands.add(string(p, where, key));
        case "commands" -> strings(p, where, key, commands);
        case "versions" -> strings(p, where, key, versions);
        case "env" -> {
          expect(p, JsonToken.START_OBJECT, where, key);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            env.put(name, string(p, where, "env." + name));
          }
        }
        case "netns" -> {
          if (!t.isBoolean()) {
            throw new IOException(where + ": \"netns\" must be true or false");
          }
          netns = p.getBooleanValue();
        }
        case "stdin" -> {
          if (t == JsonToken.VALUE_STRING) {
            stdin = p.getText();
          } else {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
              g.copyCurrentStructure(p);
            }
            stdin = w.toString();
          }
        }
        default -> throw new IOException(where + ": unknown key \"" + key + "\"");
      }
    }
    if (commands.isEmpty()) {
      throw new IOException(where + ": \"command\" or \"commands\" is required");
    }
    return new Call(List.copyOf(commands), List.copyOf(versions), env, stdin, netns);
  }

  /**
   * Every concrete call, in file order: each call's versions outside, its commands inside (ADD,
   * CHECK, DEL).
   */
  public List<Sample> samples(String type, String tmpdir) {
    List<Sample> out = new ArrayList<>();
    for (Call c : calls) {
      List<String> versions =
          c.versions().isEmpty() ? java.util.Collections.singletonList(null) : c.versions();
      for (String v : versions) {
        for (String cmd : c.commands()) {
          Map<String, String> env = new LinkedHashMap<>();
          c.env().forEach((k, val) -> env.put(k, expand(val, v, type, tmpdir)));
          out.add(new Sample(cmd, env, expand(c.stdin(), v, type, tmpdir), c.netns()));
        }
      }
    }
    return out;
  }

  static String expand(String s, String version, String type, String tmpdir) {
    String r = s.replace("${type}", type).replace("${tmpdir}", tmpdir);
    return version == null ? r : r.replace("${cniVersion}", version);
  }

  private static void expect(JsonParser p, JsonToken t, String where, String key)
      throws IOException {
    if (p.currentToken() != t) {
      String what = t == JsonToken.START_ARRAY ? "an array" : "an object";
      throw new IOException(where + ": \"" + key + "\" must be " + what);
    }
  }

  private static String string(JsonParser p, String where, String key) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new IOException(where + ": \"" + key + "\" must be a string");
    }
    return p.getText();
  }

  private static void strings(JsonParser p, String where, String key, List<String> into)
      throws IOException {
    expect(p, JsonToken.START_ARRAY, where, key);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      into.add(string(p, where, key));
    }
  }
}
