// Connection tracking (nf_conntrack_core.c): tuple -> lookup -> create unconfirmed -> per-protocol
// state -> confirm when the packet leaves the stack. An entry whose first packet is dropped before
// confirmation is never inserted: the next packet of that flow is NEW again.
import type { Ipv4 } from '../addr.ts';
import { formatIpv4 } from '../addr.ts';
import { IPPROTO, type CtInfo, type Skb } from '../skb.ts';
import { tcpPacket, tcpNew, TCP_STATE_NAMES, type TcpCtState } from './tcp.ts';

/** struct nf_conntrack_tuple. For ICMP: sport = echo id, dport = type << 8 | code. */
export interface Tuple {
  src: Ipv4;
  dst: Ipv4;
  proto: number;
  sport: number;
  dport: number;
}

export type Dir = 0 | 1; // IP_CT_DIR_ORIGINAL, IP_CT_DIR_REPLY

export interface NatBinding {
  addr: Ipv4;
  port: number;
}

/** struct nf_conn (the parts the model keeps). */
export interface Conntrack {
  id: number;
  tuple: [Tuple, Tuple];
  confirmed: boolean;
  seenReply: boolean;
  assured: boolean;
  /** IPS_SRC_NAT / IPS_DST_NAT: the binding changes the tuple. */
  srcNat: boolean;
  dstNat: boolean;
  /** nf_nat_initialized per manip type (a binding, possibly null, was chosen). */
  srcNatDone: boolean;
  dstNatDone: boolean;
  /** Expiry time (virtual ns). */
  timeoutAt: number;
  mark: number;
  tcp?: TcpCtState;
  /** ns of the last packet, for views. */
  lastSeen: number;
  /** UDP: creation + 2 s (ct->proto.udp.stream_ts). */
  streamTs: number;
}

export const ICMP_ECHO = 8;
export const ICMP_ECHOREPLY = 0;
const ICMP_INVERT: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };

export const DEFAULT_TIMEOUTS = {
  // /proc/sys/net/netfilter on kernel 6.18 (seconds)
  generic: 600,
  icmp: 30,
  udp: 30,
  udp_stream: 120,
  tcp_syn_sent: 120,
  tcp_syn_recv: 60,
  tcp_established: 432000,
  tcp_fin_wait: 120,
  tcp_close_wait: 60,
  tcp_last_ack: 30,
  tcp_time_wait: 120,
  tcp_close: 10,
  tcp_max_retrans: 300,
  tcp_unacknowledged: 300,
} as const;

export const SEC = 1_000_000_000;

/** The sysctl naming each timeout (built once: `timeout` runs per packet). */
const TIMEOUT_SYSCTL = Object.fromEntries(
  Object.keys(DEFAULT_TIMEOUTS).map((key) => [
    key,
    key === 'generic' ? 'net.netfilter.nf_conntrack_generic_timeout' : `net.netfilter.nf_conntrack_${key}_timeout`.replace('udp_stream_timeout', 'udp_timeout_stream').replace(/tcp_(\w+)_timeout/, 'tcp_timeout_$1'),
  ]),
) as Record<keyof typeof DEFAULT_TIMEOUTS, string>;

/** A hash key for T: 16-bit code units (no decimal formatting: this runs per packet). */
export function tupleKey(t: Tuple): string {
  return String.fromCharCode(t.proto, t.src >>> 16, t.src & 0xffff, t.dst >>> 16, t.dst & 0xffff, t.sport, t.dport);
}

export function invertTuple(t: Tuple): Tuple | undefined {
  if (t.proto === IPPROTO.ICMP) {
    const type = t.dport >> 8;
    const inv = ICMP_INVERT[type];
    if (inv === undefined) return undefined;
    return { src: t.dst, dst: t.src, proto: t.proto, sport: t.sport, dport: (inv << 8) | (t.dport & 255) };
  }
  return { src: t.dst, dst: t.src, proto: t.proto, sport: t.dport, dport: t.sport };
}

export function isIcmpError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** The tuple of a packet, or undefined when it has none (ICMP errors are handled apart). */
export function skbTuple(skb: Skb): Tuple | undefined {
  const ip = skb.ip;
  if (skb.tcp) return { src: ip.saddr, dst: ip.daddr, proto: IPPROTO.TCP, sport: skb.tcp.sport, dport: skb.tcp.dport };
  if (skb.udp) return { src: ip.saddr, dst: ip.daddr, proto: IPPROTO.UDP, sport: skb.udp.sport, dport: skb.udp.dport };
  if (skb.icmp) {
    return { src: ip.saddr, dst: ip.daddr, proto: IPPROTO.ICMP, sport: skb.icmp.id ?? 0, dport: (skb.icmp.type << 8) | skb.icmp.code };
  }
  return { src: ip.saddr, dst: ip.daddr, proto: ip.protocol, sport: 0, dport: 0 };
}

export interface CtSysctl {
  get(key: string): string | undefined;
}

