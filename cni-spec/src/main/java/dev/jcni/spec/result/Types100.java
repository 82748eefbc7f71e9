package dev.jcni.spec.result;

import dev.jcni.spec.Result;
import java.util.Map;

/**
 * libcni's types100: 1.0.0 and 1.1.0; no IP labels, interfaces with mtu/socketPath/pciID, keys
 * sorted.
 */
final class Types100 extends ListResult {
  Types100(String version) {
    super(version);
  }

  static Types100 fromWire(Map<String, Object> m, String version) {
    Types100 w = new Types100(version);
    w.readFrom(m);
    return w;
  }

  static Types100 fromModel(Result r) {
    Types100 w = new Types100(r.cniVersion().toString());
    w.fillFrom(r);
    return w;
  }

  @Override
  boolean labelled() {
    return false;
  }

  @Override
  boolean full() {
    return true;
  }

  @Override
  WireResult relabel(String to) {
    return copyInto(new Types100(to));
  }
}
