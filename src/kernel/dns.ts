// DNS as packets: a stub resolver (glibc's getaddrinfo: A and AAAA queries from one UDP socket
// to the first nameserver of the namespace's /etc/resolv.conf, 5 s timeout, 2 attempts) and a
// DNS server a scenario world registers on an address. Queries and answers are real UDP packets
// walking the stack, so iptables counters and conntrack see them (seed 000 counts them).
// Sizes as on the wire: query = 12 + QNAME + 4 (no EDNS0, as glibc sends by default); an answer
// adds 16 bytes per A record (name pointer, type, class, TTL, length, address).
import { parseIpv4, type Ipv4 } from './addr.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { UdpSocket } from './socket.ts';
import { udpSendto } from './udp.ts';

export interface DnsServer {
  ns: Netns;
  addr: Ipv4;
  /** name (lower case, no trailing dot) → IPv4 addresses. */
  records: Map<string, Ipv4[]>;
  socket: UdpSocket;
}

/** Wire length of a QNAME: one length byte per label plus the labels, plus the root byte. */
export function qnameLength(name: string): number {
  return name.split('.').filter((l) => l.length > 0).reduce((n, l) => n + 1 + l.length, 1);
}

interface Query {
  id: number;
  name: string;
  qtype: 'A' | 'AAAA';
}

function encodeQuery(q: Query): string {
  return `DNSQ ${q.id} ${q.qtype} ${q.name}`;
}

function decode(payload: string): { kind: 'Q' | 'R'; id: number; qtype: 'A' | 'AAAA'; name: string; answers: Ipv4[]; rcode: string } | undefined {
  const m = /^DNS([QR]) (\d+) (A|AAAA) (\S+)(?: (\S+))?(?: (.*))?$/.exec(payload);
  if (!m) return undefined;
  return { kind: m[1] as 'Q' | 'R', id: Number(m[2]), qtype: m[3] as 'A' | 'AAAA', name: m[4], rcode: m[5] ?? 'NOERROR', answers: m[6] ? m[6].split(',').map((a) => Number(a)) : [] };
}

/** A DNS message as the wire format here carries it (for servers outside this file: dockerd's resolver). */
export const decodeDnsMessage = decode;

/** An answer to query Q: its payload and its length on the wire (one A record = 16 bytes). */
export function dnsReply(q: { id: number; qtype: 'A' | 'AAAA'; name: string }, rcode: string, answers: Ipv4[]): { payload: string; len: number } {
  return { payload: `DNSR ${q.id} ${q.qtype} ${q.name} ${rcode} ${answers.join(',')}`, len: 12 + qnameLength(q.name) + 4 + 16 * answers.length };
}

/**
 * Registers a DNS server on ADDR:53 in NS answering from RECORDS. Returns undefined when the
 * port is taken. Unknown names get NXDOMAIN; AAAA queries get an empty NOERROR answer.
 */
export function registerDnsServer(kernel: Kernel, ns: Netns, addr: Ipv4, records: Record<string, string[] | Ipv4[]> | Map<string, Ipv4[]>): DnsServer | undefined {
  const map = new Map<string, Ipv4[]>();
  const entries = records instanceof Map ? [...records.entries()] : Object.entries(records);
  for (const [name, addrs] of entries) {
    map.set(name.toLowerCase().replace(/\.$/, ''), (addrs as Array<string | Ipv4>).map((a) => (typeof a === 'string' ? parseIpv4(a)! : a)));
  }
  const server: DnsServer = { ns, addr, records: map, socket: { laddr: addr, lport: 53 } };
  server.socket.onDatagram = (skb, data) => {
    const q = decode(data);
    if (!q || q.kind !== 'Q') return;
    const known = server.records.get(q.name.toLowerCase());
    const answers = q.qtype === 'A' ? known ?? [] : [];
    const rcode = known ? 'NOERROR' : 'NXDOMAIN';
    const payload = `DNSR ${q.id} ${q.qtype} ${q.name} ${rcode} ${answers.join(',')}`;
    const len = 12 + qnameLength(q.name) + 4 + 16 * answers.length;
    sendTo(kernel, ns, server.socket, skb.ip.saddr, skb.udp!.sport, payload, len);
  };
  if (!ns.sockets.bindUdp(server.socket)) return undefined;
  return server;
}

/** Sends PAYLOAD as a datagram whose wire payload length is LEN (the DNS message size). */
function sendTo(kernel: Kernel, ns: Netns, sock: UdpSocket, daddr: Ipv4, dport: number, payload: string, len: number): void {
  udpSendto(kernel, ns, sock, daddr, dport, { len, payload });
}

export type ResolveResult = { ok: true; addrs: Ipv4[] } | { ok: false; error: 'NXDOMAIN' | 'TIMEOUT' | 'NO_SERVER' };

/**
 * getaddrinfo(NAME) in NS: /etc/hosts first, then A and AAAA queries to the first nameserver,
 * waiting in virtual time (RES_TIMEOUT 5 s per attempt, 2 attempts). IPv4 literals resolve at once.
 */
export function resolveName(kernel: Kernel, ns: Netns, name: string, opts: { aaaa?: boolean; deadline?: number } = {}): ResolveResult {
  const lit = parseIpv4(name);
  if (lit !== undefined) return { ok: true, addrs: [lit] };
  const host = ns.hosts.get(name.toLowerCase());
  if (host !== undefined) return { ok: true, addrs: [host] };
  if (name.toLowerCase() === 'localhost') return { ok: true, addrs: [0x7f000001] };
  const server = ns.resolvConf[0];
  if (server === undefined) return { ok: false, error: 'NO_SERVER' };
  const sock: UdpSocket = { laddr: 0, lport: 0, raddr: server, rport: 53 };
  const wantAaaa = opts.aaaa ?? true;
  let answers: Ipv4[] | undefined;
  let nx = false;
  let got = 0;
  let errored = false;
  const qid = kernel.prng.u32() & 0xffff;
  sock.onDatagram = (_skb, data) => {
    const r = decode(data);
    if (!r || r.kind !== 'R' || (r.id !== qid && r.id !== ((qid + 1) & 0xffff))) return;
    got++;
    if (r.qtype === 'A') {
      answers = r.answers;
      if (r.rcode === 'NXDOMAIN') nx = true;
    }
  };
  sock.onError = () => {
    errored = true;
  };
  const expected = wantAaaa ? 2 : 1;
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      const queries: Query[] = [{ id: qid, name, qtype: 'A' }];
      if (wantAaaa) queries.push({ id: (qid + 1) & 0xffff, name, qtype: 'AAAA' });
      for (const q of queries) {
        const len = 12 + qnameLength(name) + 4;
        const rt = udpSendto(kernel, ns, sock, server, 53, { len, payload: encodeQuery(q) });
        if (!rt.ok) return { ok: false, error: 'TIMEOUT' };
      }
      const deadline = Math.min(kernel.now + 5e9, opts.deadline ?? Infinity);
      kernel.runUntil(() => got >= expected || errored, deadline);
      if (got >= expected || errored || kernel.now >= (opts.deadline ?? Infinity)) break;
    }
  } finally {
    ns.sockets.closeUdp(sock);
  }
  if (answers && answers.length) return { ok: true, addrs: answers };
  if (nx) return { ok: false, error: 'NXDOMAIN' };
  return { ok: false, error: 'TIMEOUT' };
}
