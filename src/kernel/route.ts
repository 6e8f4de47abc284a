// The FIB: routing tables (local 255, main 254, default 253) and the default policy rules
// (0: local, 32766: main, 32767: default). Longest prefix wins, then the lowest metric.
import { inSubnet, prefixToMask, type Ipv4 } from './addr.ts';
import type { AddrType } from './netfilter/types.ts';
import type { Scope } from './device.ts';

export const RT_TABLE = { local: 255, main: 254, default: 253 } as const;

export const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'multicast', 'unreachable', 'blackhole', 'prohibit', 'throw'] as const;
export type RouteType = (typeof ROUTE_TYPES)[number];

export interface Route {
  table: number;
  type: RouteType;
  /** Destination network (masked). */
  dst: Ipv4;
  prefix: number;
  /** Output device name; absent for unreachable/blackhole/prohibit. */
  dev?: string;
  gateway?: Ipv4;
  metric: number;
  proto: 'kernel' | 'boot' | 'static';
  scope: Scope;
  /** Preferred source (`src` in `ip route`). */
  prefsrc?: Ipv4;
  /** Insertion order, for listing like the kernel (fib trie order is by key; listings sort by dst). */
  seq: number;
  /** RTAX_MTU (`mtu [lock] N`): the route's MTU, honoured for forwarding too; `lock` also keeps learned path MTUs out. */
  mtu?: number;
  mtuLock?: boolean;
}

export interface FibResult {
  route: Route;
  type: RouteType;
}

const TYPE_TO_RTN: Record<RouteType, AddrType> = {
  unicast: 'UNICAST', local: 'LOCAL', broadcast: 'BROADCAST', multicast: 'MULTICAST',
  unreachable: 'UNREACHABLE', blackhole: 'BLACKHOLE', prohibit: 'PROHIBIT', throw: 'THROW',
};

export function isMulticast(a: Ipv4): boolean {
  return a >>> 28 === 0xe;
}
export function isLimitedBroadcast(a: Ipv4): boolean {
  return a >>> 0 === 0xffffffff;
}
export function isZeronet(a: Ipv4): boolean {
  return a >>> 24 === 0;
}
export function isLoopback(a: Ipv4): boolean {
  return a >>> 24 === 127;
}

/** Entries kept per lookup cache before it starts over. */
const CACHE_MAX = 4096;

/** The default policy rules' tables, in rule order. */
const FIB_RULE_TABLES = [RT_TABLE.local, RT_TABLE.main, RT_TABLE.default] as const;

export class Fib {
  readonly tables = new Map<number, Route[]>([
    [RT_TABLE.local, []],
    [RT_TABLE.main, []],
    [RT_TABLE.default, []],
  ]);
  private seq = 0;
  /**
   * Results of `lookup(dst)` and `addrType(addr)` (no oif/dev) by address: forwarding looks the
   * same few addresses up several times per packet. Cleared by every change (`invalidate`).
   */
  private readonly lookupCache = new Map<Ipv4, FibResult | null>();
  /**
   * Next-hop exceptions (fib_nh_exception) learned from ICMP fragmentation-needed: the path MTU
   * towards a destination, until `expires` (virtual ns; net.ipv4.route.mtu_expires, 600 s).
   */
  readonly pmtu = new Map<Ipv4, { mtu: number; expires: number; lock?: boolean }>();
  private readonly addrTypeCache = new Map<Ipv4, AddrType>();

  /** Forgets cached lookups: whoever changes a table (or a route in it) outside add/remove/flushDev calls this. */
  invalidate(): void {
    this.lookupCache.clear();
    this.addrTypeCache.clear();
  }

  /** The learned path MTU towards DST at NOW, if any (an expired exception is forgotten). */
  pmtuOf(dst: Ipv4, now: number): number | undefined {
    const e = this.pmtu.get(dst);
    if (!e) return undefined;
    if (now >= e.expires) {
      this.pmtu.delete(dst);
      return undefined;
    }
    return e.mtu;
  }

  /**
   * __ip_rt_update_pmtu: a frag-needed for DST announcing MTU lowers the path MTU below the
   * route's (never raises it; below net.ipv4.route.min_pmtu, 552 by default, it is clamped to
   * that) for net.ipv4.route.mtu_expires (600 s by default).
   */
  updatePmtu(dst: Ipv4, mtu: number, routeMtu: number, now: number, minPmtu = 552, expiresNs = 600e9): void {
    const cur = this.pmtuOf(dst, now);
    const old = cur ?? routeMtu;
    if (old < mtu) return;
    // Below the floor: the floor, locked (`mtu lock 552` in ip route get).
    let lock = false;
    if (mtu < minPmtu) {
      lock = true;
      mtu = Math.min(old, minPmtu);
    }
    const e = this.pmtu.get(dst);
    if (cur === mtu && !lock && e && now < e.expires - expiresNs / 2) return;
    this.pmtu.set(dst, { mtu, expires: now + expiresNs, ...(lock ? { lock } : {}) });
  }

