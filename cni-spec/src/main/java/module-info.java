/** CNI spec types, the JSON binder and the per-version result codecs. */
module dev.jcni.spec {
  // the binder's public API (GoStyle, Json's streaming reads) speaks jackson-core types
  requires transitive com.fasterxml.jackson.core;

  exports dev.jcni.spec;
  exports dev.jcni.spec.json;
  exports dev.jcni.spec.net;
  exports dev.jcni.spec.result;
}
