// Per-namespace netfilter state (`ns.nf`) and what netfilter needs from the stack. The stack's
// Netns and Kernel satisfy NfNetns / NfKernel structurally; netfilter never imports the stack.
import type { Ipv4 } from '../addr.ts';
import type { Skb } from '../skb.ts';
import type { KernelEvent, Nanos } from '../../scenario/record.ts';
import type { AddrType, Hook, NetfilterTables, TableName } from './types.ts';
import { ConntrackTable } from '../conntrack/core.ts';
import type { CompiledTable } from './table.ts';

/** What netfilter reads from a network namespace (the stack's Netns provides it). */
export interface NfNetns {
  /** '' = the initial namespace. */
  name: string;
  nf: NetfilterNs;
  fib: { addrType(addr: Ipv4, dev?: string): AddrType };
  /** Source address the kernel would pick for DST leaving through DEV (undefined DEV: by route lookup). */
  selectSourceAddress(dev: string | undefined, dst: Ipv4): Ipv4 | undefined;
  /** First address of DEV (REDIRECT in PREROUTING). */
  primaryAddress(dev: string): Ipv4 | undefined;
  /** sysctl values by dotted key (a Map<string, string> does). */
  sysctl: { get(key: string): string | undefined };
}

/** What netfilter calls on the kernel (the stack's Kernel provides it). */
export interface NfKernel {
  now: Nanos;
  readonly recording: boolean;
  readonly seed: number;
  emit(event: KernelEvent): void;
  log(line: string, netns: string, pkt: number): void;
  newSkbId(): number;
  /**
   * Sends a locally generated packet (REJECT's ICMP error or TCP RST) through OUTPUT and
   * POSTROUTING like ip_local_out. skb.ip.id === -1 asks the stack to choose the IP id.
   */
  ipLocalOut?(ns: NfNetns, skb: Skb, meta: { origin: 'reject'; parent: number }): void;
  /**
   * dev_queue_xmit on a bridge port: REJECT's RST for a bridged packet leaves through the port it
   * came in on, with the MACs swapped, never walking OUTPUT/POSTROUTING (nf_send_reset).
   */
  devQueueXmitName?(ns: NfNetns, dev: string, skb: Skb): void;
  /** Looks a namespace up by name ('' = initial): LOG reads nf_log_all_netns there. */
  netns?(name: string): { sysctl: { get(key: string): string | undefined } } | undefined;
}

export interface NetfilterNs {
  /**
   * Compiled form of the namespace's tables (types.ts getNetfilterTables: legacy and nft sets),
   * per table name: legacy, then nft. Rebuilt when the store's generation changes.
   */
  compiled: Map<TableName, CompiledTable[]>;
  /**
   * Per hook and table name, the compiled tables hooked there in the order the kernel runs them
   * (at equal priority the later registration first: NetfilterTables.hookReg).
   */
  hookTables: Record<Hook, Map<TableName, CompiledTable[]>>;
  compiledGeneration: number;
  /** A nat table exists (either backend): the NAT hooks are registered. */
  natRegistered: boolean;
  conntrack: ConntrackTable;
  /** Hooks registered by conntrack users (nat table, ct matches/targets): when false, no tracking. */
  conntrackActive: boolean;
  /** Deterministic PRNG state for NAT port choice (nf_nat's get_random_u16). */
  rng: number;
  /** The namespace's table store (getNetfilterTables), looked up once: syncTables runs per hook. */
  store?: NetfilterTables;
}

export function createNetfilterNs(seed = 1): NetfilterNs {
  return {
    compiled: new Map(),
    compiledGeneration: -1,
    natRegistered: false,
    hookTables: { PREROUTING: new Map(), INPUT: new Map(), FORWARD: new Map(), OUTPUT: new Map(), POSTROUTING: new Map() },
    conntrack: new ConntrackTable(),
    conntrackActive: false,
    rng: (seed * 2654435761) >>> 0 || 1,
  };
}

/** xorshift32 on the namespace's state. */
export function nextRandom(nf: NetfilterNs): number {
  let x = nf.rng;
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  nf.rng = x;
  return x;
}
