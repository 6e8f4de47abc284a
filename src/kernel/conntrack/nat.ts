// NAT bindings (nf_nat_core.c): a binding is chosen once per connection and manip type, and is
// held entirely in the reply tuple; every packet of the flow is rewritten from the tuples.
import type { Ipv4 } from '../addr.ts';
import { IPPROTO, type Skb } from '../skb.ts';
import type { ConntrackTable, Conntrack, Dir, Tuple } from './core.ts';
import { invertTuple, tupleKey } from './core.ts';

export type ManipType = 'SRC' | 'DST';

/** struct nf_nat_range2 */
export interface NatRange {
  minAddr: Ipv4;
  maxAddr: Ipv4;
  /** Given with --to-ports / :port: NF_NAT_RANGE_PROTO_SPECIFIED. */
  ports?: [number, number];
  random?: boolean;
  persistent?: boolean;
}

function inNatRange(t: Tuple, manip: ManipType, r: NatRange): boolean {
  const a = manip === 'SRC' ? t.src : t.dst;
  if (a < r.minAddr || a > r.maxAddr) return false;
  if (!r.ports) return true;
  const p = manipPort(t, manip);
  return p >= r.ports[0] && p <= r.ports[1];
}

function manipPort(t: Tuple, manip: ManipType): number {
  if (t.proto === IPPROTO.ICMP) return t.sport; // icmp id lives in src.u.icmp.id
  return manip === 'SRC' ? t.sport : t.dport;
}

function withManip(t: Tuple, manip: ManipType, addr: Ipv4, port: number | undefined): Tuple {
  const n = { ...t };
  if (manip === 'SRC') n.src = addr;
  else n.dst = addr;
  if (port !== undefined) {
    if (t.proto === IPPROTO.ICMP) n.sport = port;
    else if (manip === 'SRC') n.sport = port;
    else n.dport = port;
  }
  return n;
}

/** nf_nat_used_tuple: would the reply of this candidate original tuple clash with a confirmed entry? */
function used(table: ConntrackTable, t: Tuple, ct: Conntrack, now: number): boolean {
  const reply = invertTuple(t);
  return reply ? table.taken(reply, ct, now) : false;
}

/** find_appropriate_src: an existing connection from the same source already mapped by SNAT. */
function appropriateSrc(table: ConntrackTable, t: Tuple, r: NatRange, ct: Conntrack): Tuple | undefined {
  for (const other of table.byId.values()) {
    if (other === ct || !other.confirmed || !other.srcNat) continue;
    const o = other.tuple[0];
    if (o.src === t.src && o.proto === t.proto && o.sport === t.sport) {
      const mapped = invertTuple(other.tuple[1])!;
      const cand = { ...t, src: mapped.src, sport: mapped.sport };
      if (inNatRange(cand, 'SRC', r)) return cand;
    }
  }
  return undefined;
}

/**
 * get_unique_tuple + nf_nat_setup_info: choose the binding for MANIP and record it in the reply
 * tuple. `random16` is the kernel's get_random_u16, seeded.
 */
export function natSetup(table: ConntrackTable, ct: Conntrack, manip: ManipType, range: NatRange | undefined, now: number, random16: () => number): void {
  const curr = invertTuple(ct.tuple[1])!;
  let chosen: Tuple = curr;
  if (range) chosen = uniqueTuple(table, ct, curr, manip, range, now, random16);
  else {
    // nf_nat_alloc_null_binding: same address, but a clashing reply still moves the port
    const a = manip === 'SRC' ? curr.src : curr.dst;
    chosen = uniqueTuple(table, ct, curr, manip, { minAddr: a, maxAddr: a }, now, random16);
  }
  if (tupleKey(chosen) !== tupleKey(curr)) {
    ct.tuple[1] = invertTuple(chosen)!;
    if (manip === 'SRC') ct.srcNat = true;
    else ct.dstNat = true;
  }
  if (manip === 'SRC') ct.srcNatDone = true;
  else ct.dstNatDone = true;
}

function uniqueTuple(table: ConntrackTable, ct: Conntrack, orig: Tuple, manip: ManipType, r: NatRange, now: number, random16: () => number): Tuple {
  if (manip === 'SRC' && !r.random) {
    if (inNatRange(orig, manip, r)) {
      if (!used(table, orig, ct, now)) return orig;
    } else {
      const c = appropriateSrc(table, orig, r, ct);
      if (c && !used(table, c, ct, now)) return c;
    }
  }
  // find_best_ips_proto: the address is a hash of the source and destination, not random
  let t = withManip(orig, manip, bestIp(orig, r), undefined);
  if (!r.random) {
    if (r.ports && r.ports[0] === r.ports[1]) t = withManip(t, manip, r.minAddr, r.ports[0]);
    if (inNatRange(t, manip, r) && !used(table, t, ct, now)) return t;
  }
  // nf_nat_l4proto_unique_tuple
  if (t.proto !== IPPROTO.TCP && t.proto !== IPPROTO.UDP && t.proto !== IPPROTO.ICMP) return t;
  let min: number, size: number;
  if (t.proto === IPPROTO.ICMP) {
    min = r.ports ? r.ports[0] : 0;
    size = r.ports ? r.ports[1] - r.ports[0] + 1 : 65536;
  } else if (r.ports) {
    min = r.ports[0];
    size = r.ports[1] - r.ports[0] + 1;
  } else {
    const port = manipPort(t, manip);
    if (manip === 'DST') return t;
    if (port < 1024) {
      if (port < 512) {
        min = 1;
        size = 511;
      } else {
        min = 600;
        size = 1023 - 600 + 1;
      }
    } else {
      min = 1024;
      size = 65535 - 1024 + 1;
    }
  }
  let off = manip === 'DST' && !r.random ? 0 : random16();
  const attempts = Math.min(size, 128);
  for (let i = 0; i < attempts; i++, off++) {
    const cand = withManip(t, manip, t[manip === 'SRC' ? 'src' : 'dst'], min + (off % size));
    if (!used(table, cand, ct, now)) return cand;
  }
  return withManip(t, manip, t[manip === 'SRC' ? 'src' : 'dst'], min + (off % size));
}

