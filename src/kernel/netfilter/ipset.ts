// IP sets (net/netfilter/ipset/): per-namespace named sets of addresses or networks, as the
// ipset tool manages them and the xt_set match tests them. Modelled: family inet, types hash:net
// and hash:ip, no extensions (counters, timeouts, comments off), no `nomatch` elements.
// A set's reference count is the number of rules that name it (each xt_set match holds one, as
// ip_set_nfnl_get_byindex does in checkentry), computed from the namespace's tables.
import { getNetfilterTables } from './types.ts';

export type IpSetType = 'hash:net' | 'hash:ip';

export interface IpSetMember {
  /** Network address (host bits cleared), unsigned 32-bit. */
  addr: number;
  /** Prefix length: 32 for hash:ip. */
  cidr: number;
}

export interface IpSet {
  name: string;
  type: IpSetType;
  hashsize: number;
  maxelem: number;
  bucketsize: number;
  initval: number;
  /** Members in insertion order (the kernel lists them in hash order, which depends on initval). */
  members: IpSetMember[];
}

/** Kernel revision of each type (ipset list "Revision:"), as this kernel (6.18) reports them. */
export const IPSET_REVISION: Record<IpSetType, number> = { 'hash:net': 7, 'hash:ip': 6 };

/**
 * "Size in memory" as the kernel computes it for an IPv4 set with no extensions: the table
 * (hashsize 1024) plus one bucket (struct hbucket with AHASH_INIT_SIZE = 2 slots) per used bucket.
 * Measured on 6.18: hash:net 456 + 48 per bucket, hash:ip 216 + 40 per bucket. Members are assumed
 * to fall into distinct buckets (the kernel's jhash placement is not modelled).
 */
export function ipSetMemSize(set: IpSet): number {
  return set.type === 'hash:net' ? 456 + 48 * set.members.length : 216 + 40 * set.members.length;
}

export interface IpSets {
  /** Sets by name, in creation order (ipset list / save order). */
  sets: Map<string, IpSet>;
}

const setsByKernel = new WeakMap<object, Map<string, IpSets>>();

/** The ip sets of namespace `netns` ('' = host) of `kernel`, created empty on first use. */
export function getIpSets(kernel: object, netns: string): IpSets {
  let byNs = setsByKernel.get(kernel);
  if (!byNs) setsByKernel.set(kernel, (byNs = new Map()));
  let s = byNs.get(netns);
  if (!s) byNs.set(netns, (s = { sets: new Map() }));
  return s;
}

/** Forgets a namespace's sets (`ip netns del`). */
export function dropIpSets(kernel: object, netns: string): void {
  setsByKernel.get(kernel)?.delete(netns);
}

/** Number of rules (both backends) whose `-m set` names SET. */
export function ipSetReferences(kernel: object, netns: string, set: string): number {
  const store = getNetfilterTables(kernel, netns);
  let n = 0;
  for (const tables of [store.legacy, store.nft]) {
    for (const t of tables.values()) {
      for (const c of t.chains.values()) {
        for (const r of c.rules) for (const m of r.matches) if (m.name === 'set' && m.info.setName === set) n++;
      }
    }
  }
  return n;
}

export function netMask(cidr: number): number {
  return cidr === 0 ? 0 : (0xffffffff << (32 - cidr)) >>> 0;
}

/** Whether ADDR is in SET (hash:net: inside one of its networks; hash:ip: equal to a member). */
export function ipSetTest(set: IpSet, addr: number): boolean {
  const a = addr >>> 0;
  for (const m of set.members) if (((a & netMask(m.cidr)) >>> 0) === m.addr) return true;
  return false;
}

export function ipSetFind(set: IpSet, member: IpSetMember): number {
  return set.members.findIndex((m) => m.addr === member.addr && m.cidr === member.cidr);
}
