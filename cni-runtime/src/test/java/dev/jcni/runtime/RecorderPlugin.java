package dev.jcni.runtime;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Dispatcher;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import dev.jcni.spec.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only chain plugin that records every call and passes prevResult through. Config keys: {@code
 * record} (file to append one JSON line per call: command, tag, CNI_* env and the exact stdin),
 * {@code tag} (a label), {@code ip} (an address appended to the result's ips on ADD), {@code fail}
 * ({@code {"DEL":{"code":117, "msg":"x"}}} makes that verb fail).
 */
@AutoService(CniPlugin.class)
@CniType("jcni-test-recorder")
public final class RecorderPlugin implements CniPlugin {
  /** Lets the exec'd variant run the same code: {@code java -cp … RecorderPlugin}. */
  public static void main(String[] args) {
    System.exit(
        Dispatcher.run(new RecorderPlugin(), System.getenv(), System.in, System.out, System.err));
  }

  @Override
  public Result add(Invocation inv) {
    record(inv);
    Result base = inv.prevResult() != null ? inv.prevResult() : Result.empty(inv.cniVersion());
    Object ip = Json.get(inv.config().raw(), "ip");
    if (ip != null) {
      List<Result.IpConfig> ips = new ArrayList<>(base.ips());
      ips.add(Result.IpConfig.parse(null, (String) ip, null));
      base = base.withIps(ips);
    }
    return base;
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
    Map<String, Object> conf = inv.config().raw();
    Object file = Json.get(conf, "record");
    if (file != null) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("command", inv.command().name());
      line.put("tag", Json.get(conf, "tag"));
      Map<String, Object> env = new TreeMap<>();
      inv.env()
          .forEach(
              (k, v) -> {
                if (k.startsWith("CNI_")) {
                  env.put(k, v);
                }
              });
      line.put("env", env);
      line.put("stdin", new String(inv.config().bytes(), StandardCharsets.UTF_8));
      byte[] bytes = (Json.writeString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      try {
        Files.write(
            Path.of((String) file), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (Json.get(conf, "fail") instanceof Map<?, ?> fail
        && fail.get(inv.command().name()) instanceof Map<?, ?> f) {
      throw new CniException(((Number) f.get("code")).intValue(), (String) f.get("msg"));
    }
  }
}
