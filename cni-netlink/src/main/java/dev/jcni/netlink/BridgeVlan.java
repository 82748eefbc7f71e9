package dev.jcni.netlink;

/**
 * A bridge VLAN entry ({@code bridge vlan}). {@code vidEnd > vid} describes a range.
 *
 * @param index ifindex of the port (or of the bridge itself for "self" entries)
 * @param vid VLAN id (or range start)
 * @param vidEnd range end (== vid for a single VLAN)
 * @param pvid the port's PVID (untagged ingress goes here)
 * @param untagged egress untagged
 */
public record BridgeVlan(int index, int vid, int vidEnd, boolean pvid, boolean untagged) {}
