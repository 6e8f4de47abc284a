// The bridge family: ebtables' tables (broute, nat, filter), ebt_do_table and the ebt_log watcher.
// nfHookBridge is bound into the stack (nfadapter.ts) and runs the tables registered at a bridge
// hook in the kernel's priority order:
//   BROUTING: broute | PREROUTING: nat (-300) | INPUT: filter (-200) | FORWARD: filter (-200)
//   OUTPUT: filter (-200), nat (100) | POSTROUTING: nat (300)
// These are ebtables-nft's base-chain priorities (the tool installed here): measured on kernel 6.18,
// host-to-container frames log filter-output before nat-OUTPUT. (Legacy ebtables registers filter
// OUTPUT at +200, after nat; seed 001 shows that older order.)
// Counters count skb->len, which at the bridge hooks is the IP packet (the Ethernet header is
// pulled), like iptables' counters. broute's DROP means "route this frame" (ebt_broute): the
// caller (the stack) reads 'DROP' at BROUTING that way.
import { formatIpv4, type Ipv4 } from '../addr.ts';
import type { Kernel } from '../kernel.ts';
import type { Netns } from '../netns.ts';
import { bindNetfilter, type BridgeHook, type Verdict } from '../nfadapter.ts';
import type { Skb } from '../skb.ts';
import type { Counters } from './types.ts';

export const EBT_TABLES = ['filter', 'nat', 'broute'] as const;
export type EbtTableName = (typeof EBT_TABLES)[number];

/** Built-in chains per table, in the order ebtables lists them. */
export const EBT_TABLE_HOOKS: Record<EbtTableName, readonly BridgeHook[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'OUTPUT', 'POSTROUTING'],
  broute: ['BROUTING'],
};

/** Tables at each bridge hook, in priority order. */
const HOOK_TABLES: Record<BridgeHook, readonly EbtTableName[]> = {
  BROUTING: ['broute'],
  PREROUTING: ['nat'],
  INPUT: ['filter'],
  FORWARD: ['filter'],
  OUTPUT: ['filter', 'nat'],
  POSTROUTING: ['nat'],
};

export type EbtVerdict = 'ACCEPT' | 'DROP' | 'CONTINUE' | 'RETURN';

export interface EbtMacMatch {
  mac: string;
  mask: string;
  invert: boolean;
}

export interface EbtIfaceMatch {
  name: string;
  invert: boolean;
}

export interface EbtIpMatch {
  src?: { addr: Ipv4; mask: Ipv4; invert: boolean };
  dst?: { addr: Ipv4; mask: Ipv4; invert: boolean };
  proto?: { proto: number; invert: boolean };
  tos?: { tos: number; invert: boolean };
  sport?: { range: [number, number]; invert: boolean };
  dport?: { range: [number, number]; invert: boolean };
}

/** struct ebt_entry with its matches, watchers and target, as plain data. */
export interface EbtRule {
  /** Ethernet protocol (-p): an ethertype, or 'LENGTH' for 802.3 frames. */
  proto?: { type: number | 'LENGTH'; invert: boolean };
  src?: EbtMacMatch;
  dst?: EbtMacMatch;
  iniface?: EbtIfaceMatch;
  outiface?: EbtIfaceMatch;
  logicalIn?: EbtIfaceMatch;
  logicalOut?: EbtIfaceMatch;
  ip?: EbtIpMatch;
  /** The log watcher (--log…): runs when the rule matches, before the target. */
  log?: { prefix: string; level: number; ip: boolean; arp: boolean; ip6: boolean };
  target: { verdict: EbtVerdict } | { jump: string };
  counters: Counters;
}

export interface EbtChain {
  name: string;
  /** Built-in chains: ACCEPT/DROP; user chains: ACCEPT/DROP/RETURN (default RETURN). */
  policy: 'ACCEPT' | 'DROP' | 'RETURN';
  rules: EbtRule[];
}

export interface EbtTable {
  name: EbtTableName;
  /** Built-in chains first (EBT_TABLE_HOOKS order), then user chains in creation order. */
  chains: Map<string, EbtChain>;
}

export interface EbtState {
  tables: Map<EbtTableName, EbtTable>;
}

const stateByKernel = new WeakMap<object, Map<string, EbtState>>();

/** The ebtables tables of a namespace (created empty on first use). */
export function getEbtState(kernel: object, netns: string): EbtState {
  let m = stateByKernel.get(kernel);
  if (!m) stateByKernel.set(kernel, (m = new Map()));
  let s = m.get(netns);
  if (!s) m.set(netns, (s = { tables: new Map() }));
  return s;
}

