package dev.jcni.testkit;

import dev.jcni.spec.CniVersion;
import dev.jcni.spec.ErrorJson;
import dev.jcni.spec.Result;
import dev.jcni.spec.ResultCodec;
import dev.jcni.spec.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What one plugin call printed, as a process would: exit code, stdout (the result or error JSON),
 * stderr. Assert on it with {@link CniAssertions#assertThat(CniOutcome)}.
 *
 * @param exit the exit code (0 on success)
 * @param stdout everything written to stdout
 * @param stderr everything written to stderr
 */
public record CniOutcome(int exit, String stdout, String stderr) {

  /** Exit 0. */
  public boolean succeeded() {
    return exit == 0;
  }

  /** stdout parsed as a JSON object (fails when stdout is not one). */
  public Map<String, Object> json() {
    return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8));
  }

  /** stdout read as a CNI result at its own {@code cniVersion}. */
  public Result result() {
    return ResultCodec.decode(json(), CniVersion.CURRENT);
  }

  /** stdout read as a CNI error object. */
  public ErrorJson error() {
    return ErrorJson.decode(json());
  }

  /** The {@code cniVersion} stdout carries, or null. */
  public String cniVersion() {
    Object v = json().get("cniVersion");
    return v instanceof String ? (String) v : null;
  }
}
