package dev.jcni.examples;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniException;
import dev.jcni.spec.ErrorCodes;
import dev.jcni.spec.ErrorText;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Java analogue of the CNI project's {@code debug} plugin: it changes nothing, passes
 * prevResult through (an empty result at the head of a chain) and, when the config has {@code
 * cniOutput}, appends one JSON line per call to that file: {@code
 * {"command":..,"env":{CNI_*...},"stdin":"<the exact config>"}}. Every verb is supported.
 */
@AutoService(CniPlugin.class)
@CniType("debug")
public final class DebugPlugin implements CniPlugin {
  /** The config key naming the file to append to (same key as the Go debug plugin). */
  public static final String OUTPUT_KEY = "cniOutput";

  @Override
  public Result add(Invocation inv) {
    record(inv);
    return inv.prevResult() != null ? inv.prevResult() : Result.empty(inv.cniVersion());
  }

  @Override
  public void del(Invocation inv) {
    record(inv);
  }

  @Override
  public void check(Invocation inv) {
    record(inv);
  }

  @Override
  public void gc(Invocation inv) {
    record(inv);
  }

  @Override
  public void status(Invocation inv) {
    record(inv);
  }

  private static void record(Invocation inv) {
    Object out = Json.get(inv.config().raw(), OUTPUT_KEY);
    if (out == null || "".equals(out)) {
      return;
    }
    if (!(out instanceof String file)) {
      throw CniPlugin.invalidConfig(OUTPUT_KEY + ": must be a file path string");
    }
    Map<String, String> env = new TreeMap<>();
    inv.env()
        .forEach(
            (k, v) -> {
              if (k.startsWith("CNI_")) {
                env.put(k, v);
              }
            });
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("command", inv.command().name());
    line.put("env", env);
    line.put("stdin", new String(inv.config().bytes(), StandardCharsets.UTF_8));
    byte[] bytes = (Json.writeString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    // one write on an O_APPEND file: lines of concurrent calls do not interleave
    try (FileOutputStream f = new FileOutputStream(file, true)) {
      f.write(bytes);
    } catch (IOException e) {
      throw new CniException(
          ErrorCodes.IO_FAILURE,
          OUTPUT_KEY + ": cannot append to " + file + ": " + ErrorText.of(e));
    }
  }
}
