// The ruleset as the kernel holds it (struct ipt_replace / ipt_entry), shared by the kernel's
// ipt_do_table and the userland's iptables parser/printer (libxt_*). Match and target infos are
// the kernel's xt_*_info structs, as plain data: userland fills them, the kernel reads them.
import type { Ipv4 } from '../addr.ts';

export const HOOKS = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;
export type Hook = (typeof HOOKS)[number];

export const TABLES = ['raw', 'mangle', 'nat', 'filter', 'security'] as const;
export type TableName = (typeof TABLES)[number];

/** Built-in chains per table, in the order iptables lists them. */
export const TABLE_HOOKS: Record<TableName, readonly Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Netfilter hook priorities for IPv4 (include/uapi/linux/netfilter_ipv4.h). */
export const NF_IP_PRI = {
  RAW: -300,
  CONNTRACK: -200,
  MANGLE: -150,
  NAT_DST: -100,
  FILTER: 0,
  SECURITY: 50,
  NAT_SRC: 100,
  CONNTRACK_CONFIRM: 2147483647,
} as const;

/** struct ipt_ip: the fixed header part of every rule. Masks are netmasks (not prefixes). */
export interface IptIp {
  src: Ipv4;
  smsk: Ipv4;
  dst: Ipv4;
  dmsk: Ipv4;
  /** '' = any; 'veth+' = prefix wildcard, as the user typed it. */
  iniface: string;
  outiface: string;
  /** 0 = all */
  proto: number;
  invSrc: boolean;
  invDst: boolean;
  invIn: boolean;
  invOut: boolean;
  invProto: boolean;
  /** -f / ! -f: undefined = not given */
  fragment?: boolean;
}

export type PortRange = [number, number];

/** conntrack state bits as xt_conntrack/xt_state use them. */
export const CT_STATE_BITS = {
  INVALID: 1 << 0,
  ESTABLISHED: 1 << 1,
  RELATED: 1 << 2,
  NEW: 1 << 3,
  UNTRACKED: 1 << 4,
  SNAT: 1 << 5,
  DNAT: 1 << 6,
} as const;
export type CtStateName = keyof typeof CT_STATE_BITS;

/** RTN_* route types as -m addrtype names them. */
export const ADDR_TYPES = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST',
  'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE',
] as const;
export type AddrType = (typeof ADDR_TYPES)[number];

export interface AddrMask {
  addr: Ipv4;
  mask: Ipv4;
}

export type XtMatch =
  | { name: 'tcp'; info: { spts: PortRange; dpts: PortRange; flgMask: number; flgCmp: number; option?: number; invSpt: boolean; invDpt: boolean; invFlags: boolean; invOption: boolean } }
  | { name: 'udp'; info: { spts: PortRange; dpts: PortRange; invSpt: boolean; invDpt: boolean } }
  /** type 255 = any; codes inclusive */
  | { name: 'icmp'; info: { type: number; codeMin: number; codeMax: number; invert: boolean } }
  | { name: 'multiport'; info: { flags: 'src' | 'dst' | 'any'; ports: PortRange[]; invert: boolean } }
  | { name: 'addrtype'; info: { source: AddrType[]; dest: AddrType[]; invSource: boolean; invDest: boolean; limitIfaceIn: boolean; limitIfaceOut: boolean } }
  | {
      name: 'conntrack';
      info: {
        state?: { mask: number; invert: boolean };
        proto?: { proto: number; invert: boolean };
        origSrc?: AddrMask & { invert: boolean };
        origDst?: AddrMask & { invert: boolean };
        replSrc?: AddrMask & { invert: boolean };
        replDst?: AddrMask & { invert: boolean };
        origSrcPort?: { range: PortRange; invert: boolean };
        origDstPort?: { range: PortRange; invert: boolean };
        replSrcPort?: { range: PortRange; invert: boolean };
        replDstPort?: { range: PortRange; invert: boolean };
        status?: { mask: number; invert: boolean };
        direction?: { dir: 'ORIGINAL' | 'REPLY'; invert: boolean };
      };
    }
  | { name: 'state'; info: { mask: number; invert: boolean } }
  | { name: 'comment'; info: { comment: string } }
  | { name: 'mark'; info: { mark: number; mask: number; invert: boolean } }
  | { name: 'connmark'; info: { mark: number; mask: number; invert: boolean } }
  | { name: 'iprange'; info: { src?: { from: Ipv4; to: Ipv4; invert: boolean }; dst?: { from: Ipv4; to: Ipv4; invert: boolean } } }
  | {
      name: 'physdev';
      info: {
        physdevIn?: { name: string; invert: boolean };
        physdevOut?: { name: string; invert: boolean };
        isIn?: { invert: boolean };
        isOut?: { invert: boolean };
        isBridged?: { invert: boolean };
      };
    }
  | { name: 'limit'; info: { avg: number; unit: 'second' | 'minute' | 'hour' | 'day'; burst: number } }
  /** xt_set (revision 4 as iptables 1.8.9 loads it): `--match-set NAME dir[,dir…]`; counters/timeouts not modelled. */
  | { name: 'set'; info: { setName: string; flags: Array<'src' | 'dst'>; invert: boolean } };

