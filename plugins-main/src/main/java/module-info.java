/** bridge, ptp and loopback; no API beyond the CniPlugin services. */
// auto-service-annotations is an automatic module, needed at compile time only (requires static)
@SuppressWarnings("requires-automatic")
module dev.jcni.plugins.main {
  requires dev.jcni.plugins.common;
  requires static com.google.auto.service;

  provides dev.jcni.api.CniPlugin with
      dev.jcni.plugins.bridge.BridgePlugin,
      dev.jcni.plugins.loopback.LoopbackPlugin,
      dev.jcni.plugins.ptp.PtpPlugin;

  // config records are bound by cni-spec's binder
  opens dev.jcni.plugins.bridge to
      dev.jcni.spec;
  opens dev.jcni.plugins.loopback to
      dev.jcni.spec;
  opens dev.jcni.plugins.ptp to
      dev.jcni.spec;
}
