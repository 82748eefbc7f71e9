package dev.jcni.netlink.internal.codec;

/**
 * Netlink / rtnetlink constants (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h, neighbour.h,
 * if_bridge.h).
 */
public final class Rtnl {
  private Rtnl() {}

  // nlmsghdr
  public static final int NLMSG_HDRLEN = 16;
  public static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_OVERRUN = 4;
  public static final int NLM_F_REQUEST = 0x1,
      NLM_F_MULTI = 0x2,
      NLM_F_ACK = 0x4,
      NLM_F_ECHO = 0x8,
      NLM_F_DUMP_INTR = 0x10,
      NLM_F_DUMP_FILTERED = 0x20;
  public static final int NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200, NLM_F_DUMP = 0x300;
  public static final int NLM_F_REPLACE = 0x100,
      NLM_F_EXCL = 0x200,
      NLM_F_CREATE = 0x400,
      NLM_F_APPEND = 0x800;

  /** Flags of an NLMSG_ERROR ack. */
  public static final int NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;

  public static final int NLMSGERR_ATTR_MSG = 1, NLMSGERR_ATTR_OFFS = 2;

  // attribute header
  public static final int NLA_HDRLEN = 4;
  public static final int NLA_F_NESTED = 0x8000,
      NLA_F_NET_BYTEORDER = 0x4000,
      NLA_TYPE_MASK = 0x3fff;

  // message types
  public static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
  public static final int RTM_NEWNEIGH = 28, RTM_DELNEIGH = 29, RTM_GETNEIGH = 30;
  public static final int RTM_NEWQDISC = 36, RTM_DELQDISC = 37, RTM_GETQDISC = 38;
  public static final int RTM_NEWTCLASS = 40, RTM_DELTCLASS = 41, RTM_GETTCLASS = 42;
  public static final int RTM_NEWTFILTER = 44, RTM_DELTFILTER = 45, RTM_GETTFILTER = 46;

  // address families
  public static final int AF_UNSPEC = 0, AF_INET = 2, AF_BRIDGE = 7, AF_INET6 = 10;

  // ifinfomsg flags
  public static final int IFF_UP = 0x1,
      IFF_BROADCAST = 0x2,
      IFF_LOOPBACK = 0x8,
      IFF_POINTOPOINT = 0x10,
      IFF_RUNNING = 0x40,
      IFF_NOARP = 0x80,
      IFF_PROMISC = 0x100,
      IFF_ALLMULTI = 0x200,
      IFF_MULTICAST = 0x1000,
      IFF_LOWER_UP = 0x10000;

  // IFLA_*
  public static final int IFLA_ADDRESS = 1,
      IFLA_BROADCAST = 2,
      IFLA_IFNAME = 3,
      IFLA_MTU = 4,
      IFLA_LINK = 5,
      IFLA_QDISC = 6,
      IFLA_STATS = 7,
      IFLA_MASTER = 10,
      IFLA_PROTINFO = 12,
      IFLA_TXQLEN = 13,
      IFLA_OPERSTATE = 16,
      IFLA_LINKMODE = 17,
      IFLA_LINKINFO = 18,
      IFLA_NET_NS_PID = 19,
      IFLA_IFALIAS = 20,
      IFLA_AF_SPEC = 26,
      IFLA_GROUP = 27,
      IFLA_NET_NS_FD = 28,
      IFLA_EXT_MASK = 29,
      IFLA_PROMISCUITY = 30,
      IFLA_NUM_TX_QUEUES = 31,
      IFLA_NUM_RX_QUEUES = 32,
      IFLA_CARRIER = 33,
      IFLA_LINK_NETNSID = 37,
      IFLA_MIN_MTU = 50,
      IFLA_MAX_MTU = 51;
  public static final int IFLA_INFO_KIND = 1,
      IFLA_INFO_DATA = 2,
      IFLA_INFO_SLAVE_KIND = 4,
      IFLA_INFO_SLAVE_DATA = 5;
  public static final int VETH_INFO_PEER = 1;
  public static final int IFLA_BR_VLAN_FILTERING = 7, IFLA_BR_VLAN_DEFAULT_PVID = 39;
  public static final int IFLA_BRPORT_STATE = 1,
      IFLA_BRPORT_MODE = 4,
      IFLA_BRPORT_LEARNING = 8,
      IFLA_BRPORT_UNICAST_FLOOD = 9,
      IFLA_BRPORT_ISOLATED = 33;
  public static final int IFLA_VXLAN_ID = 1,
      IFLA_VXLAN_GROUP = 2,
      IFLA_VXLAN_LINK = 3,
      IFLA_VXLAN_LOCAL = 4,
      IFLA_VXLAN_TTL = 5,
      IFLA_VXLAN_TOS = 6,
      IFLA_VXLAN_LEARNING = 7,
      IFLA_VXLAN_AGEING = 8,
      IFLA_VXLAN_PORT_RANGE = 10,
      IFLA_VXLAN_PORT = 15,
      IFLA_VXLAN_GROUP6 = 16,
      IFLA_VXLAN_LOCAL6 = 17,
      IFLA_VXLAN_UDP_CSUM = 18;
  public static final int IF_OPER_UNKNOWN = 0, IF_OPER_DOWN = 2, IF_OPER_UP = 6;