export type MatchName = XtMatch['name'];

export type XtTarget =
  /** Built-in verdicts (and RETURN), stored as the standard target. */
  | { name: 'ACCEPT' | 'DROP' | 'RETURN' }
  /** No -j at all: the rule only counts and the walk continues with the next rule (XT_CONTINUE). */
  | { name: 'NONE' }
  /** -j CHAIN / -g CHAIN */
  | { name: 'JUMP'; chain: string; goto: boolean }
  | { name: 'REJECT'; info: { with: RejectWith } }
  | { name: 'LOG'; info: { prefix: string; level: number; flags: { tcpSeq: boolean; tcpOpt: boolean; ipOpt: boolean; uid: boolean; macDecode: boolean } } }
  | { name: 'TRACE' }
  | { name: 'MASQUERADE'; info: { ports?: PortRange; random: boolean; fullyRandom: boolean } }
  // mapIps false: no address given (`--to-source :53`), NF_NAT_RANGE_MAP_IPS unset: only the port is mapped.
  | { name: 'SNAT'; info: { from: Ipv4; to: Ipv4; ports?: PortRange; random: boolean; persistent: boolean; mapIps?: boolean } }
  | { name: 'DNAT'; info: { from: Ipv4; to: Ipv4; ports?: PortRange; random: boolean; persistent: boolean; mapIps?: boolean } }
  | { name: 'REDIRECT'; info: { ports?: PortRange; random: boolean } }
  | { name: 'MARK'; info: { mark: number; mask: number; op: 'set' | 'xset' | 'and' | 'or' | 'xor' } }
  | { name: 'CONNMARK'; info: { mode: 'set' | 'save' | 'restore'; mark: number; mask: number; ctmask: number; nfmask: number } }
  | { name: 'CT'; info: { notrack: boolean } }
  | { name: 'NOTRACK' }
  | { name: 'CHECKSUM'; info: { fill: boolean } };

export type TargetName = XtTarget['name'];

export const REJECT_WITH = [
  'icmp-net-unreachable', 'icmp-host-unreachable', 'icmp-port-unreachable', 'icmp-proto-unreachable',
  'icmp-net-prohibited', 'icmp-host-prohibited', 'icmp-admin-prohibited', 'tcp-reset',
] as const;
export type RejectWith = (typeof REJECT_WITH)[number];

export interface Counters {
  packets: number;
  bytes: number;
}

/** struct ipt_entry */
export interface Rule {
  ip: IptIp;
  matches: XtMatch[];
  target: XtTarget;
  counters: Counters;
  /** nft rule handle, for `xtables-monitor --trace` and `iptables -L --line-numbers` style views. */
  handle?: number;
}

