package dev.jcni.spec;

import dev.jcni.spec.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code CNI_COMMAND=VERSION}: {@code
 * {"cniVersion":"1.1.0","supportedVersions":[...]}}. Like libcni's skel, {@code cniVersion} is the
 * library's own version ({@link CniVersion#CURRENT}), not the version the caller sent, and the
 * encoding ends with a newline (Go's json.Encoder).
 *
 * @param cniVersion the version the answer is labelled with
 * @param supportedVersions the versions the plugin accepts, as strings (a peer may list versions we
 *     do not know)
 */
public record VersionInfo(String cniVersion, List<String> supportedVersions) {
  /**
   * The error string ({@code msg; details}) with which a plugin that predates VERSION rejects it;
   * libcni then assumes {@code ["0.1.0"]} ({@link #forLegacyPlugin()}).
   */
  public static final String UNKNOWN_VERSION_COMMAND = "unknown CNI_COMMAND: VERSION";

  public VersionInfo {
    cniVersion = cniVersion == null ? "" : cniVersion;
    supportedVersions = supportedVersions == null ? List.of() : List.copyOf(supportedVersions);
  }

  /** What a plugin supporting {@code versions} answers (labelled {@link CniVersion#CURRENT}). */
  public static VersionInfo of(List<CniVersion> versions) {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("a plugin must support at least one version");
    }
    List<String> s = new ArrayList<>(versions.size());
    for (CniVersion v : versions) {
      s.add(v.toString());
    }
    return new VersionInfo(CniVersion.CURRENT.toString(), s);
  }

  /** Every version we implement, 0.1.0 to 1.1.0 (libcni's {@code version.All}). */
  public static VersionInfo all() {
    return of(CniVersion.ALL);
  }

  /**
   * libcni's assumption for a plugin that answers VERSION with {@link #UNKNOWN_VERSION_COMMAND}.
   */
  public static VersionInfo forLegacyPlugin() {
    return new VersionInfo(CniVersion.CURRENT.toString(), List.of("0.1.0"));
  }

  /** The supported versions we can parse; malformed entries are skipped. */
  public List<CniVersion> versions() {
    List<CniVersion> out = new ArrayList<>(supportedVersions.size());
    for (String s : supportedVersions) {
      try {
        out.add(CniVersion.parse(s));
      } catch (CniException e) {
        // a peer's odd entry: not something we can select
      }
    }
    return out;
  }

  /** Exact string match, as libcni's version reconciler does. */
  public boolean supports(String version) {
    return supportedVersions.contains(version);
  }

  public boolean supports(CniVersion version) {
    return supports(version.toString());
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", cniVersion);
    m.put("supportedVersions", supportedVersions);
    return m;
  }

  /** The exact bytes a libcni skel plugin prints: compact JSON plus a trailing newline. */
  public byte[] toJson() {
    byte[] body = Json.write(toMap());
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 0, body.length);
    out[body.length] = '\n';
    return out;
  }

  @Override
  public String toString() {
    return new String(toJson(), StandardCharsets.UTF_8).trim();
  }

  /**
   * Reads a plugin's VERSION answer with libcni's rules ({@code PluginDecoder}): cniVersion is
   * required; without supportedVersions, an answer labelled 0.2.0 means {@code ["0.1.0","0.2.0"]}
   * and anything else is an error. Errors are code 6 with libcni's messages.
   */
  public static VersionInfo decode(byte[] json) {
    Map<String, Object> m;
    try {
      m = Json.parseObject(json);
    } catch (CniException e) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "decoding version info: " + e.msg(), null, e);
    }
    String version;
    List<String> supported;
    try {
      version = Json.bind(Json.get(m, "cniVersion"), String.class, "cniVersion");
      Object raw = Json.get(m, "supportedVersions");
      supported = new ArrayList<>();
      if (raw != null) {
        List<?> l = Json.bind(raw, List.class, "supportedVersions");
        for (int i = 0; i < l.size(); i++) {
          supported.add(Json.bind(l.get(i), String.class, "supportedVersions[" + i + "]"));
        }
      }
    } catch (CniException e) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "decoding version info: " + e.msg(), null, e);
    }
    if (version == null || version.isEmpty()) {
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "decoding version info: missing field cniVersion");
    }
    if (supported.isEmpty()) {
      if (version.equals("0.2.0")) {
        return new VersionInfo(CniVersion.CURRENT.toString(), List.of("0.1.0", "0.2.0"));
      }
      throw new CniException(
          ErrorCodes.DECODING_FAILURE, "decoding version info: missing field supportedVersions");
    }
    return new VersionInfo(version, supported);
  }
}
