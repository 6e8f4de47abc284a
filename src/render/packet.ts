// Short human descriptions of a packet snapshot, shared by the diagrams.
import { formatIpv4 } from '../kernel/addr.ts';
import type { RunRecord, SkbSnapshot } from '../scenario/record.ts';

const ICMP_TYPES: Record<number, string> = {
  0: 'echo reply', 3: 'unreachable', 5: 'redirect', 8: 'echo request', 11: 'time exceeded',
};

export function tcpFlags(snap: SkbSnapshot): string {
  const f = snap.tcp?.flags;
  if (!f) return '';
  let s = '';
  if (f.fin) s += 'F';
  if (f.syn) s += 'S';
  if (f.rst) s += 'R';
  if (f.psh) s += 'P';
  if (f.urg) s += 'U';
  if (f.ece) s += 'E';
  if (f.cwr) s += 'W';
  if (f.ack) s += '.';
  return s || 'none';
}

/** `172.17.0.2:43210` for TCP/UDP, the bare address otherwise. */
export function endpoint(snap: SkbSnapshot, side: 'src' | 'dst'): string {
  const a = formatIpv4(side === 'src' ? snap.ip.saddr : snap.ip.daddr);
  const l4 = snap.tcp ?? snap.udp;
  if (!l4) return a;
  return `${a}:${side === 'src' ? l4.sport : l4.dport}`;
}

/** tcpdump's words for an ARP frame: `ARP who-has 172.17.0.1 tell 172.17.0.2`, `ARP reply 172.17.0.1 is-at 02:42:ac:11:00:01`. */
export function describeArp(snap: SkbSnapshot): string | undefined {
  const arp = snap.arp;
  if (!arp) return undefined;
  return arp.op === 1 ? `ARP who-has ${formatIpv4(arp.tpa)} tell ${formatIpv4(arp.spa)}` : `ARP reply ${formatIpv4(arp.spa)} is-at ${arp.sha}`;
}

/** `TCP [S] 10.0.0.1:43210 → 10.0.0.2:80`, `ICMP echo request 172.17.0.2 → 8.8.8.8`, `ARP who-has 172.17.0.1 tell 172.17.0.2`. */
export function describePacket(snap: SkbSnapshot): string {
  const arp = describeArp(snap);
  if (arp) return arp;
  const route = `${endpoint(snap, 'src')} → ${endpoint(snap, 'dst')}`;
  if (snap.tcp) return `TCP [${tcpFlags(snap)}] ${route}`;
  if (snap.udp) return `UDP ${route}`;
  if (snap.icmp) return `ICMP ${ICMP_TYPES[snap.icmp.type] ?? `type ${snap.icmp.type}`} ${route}`;
  return `proto ${snap.ip.protocol} ${route}`;
}

export function netnsLabel(netns: string): string {
  return netns === '' ? 'host' : netns;
}

/** The packet that answers `id`: its direct child (echo reply, RST, ICMP error), else the next packet of its flow in the reply direction. */
export function replyOf(record: RunRecord, id: number): number | undefined {
  const child = record.packets.find((p) => p.parent === id);
  if (child) return child.id;
  const entries = new Set<number>();
  for (const e of record.events) if (e.pkt === id && e.type === 'ct') entries.add(e.entryId);
  for (const e of record.events) {
    if (e.type === 'ct' && e.pkt > id && entries.has(e.entryId) && (e.ctinfo ?? '').endsWith('_REPLY')) return e.pkt;
  }
  return undefined;
}