/** The per-namespace conntrack table. */
export class ConntrackTable {
  /** Confirmed entries by either direction's tuple. */
  readonly hash = new Map<string, { ct: Conntrack; dir: Dir }>();
  /** Every live entry (confirmed or not) by id: skb.ct.entryId points here. */
  readonly byId = new Map<number, Conntrack>();
  /**
   * Entries deleted while a packet still holds them (nf_ct_kill: an RST as the only reply). The
   * skb keeps its reference, so later hooks still see the entry: ctstate, and NAT translates the
   * reply with the entry's binding. The last few are kept (the packet is in flight only briefly).
   */
  private readonly killed = new Map<number, Conntrack>();
  private nextId = 1;

  timeout(sysctl: CtSysctl | undefined, key: keyof typeof DEFAULT_TIMEOUTS): number {
    const v = sysctl?.get(TIMEOUT_SYSCTL[key]);
    const n = v === undefined ? NaN : Number(v);
    return (Number.isFinite(n) ? n : DEFAULT_TIMEOUTS[key]) * SEC;
  }

  /** __nf_conntrack_find: expired entries are removed on the way. */
  find(t: Tuple, now: number): { ct: Conntrack; dir: Dir } | undefined {
    const h = this.hash.get(tupleKey(t));
    if (!h) return undefined;
    if (h.ct.timeoutAt <= now) {
      this.destroy(h.ct);
      return undefined;
    }
    return h;
  }

  /** Is this tuple taken by a confirmed entry (either direction)? nf_conntrack_tuple_taken. */
  taken(t: Tuple, ignore: Conntrack, now: number): boolean {
    const h = this.find(t, now);
    return h !== undefined && h.ct !== ignore;
  }

  create(orig: Tuple, reply: Tuple, now: number): Conntrack {
    const ct: Conntrack = {
      id: this.nextId++,
      tuple: [orig, reply],
      confirmed: false,
      seenReply: false,
      assured: false,
      srcNat: false,
      dstNat: false,
      srcNatDone: false,
      dstNatDone: false,
      timeoutAt: now,
      mark: 0,
      lastSeen: now,
      streamTs: now + 2 * SEC,
    };
    this.byId.set(ct.id, ct);
    return ct;
  }

  confirm(ct: Conntrack): boolean {
    const k0 = tupleKey(ct.tuple[0]);
    const k1 = tupleKey(ct.tuple[1]);
    if (this.hash.has(k0) || this.hash.has(k1)) return false; // clash: the kernel drops the packet
    ct.confirmed = true;
    this.hash.set(k0, { ct, dir: 0 });
    this.hash.set(k1, { ct, dir: 1 });
    return true;
  }

  destroy(ct: Conntrack): void {
    this.byId.delete(ct.id);
    if (!ct.confirmed) return;
    const k0 = tupleKey(ct.tuple[0]);
    const k1 = tupleKey(ct.tuple[1]);
    if (this.hash.get(k0)?.ct === ct) this.hash.delete(k0);
    if (this.hash.get(k1)?.ct === ct) this.hash.delete(k1);
    ct.confirmed = false;
  }

  /** nf_ct_kill: delete the entry, but packets already attached to it keep it (see `attached`). */
  kill(ct: Conntrack): void {
    this.destroy(ct);
    this.killed.set(ct.id, ct);
    if (this.killed.size > 64) this.killed.delete(this.killed.keys().next().value!);
  }

  /** The entry a packet's skb.ct points to: a live one, or one killed while the packet held it. */
  attached(id: number): Conntrack | undefined {
    return this.byId.get(id) ?? this.killed.get(id);
  }

  /** Removes expired entries; returns the confirmed ones in insertion order. */
  list(now: number): Conntrack[] {
    const out: Conntrack[] = [];
    for (const ct of [...this.byId.values()]) {
      if (!ct.confirmed) continue;
      if (ct.timeoutAt <= now) this.destroy(ct);
      else out.push(ct);
    }
    return out;
  }

  flush(): number {
    let n = 0;
    for (const ct of [...this.byId.values()]) {
      if (ct.confirmed) {
        this.destroy(ct);
        n++;
      }
    }
    return n;
  }
}

export interface CtResult {
  ct?: Conntrack;
  info: CtInfo;
  /** Set when the packet was judged invalid (no ct attached). */
  invalid?: string;
  created?: boolean;
}

/**
 * nf_conntrack_in: attach an entry (found or new, unconfirmed) to the packet and update its
 * per-protocol state. Returns what was attached; the caller sets skb.ct.
 */
