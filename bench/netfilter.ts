// Netfilter throughput: forwarded packets per second through Docker 29's default rules, and
// through a 15,000-rule chain every packet must scan. Run: npx node bench/netfilter.ts
// (recording off, as `npm run bench` measures). Pure kernel-model work: no stack, no devices.
import { runRestore } from '../src/userland/iptables-restore.ts';
import type { ToolContext } from '../src/userland/tool.ts';
import { createNetfilterNs, nfHookIpv4, type NfKernel, type NfNetns } from '../src/kernel/netfilter/index.ts';
import type { Skb } from '../src/kernel/skb.ts';
import type { Hook } from '../src/kernel/netfilter/types.ts';

const DOCKER29 = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-BRIDGE - [0:0]
:DOCKER-CT - [0:0]
:DOCKER-FORWARD - [0:0]
:DOCKER-INTERNAL - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-FORWARD
-A DOCKER ! -i docker0 -o docker0 -j DROP
-A DOCKER-BRIDGE -o docker0 -j DOCKER
-A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A DOCKER-FORWARD -j DOCKER-CT
-A DOCKER-FORWARD -j DOCKER-INTERNAL
-A DOCKER-FORWARD -j DOCKER-BRIDGE
-A DOCKER-FORWARD -i docker0 -j ACCEPT
COMMIT
`;

function bigChain(n: number): string {
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < n; i++) lines.push(process.env.GENERIC === "3" ? `-A FORWARD -m comment --comment r${i} -j DROP -s 0.0.0.0/0 ! -d 10.1.0.2/32` : process.env.GENERIC === "2" ? `-A FORWARD -s 11.${(i >> 8) & 255}.${i & 255}.0/24 -j DROP` : process.env.GENERIC ? `-A FORWARD -p tcp -m tcp --sport ${1000 + (i % 5000)} -j DROP` : `-A FORWARD -s 10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 -p tcp --dport ${1000 + (i % 5000)} -j DROP`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

function setup(ruleset: string, backend: 'legacy' | 'nft') {
  const kernel: NfKernel = { now: 0, recording: false, seed: 1, emit() {}, log() {}, newSkbId: () => 0 };
  const ns: NfNetns = {
    name: 'bench',
    nf: createNetfilterNs(1),
    fib: { addrType: (a) => (a === 0xc0a80102 || a === 0xac110001 ? 'LOCAL' : 'UNICAST') },
    selectSourceAddress: () => 0xc0a80102,
    primaryAddress: () => 0xc0a80102,
    sysctl: new Map(),
  };
  const ctx = { kernel, netns: 'bench', stdin: ruleset, out() {}, err(t: string) { throw new Error(t); }, background: false, pos: { file: 'bench', line: 1, column: 1 }, env: {}, run: () => 0 } as unknown as ToolContext;
  if (runRestore([], ctx, backend) !== 0) throw new Error('restore failed');
  return { kernel, ns };
}

function echo(i: number, reply: boolean): Skb {
  const id = i & 0xffff;
  return reply
    ? { id: i, len: 84, ip: { saddr: 0x72727272, daddr: 0xc0a80102, protocol: 1, ttl: 60, tos: 0, id, df: false, ihl: 20 }, icmp: { type: 0, code: 0, id: 7, seq: id }, payloadLen: 56, mark: 0 }
    : { id: i, len: 84, ip: { saddr: 0xac110002, daddr: 0x72727272, protocol: 1, ttl: 64, tos: 0, id, df: true, ihl: 20 }, icmp: { type: 8, code: 0, id: 7, seq: id }, payloadLen: 56, mark: 0 };
}

function walk(k: NfKernel, ns: NfNetns, skb: Skb, inDev: string, outDev: string): void {
  for (const [hook, i, o] of [['PREROUTING', inDev, undefined], ['FORWARD', inDev, outDev], ['POSTROUTING', undefined, outDev]] as Array<[Hook, string | undefined, string | undefined]>) {
    if (nfHookIpv4(k, ns, hook, skb, i, o) !== 'ACCEPT') return;
  }
}

export function benchDocker29(packets = 400_000): number {
  const { kernel, ns } = setup(DOCKER29, 'nft');
  const t0 = performance.now();
  for (let i = 0; i < packets; i += 2) {
    walk(kernel, ns, echo(i, false), 'docker0', 'eth0');
    walk(kernel, ns, echo(i + 1, true), 'eth0', 'docker0');
    kernel.now += 10_000;
  }
  return packets / ((performance.now() - t0) / 1000);
}

export function benchBigChain(rules = 15_000, packets = 40_000): { loadMs: number; pps: number } {
  const text = bigChain(rules);
  const l0 = performance.now();
  const { kernel, ns } = setup(text, 'legacy');
  nfHookIpv4(kernel, ns, 'FORWARD', echo(0, false), 'a', 'b'); // compile
  const loadMs = performance.now() - l0;
  const t0 = performance.now();
  for (let i = 0; i < packets; i++) {
    const skb: Skb = { id: i, len: 60, ip: { saddr: 0x0a000002 + (i & 255), daddr: 0x0a010002, protocol: 6, ttl: 64, tos: 0, id: i, df: true, ihl: 20 }, tcp: { sport: 40000 + (i & 1023), dport: 80, seq: 0, ackSeq: 0, flags: { fin: false, syn: true, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false }, window: 64240, doff: 40, options: [] }, payloadLen: 0, mark: 0 };
    walk(kernel, ns, skb, 'a', 'b');
  }
  return { loadMs, pps: packets / ((performance.now() - t0) / 1000) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Docker 29 rules, forwarded ping request+reply: ${Math.round(benchDocker29()).toLocaleString('en')} packets/s`);
  const b = benchBigChain();
  console.log(`15,000-rule chain scanned by every packet: ${Math.round(b.pps).toLocaleString('en')} packets/s (restore + compile ${b.loadMs.toFixed(0)} ms)`);
}
