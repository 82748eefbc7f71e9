package dev.jcni.api;

import dev.jcni.spec.CniArgs;
import dev.jcni.spec.CniVersion;
import dev.jcni.spec.NetConf;
import dev.jcni.spec.Result;
import java.util.List;
import java.util.Map;

/**
 * Everything one plugin call receives: the verb, the CNI_* environment (parsed), the config and the
 * prevResult already converted to the config's version. Immutable; build with {@link #builder()}
 * (tests and runtimes) or let the {@link Dispatcher} build it.
 *
 * @param command the verb
 * @param containerId CNI_CONTAINERID ("" when not given, as for GC/STATUS)
 * @param netns CNI_NETNS ("" when not given, as for the second DEL containerd sends)
 * @param ifname CNI_IFNAME ("" when not given)
 * @param args CNI_ARGS parsed
 * @param path CNI_PATH split on ':'
 * @param config the network configuration from stdin
 * @param prevResult prevResult converted to the config's version, or null
 * @param validAttachments GC only: the attachments to keep (from {@code cni.dev/valid-attachments}
 *     or {@code cni.dev/attachments}); empty otherwise
 * @param env the whole environment of the call (delegates inherit it)
 * @param delegation how IPAM and other delegates are run for this call
 */
public record Invocation(
    Command command,
    String containerId,
    String netns,
    String ifname,
    CniArgs args,
    List<String> path,
    NetConf config,
    Result prevResult,
    List<Attachment> validAttachments,
    Map<String, String> env,
    Delegate.Strategy delegation) {

  public Invocation {
    containerId = containerId == null ? "" : containerId;
    netns = netns == null ? "" : netns;
    ifname = ifname == null ? "" : ifname;
    path = path == null ? List.of() : List.copyOf(path);
    validAttachments = validAttachments == null ? List.of() : List.copyOf(validAttachments);
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  /** The config's version. */
  public CniVersion cniVersion() {
    return config.cniVersion();
  }

  /**
   * Binds the whole config to a plugin's own record (keys matched case-insensitively, exact wins).
   */
  public <T> T config(Class<T> type) {
    return config.bind(type);
  }

  /**
   * Strict binding, for plugins that want misspelt and missing keys reported: like {@link
   * #config(Class)}, but a top-level key that is no component of {@code type} (and not a key the
   * spec defines, see {@link NetConf#SPEC_KEYS}) and a missing {@link
   * dev.jcni.spec.json.Required @Required} component are code 7 errors naming the key, e.g. {@code
   * unknown key "subnett" (did you mean "subnet"?)}. Nested records are checked the same way.
   */
  public <T> T strictConfig(Class<T> type) {
    return config.bindStrict(type);
  }

  /**
   * The interface {@code CNI_IFNAME} in {@link #prevResult()} with its addresses and gateways (what
   * a chained plugin usually needs from the plugins before it); empty when there is no prevResult
   * or it lists no such interface.
   */
  public java.util.Optional<ResultIface> prevIface() {
    return prevResult == null ? java.util.Optional.empty() : ResultIface.find(prevResult, ifname);
  }

  /**
   * A delegate of the given type (usually {@code config().ipamType()}) run with this call's env and
   * config.
   */
  public Delegate delegate(String type) {
    return delegation.delegate(this, type);
  }

  /** The IPAM delegate named by {@code ipam.type}. */
  public Delegate ipam() {
    String t = config.ipamType();
    if (t == null || t.isEmpty()) {
      throw CniPlugin.invalidConfig("ipam: type is required");
    }
    return delegate(t);
  }

  /**
   * The same call with another verb (and CNI_COMMAND in {@link #env()} set to match), as delegates
   * receive it.
   */
  public Invocation withCommand(Command c) {
    Map<String, String> e = new java.util.HashMap<>(env);
    e.put("CNI_COMMAND", c.name());
    return new Invocation(
        c,
        containerId,
        netns,
        ifname,
        args,
        path,
        config,
        prevResult,
        validAttachments,
        e,
        delegation);
  }

  /**
   * A builder for tests and runtimes; unset fields are empty, {@code delegation} defaults to the
   * standard one.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Invocation}; see {@link Invocation#builder()}. */
  public static final class Builder {
    private Command command = Command.ADD;
    private String containerId;
    private String netns;
    private String ifname;
    private CniArgs args;
    private List<String> path;
    private NetConf config;
    private Result prevResult;
    private List<Attachment> validAttachments;
    private Map<String, String> env;
    private Delegate.Strategy delegation;

    private Builder() {}

    public Builder command(Command v) {
      command = v;
      return this;
    }

    public Builder containerId(String v) {
      containerId = v;
      return this;
    }

    public Builder netns(String v) {
      netns = v;
      return this;
    }

    public Builder ifname(String v) {
      ifname = v;
      return this;
    }

    public Builder args(CniArgs v) {
      args = v;
      return this;
    }

    public Builder path(List<String> v) {
      path = v;
      return this;
    }

    public Builder config(NetConf v) {
      config = v;
      return this;
    }

    public Builder prevResult(Result v) {
      prevResult = v;
      return this;
    }

    public Builder validAttachments(List<Attachment> v) {
      validAttachments = v;
      return this;
    }

    public Builder env(Map<String, String> v) {
      env = v;
      return this;
    }

    public Builder delegation(Delegate.Strategy v) {
      delegation = v;
      return this;
    }

    public Invocation build() {
      java.util.Objects.requireNonNull(config, "config");
      return new Invocation(
          command,
          containerId,
          netns,
          ifname,
          args == null ? CniArgs.parse("") : args,
          path,
          config,
          prevResult,
          validAttachments,
          env,
          delegation == null ? Delegate.standard() : delegation);
    }
  }
}