  table(id: number): Route[] {
    let t = this.tables.get(id);
    if (!t) this.tables.set(id, (t = []));
    return t;
  }

  /** Adds a route; returns false when an identical key (table, dst/prefix, metric, type) exists (RTNETLINK: File exists). */
  add(route: Omit<Route, 'seq'>): boolean {
    const t = this.table(route.table);
    if (t.some((r) => r.dst === route.dst && r.prefix === route.prefix && r.metric === route.metric && (route.table !== RT_TABLE.local || r.type === route.type))) return false;
    t.push({ ...route, seq: this.seq++ });
    this.invalidate();
    return true;
  }

  /** Removes routes matching every given field; returns how many. */
  remove(match: Partial<Route> & { table: number }): number {
    const t = this.table(match.table);
    const keep = t.filter((r) => !Object.entries(match).every(([k, v]) => v === undefined || (r as unknown as Record<string, unknown>)[k] === v));
    const n = t.length - keep.length;
    t.length = 0;
    t.push(...keep);
    this.invalidate();
    return n;
  }

  /** Removes every route through DEV in every table (a device went down or away). */
  flushDev(dev: string): void {
    for (const [id, t] of this.tables) {
      this.tables.set(id, t.filter((r) => r.dev !== dev));
    }
    this.invalidate();
  }

  /** fib_table_lookup on one table. */
  lookupTable(id: number, dst: Ipv4, oif?: string): Route | undefined {
    let best: Route | undefined;
    const t = this.table(id);
    for (let i = 0; i < t.length; i++) {
      const r = t[i];
      if (!inSubnet(dst, r.dst, r.prefix)) continue;
      if (oif !== undefined && r.dev !== undefined && r.dev !== oif && r.type !== 'local' && r.type !== 'broadcast') continue;
      if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && (r.metric < best.metric || (r.metric === best.metric && r.seq < best.seq)))) best = r;
    }
    return best;
  }

  /** fib_lookup through the default rules: local, main, default. A `throw` route falls through. */
  lookup(dst: Ipv4, oif?: string): FibResult | undefined {
    if (oif === undefined) {
      const c = this.lookupCache.get(dst);
      if (c !== undefined) return c ?? undefined;
    }
    let res: FibResult | undefined;
    for (let i = 0; i < FIB_RULE_TABLES.length; i++) {
      const r = this.lookupTable(FIB_RULE_TABLES[i], dst, oif);
      if (r && r.type !== 'throw') {
        res = { route: r, type: r.type };
        break;
      }
    }
    if (oif === undefined) {
      if (this.lookupCache.size >= CACHE_MAX) this.lookupCache.clear();
      this.lookupCache.set(dst, res ?? null);
    }
    return res;
  }

  /**
   * inet_dev_addr_type(): the RTN type of ADDR as -m addrtype sees it. With DEV, a local/broadcast
   * entry counts only when it sits on that device (--limit-iface-in/out).
   */
  addrType(addr: Ipv4, dev?: string): AddrType {
    if (isZeronet(addr) || isLimitedBroadcast(addr)) return 'BROADCAST';
    if (isMulticast(addr)) return 'MULTICAST';
    if (dev === undefined) {
      const c = this.addrTypeCache.get(addr);
      if (c !== undefined) return c;
    }
    const r = this.lookupTable(RT_TABLE.local, addr);
    const type = r && (dev === undefined || r.dev === dev) ? TYPE_TO_RTN[r.type] : 'UNICAST';
    if (dev === undefined) {
      if (this.addrTypeCache.size >= CACHE_MAX) this.addrTypeCache.clear();
      this.addrTypeCache.set(addr, type);
    }
    return type;
  }
}

export function networkOf(addr: Ipv4, prefix: number): Ipv4 {
  return (addr & prefixToMask(prefix)) >>> 0;
}

export function broadcastOf(addr: Ipv4, prefix: number): Ipv4 {
  return (networkOf(addr, prefix) | (~prefixToMask(prefix) >>> 0)) >>> 0;
}
