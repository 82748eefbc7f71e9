/** The vxlan plugin and its peer/reconcile code (used by node-agent). */
// auto-service-annotations is an automatic module, needed at compile time only (requires static)
@SuppressWarnings("requires-automatic")
module dev.jcni.plugins.vxlan {
  requires transitive dev.jcni.api;
  requires transitive dev.jcni.netlink;
  requires static com.google.auto.service;

  exports dev.jcni.plugins.vxlan;

  provides dev.jcni.api.CniPlugin with
      dev.jcni.plugins.vxlan.VxlanPlugin;

  opens dev.jcni.plugins.vxlan to
      dev.jcni.spec;
}
