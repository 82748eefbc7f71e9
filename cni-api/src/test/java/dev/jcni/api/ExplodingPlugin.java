package dev.jcni.api;

import com.google.auto.service.AutoService;
import dev.jcni.spec.Result;

/**
 * Fails when instantiated: proves that {@link Plugins} never creates providers it was not asked
 * for.
 */
@AutoService(CniPlugin.class)
@CniType("exploding")
public final class ExplodingPlugin implements CniPlugin {
  public ExplodingPlugin() {
    throw new IllegalStateException("ExplodingPlugin must not be instantiated");
  }

  @Override
  public Result add(Invocation inv) {
    return null;
  }

  @Override
  public void del(Invocation inv) {}
}
