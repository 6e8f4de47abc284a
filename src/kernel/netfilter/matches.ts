// The xt_* matches, compiled once per ruleset into closures. Semantics follow the kernel's
// match functions (net/netfilter/xt_*.c); the comment on each names the function.
import type { Skb } from '../skb.ts';
import { IPPROTO } from '../skb.ts';
import type { Conntrack } from '../conntrack/core.ts';
import { ctinfoDir } from '../conntrack/core.ts';
import { CT_STATE_BITS, type AddrType, type IptIp, type PortRange, type Rule, type Table, type XtMatch } from './types.ts';
import type { NfKernel, NfNetns } from './state.ts';
import { ipSetsOfNs, ipSetTest } from './ipset.ts';

/** Everything a match may read; one object per hook invocation. */
export interface PktCtx {
  kernel: NfKernel;
  ns: NfNetns;
  skb: Skb;
  indev: string | undefined;
  outdev: string | undefined;
  ct: Conntrack | undefined;
}

export type MatchFn = (p: PktCtx) => boolean;

/** Compares an interface name with an -i/-o pattern ('+' suffix = prefix wildcard). */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  const n = name ?? '';
  if (pattern.endsWith('+')) return n.startsWith(pattern.slice(0, -1));
  return n === pattern;
}

/** ip_packet_match: the fixed header part of a rule. Returns undefined when it matches everything. */
export function compileIp(ip: IptIp): MatchFn | undefined {
  const checks: MatchFn[] = [];
  const smsk = ip.smsk >>> 0, src = (ip.src & smsk) >>> 0, dmsk = ip.dmsk >>> 0, dst = (ip.dst & dmsk) >>> 0;
  if (smsk !== 0 || ip.invSrc) {
    const inv = ip.invSrc;
    checks.push((p) => (((p.skb.ip.saddr & smsk) >>> 0) === src) !== inv);
  }
  if (dmsk !== 0 || ip.invDst) {
    const inv = ip.invDst;
    checks.push((p) => (((p.skb.ip.daddr & dmsk) >>> 0) === dst) !== inv);
  }
  if (ip.iniface) {
    const pat = ip.iniface, inv = ip.invIn;
    checks.push((p) => ifaceMatches(pat, p.indev) !== inv);
  }
  if (ip.outiface) {
    const pat = ip.outiface, inv = ip.invOut;
    checks.push((p) => ifaceMatches(pat, p.outdev) !== inv);
  }
  if (ip.proto !== 0) {
    const proto = ip.proto, inv = ip.invProto;
    checks.push((p) => (p.skb.ip.protocol === proto) !== inv);
  }
  if (ip.fragment !== undefined) {
    // ip_packet_match: -f matches second and later fragments (fragment offset non-zero), ! -f the rest.
    const want = ip.fragment;
    checks.push((p) => ((p.skb.ip.fragOff ?? 0) !== 0) === want);
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (p) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i](p)) return false;
    return true;
  };
}

function inRange(r: PortRange, v: number): boolean {
  return v >= r[0] && v <= r[1];
}

function tcpFlagBits(skb: Skb): number {
  const f = skb.tcp!.flags;
  return (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0) | (f.urg ? 32 : 0) | (f.ece ? 64 : 0) | (f.cwr ? 128 : 0);
}

function ports(skb: Skb): [number, number] | undefined {
  if (skb.tcp) return [skb.tcp.sport, skb.tcp.dport];
  if (skb.udp) return [skb.udp.sport, skb.udp.dport];
  return undefined;
}

/** xt_state / xt_conntrack's state bit of the packet. */
export function ctStateBit(p: PktCtx): number {
  const c = p.skb.ct;
  if (c?.untracked) return CT_STATE_BITS.UNTRACKED;
  if (!c || !p.ct) return CT_STATE_BITS.INVALID;
  switch (c.info) {
    case 'NEW':
      return CT_STATE_BITS.NEW;
    case 'RELATED':
    case 'RELATED_REPLY':
      return CT_STATE_BITS.RELATED;
    default:
      return CT_STATE_BITS.ESTABLISHED;
  }
}

const LIMIT_STATE = new WeakMap<object, { credit: number; prev: number | undefined }>();
const LIMIT_SCALE = 10000;
const HZ = 250; // Debian's CONFIG_HZ
const CREDITS_PER_JIFFY = 128; // POW2_BELOW32(0xFFFFFFFF / (HZ*60*60*24)) for HZ=250
const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86400 } as const;

/**
 * A legacy table replace (libiptc commits the whole table on every change, -Z included) runs every
 * rule's checkentry again, so each xt_limit bucket of TABLE starts full again (measured on 6.18:
 * `--limit 1/min --limit-burst 1` matches twice across an unrelated `iptables-legacy -A`, once
 * under iptables-nft, which adds the rule alone).
 */
export function legacyTableReplaced(table: Table): void {
  for (const c of table.chains.values()) rulesReplaced(c.rules);
}

