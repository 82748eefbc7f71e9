/** portmap, tuning, firewall and bandwidth; no API beyond the CniPlugin services. */
// auto-service-annotations is an automatic module, needed at compile time only (requires static)
@SuppressWarnings("requires-automatic")
module dev.jcni.plugins.meta {
  requires dev.jcni.plugins.common;
  requires static com.google.auto.service;

  provides dev.jcni.api.CniPlugin with
      dev.jcni.plugins.meta.bandwidth.BandwidthPlugin,
      dev.jcni.plugins.meta.firewall.FirewallPlugin,
      dev.jcni.plugins.meta.portmap.PortMapPlugin,
      dev.jcni.plugins.meta.tuning.TuningPlugin;

  // config records are bound by cni-spec's binder
  opens dev.jcni.plugins.meta.bandwidth to
      dev.jcni.spec;
  opens dev.jcni.plugins.meta.firewall to
      dev.jcni.spec;
  opens dev.jcni.plugins.meta.portmap to
      dev.jcni.spec;
  opens dev.jcni.plugins.meta.tuning to
      dev.jcni.spec;
}