export function conntrackIn(table: ConntrackTable, skb: Skb, now: number, sysctl?: CtSysctl): CtResult {
  if (skb.icmp && isIcmpError(skb.icmp.type)) return icmpError(table, skb, now);
  const tuple = skbTuple(skb)!;
  let h = table.find(tuple, now);
  let created = false;
  if (h && h.ct.tcp && h.dir === 0 && skb.tcp?.flags.syn && !skb.tcp.flags.ack && (h.ct.tcp.state === 'TIME_WAIT' || h.ct.tcp.state === 'CLOSE')) {
    // tcp_packet: a SYN reopening a closed connection kills the old entry (-NF_REPEAT)
    table.destroy(h.ct);
    h = undefined;
  }
  if (!h) {
    if (tuple.proto === IPPROTO.ICMP && ICMP_INVERT[tuple.dport >> 8] === undefined) {
      return { info: 'NEW', invalid: 'icmp type without conntrack support' };
    }
    const reply = invertTuple(tuple)!;
    if (tuple.proto === IPPROTO.ICMP && (tuple.dport >> 8) !== ICMP_ECHO && (tuple.dport >> 8) !== 13 && (tuple.dport >> 8) !== 15 && (tuple.dport >> 8) !== 17) {
      return { info: 'NEW', invalid: 'icmp: not a request' };
    }
    const ct = table.create(tuple, reply, now);
    if (skb.tcp) {
      const st = tcpNew(skb.tcp.flags);
      if (!st) {
        table.byId.delete(ct.id);
        return { info: 'NEW', invalid: 'tcp: invalid new packet' };
      }
      ct.tcp = st;
    }
    h = { ct, dir: 0 };
    created = true;
  }
  const { ct, dir } = h;
  let info: CtInfo;
  if (dir === 1) {
    info = 'ESTABLISHED_REPLY';
  } else info = ct.seenReply ? 'ESTABLISHED' : 'NEW';
  // per-protocol packet(): state and timeout
  if (ct.tcp) {
    const r = tcpPacket(ct, dir, skb.tcp!, now, (k) => table.timeout(sysctl, k));
    if (r === 'invalid') {
      if (created) table.byId.delete(ct.id);
      return { info, invalid: 'tcp: invalid state transition' };
    }
    if (r === 'kill') {
      // tcp_packet returns NF_ACCEPT after nf_ct_kill: nf_conntrack_in still sets SEEN_REPLY
      table.kill(ct);
      if (dir === 1) ct.seenReply = true;
      ct.lastSeen = now;
      return { ct, info, created };
    }
  } else if (ct.tuple[0].proto === IPPROTO.UDP) {
    // nf_conntrack_udp_packet: once a reply was seen, a packet later than 2 s after creation
    // extends to the stream timeout and sets ASSURED; before that, the unreplied timeout.
    if (ct.seenReply) {
      if (now > ct.streamTs) {
        ct.timeoutAt = now + table.timeout(sysctl, 'udp_stream');
        ct.assured = true;
      } else ct.timeoutAt = now + table.timeout(sysctl, 'udp');
    } else ct.timeoutAt = now + table.timeout(sysctl, 'udp');
  } else if (ct.tuple[0].proto === IPPROTO.ICMP) {
    ct.timeoutAt = now + table.timeout(sysctl, 'icmp');
  } else {
    ct.timeoutAt = now + table.timeout(sysctl, 'generic');
  }
  if (dir === 1) ct.seenReply = true;
  ct.lastSeen = now;
  return { ct, info, created };
}

/** icmp_error: find the entry the offending packet inside the error belongs to (RELATED). */
function icmpError(table: ConntrackTable, skb: Skb, now: number): CtResult {
  const inner = skb.icmp!.inner;
  if (!inner) return { info: 'NEW', invalid: 'icmp error without inner packet' };
  let t: Tuple;
  if (inner.sport !== undefined && inner.dport !== undefined) {
    t = { src: inner.ip.saddr, dst: inner.ip.daddr, proto: inner.ip.protocol, sport: inner.sport, dport: inner.dport };
  } else if (inner.ip.protocol === IPPROTO.ICMP) {
    t = { src: inner.ip.saddr, dst: inner.ip.daddr, proto: IPPROTO.ICMP, sport: inner.icmpId ?? 0, dport: (inner.icmpType ?? 8) << 8 };
  } else {
    t = { src: inner.ip.saddr, dst: inner.ip.daddr, proto: inner.ip.protocol, sport: 0, dport: 0 };
  }
  const inv = invertTuple(t);
  if (!inv) return { info: 'NEW', invalid: 'icmp error: inner tuple not invertible' };
  const h = table.find(inv, now);
  if (!h) return { info: 'NEW', invalid: 'icmp error: no matching connection' };
  return { ct: h.ct, info: h.dir === 1 ? 'RELATED_REPLY' : 'RELATED' };
}

export function ctinfoDir(info: CtInfo): Dir {
  return info === 'ESTABLISHED_REPLY' || info === 'RELATED_REPLY' ? 1 : 0;
}

/** One-line summary for run-record events. */
export function ctSummary(ct: Conntrack): string {
  const t = ct.tuple;
  const f = (x: Tuple) => `${formatIpv4(x.src)}${x.proto === 6 || x.proto === 17 ? ':' + x.sport : ''} -> ${formatIpv4(x.dst)}${x.proto === 6 || x.proto === 17 ? ':' + x.dport : ''}`;
  return `${protoName(t[0].proto)} ${ct.tcp ? TCP_STATE_NAMES[ct.tcp.state] + ' ' : ''}${f(t[0])} | ${f(t[1])}${ct.seenReply ? '' : ' [UNREPLIED]'}${ct.assured ? ' [ASSURED]' : ''}`;
}

export function protoName(p: number): string {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : 'unknown';
}