/**
 * RULES were replaced by new instances (iptables-nft -Z replaces each zeroed rule to reset its
 * counter expression; measured: the limit bucket is full again afterwards): xt_limit state anew.
 */
export function rulesReplaced(rules: Iterable<Rule>): void {
  for (const r of rules) for (const m of r.matches) if (m.name === 'limit') LIMIT_STATE.delete(m.info);
}

export function compileMatch(m: XtMatch): MatchFn {
  switch (m.name) {
    case 'tcp': {
      // tcp_mt
      const i = m.info;
      return (p) => {
        const t = p.skb.tcp;
        if (!t) return false;
        if (inRange(i.spts, t.sport) === i.invSpt) return false;
        if (inRange(i.dpts, t.dport) === i.invDpt) return false;
        if (((tcpFlagBits(p.skb) & i.flgMask) === i.flgCmp) === i.invFlags) return false;
        // TCP options are kept as text only: an option number is never seen as present
        if (i.option !== undefined) return i.invOption;
        return true;
      };
    }
    case 'udp': {
      const i = m.info;
      return (p) => {
        const u = p.skb.udp;
        if (!u) return false;
        return inRange(i.spts, u.sport) !== i.invSpt && inRange(i.dpts, u.dport) !== i.invDpt;
      };
    }
    case 'icmp': {
      // icmp_type_code_match: type 0xFF matches any type
      const i = m.info;
      return (p) => {
        const c = p.skb.icmp;
        if (!c || p.skb.ip.protocol !== IPPROTO.ICMP) return false;
        const hit = i.type === 255 || (c.type === i.type && c.code >= i.codeMin && c.code <= i.codeMax);
        return hit !== i.invert;
      };
    }
    case 'multiport': {
      const i = m.info;
      return (p) => {
        const pp = ports(p.skb);
        if (!pp) return false;
        let hit = false;
        for (const r of i.ports) {
          if ((i.flags !== 'dst' && inRange(r, pp[0])) || (i.flags !== 'src' && inRange(r, pp[1]))) {
            hit = true;
            break;
          }
        }
        return hit !== i.invert;
      };
    }
    case 'addrtype': {
      // addrtype_mt_v1
      const i = m.info;
      const src = new Set<AddrType>(i.source), dst = new Set<AddrType>(i.dest);
      return (p) => {
        const fib = p.ns.fib;
        const dev = i.limitIfaceIn ? p.indev : i.limitIfaceOut ? p.outdev : undefined;
        if (src.size && src.has(fib.addrType(p.skb.ip.saddr, dev)) === i.invSource) return false;
        if (dst.size && dst.has(fib.addrType(p.skb.ip.daddr, dev)) === i.invDest) return false;
        return true;
      };
    }
    case 'state': {
      const i = m.info;
      return (p) => ((ctStateBit(p) & i.mask) !== 0) !== i.invert;
    }
    case 'conntrack':
      return compileConntrack(m.info);
    case 'comment':
      return () => true;
    case 'mark': {
      const i = m.info;
      return (p) => (((p.skb.mark & i.mask) >>> 0) === (i.mark >>> 0)) !== i.invert;
    }
    case 'connmark': {
      const i = m.info;
      return (p) => {
        if (!p.ct) return false;
        return (((p.ct.mark & i.mask) >>> 0) === (i.mark >>> 0)) !== i.invert;
      };
    }
    case 'iprange': {
      const i = m.info;
      return (p) => {
        if (i.src && ((p.skb.ip.saddr >= i.src.from && p.skb.ip.saddr <= i.src.to) === i.src.invert)) return false;
        if (i.dst && ((p.skb.ip.daddr >= i.dst.from && p.skb.ip.daddr <= i.dst.to) === i.dst.invert)) return false;
        return true;
      };
    }
    case 'physdev':
      return compilePhysdev(m.info);
    case 'set': {
      // set_match_v4 → ip_set_test: the set is looked up by name per packet (ipset add/del take
      // effect at once); a set of dimension 1 reads the first direction flag only.
      const i = m.info;
      return (p) => {
        const set = ipSetsOfNs(p.ns)?.sets.get(i.setName);
        if (!set || i.flags.length < 1) return i.invert;
        const addr = i.flags[0] === 'src' ? p.skb.ip.saddr : p.skb.ip.daddr;
        return ipSetTest(set, addr) !== i.invert;
      };
    }
    case 'limit': {
      // xt_limit: token bucket in credits, refilled per jiffy of virtual time
      const i = m.info;
      const avg = Math.floor((LIMIT_SCALE * UNIT_SECONDS[i.unit]) / i.avg);
      // u32 as in the kernel: a large value is divided first, and avg * burst wraps
      const user2credits = (u: number) => (u > Math.floor(0xffffffff / (HZ * CREDITS_PER_JIFFY)) ? (Math.floor(u / LIMIT_SCALE) * HZ * CREDITS_PER_JIFFY) >>> 0 : Math.floor((u * HZ * CREDITS_PER_JIFFY) / LIMIT_SCALE));
      const cost = user2credits(avg);
      const cap = user2credits((avg * i.burst) >>> 0);
      // the bucket belongs to the rule (its match info), not to one compilation of the table;
      // looked up per packet so that a rule replacement (rulesReplaced) takes effect at once
      return (p) => {
        let s = LIMIT_STATE.get(i);
        if (!s) LIMIT_STATE.set(i, (s = { credit: cap, prev: undefined }));
        const jiffies = Math.floor(p.kernel.now / (1e9 / HZ));
        if (s.prev === undefined) s.prev = jiffies;
        s.credit += (jiffies - s.prev) * CREDITS_PER_JIFFY;
        s.prev = jiffies;
        if (s.credit > cap) s.credit = cap;
        if (s.credit >= cost) {
          s.credit -= cost;
          return true;
        }
        return false;
      };
    }
  }
}