/** Forgets a namespace's ebtables tables (`ip netns del`: a new namespace of that name starts empty). */
export function dropEbtState(kernel: object, netns: string): void {
  stateByKernel.get(kernel)?.delete(netns);
}

export function newEbtTable(name: EbtTableName): EbtTable {
  const chains = new Map<string, EbtChain>();
  for (const h of EBT_TABLE_HOOKS[name]) chains.set(h, { name: h, policy: 'ACCEPT', rules: [] });
  return { name, chains };
}

// ---- matching -----------------------------------------------------------------------------------

function macBytes(mac: string): number[] {
  return mac.split(':').map((x) => parseInt(x, 16));
}

function macMatches(m: EbtMacMatch, mac: string | undefined): boolean {
  const a = macBytes(mac ?? '00:00:00:00:00:00');
  const want = macBytes(m.mac);
  const mask = macBytes(m.mask);
  let eq = true;
  for (let i = 0; i < 6; i++) if (((a[i]! ^ want[i]!) & mask[i]!) !== 0) eq = false;
  return eq !== m.invert;
}

/** ebt_dev_check: '+' suffix is a prefix wildcard; no device never matches a name. */
function ifaceMatches(m: EbtIfaceMatch, dev: string | undefined): boolean {
  let eq: boolean;
  if (dev === undefined) eq = false;
  else if (m.name.endsWith('+')) eq = dev.startsWith(m.name.slice(0, -1));
  else eq = dev === m.name;
  return eq !== m.invert;
}

function ethProto(skb: Skb): number {
  return skb.eth?.proto ?? 0x0800;
}

function ipMatches(m: EbtIpMatch, skb: Skb): boolean {
  // ebt_ip only looks at IPv4 frames; the rule must say -p IPv4 (checked when loaded).
  if (ethProto(skb) !== 0x0800) return false;
  const ip = skb.ip;
  const net = (x: { addr: Ipv4; mask: Ipv4; invert: boolean }, a: Ipv4): boolean => ((((a & x.mask) >>> 0) === x.addr) !== x.invert);
  if (m.src && !net(m.src, ip.saddr)) return false;
  if (m.dst && !net(m.dst, ip.daddr)) return false;
  if (m.tos && ((ip.tos === m.tos.tos) === m.tos.invert)) return false;
  if (m.proto && ((ip.protocol === m.proto.proto) === m.proto.invert)) return false;
  const ports = skb.tcp ?? skb.udp;
  const inRange = (r: { range: [number, number]; invert: boolean }, p: number | undefined): boolean =>
    p !== undefined && ((p >= r.range[0] && p <= r.range[1]) !== r.invert);
  if (m.sport && !inRange(m.sport, ports?.sport)) return false;
  if (m.dport && !inRange(m.dport, ports?.dport)) return false;
  return true;
}

function ruleMatches(r: EbtRule, skb: Skb, indev: string | undefined, outdev: string | undefined, logicalIn: string | undefined, logicalOut: string | undefined): boolean {
  if (r.proto) {
    const p = ethProto(skb);
    const eq = r.proto.type === 'LENGTH' ? p < 0x0600 : p === r.proto.type;
    if (eq === r.proto.invert) return false;
  }
  if (r.iniface && !ifaceMatches(r.iniface, indev)) return false;
  if (r.outiface && !ifaceMatches(r.outiface, outdev)) return false;
  if (r.logicalIn && !ifaceMatches(r.logicalIn, logicalIn)) return false;
  if (r.logicalOut && !ifaceMatches(r.logicalOut, logicalOut)) return false;
  if (r.src && !macMatches(r.src, skb.eth?.src)) return false;
  if (r.dst && !macMatches(r.dst, skb.eth?.dst)) return false;
  if (r.ip && !ipMatches(r.ip, skb)) return false;
  return true;
}

// ---- the log watcher ------------------------------------------------------------------------------

/** ebt_log_packet's line (net/bridge/netfilter/ebt_log.c), without the printk level. */
export function ebtLogLine(prefix: string, skb: Skb, indev: string | undefined, outdev: string | undefined, withIp: boolean): string {
  const proto = ethProto(skb);
  let s = `${prefix} IN=${indev ?? ''} OUT=${outdev ?? ''} MAC source = ${skb.eth?.src ?? '00:00:00:00:00:00'} MAC dest = ${skb.eth?.dst ?? '00:00:00:00:00:00'} proto = 0x${proto.toString(16).padStart(4, '0')}`;
  if (withIp && proto === 0x0800) {
    const ip = skb.ip;
    s += ` IP SRC=${formatIpv4(ip.saddr)} IP DST=${formatIpv4(ip.daddr)}, IP tos=0x${ip.tos.toString(16).toUpperCase().padStart(2, '0')}, IP proto=${ip.protocol}`;
    const ports = skb.tcp ?? skb.udp;
    if (ports) s += ` SPT=${ports.sport} DPT=${ports.dport}`;
  }
  return s;
}