const rol32 = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
/** The u32 the kernel reads from a network-order IPv4 address on a little-endian machine. */
const raw = (a: Ipv4) => (((a & 255) << 24) | (((a >>> 8) & 255) << 16) | (((a >>> 16) & 255) << 8) | (a >>> 24)) >>> 0;

/**
 * jhash2 over a union nf_inet_addr holding an IPv4 address: 4 words [addr, 0, 0, 0]
 * (include/linux/jhash.h).
 */
export function jhashAddr(k: number, initval: number): number {
  let a = (0xdeadbeef + 16 + initval) >>> 0;
  let b = a;
  let c = a;
  a = (a + k) >>> 0;
  // __jhash_mix
  a = ((a - c) >>> 0 ^ rol32(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = ((b - a) >>> 0 ^ rol32(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = ((c - b) >>> 0 ^ rol32(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = ((a - c) >>> 0 ^ rol32(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = ((b - a) >>> 0 ^ rol32(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = ((c - b) >>> 0 ^ rol32(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  // the fourth word (0), then __jhash_final
  c = ((c ^ b) - rol32(b, 14)) >>> 0;
  a = ((a ^ c) - rol32(c, 11)) >>> 0;
  b = ((b ^ a) - rol32(a, 25)) >>> 0;
  c = ((c ^ b) - rol32(b, 16)) >>> 0;
  a = ((a ^ c) - rol32(c, 4)) >>> 0;
  b = ((b ^ a) - rol32(a, 14)) >>> 0;
  c = ((c ^ b) - rol32(b, 24)) >>> 0;
  return c;
}

/** find_best_ips_proto for IPv4: minip + reciprocal_scale(jhash2(src, dst), dist). */
function bestIp(t: Tuple, r: NatRange): Ipv4 {
  if (r.minAddr === r.maxAddr) return r.minAddr;
  const j = jhashAddr(raw(t.src), r.persistent ? 0 : raw(t.dst));
  const dist = (r.maxAddr - r.minAddr + 1) >>> 0;
  return (r.minAddr + Number((BigInt(j) * BigInt(dist)) >> 32n)) >>> 0;
}

/** Would nf_nat_packet rewrite this packet at a hook of MANIP type? */
export function natApplies(ct: Conntrack, manip: ManipType, dir: Dir): boolean {
  const src = dir === 0 ? ct.srcNat : ct.dstNat;
  const dst = dir === 0 ? ct.dstNat : ct.srcNat;
  return manip === 'SRC' ? src : dst;
}

/** nf_nat_manip_pkt: rewrite the packet from invert(tuple[!dir]). */
export function natPacket(skb: Skb, ct: Conntrack, manip: ManipType, dir: Dir): void {
  const target = invertTuple(ct.tuple[dir === 0 ? 1 : 0])!;
  if (manip === 'SRC') {
    skb.ip.saddr = target.src;
    if (skb.tcp) skb.tcp.sport = target.sport;
    else if (skb.udp) skb.udp.sport = target.sport;
  } else {
    skb.ip.daddr = target.dst;
    if (skb.tcp) skb.tcp.dport = target.dport;
    else if (skb.udp) skb.udp.dport = target.dport;
  }
  if (skb.icmp && skb.icmp.id !== undefined && !skb.icmp.inner) skb.icmp.id = target.sport;
}

/**
 * nf_nat_icmp_reply_translation: an ICMP error RELATED to a NATed connection gets its inner
 * packet rewritten with the opposite manip, and its outer header like a reply.
 */
export function natIcmpReply(skb: Skb, ct: Conntrack, manip: ManipType, dir: Dir): void {
  const inner = skb.icmp?.inner;
  if (!natApplies(ct, manip, dir)) return;
  if (inner) {
    // the inner packet travelled in the other direction: the opposite manip, from tuple[!dir]
    const target = ct.tuple[dir === 0 ? 1 : 0];
    if (manip === 'SRC') {
      inner.ip.daddr = target.dst;
      if (inner.dport !== undefined && inner.ip.protocol !== IPPROTO.ICMP) inner.dport = target.dport;
    } else {
      inner.ip.saddr = target.src;
      if (inner.sport !== undefined && inner.ip.protocol !== IPPROTO.ICMP) inner.sport = target.sport;
    }
    if (inner.ip.protocol === IPPROTO.ICMP && inner.icmpId !== undefined) inner.icmpId = target.sport;
  }
  const outer = invertTuple(ct.tuple[dir === 0 ? 1 : 0])!;
  if (manip === 'SRC') skb.ip.saddr = outer.src;
  else skb.ip.daddr = outer.dst;
}