function compileConntrack(i: Extract<XtMatch, { name: 'conntrack' }>['info']): MatchFn {
  const onlyState = i.state !== undefined && Object.keys(i).every((k) => k === 'state' || (i as Record<string, unknown>)[k] === undefined);
  return (p) => {
    const ct = p.ct;
    if (i.state) {
      let bit = ctStateBit(p);
      if (ct && !p.skb.ct?.untracked) {
        if (ct.srcNat) bit |= CT_STATE_BITS.SNAT;
        if (ct.dstNat) bit |= CT_STATE_BITS.DNAT;
      }
      if (((bit & i.state.mask) !== 0) === i.state.invert) return false;
    }
    if (!ct || p.skb.ct?.untracked) return onlyState;
    const o = ct.tuple[0], r = ct.tuple[1];
    if (i.direction && ((ctinfoDir(p.skb.ct!.info) === 0) === (i.direction.dir === 'ORIGINAL')) === i.direction.invert) return false;
    if (i.proto && (o.proto === i.proto.proto) === i.proto.invert) return false;
    if (i.origSrc && ((((o.src & i.origSrc.mask) >>> 0) === ((i.origSrc.addr & i.origSrc.mask) >>> 0)) === i.origSrc.invert)) return false;
    if (i.origDst && ((((o.dst & i.origDst.mask) >>> 0) === ((i.origDst.addr & i.origDst.mask) >>> 0)) === i.origDst.invert)) return false;
    if (i.replSrc && ((((r.src & i.replSrc.mask) >>> 0) === ((i.replSrc.addr & i.replSrc.mask) >>> 0)) === i.replSrc.invert)) return false;
    if (i.replDst && ((((r.dst & i.replDst.mask) >>> 0) === ((i.replDst.addr & i.replDst.mask) >>> 0)) === i.replDst.invert)) return false;
    if (i.origSrcPort && inRange(i.origSrcPort.range, o.sport) === i.origSrcPort.invert) return false;
    if (i.origDstPort && inRange(i.origDstPort.range, o.dport) === i.origDstPort.invert) return false;
    if (i.replSrcPort && inRange(i.replSrcPort.range, r.sport) === i.replSrcPort.invert) return false;
    if (i.replDstPort && inRange(i.replDstPort.range, r.dport) === i.replDstPort.invert) return false;
    if (i.status) {
      // IPS_EXPECTED 1, IPS_SEEN_REPLY 2, IPS_ASSURED 4, IPS_CONFIRMED 8
      const st = (ct.seenReply ? 2 : 0) | (ct.assured ? 4 : 0) | (ct.confirmed ? 8 : 0);
      if (((st & i.status.mask) !== 0) === i.status.invert) return false;
    }
    return true;
  };
}

function compilePhysdev(i: Extract<XtMatch, { name: 'physdev' }>['info']): MatchFn {
  // physdev_mt
  return (p) => {
    const d = p.skb.dev;
    const physIn = d?.physIn, physOut = d?.physOut;
    if (physIn === undefined && physOut === undefined) {
      if (i.isBridged && !i.isBridged.invert) return false;
      if (i.isIn && !i.isIn.invert) return false;
      if (i.isOut && !i.isOut.invert) return false;
      if (i.physdevIn && !i.physdevIn.invert) return false;
      if (i.physdevOut && !i.physdevOut.invert) return false;
      return true;
    }
    if (i.isBridged && (physOut !== undefined) === i.isBridged.invert) return false;
    if (i.isIn && (physIn !== undefined) === i.isIn.invert) return false;
    if (i.isOut && (physOut !== undefined) === i.isOut.invert) return false;
    if (i.physdevIn && physIn !== undefined && ifaceMatches(i.physdevIn.name, physIn) === i.physdevIn.invert) return false;
    if (!i.physdevOut) return true;
    if (physOut === undefined) return false;
    return ifaceMatches(i.physdevOut.name, physOut) !== i.physdevOut.invert;
  };
}

/** Matches and targets that make the namespace track connections (nf_ct_netns_get in checkentry). */
export const CT_USING_MATCHES = new Set(['conntrack', 'state', 'connmark']);
export const CT_USING_TARGETS = new Set(['MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'CONNMARK', 'CT', 'NOTRACK']);
