/**
 * Firewall transactions for plugins (portmap, ipMasq backends).
 *
 * <ul>
 *   <li>{@link dev.jcni.plugins.common.firewall.Firewall}: one atomic transaction per write ({@code
 *       nft -f -} or {@code iptables-restore --noflush --wait=10} per family), reads ({@code nft
 *       list ...}, {@code iptables-save -t T}), usability checks and Go's default backend rule.
 *       Commands run in the network namespace of the calling thread; the tools are looked up in a
 *       fixed system PATH.
 *   <li>{@link dev.jcni.plugins.common.firewall.NftScript} / {@link
 *       dev.jcni.plugins.common.firewall.IptablesScript}: script builders whose values go in
 *       through typed, validated methods ({@link dev.jcni.plugins.common.firewall.FwValues}), so
 *       config text cannot inject commands. nft: tables, base chains (with a policy, or keeping an
 *       existing chain's policy), sets and verdict maps with their elements, rules appended,
 *       inserted first or placed after a handle. iptables: chain declarations (which flush) or
 *       {@code -N} (which fails when the chain exists, for chains other programs share), and {@code
 *       -A/-I/-D/-F/-X}.
 *   <li>{@link dev.jcni.plugins.common.firewall.Conditions}: user match conditions, validated to
 *       add matches only.
 *   <li>{@link dev.jcni.plugins.common.firewall.IptablesState}: parsed {@code iptables-save}
 *       output, to find rules by comment and delete them exactly as the kernel printed them.
 *   <li>{@link dev.jcni.plugins.common.firewall.FirewallLock}: serialises read-then-write iptables
 *       sequences.
 * </ul>
 *
 * <pre>{@code
 * Firewall fw = Firewall.system();
 * fw.nft(new NftScript().replaceTable("inet", "my_table", "owner: me")
 *     .addBaseChain("inet", "my_table", "postrouting", "nat", "postrouting", "srcnat")
 *     .addRule("inet", "my_table", "postrouting",
 *         new NftScript.Rule().kw("ip", "saddr").cidr(FwValues.cidr("10.22.0.0/16", "subnet"))
 *             .kw("masquerade").comment("id: " + containerId)));
 * }</pre>
 */
package dev.jcni.plugins.common.firewall;
