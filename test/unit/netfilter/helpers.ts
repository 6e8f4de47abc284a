// Hand-built kernel, namespace, rulesets and packets for netfilter unit tests.
import { parseIpv4, type Ipv4 } from '../../../src/kernel/addr.ts';
import type { Skb, TcpFlags } from '../../../src/kernel/skb.ts';
import type { KernelEvent } from '../../../src/scenario/record.ts';
import { createNetfilterNs, replaceTable, emptyTable, nfHookIpv4, type NfKernel, type NfNetns } from '../../../src/kernel/netfilter/index.ts';
import type { AddrType, Backend, Hook, IptIp, Rule, Table, TableName, XtMatch, XtTarget } from '../../../src/kernel/netfilter/types.ts';

export const ip = (s: string): Ipv4 => parseIpv4(s)!;

export interface TestWorld {
  kernel: NfKernel & { events: KernelEvent[]; logs: string[]; sent: Skb[] };
  ns: NfNetns;
}

export function world(opts: { local?: string[]; name?: string; recording?: boolean } = {}): TestWorld {
  const events: KernelEvent[] = [];
  const logs: string[] = [];
  const sent: Skb[] = [];
  let nextId = 1000;
  const local = new Set((opts.local ?? ['10.0.1.1', '10.0.2.1']).map(ip));
  const sysctl = new Map<string, string>();
  const ns: NfNetns = {
    name: opts.name ?? '',
    nf: createNetfilterNs(1),
    fib: { addrType: (a: Ipv4): AddrType => (local.has(a) || a >>> 24 === 127 ? 'LOCAL' : 'UNICAST') },
    selectSourceAddress: (dev) => (dev === 'rb' ? ip('10.0.2.1') : ip('10.0.1.1')),
    primaryAddress: (dev) => (dev === 'rb' ? ip('10.0.2.1') : ip('10.0.1.1')),
    sysctl,
  };
  const kernel = {
    now: 0,
    recording: opts.recording ?? true,
    seed: 1,
    events,
    logs,
    sent,
    emit(e: KernelEvent) {
      if (this.recording) events.push(e);
    },
    log(line: string) {
      logs.push(line);
    },
    newSkbId: () => nextId++,
    ipLocalOut(n: NfNetns, skb: Skb) {
      sent.push(skb);
      if (nfHookIpv4(kernel, n, 'OUTPUT', skb, undefined, 'ra') === 'ACCEPT') nfHookIpv4(kernel, n, 'POSTROUTING', skb, undefined, 'ra');
    },
    netns: (name: string) => (name === ns.name ? ns : undefined),
  };
  return { kernel, ns };
}

export function anyIp(over: Partial<IptIp> = {}): IptIp {
  return { src: 0, smsk: 0, dst: 0, dmsk: 0, iniface: '', outiface: '', proto: 0, invSrc: false, invDst: false, invIn: false, invOut: false, invProto: false, ...over };
}

export function rule(target: XtTarget, over: Partial<IptIp> = {}, matches: XtMatch[] = []): Rule {
  return { ip: anyIp(over), matches, target, counters: { packets: 0, bytes: 0 } };
}

/** Builds a table: chains given as { CHAIN: rules }, user chains created when not built-in. */
export function table(name: TableName, chains: Record<string, Rule[]>, policies: Record<string, 'ACCEPT' | 'DROP'> = {}, backend: Backend = 'legacy'): Table {
  const t = emptyTable(name, backend);
  for (const [c, rules] of Object.entries(chains)) {
    const ch = t.chains.get(c) ?? { name: c, rules: [] };
    ch.rules = rules;
    if (backend === 'nft' && ch.policy) ch.present = true;
    t.chains.set(c, ch);
  }
  for (const [c, p] of Object.entries(policies)) {
    const ch = t.chains.get(c)!;
    ch.policy = p;
    if (backend === 'nft') ch.present = true;
  }
  return t;
}

export function load(w: TestWorld, ...tables: Table[]): void {
  for (const t of tables) {
    const err = replaceTable(w.kernel, w.ns.name, t.backend ?? 'legacy', t);
    if (err) throw new Error(err.message);
  }
}

const NOFLAGS: TcpFlags = { fin: false, syn: false, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false };
let pktId = 1;

export function icmpEcho(src: string, dst: string, type = 8, id = 42, seq = 1): Skb {
  return { id: pktId++, len: 84, ip: { saddr: ip(src), daddr: ip(dst), protocol: 1, ttl: 64, tos: 0, id: 1, df: true, ihl: 20 }, icmp: { type, code: 0, id, seq }, payloadLen: 56, mark: 0 };
}

export function tcp(src: string, sport: number, dst: string, dport: number, flags: Partial<TcpFlags>, len = 60): Skb {
  return {
    id: pktId++,
    len,
    ip: { saddr: ip(src), daddr: ip(dst), protocol: 6, ttl: 64, tos: 0, id: 2, df: true, ihl: 20 },
    tcp: { sport, dport, seq: 100, ackSeq: 0, flags: { ...NOFLAGS, ...flags }, window: 64240, doff: len - 20, options: [] },
    payloadLen: 0,
    mark: 0,
  };
}

export function udp(src: string, sport: number, dst: string, dport: number, payload = 10): Skb {
  return { id: pktId++, len: 28 + payload, ip: { saddr: ip(src), daddr: ip(dst), protocol: 17, ttl: 64, tos: 0, id: 3, df: true, ihl: 20 }, udp: { sport, dport }, payloadLen: payload, mark: 0 };
}

/** Walks a forwarded packet through PREROUTING, FORWARD, POSTROUTING; returns the verdict and where it stopped. */
export function forward(w: TestWorld, skb: Skb, indev: string, outdev: string): string {
  for (const [hook, i, o] of [['PREROUTING', indev, undefined], ['FORWARD', indev, outdev], ['POSTROUTING', undefined, outdev]] as Array<[Hook, string | undefined, string | undefined]>) {
    const v = nfHookIpv4(w.kernel, w.ns, hook, skb, i, o);
    if (v !== 'ACCEPT') return `${v}@${hook}`;
  }
  return 'ACCEPT';
}

export function counters(t: Table, chain: string): string {
  const c = t.chains.get(chain)!;
  return [c.policyCounters ? `policy ${c.policyCounters.packets}:${c.policyCounters.bytes}` : '', ...c.rules.map((r) => `${r.counters.packets}:${r.counters.bytes}`)].filter(Boolean).join(' ');
}