export interface Chain {
  name: string;
  /** nft chain handle (iptables-nft only; chains and rules share one counter per table). */
  handle?: number;
  /**
   * iptables-nft only: false when the built-in chain does not exist in the kernel (iptables-nft
   * creates base chains lazily: on -A/-I/-P to that chain, or a restore file naming it). An absent
   * chain is not hooked and never counts; iptables-save still prints it with [0:0].
   * Measured here: nft counts the policy of a chain that exists (ACCEPT or DROP) like legacy does;
   * legacy tables always have every built-in chain. undefined = present.
   */
  present?: boolean;
  /**
   * iptables-nft only: the base chain has counters in the kernel (iptables-nft sent
   * NFTA_CHAIN_COUNTERS: `-P`, a restore file's `:CHAIN POLICY [p:b]` line, `-Z`). Without them
   * the kernel never counts the policy: measured, `iptables -A INPUT …` alone leaves
   * `:INPUT ACCEPT [0:0]` however many packets take the policy. Read live by the kernel.
   */
  nftCounters?: boolean;
  /** Built-in chains have a policy; user chains do not. */
  policy?: 'ACCEPT' | 'DROP';
  /** Policy counters (the "underflow" rule's counters), built-in chains only. */
  policyCounters?: Counters;
  rules: Rule[];
}

/** Which iptables backend wrote the table: the counters differ (see Chain.present). */
export type Backend = 'legacy' | 'nft';

export interface Table {
  name: TableName;
  /** undefined = 'legacy'. */
  backend?: Backend;
  /** Built-in chains first in TABLE_HOOKS order, then user chains in creation order. */
  chains: Map<string, Chain>;
}

// ---------------------------------------------------------------------------------------------
// Where a namespace keeps its tables (agreed between the iptables userland and the netfilter core).
//
// A namespace has two independent sets of IPv4 tables, as on Linux: the x_tables ones
// (iptables-legacy: IPT_SO_SET_REPLACE) and the nf_tables ones iptables-nft makes (tables
// `ip filter`, `ip nat`…, evaluated at the same hook priorities). A packet walks both: at equal
// priority the kernel runs them in registration order; netfilter decides that order.
// A table absent from its map was never created: nft creates a table on the first command that
// writes to it (listing does not), legacy instantiates it on any access, even a listing.
// Userland replaces whole tables (`replaceTable` semantics: the new Table object is stored, the old
// one's counters are carried over by the caller where iptables keeps them). `generation` is
// bumped on every change so the kernel may cache a compiled form of the rules.

export type XtBackend = 'nft' | 'legacy';

export interface NetfilterTables {
  legacy: Map<TableName, Table>;
  nft: Map<TableName, Table>;
  /** Legacy tables in instantiation order (iptables-legacy-save prints them newest first). */
  legacyOrder: TableName[];
  /** Next nft handle per table (chains and rules share it). */
  nftNextHandle: Map<TableName, number>;
  generation: number;
  /**
   * When each table's hooks were registered (nf_register_net_hook), as increasing numbers: key
   * `legacy:TABLE` (x_tables registers all of a table's hooks when the table is first used) or
   * `nft:TABLE:CHAIN` (nf_tables registers a base chain's hook when the chain is created, and
   * unregisters it when the chain is deleted). At equal priority the later registration runs
   * first (nf_hook_entries_grow). Written by userland when it creates the table or base chain
   * (ruleset.ts hookRegistered); the kernel numbers anything hooked without an entry when it next
   * compiles.
   */
  hookReg: Map<string, number>;
  hookRegNext: number;
}

const tablesByKernel = new WeakMap<object, Map<string, NetfilterTables>>();

/** The tables of namespace `netns` ('' = host) of `kernel`, created empty on first use. */
export function getNetfilterTables(kernel: object, netns: string): NetfilterTables {
  let byNs = tablesByKernel.get(kernel);
  if (!byNs) tablesByKernel.set(kernel, (byNs = new Map()));
  let t = byNs.get(netns);
  if (!t) byNs.set(netns, (t = { legacy: new Map(), nft: new Map(), legacyOrder: [], nftNextHandle: new Map(), generation: 0, hookReg: new Map(), hookRegNext: 0 }));
  return t;
}

/** Forgets a namespace's tables (`ip netns del`). */
export function dropNetfilterTables(kernel: object, netns: string): void {
  tablesByKernel.get(kernel)?.delete(netns);
}
