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

/** struct hbucket: `size` slots, the first `pos` of them ever used, deleted ones left as holes. */
export interface IpSetBucket {
  slots: Array<IpSetMember | undefined>;
  pos: number;
  size: number;
}

export interface IpSet {
  name: string;
  type: IpSetType;
  hashsize: number;
  maxelem: number;
  bucketsize: number;
  initval: number;
  /** The hash table: bucket index (jhash of the element & (hashsize - 1)) → bucket. */
  buckets: Map<number, IpSetBucket>;
  elements: number;
  /** Prefix lengths in use → how many elements have each (h->nets). */
  nets: Map<number, number>;
}

/** Kernel revision of each type (ipset list "Revision:"), as this kernel (6.18) reports them. */
export const IPSET_REVISION: Record<IpSetType, number> = { 'hash:net': 7, 'hash:ip': 6 };

/** AHASH_INIT_SIZE: slots a bucket is created with and grows or shrinks by. */
const AHASH_INIT_SIZE = 2;
/** sizeof(struct hbucket) without its slots on x86-64. */
const HBUCKET_SIZE = 32;
/** Element size (set->dsize) and the table's own size (struct htype + struct htable + regions), measured on 6.18. */
const DSIZE: Record<IpSetType, number> = { 'hash:net': 8, 'hash:ip': 4 };
const BASE_SIZE: Record<IpSetType, number> = { 'hash:net': 456, 'hash:ip': 216 };

export function newIpSet(name: string, type: IpSetType, opts: { hashsize: number; maxelem: number; initval: number }): IpSet {
  return { name, type, hashsize: opts.hashsize, maxelem: opts.maxelem, bucketsize: 12, initval: opts.initval >>> 0, buckets: new Map(), elements: 0, nets: new Map() };
}

/** "Size in memory": the table plus every bucket allocated (mtype_ahash_memsize + ext_size). */
export function ipSetMemSize(set: IpSet): number {
  let n = BASE_SIZE[set.type];
  for (const b of set.buckets.values()) n += HBUCKET_SIZE + b.size * DSIZE[set.type];
  return n;
}