  // AF_BRIDGE af_spec
  public static final int IFLA_BRIDGE_FLAGS = 0, IFLA_BRIDGE_MODE = 1, IFLA_BRIDGE_VLAN_INFO = 2;
  public static final int BRIDGE_FLAGS_MASTER = 1, BRIDGE_FLAGS_SELF = 2;
  public static final int BRIDGE_VLAN_INFO_MASTER = 1,
      BRIDGE_VLAN_INFO_PVID = 2,
      BRIDGE_VLAN_INFO_UNTAGGED = 4,
      BRIDGE_VLAN_INFO_RANGE_BEGIN = 8,
      BRIDGE_VLAN_INFO_RANGE_END = 16;
  public static final int RTEXT_FILTER_VF = 1,
      RTEXT_FILTER_BRVLAN = 2,
      RTEXT_FILTER_BRVLAN_COMPRESSED = 4,
      RTEXT_FILTER_SKIP_STATS = 8;

  // IFA_*
  public static final int IFA_ADDRESS = 1,
      IFA_LOCAL = 2,
      IFA_LABEL = 3,
      IFA_BROADCAST = 4,
      IFA_CACHEINFO = 6,
      IFA_FLAGS = 8,
      IFA_RT_PRIORITY = 9,
      IFA_PROTO = 11;
  public static final int IFA_F_SECONDARY = 0x01,
      IFA_F_NODAD = 0x02,
      IFA_F_OPTIMISTIC = 0x04,
      IFA_F_DADFAILED = 0x08,
      IFA_F_DEPRECATED = 0x20,
      IFA_F_TENTATIVE = 0x40,
      IFA_F_PERMANENT = 0x80,
      IFA_F_NOPREFIXROUTE = 0x200;

  // RTA_*
  public static final int RTA_DST = 1,
      RTA_SRC = 2,
      RTA_IIF = 3,
      RTA_OIF = 4,
      RTA_GATEWAY = 5,
      RTA_PRIORITY = 6,
      RTA_PREFSRC = 7,
      RTA_METRICS = 8,
      RTA_MULTIPATH = 9,
      RTA_FLOW = 11,
      RTA_CACHEINFO = 12,
      RTA_TABLE = 15,
      RTA_MARK = 16,
      RTA_VIA = 18,
      RTA_PREF = 20,
      RTA_EXPIRES = 23,
      RTA_UID = 25;
  public static final int RTAX_MTU = 2, RTAX_ADVMSS = 8;
  public static final int RTNH_F_ONLINK = 4;
  public static final int RTM_F_CLONED = 0x200;
  public static final int RT_TABLE_UNSPEC = 0, RT_TABLE_MAIN = 254, RT_TABLE_LOCAL = 255;
  public static final int RT_SCOPE_UNIVERSE = 0,
      RT_SCOPE_SITE = 200,
      RT_SCOPE_LINK = 253,
      RT_SCOPE_HOST = 254,
      RT_SCOPE_NOWHERE = 255;
  public static final int RTPROT_UNSPEC = 0, RTPROT_KERNEL = 2, RTPROT_BOOT = 3, RTPROT_STATIC = 4;
  public static final int RTN_UNSPEC = 0,
      RTN_UNICAST = 1,
      RTN_LOCAL = 2,
      RTN_BROADCAST = 3,
      RTN_ANYCAST = 4,
      RTN_MULTICAST = 5,
      RTN_BLACKHOLE = 6,
      RTN_UNREACHABLE = 7,
      RTN_PROHIBIT = 8;

