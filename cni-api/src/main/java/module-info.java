/** The plugin SDK: CniPlugin, @CniType, Dispatcher, Invocation, delegation. */
module dev.jcni.api {
  requires transitive dev.jcni.spec;

  exports dev.jcni.api;

  // Plugins.find/classes: the plugins on the class path or module path
  uses dev.jcni.api.CniPlugin;
}