const rol32 = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** jhash2 (include/linux/jhash.h) over 32-bit words. */
export function jhash2(k: readonly number[], initval: number): number {
  let a = (0xdeadbeef + (k.length << 2) + initval) >>> 0;
  let b = a;
  let c = a;
  let i = 0;
  let len = k.length;
  while (len > 3) {
    a = (a + k[i]!) >>> 0; b = (b + k[i + 1]!) >>> 0; c = (c + k[i + 2]!) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rol32(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rol32(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rol32(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rol32(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rol32(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rol32(b, 4)) >>> 0; b = (b + a) >>> 0;
    len -= 3;
    i += 3;
  }
  if (len === 0) return c;
  if (len >= 3) c = (c + k[i + 2]!) >>> 0;
  if (len >= 2) b = (b + k[i + 1]!) >>> 0;
  a = (a + k[i]!) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rol32(b, 24)) >>> 0;
  return c;
}

/** The element as the kernel hashes it, read as little-endian words: __be32 ip (+ u16 pad, u8 nomatch, u8 cidr). */
const bswap32 = (x: number): number => (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
function bucketOf(set: IpSet, m: IpSetMember): number {
  const words = set.type === 'hash:net' ? [bswap32(m.addr), (m.cidr << 24) >>> 0] : [bswap32(m.addr)];
  return jhash2(words, set.initval) & (set.hashsize - 1);
}

/** Members in the kernel's listing order: bucket by bucket, slot by slot (mtype_list). */
export function ipSetMembers(set: IpSet): IpSetMember[] {
  const out: IpSetMember[] = [];
  for (const key of [...set.buckets.keys()].sort((x, y) => x - y)) {
    const b = set.buckets.get(key)!;
    for (let i = 0; i < b.pos; i++) if (b.slots[i]) out.push(b.slots[i]!);
  }
  return out;
}

const same = (a: IpSetMember, b: IpSetMember): boolean => a.addr === b.addr && a.cidr === b.cidr;

export function ipSetHas(set: IpSet, m: IpSetMember): boolean {
  const b = set.buckets.get(bucketOf(set, m));
  if (!b) return false;
  for (let i = 0; i < b.pos; i++) if (b.slots[i] && same(b.slots[i]!, m)) return true;
  return false;
}

/**
 * mtype_add: 'exists' when already there; else into the first deleted slot of its bucket, or at
 * the bucket's end (growing it by AHASH_INIT_SIZE slots). 'full' at maxelem; 'resize' when the
 * bucket holds bucketsize slots already (the kernel then doubles the table: not modelled).
 */
export function ipSetAdd(set: IpSet, m: IpSetMember): 'added' | 'exists' | 'full' | 'resize' {
  const key = bucketOf(set, m);
  let b = set.buckets.get(key);
  if (set.elements >= set.maxelem && !(b && ipSetHas(set, m))) return 'full';
  if (!b) {
    b = { slots: new Array(AHASH_INIT_SIZE).fill(undefined), pos: 0, size: AHASH_INIT_SIZE };
    set.buckets.set(key, b);
  } else {
    let hole = -1;
    for (let i = 0; i < b.pos; i++) {
      const s = b.slots[i];
      if (!s) {
        if (hole < 0) hole = i;
      } else if (same(s, m)) return 'exists';
    }
    if (hole >= 0) {
      b.slots[hole] = { ...m };
      added(set, m.cidr, 1);
      return 'added';
    }
    if (b.pos >= b.size) {
      if (b.size >= set.bucketsize) return 'resize';
      b.size += AHASH_INIT_SIZE;
      while (b.slots.length < b.size) b.slots.push(undefined);
    }
  }
  b.slots[b.pos++] = { ...m };
  added(set, m.cidr, 1);
  return 'added';
}

function added(set: IpSet, cidr: number, n: 1 | -1): void {
  set.elements += n;
  const c = (set.nets.get(cidr) ?? 0) + n;
  if (c) set.nets.set(cidr, c);
  else set.nets.delete(cidr);
}

/** mtype_del: clears the slot; frees an emptied bucket, shrinks one with AHASH_INIT_SIZE holes. */
export function ipSetDel(set: IpSet, m: IpSetMember): boolean {
  const key = bucketOf(set, m);
  const b = set.buckets.get(key);
  if (!b) return false;
  let holes = 0;
  for (let i = 0; i < b.pos; i++) {
    const s = b.slots[i];
    if (!s) {
      holes++;
      continue;
    }
    if (!same(s, m)) continue;
    b.slots[i] = undefined;
    if (i + 1 === b.pos) b.pos--;
    added(set, m.cidr, -1);
    for (; i < b.pos; i++) if (!b.slots[i]) holes++;
    if (b.pos === 0 && holes === 0) set.buckets.delete(key);
    else if (holes >= AHASH_INIT_SIZE) {
      const kept = b.slots.slice(0, b.pos).filter((x): x is IpSetMember => x !== undefined);
      b.size -= AHASH_INIT_SIZE;
      b.slots = [...kept, ...new Array(b.size - kept.length).fill(undefined)];
      b.pos = kept.length;
    }
    return true;
  }
  return false;
}

/** mtype_flush: every bucket freed. */
export function ipSetFlush(set: IpSet): void {
  set.buckets.clear();
  set.elements = 0;
  set.nets.clear();
}

export interface IpSets {
  /** Sets by name, in creation order (ipset list / save order). */
  sets: Map<string, IpSet>;
}

/** Sets live with their namespace object: `ip netns del` then `add` of the same name starts empty. */
const setsByNs = new WeakMap<object, IpSets>();
const setsByName = new WeakMap<object, Map<string, IpSets>>();

/** The ip sets of namespace `netns` ('' = host) of `kernel`, created empty on first use. */
export function getIpSets(kernel: object, netns: string): IpSets {
  const ns = (kernel as { namespaces?: Map<string, object> }).namespaces?.get(netns);
  if (ns) {
    let s = setsByNs.get(ns);
    if (!s) setsByNs.set(ns, (s = { sets: new Map() }));
    return s;
  }
  // a kernel object without namespaces (unit tests of the tools alone): by name
  let byName = setsByName.get(kernel);
  if (!byName) setsByName.set(kernel, (byName = new Map()));
  let s = byName.get(netns);
  if (!s) byName.set(netns, (s = { sets: new Map() }));
  return s;
}

/** The sets of a namespace object (the xt_set match, per packet); undefined when it never had any. */
export function ipSetsOfNs(ns: object): IpSets | undefined {
  return setsByNs.get(ns);
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

/**
 * Whether ADDR is in SET, as xt_set and `ipset test ADDR` ask: hash:net walks the prefix lengths
 * present (mtype_test_cidrs), hash:ip looks the address up.
 */
export function ipSetTest(set: IpSet, addr: number): boolean {
  const a = addr >>> 0;
  if (set.type === 'hash:ip') return ipSetHas(set, { addr: a, cidr: 32 });
  for (const c of set.nets.keys()) if (ipSetHas(set, { addr: (a & netMask(c)) >>> 0, cidr: c })) return true;
  return false;
}