  // NDA_*
  public static final int NDA_DST = 1,
      NDA_LLADDR = 2,
      NDA_CACHEINFO = 3,
      NDA_PROBES = 4,
      NDA_VLAN = 5,
      NDA_PORT = 6,
      NDA_VNI = 7,
      NDA_IFINDEX = 8,
      NDA_MASTER = 9,
      NDA_LINK_NETNSID = 10,
      NDA_SRC_VNI = 11;
  public static final int NUD_INCOMPLETE = 0x01,
      NUD_REACHABLE = 0x02,
      NUD_STALE = 0x04,
      NUD_DELAY = 0x08,
      NUD_PROBE = 0x10,
      NUD_FAILED = 0x20,
      NUD_NOARP = 0x40,
      NUD_PERMANENT = 0x80;
  public static final int NTF_USE = 0x01,
      NTF_SELF = 0x02,
      NTF_MASTER = 0x04,
      NTF_PROXY = 0x08,
      NTF_EXT_LEARNED = 0x10,
      NTF_ROUTER = 0x80;

  // traffic control (linux/rtnetlink.h, pkt_sched.h, pkt_cls.h, tc_act/tc_mirred.h)
  public static final int TCA_KIND = 1,
      TCA_OPTIONS = 2,
      TCA_STATS = 3,
      TCA_XSTATS = 4,
      TCA_STATS2 = 7,
      TCA_CHAIN = 11;
  public static final int TCA_TBF_PARMS = 1,
      TCA_TBF_RTAB = 2,
      TCA_TBF_PTAB = 3,
      TCA_TBF_RATE64 = 4,
      TCA_TBF_PRATE64 = 5,
      TCA_TBF_BURST = 6,
      TCA_TBF_PBURST = 7;
  public static final int TCA_HTB_PARMS = 1,
      TCA_HTB_INIT = 2,
      TCA_HTB_CTAB = 3,
      TCA_HTB_RTAB = 4,
      TCA_HTB_DIRECT_QLEN = 5,
      TCA_HTB_RATE64 = 6,
      TCA_HTB_CEIL64 = 7;
  public static final int TC_HTB_PROTOVER = 3;
  public static final int TC_LINKLAYER_UNAWARE = 0, TC_LINKLAYER_ETHERNET = 1, TC_LINKLAYER_ATM = 2;
  public static final int TCA_U32_CLASSID = 1,
      TCA_U32_HASH = 2,
      TCA_U32_LINK = 3,
      TCA_U32_DIVISOR = 4,
      TCA_U32_SEL = 5,
      TCA_U32_POLICE = 6,
      TCA_U32_ACT = 7,
      TCA_U32_INDEV = 8,
      TCA_U32_PCNT = 9,
      TCA_U32_MARK = 10,
      TCA_U32_FLAGS = 11;
  public static final int TC_U32_TERMINAL = 1;
  public static final int TCA_ACT_KIND = 1,
      TCA_ACT_OPTIONS = 2,
      TCA_ACT_INDEX = 3,
      TCA_ACT_STATS = 4;
  public static final int TCA_MIRRED_TM = 1, TCA_MIRRED_PARMS = 2;
  public static final int TCA_EGRESS_REDIR = 1,
      TCA_EGRESS_MIRROR = 2,
      TCA_INGRESS_REDIR = 3,
      TCA_INGRESS_MIRROR = 4;
  public static final int TC_ACT_OK = 0, TC_ACT_SHOT = 2, TC_ACT_STOLEN = 4, TC_ACT_PIPE = 3;

  public static int align(int len) {
    return (len + 3) & ~3;
  }
}
