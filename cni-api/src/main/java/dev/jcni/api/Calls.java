package dev.jcni.api;

import dev.jcni.spec.CniException;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of skel's dispatch shared by the {@link Dispatcher} and in-process delegates: version
 * reconciliation, the CHECK/GC/STATUS gates, building the {@link Invocation} and calling the
 * plugin's verb.
 */
final class Calls {
  private Calls() {}

  /**
   * The config's {@code cniVersion} the way skel's ConfigDecoder reads it: absent or "" means
   * "0.1.0".
   */
  static String configVersion(NetConf conf) {
    Object v = Json.get(conf.raw(), "cniVersion");
    if (v == null) {
      return "0.1.0";
    }
    if (!(v instanceof String)) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE,
          "decoding version from network config: cniVersion must be a string");
    }
    String s = (String) v;
    return s.isEmpty() ? "0.1.0" : s;
  }

  /**
   * skel's checks before calling {@code command}: the gate for CHECK (≥0.4.0) and GC/STATUS
   * (≥1.1.0), then the exact match of the config's version against the plugin's list.
   *
   * @return the config's version, parsed
   */
  static CniVersion reconcile(CniPlugin plugin, Command command, String configVersion) {
    List<CniVersion> supported = plugin.supportedVersions();
    CniVersion min =
        switch (command) {
          case CHECK -> CniVersion.V0_4_0;
          case GC, STATUS -> CniVersion.V1_1_0;
          default -> null;
        };
    if (min != null) {
      CniVersion v;
      try {
        v = CniVersion.parse(configVersion);
      } catch (CniException e) {
        throw new CniException(ErrorCodes.DECODING_FAILURE, e.msg(), e.details());
      }
      if (!v.atLeast(min)) {
        throw new CniException(
            ErrorCodes.INCOMPATIBLE_CNI_VERSION, "config version does not allow " + command);
      }
      boolean reaches = false;
      for (CniVersion s : supported) {
        reaches |= s.atLeast(v);
      }
      if (!reaches) {
        throw new CniException(
            ErrorCodes.INCOMPATIBLE_CNI_VERSION, "plugin version does not allow " + command);
      }
    }
    List<String> names = new ArrayList<>(supported.size());
    for (CniVersion s : supported) {
      if (s.toString().equals(configVersion)) {
        return s;
      }
      names.add(s.toString());
    }
    throw new CniException(
        ErrorCodes.INCOMPATIBLE_CNI_VERSION,
        "incompatible CNI versions",
        "config is "
            + WireOut.goQuote(configVersion)
            + ", plugin supports "
            + WireOut.goQuote(names));
  }

  /** The invocation a plugin receives: CNI_* parsed, prevResult converted, GC attachments read. */
  static Invocation invocation(
      Command command,
      Map<String, String> env,
      NetConf conf,
      CniVersion version,
      Delegate.Strategy delegation) {
    return new Invocation(
        command,
        env.get("CNI_CONTAINERID"),
        env.get("CNI_NETNS"),
        env.get("CNI_IFNAME"),
        dev.jcni.spec.CniArgs.parse(env.get("CNI_ARGS")),
        splitPath(env.get("CNI_PATH")),
        conf,
        prevResult(conf, version),
        command == Command.GC ? attachments(conf) : List.of(),
        env,
        delegation);
  }

  static List<String> splitPath(String cniPath) {
    List<String> out = new ArrayList<>();
    if (cniPath != null) {
      for (String p : cniPath.split(":")) {
        if (!p.isEmpty()) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /**
   * prevResult read with the config's version as fallback, then converted to the config's version.
   */
  static Result prevResult(NetConf conf, CniVersion version) {
    Map<String, Object> raw = conf.prevResultRaw();
    if (raw == null) {
      return null;
    }
    try {
      return atVersion(ResultCodec.decode(raw, version), version);
    } catch (CniException e) {
      throw new CniException(e.code(), "could not parse prevResult: " + e.msg(), e.details(), e);
    }
  }

  /**
   * {@code r} as libcni's GetAsVersion would give it at {@code version} (lossy conversions
   * included).
   */
  static Result atVersion(Result r, CniVersion version) {
    return ResultCodec.decode(ResultCodec.encode(r, version), version);
  }

  /**
   * GC's attachments to keep: {@code cni.dev/valid-attachments}, or the older {@code
   * cni.dev/attachments}.
   */
  static List<Attachment> attachments(NetConf conf) {
    String key = "cni.dev/valid-attachments";
    Object list = Json.get(conf.raw(), key);
    if (list == null) {
      key = "cni.dev/attachments";
      list = Json.get(conf.raw(), key);
    }
    if (list == null) {
      return List.of();
    }
    if (!(list instanceof List<?> l)) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, key + " must be a list");
    }
    List<Attachment> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new CniException(ErrorCodes.DECODING_FAILURE, key + ": each entry must be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> entry = (Map<String, ?>) m;
      out.add(new Attachment(string(entry, key, "containerID"), string(entry, key, "ifname")));
    }
    return out;
  }

  private static String string(Map<String, ?> m, String list, String key) {
    Object v = Json.get(m, key);
    if (v != null && !(v instanceof String)) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, list + ": " + key + " must be a string");
    }
    return (String) v;
  }

  /** Calls the verb; a non-CNI exception escapes unchanged (callers map it to 999). */
  static Result call(CniPlugin plugin, Invocation inv) {
    switch (inv.command()) {
      case ADD -> {
        Result r = plugin.add(inv);
        if (r == null) {
          throw new CniException(ErrorCodes.INTERNAL, "plugin returned no result for ADD");
        }
        return r;
      }
      case DEL -> plugin.del(inv);
      case CHECK -> plugin.check(inv);
      case GC -> plugin.gc(inv);
      case STATUS -> plugin.status(inv);
      default ->
          throw new CniException(
              ErrorCodes.INVALID_ENVIRONMENT_VARIABLES, "unknown CNI_COMMAND: " + inv.command());
    }
    return null;
  }

  /**
   * skel's mapping of a plain error: code 999 with the error's text, in words (no Java class
   * names).
   */
  static CniException internal(Throwable t) {
    return new CniException(ErrorCodes.INTERNAL, ErrorText.of(t), null, t);
  }
}
