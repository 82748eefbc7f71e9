package dev.jcni.runtime;

import com.google.auto.service.AutoService;
import dev.jcni.api.CniPlugin;
import dev.jcni.api.CniType;
import dev.jcni.api.Invocation;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.Result;
import java.util.List;

/** Test-only plugin that, like a pre-1.1 Go plugin, supports only 0.3.1 to 1.0.0. */
@AutoService(CniPlugin.class)
@CniType("jcni-test-old")
public final class OldRecorderPlugin implements CniPlugin {
  private final RecorderPlugin delegate = new RecorderPlugin();

  @Override
  public Result add(Invocation inv) {
    return delegate.add(inv);
  }

  @Override
  public void del(Invocation inv) {
    delegate.del(inv);
  }

  @Override
  public List<CniVersion> supportedVersions() {
    return List.of(CniVersion.V0_3_1, CniVersion.V0_4_0, CniVersion.V1_0_0);
  }
}
