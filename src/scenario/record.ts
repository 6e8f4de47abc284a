// The run record: the single account of one scenario run. Every view (rule tables, hook walks,
// conntrack timelines, traces, tcpdump lines, `packetwalk check`) is a pure function of it.
// The kernel appends KernelEvents as packets move; the interpreter appends CommandRecords.
import type { Skb } from '../kernel/skb.ts';
import type { Hook, TableName } from '../kernel/netfilter/types.ts';

/** Virtual time in nanoseconds since the scenario started. */
export type Nanos = number;

/** A copy of a packet's headers at one point of its walk (NAT changes them on the way). */
export type SkbSnapshot = Pick<Skb, 'id' | 'len' | 'ip' | 'tcp' | 'udp' | 'icmp' | 'eth' | 'mark' | 'payloadLen'> &
  /** The application payload when the stack carries one (HTTP lines, DNS messages): tcpdump decodes it. */
  Partial<Pick<Skb, 'payload' | 'arp'>>;

export interface SourcePos {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export interface CommandRecord {
  index: number;
  pos: SourcePos;
  /** The command as written (after continuation joining). */
  text: string;
  /** Namespace it ran in: '' for the initial namespace (the host). */
  netns: string;
  /** What it printed, stdout and stderr interleaved, in order. */
  output: string;
  exitCode: number;
  background: boolean;
  timeStart: Nanos;
  timeEnd: Nanos;
  /** Half-open range of indices into RunRecord.events produced while it ran. */
  eventStart: number;
  eventEnd: number;
}

export interface PacketRecord {
  id: number;
  /** Index of the command that caused it (a background server's packets belong to the command that triggered them). */
  command: number;
  netns: string;
  /** Why the packet exists: a socket sent it, the kernel answered (echo reply, RST, ICMP error), or REJECT made it. */
  origin: 'socket' | 'kernel-reply' | 'icmp-error' | 'reject' | 'igmp' | 'arp' | 'other';
  /** Packet that caused this one (the request of a reply, the offending packet of an ICMP error). */
  parent?: number;
  /** The headers when it was created. */
  created: SkbSnapshot;
  time: Nanos;
}

interface EventBase {
  t: Nanos;
  netns: string;
  pkt: number;
}

export type KernelEvent =
  /** A frame/packet leaves or enters a device (what tcpdump on that device sees). */
  | (EventBase & { type: 'dev'; dir: 'rx' | 'tx'; dev: string; snap: SkbSnapshot })
  /** The packet enters a netfilter hook. family 'bridge' = ebtables hooks. */
  | (EventBase & { type: 'hook'; family: 'ipv4' | 'bridge'; hook: Hook | 'BROUTING'; in?: string; out?: string; physIn?: string; physOut?: string; snap: SkbSnapshot })
  /** A table at a hook was walked (verdict) or skipped (with why: e.g. nat sees only a flow's first packet). */
  | (EventBase & { type: 'table'; family: 'ipv4' | 'bridge'; hook: Hook | 'BROUTING'; table: TableName | 'broute'; verdict?: 'ACCEPT' | 'DROP' | 'STOLEN' | 'CONTINUE'; skipped?: string })
  /** TRACE granularity: a rule whose target fired, a return from a user chain, or a policy. */
  | (EventBase & { type: 'rule'; family: 'ipv4' | 'bridge'; hook: Hook | 'BROUTING'; table: TableName | 'broute'; chain: string; kind: 'rule' | 'return' | 'policy'; ruleNum: number; handle?: number; verdict: string })
  /** Conntrack: entry created (unconfirmed), confirmed, state seen, or dropped unconfirmed / destroyed. */
  | (EventBase & { type: 'ct'; action: 'new' | 'confirm' | 'seen' | 'unconfirmed-drop' | 'destroy' | 'untracked' | 'invalid'; entryId: number; ctinfo?: string; state?: string; summary: string })
  /** A NAT binding applied to this packet (SNAT/MASQUERADE in POSTROUTING/INPUT, DNAT/REDIRECT in PREROUTING/OUTPUT). */
  | (EventBase & { type: 'nat'; manip: 'SRC' | 'DST'; hook: Hook; before: SkbSnapshot; after: SkbSnapshot; established: boolean })
  /** A routing decision. */
  | (EventBase & { type: 'route'; result: 'local' | 'forward' | 'output' | 'unreachable' | 'blackhole' | 'prohibit' | 'drop'; oif?: string; gateway?: number; reason?: string })
  /** The bridge's decision for a frame. */
  | (EventBase & { type: 'bridge'; bridge: string; inPort?: string; action: 'forward' | 'flood' | 'local' | 'drop'; outPorts: string[] })
  /** Delivered to a socket or answered by the kernel itself. */
  | (EventBase & { type: 'deliver'; to: string })
  /** Dropped outside netfilter (no route, forwarding off, TTL expired, no listener…) or by a verdict. */
  | (EventBase & { type: 'drop'; reason: string })
  /** A kernel log line (LOG target, ebtables --log, legacy TRACE), as dmesg prints it without the timestamp. */
  | (EventBase & { type: 'log'; line: string });

export interface RunRecord {
  format: 'packetwalk-run/1';
  file: string;
  dockerVersion?: string;
  world?: string;
  commands: CommandRecord[];
  packets: PacketRecord[];
  events: KernelEvent[];
  /** The whole session's output, as `packetwalk run` prints it. */
  output: string;
  exitCode: number;
}
