package dev.jcni.api.runtime;

import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plugin's answer to VERSION, decoded with libcni's rules ({@code version.PluginDecoder}): {@code cniVersion}
 * is required; a missing {@code supportedVersions} is accepted only from a 0.2.0 plugin (meaning 0.1.0 and 0.2.0).
 *
 * @param cniVersion the version the plugin reported (its library's current version, in practice)
 * @param supportedVersions the versions it accepts, compared by exact string match
 */
public record PluginInfo(String cniVersion, List<String> supportedVersions) {
  public PluginInfo {
    supportedVersions = List.copyOf(supportedVersions);
  }

  /** What libcni assumes for a plugin that answers "unknown CNI_COMMAND: VERSION": only 0.1.0 (the {@code cniVersion} is libcni's current version, as Go reports it). */
  public static PluginInfo legacy() {
    return new PluginInfo("1.1.0", List.of("0.1.0"));
  }

  public boolean supports(String version) {
    return supportedVersions.contains(version == null || version.isEmpty() ? "0.1.0" : version);
  }

  /** Decodes VERSION output. */
  public static PluginInfo decode(byte[] json) {
    Map<String, Object> raw;
    try {
      raw = Json.parseObject(json);
    } catch (CniException e) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "decoding version info: " + e.msg(), e.details(), e);
    }
    Object v = Json.get(raw, "cniVersion");
    if (v != null && !(v instanceof String)) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "decoding version info: cniVersion must be a string");
    }
    if (v == null || ((String) v).isEmpty()) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "decoding version info: missing field cniVersion");
    }
    List<String> supported = new ArrayList<>();
    Object sv = Json.get(raw, "supportedVersions");
    if (sv instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof String s)) {
          throw new CniException(ErrorCodes.DECODING_FAILURE,
              "decoding version info: supportedVersions must hold strings");
        }
        supported.add(s);
      }
    } else if (sv != null) {
      throw new CniException(ErrorCodes.DECODING_FAILURE, "decoding version info: supportedVersions must be a list");
    }
    if (supported.isEmpty()) {
      if ("0.2.0".equals(v)) {
        return new PluginInfo("1.1.0", List.of("0.1.0", "0.2.0"));
      }
      throw new CniException(ErrorCodes.DECODING_FAILURE, "decoding version info: missing field supportedVersions");
    }
    return new PluginInfo((String) v, supported);
  }
}
