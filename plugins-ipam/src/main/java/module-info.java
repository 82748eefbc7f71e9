/**
 * host-local and static IPAM; no API beyond the CniPlugin services. host-local needs only
 * cni-system's Flock.
 */
// auto-service-annotations is an automatic module, needed at compile time only (requires static)
@SuppressWarnings("requires-automatic")
module dev.jcni.plugins.ipam {
  requires dev.jcni.api;
  requires dev.jcni.system;
  requires static com.google.auto.service;

  provides dev.jcni.api.CniPlugin with
      dev.jcni.ipam.hostlocal.HostLocalPlugin,
      dev.jcni.ipam.staticip.StaticPlugin;

  // config records are bound by cni-spec's binder (reflection on their canonical constructors)
  opens dev.jcni.ipam.hostlocal to
      dev.jcni.spec;
  opens dev.jcni.ipam.staticip to
      dev.jcni.spec;
}