function logAllowed(kernel: Kernel, ns: Netns): boolean {
  if (ns.name === '') return true;
  return kernel.netns('')?.sysctl.get('net.netfilter.nf_log_all_netns') === '1';
}

// ---- ebt_do_table ---------------------------------------------------------------------------------

interface Frame {
  chain: EbtChain;
  next: number;
}

/**
 * Walks TABLE's chain for HOOK. Returns the table's verdict ('ACCEPT' or 'DROP') and emits a
 * 'rule' event for each rule whose target decided something, each return from a user chain, and
 * the policy when it applied (TRACE granularity).
 */
export function ebtDoTable(kernel: Kernel, ns: Netns, hook: BridgeHook, table: EbtTable, skb: Skb, indev: string | undefined, outdev: string | undefined): 'ACCEPT' | 'DROP' {
  const base = table.chains.get(hook);
  if (!base) return 'ACCEPT';
  const logicalIn = indev !== undefined ? ns.devices.get(indev)?.port?.bridge.name : undefined;
  const logicalOut = outdev !== undefined ? ns.devices.get(outdev)?.port?.bridge.name : undefined;
  const stack: Frame[] = [];
  let chain = base;
  let i = 0;
  const ev = (kind: 'rule' | 'return' | 'policy', ruleNum: number, verdict: string, chainName: string): void => {
    if (kernel.recording) {
      kernel.emit({ type: 'rule', family: 'bridge', hook, table: table.name as never, chain: chainName, kind, ruleNum, verdict, t: kernel.now, netns: ns.name, pkt: skb.id });
    }
  };
  for (;;) {
    if (i >= chain.rules.length) {
      // End of chain: its policy. A user chain's RETURN policy goes back to the caller.
      const policy = chain.policy;
      if (policy === 'RETURN' && stack.length) {
        ev('return', chain.rules.length + 1, 'RETURN', chain.name);
        const f = stack.pop()!;
        chain = f.chain;
        i = f.next;
        continue;
      }
      ev('policy', chain.rules.length + 1, policy === 'RETURN' ? 'ACCEPT' : policy, chain.name);
      return policy === 'DROP' ? 'DROP' : 'ACCEPT';
    }
    const r = chain.rules[i]!;
    if (!ruleMatches(r, skb, indev, outdev, logicalIn, logicalOut)) {
      i++;
      continue;
    }
    r.counters.packets++;
    r.counters.bytes += skb.len;
    if (r.log && logAllowed(kernel, ns)) kernel.log(ebtLogLine(r.log.prefix, skb, indev, outdev, r.log.ip), ns.name, skb.id);
    const t = r.target;
    if ('jump' in t) {
      const target = table.chains.get(t.jump);
      if (!target) {
        i++;
        continue;
      }
      ev('rule', i + 1, `JUMP ${t.jump}`, chain.name);
      stack.push({ chain, next: i + 1 });
      chain = target;
      i = 0;
      continue;
    }
    switch (t.verdict) {
      case 'CONTINUE':
        i++;
        continue;
      case 'RETURN':
        ev('rule', i + 1, 'RETURN', chain.name);
        if (stack.length) {
          const f = stack.pop()!;
          chain = f.chain;
          i = f.next;
          continue;
        }
        // RETURN in a base chain: the policy decides.
        ev('policy', chain.rules.length + 1, base.policy, chain.name);
        return base.policy === 'DROP' ? 'DROP' : 'ACCEPT';
      default:
        ev('rule', i + 1, t.verdict, chain.name);
        return t.verdict;
    }
  }
}

/** NF_HOOK for NFPROTO_BRIDGE: every table registered at HOOK, in priority order. */
export function nfHookBridge(kernel: Kernel, ns: Netns, hook: BridgeHook, skb: Skb, indev: string | undefined, outdev: string | undefined): Verdict {
  const st = getEbtState(kernel, ns.name);
  for (const name of HOOK_TABLES[hook]) {
    const table = st.tables.get(name);
    if (!table) continue;
    const v = ebtDoTable(kernel, ns, hook, table, skb, indev, outdev);
    if (kernel.recording) {
      kernel.emit({ type: 'table', family: 'bridge', hook, table: name as never, verdict: v, t: kernel.now, netns: ns.name, pkt: skb.id });
    }
    if (v === 'DROP') return 'DROP';
  }
  return 'ACCEPT';
}

bindNetfilter({ hookBridge: nfHookBridge });
