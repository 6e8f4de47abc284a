// tcpdump 4.99 on one interface: one line per packet the interface sends or receives, in
// tcpdump's format (layouts captured on the oracle machine). Runs in the background (`&`): it
// subscribes to the kernel's 'dev' events; when it ends (`kill %N`, `-c N`, or the end of the
// session) it prints the blank line and the `N packets captured` summary as tcpdump does.
//
// Time: virtual time 0 is 12:00:00.000000 of the capture's day, so `kernel.now` = 1.5 s prints as
// 12:00:01.500000 (the real tool prints the wall clock).
//
// Known differences with the real tool: IPv6 traffic (router solicitations, MLD reports) is not
// modelled; -vv (UDP checksums) is refused.
//
// TCP checksums under -v (measured on 6.18 over veth, lo and a forwarding, masquerading host):
// every virtual device offloads checksums, so a segment a socket sends (SYN-ACK, ACKs and FINs
// included) and REJECT's RST leave with CHECKSUM_PARTIAL: the field holds only the folded
// pseudo-header sum, tcpdump prints it `(incorrect -> 0xREAL)` wherever the segment is captured
// (sender, receiver, forwarded; NAT rewrites the pseudo-header part). Only the kernel's own RST
// for a closed port (ip_send_unicast_reply) has its checksum computed: `(correct)`. Fragments
// print none (tcp_print does not check them).
import { formatIpv4, parseIpv4, prefixToMask, inSubnet, type Ipv4 } from '../kernel/addr.ts';
import type { KernelEvent, PacketRecord, SkbSnapshot } from '../scenario/record.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

/** 12:00:00 in nanoseconds: virtual time 0 prints as noon. */
export const TCPDUMP_EPOCH_NS = 12 * 3600 * 1e9;

interface Options {
  iface: string;
  numeric: boolean;
  ether: boolean;
  quiet: boolean;
  verbose: number;
  count?: number;
  noTime: boolean;
  writeFile?: string;
  absoluteSeq: boolean;
  filter: Filter;
}

const SUPPORTED_OPTIONS = '-i IF, -n, -nn, -e, -q, -v, -c N, -l, -t, -S, -w FILE, -s N, -p, -U';

export function tcpdump(argv: string[], ctx: ToolContext): number {
  const opts = parseArgs(argv.slice(1), ctx);
  const ns = ctx.kernel.namespaces.get(ctx.netns);
  if (!ns) throw new ScriptError(`tcpdump: no namespace \`${ctx.netns}\``, ctx.pos);
  if (!ns.devices.has(opts.iface)) {
    ctx.err(`tcpdump: ${opts.iface}: No such device exists\n(No such device exists)\n`);
    return 1;
  }
  if (!ctx.background) throw new ScriptError('tcpdump must run in the background (`tcpdump -i IF … &`): the capture then shows the packets of the commands that follow', ctx.pos);
  ctx.err(opts.verbose > 0 ? 'tcpdump: ' : 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
  ctx.err(`listening on ${opts.iface}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`);
  let captured = 0;
  let done = false;
  const conversations = new Map<string, { seq: number; ack: number }>();
  const netns = ctx.netns;
  const origins = packetOrigins(ctx.kernel.packets);
  const summary = (): void => {
    ctx.err(`${captured} packet${captured === 1 ? '' : 's'} captured\n${captured} packet${captured === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`);
  };
  // On loopback every packet is sent and received on the same device: libpcap drops the
  // outgoing copy there (pcap-linux.c), so each packet shows once.
  const loopback = ns.devices.get(opts.iface)?.kind === 'loopback';
  const unsubscribe = ctx.kernel.subscribe((e: KernelEvent) => {
    if (done || e.type !== 'dev' || e.netns !== netns || e.dev !== opts.iface) return;
    if (loopback && e.dir === 'tx') return;
    if (!opts.filter(e.snap)) return;
    captured++;
    if (opts.writeFile === undefined) ctx.out(formatPacket(e.t, e.snap, opts, conversations, origins) + '\n');
    if (opts.count !== undefined && captured >= opts.count) {
      done = true;
      summary();
    }
  });
  ctx.atExit?.(() => {
    unsubscribe();
    if (done) return;
    done = true;
    ctx.out('\n');
    summary();
  });
  return 0;
}

function parseArgs(args: string[], ctx: ToolContext): Options {
  let iface: string | undefined;
  const o: Omit<Options, 'iface' | 'filter'> = { numeric: false, ether: false, quiet: false, verbose: 0, noTime: false, absoluteSeq: false };
  const expr: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (!a.startsWith('-') || a === '-' || expr.length) {
      expr.push(a);
      continue;
    }
    const takesValue = (flag: string): string => {
      const rest = a.slice(a.indexOf(flag) + 1);
      if (rest) return rest;
      const v = args[++k];
      if (v === undefined) throw new ScriptError(`tcpdump: option requires an argument -- '${flag}'`, ctx.pos);
      return v;
    };
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'n') o.numeric = true;
      else if (f === 'e') o.ether = true;
      else if (f === 'q') o.quiet = true;
      else if (f === 'v') o.verbose++;
      else if (f === 'l' || f === 'p' || f === 'U') continue;
      else if (f === 't') o.noTime = true;
      else if (f === 'S') o.absoluteSeq = true;
      else if (f === 'i') {
        iface = takesValue('i');
        break;
      } else if (f === 'c') {
        const v = takesValue('c');
        if (!/^\d+$/.test(v) || Number(v) === 0) throw new ScriptError(`tcpdump: invalid packet count ${v}`, ctx.pos);
        o.count = Number(v);
        break;
      } else if (f === 'w') {
        o.writeFile = takesValue('w');
        break;
      } else if (f === 's') {
        takesValue('s');
        break;
      } else throw new ScriptError(`tcpdump: option \`-${f}\` is not supported; supported: ${SUPPORTED_OPTIONS}`, ctx.pos);
    }
  }
  if (o.verbose > 1) throw new ScriptError('tcpdump: -vv is not modelled (it adds UDP checksums and a seq on every TCP segment); supported: -v', ctx.pos);
  if (iface === undefined) throw new ScriptError('tcpdump: `-i IF` is required (packetwalk captures one interface)', ctx.pos);
  if (iface === 'any') throw new ScriptError('tcpdump -i any is not supported; capture one interface with -i IF', ctx.pos);
  return { ...o, iface, filter: compileFilter(expr.join(' '), ctx) };
}

// --- output ------------------------------------------------------------------------------------

const PORT_NAMES: Record<number, string> = {
  20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 67: 'bootps', 68: 'bootpc',
  80: 'http', 110: 'pop3', 123: 'ntp', 143: 'imap', 443: 'https', 3306: 'mysql', 5353: 'mdns', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt',
};

function clock(t: number): string {
  const total = TCPDUMP_EPOCH_NS + t;
  const us = Math.floor(total / 1000);
  const secs = Math.floor(us / 1e6);
  const h = Math.floor(secs / 3600) % 24;
  const m = Math.floor(secs / 60) % 60;
  const s = secs % 60;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(us % 1e6, 6)}`;
}

const PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP' };

/** An ARP frame, when the stack models ARP (the snapshot then carries `arp`). */
export interface ArpFields {
  op: 1 | 2;
  sha: string;
  spa: number;
  tha: string;
  tpa: number;
}
function arpOf(snap: SkbSnapshot): ArpFields | undefined {
  return (snap as SkbSnapshot & { arp?: ArpFields }).arp;
}

/**
 * ether_print's link header (-e): `SRC > DST, ethertype NAME (0xNNNN), length N: `; with -q the
 * ethertype is its name alone (`SRC > DST, IPv4, length 98: `). Measured on tcpdump 4.99.
 */
function etherHeader(eth: { src: string; dst: string }, name: string, type: number, length: number, o: Omit<Options, 'iface' | 'filter'>): string {
  const kind = o.quiet ? name : `ethertype ${name} (0x${type.toString(16).padStart(4, '0')})`;
  return `${macName(eth.src, o)} > ${macName(eth.dst, o)}, ${kind}, length ${length}: `;
}

/** tcpdump 4.99.3's OUI table (oui.c; the first name wins for 00:80:c2), checked with -e on set MACs. */
const OUI_NAMES: Record<number, string> = {
  0x000000: 'Ethernet', 0x00000c: 'Cisco', 0x00005e: 'IANA', 0x000081: 'Nortel Networks SONMP', 0x0000f8: 'Cisco bridged',
  0x0080c2: 'Ethernet bridged', 0x00a03e: 'ATM Forum', 0x00e02f: 'DOCSIS Spanning Tree', 0x080007: 'Appletalk', 0x009069: 'Juniper',
  0x080009: 'Hewlett-Packard', 0x00120f: 'IEEE 802.3 Private', 0x0012bb: 'ANSI/TIA', 0x001b21: 'DCBX', 0x002320: 'Nicira Networks',
  0x5c16c7: 'Big Switch Networks', 0xb0d2f5: 'Vello Systems', 0x002481: 'HP', 0x0004ea: 'HP-Labs', 0x748771: 'Infoblox Inc',
  0xa42305: 'Open Networking Lab', 0x00049f: 'Freescale', 0x0015ad: 'Netronome', 0x001018: 'Broadcom', 0x00e004: 'PMC-Sierra',
  0xd0f0db: 'Ericsson',
};

/** etheraddr_string: without -n the broadcast address is `Broadcast` and others carry their OUI's name (no /etc/ethers here). */
function macName(mac: string, o: Omit<Options, 'iface' | 'filter'>): string {
  if (o.numeric) return mac;
  if (mac === 'ff:ff:ff:ff:ff:ff') return 'Broadcast';
  return `${mac} (oui ${OUI_NAMES[parseInt(mac.slice(0, 8).replace(/:/g, ''), 16)] ?? 'Unknown'})`;
}

/** tcpdump's ARP line: `Request who-has TPA tell SPA` / `Reply SPA is-at SHA`, length 28. */
function formatArp(t: number, snap: SkbSnapshot, arp: ArpFields, o: Omit<Options, 'iface' | 'filter'>): string {
  const what = arp.op === 1 ? `Request who-has ${formatIpv4(arp.tpa)} tell ${formatIpv4(arp.spa)}` : `Reply ${formatIpv4(arp.spa)} is-at ${macName(arp.sha, o)}`;
  const body = `${o.verbose > 0 ? 'Ethernet (len 6), IPv4 (len 4), ' : ''}${what}, length 28`;
  const stamp = o.noTime ? '' : `${clock(t)} `;
  if (o.ether && snap.eth) return `${stamp}${etherHeader(snap.eth, 'ARP', 0x0806, 42, o)}${body}`;
  return `${stamp}ARP, ${body}`;
}

/** Why a packet exists (PacketRecord.origin), by packet id; undefined when the run was not recorded. */
export type PacketOrigin = (id: number) => PacketRecord['origin'] | undefined;

/** A PacketOrigin over a packet list that keeps growing (the kernel's, while the run goes on). */
export function packetOrigins(packets: readonly PacketRecord[]): PacketOrigin {
  const byId = new Map<number, PacketRecord['origin']>();
  let seen = 0;
  return (id) => {
    for (; seen < packets.length; seen++) byId.set(packets[seen]!.id, packets[seen]!.origin);
    return byId.get(id);
  };
}

/**
 * One tcpdump line (several with -v). `origins` tells a segment the kernel checksummed itself (its
 * RST for a closed port) from the offloaded rest for -v's `cksum`; without it every segment is
 * taken as offloaded.
 */
export function formatPacket(t: number, snap: SkbSnapshot, o: Omit<Options, 'iface' | 'filter'>, conversations: Map<string, { seq: number; ack: number }>, origins?: PacketOrigin): string {
  const arp = arpOf(snap);
  if (arp) return formatArp(t, snap, arp, o);
  const port = (p: number): string => (o.numeric ? String(p) : PORT_NAMES[p] ?? String(p));
  const ip = snap.ip;
  let body: string;
  const src = formatIpv4(ip.saddr);
  const dst = formatIpv4(ip.daddr);
  if ((ip.fragOff ?? 0) !== 0) {
    // ip_print: a later fragment has no transport header, only the protocol (netdb name unless -n).
    const name = PROTO_NAMES[ip.protocol]?.toLowerCase();
    body = `${src} > ${dst}: ${!o.numeric && name ? name : `ip-proto-${ip.protocol}`}`;
  } else if (snap.tcp) {
    const th = snap.tcp;
    const ends = `${src}.${port(th.sport)} > ${dst}.${port(th.dport)}`;
    if (o.quiet) body = `${ends}: tcp ${snap.payloadLen}`;
    else body = `${ends}: ${formatTcp(snap, o, conversations, origins)}`;
  } else if (snap.udp) {
    const ends = `${src}.${port(snap.udp.sport)} > ${dst}.${port(snap.udp.dport)}`;
    // udp_print decodes port 53 (domain) and 5353 (mDNS) with the DNS printer.
    const dns = snap.udp.sport === 53 || snap.udp.dport === 53 || snap.udp.sport === 5353 || snap.udp.dport === 5353;
    // The UDP header's length (a first fragment's covers the whole datagram).
    const ulen = snap.udp.len !== undefined ? snap.udp.len - 8 : snap.payloadLen;
    body = o.quiet ? `${ends}: UDP, length ${ulen}` : dns ? `${ends}: ${formatDns(snap)}` : `${ends}: UDP, length ${ulen}`;
  } else if (snap.icmp) {
    body = `${src} > ${dst}: ${formatIcmp(snap, o)}`;
  } else {
    body = `${src} > ${dst}: ${(PROTO_NAMES[ip.protocol] ?? `ip-proto-${ip.protocol}`).toLowerCase()} ${ip.protocol === 2 ? `${snap.len - ip.ihl}` : `${snap.len - ip.ihl}`}`;
  }
  let line = o.noTime ? '' : `${clock(t)} `;
  if (o.ether && snap.eth) line += etherHeader(snap.eth, 'IPv4', 0x0800, snap.len + 14, o);
  if (o.verbose > 0) {
    const hdr = `(tos 0x${ip.tos.toString(16)}, ttl ${ip.ttl}, id ${ip.id}, offset ${ip.fragOff ?? 0}, flags [${ipFlags(ip)}], proto ${PROTO_NAMES[ip.protocol] ?? 'unknown'} (${ip.protocol}), length ${snap.len})`;
    line += `${o.ether && snap.eth ? '' : 'IP '}${hdr}\n    ${body}`;
    if (snap.icmp?.inner) line += `\n\t${innerVerbose(snap, o)}`;
    return line;
  }
  return line + (o.ether && snap.eth ? '' : 'IP ') + body;
}

/**
 * tcpdump's DNS line (ns_print): a query `ID+ A? NAME. (LEN)` (`+`: recursion desired, as glibc
 * asks); an answer `ID[ NXDomain] AN/NS/AR A ADDR[, A ADDR…] (LEN)` from a recursive server (RA
 * set, so no `-`). Messages shorter than a DNS header are `[length N < 12] (invalid)`.
 */
function formatDns(snap: SkbSnapshot): string {
  const len = snap.payloadLen;
  if (len < 12) return `domain [length ${len} < 12] (invalid)`;
  const payload = snap.payload ?? '';
  const m = /^DNS([QR]) (\d+) (A|AAAA) (\S+)(?: (\S+))?(?: (.*))?$/.exec(payload);
  if (!m) return `UDP, length ${len}`;
  const [, kind, id, qtype, name, rcode, answers] = m;
  const fqdn = name.endsWith('.') ? name : `${name}.`;
  if (kind === 'Q') return `${id}+ ${qtype}? ${fqdn} (${len})`;
  const addrs = answers ? answers.split(',').filter(Boolean).map((a) => formatIpv4(Number(a))) : [];
  const rc = rcode && rcode !== 'NOERROR' ? ` ${rcode === 'NXDOMAIN' ? 'NXDomain' : rcode}` : '';
  const list = addrs.length ? ` ${addrs.map((a) => `A ${a}`).join(', ')}` : '';
  return `${id}${rc} ${addrs.length}/0/0${list} (${len})`;
}

const TCP_FLAG_CHARS: Array<[keyof NonNullable<SkbSnapshot['tcp']>['flags'], string]> = [
  ['fin', 'F'], ['syn', 'S'], ['rst', 'R'], ['psh', 'P'], ['ack', '.'], ['urg', 'U'], ['ece', 'E'], ['cwr', 'W'],
];

function formatTcp(snap: SkbSnapshot, o: Omit<Options, 'iface' | 'filter'>, conversations: Map<string, { seq: number; ack: number }>, origins?: PacketOrigin): string {
  const th = snap.tcp!;
  const f = th.flags;
  const flagText = TCP_FLAG_CHARS.filter(([k]) => f[k]).map(([, c]) => c).join('') || 'none';
  let seq = th.seq >>> 0;
  let ack = th.ackSeq >>> 0;
  if (!o.absoluteSeq && f.ack) {
    // tcpdump's relative sequence numbers: a conversation is recorded at its first packet with
    // ACK (or a SYN with ACK), printed absolute; later packets print relative to it.
    const a = `${snap.ip.saddr}.${th.sport}`;
    const b = `${snap.ip.daddr}.${th.dport}`;
    const rev = a > b;
    const key = rev ? `${b}-${a}` : `${a}-${b}`;
    const known = conversations.get(key);
    if (!known || f.syn) {
      conversations.set(key, rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 });
    } else if (rev) {
      seq = (seq - known.ack) >>> 0;
      ack = (ack - known.seq) >>> 0;
    } else {
      seq = (seq - known.seq) >>> 0;
      ack = (ack - known.ack) >>> 0;
    }
  }
  let s = `Flags [${flagText}]`;
  if (o.verbose > 0 && !snap.ip.mf && (snap.ip.fragOff ?? 0) === 0) {
    const real = tcpChecksum(snap);
    const stored = origins?.(snap.id) === 'kernel-reply' ? real : pseudoHeaderSum(snap);
    s += `, cksum 0x${hex4(stored)} (${stored === real ? 'correct' : `incorrect -> 0x${hex4(real)}`})`;
  }
  const len = snap.payloadLen;
  if (len > 0 || f.syn || f.fin || f.rst) {
    s += `, seq ${seq}`;
    if (len > 0) s += `:${(seq + len) >>> 0}`;
  }
  if (f.ack) s += `, ack ${ack}`;
  s += `, win ${th.window}`;
  if (th.options.length) s += `, options [${th.options.join(',')}]`;
  s += `, length ${len}`;
  const payload = snap.payload;
  if (len > 0 && payload !== undefined && (th.sport === 80 || th.dport === 80 || th.sport === 8080 || th.dport === 8080)) {
    const first = payload.split('\r\n')[0];
    if (/^(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH) |^HTTP\/1\.[01] /.test(first)) s += `: HTTP: ${first}`;
    else s += ': HTTP';
  }
  return s;
}

function formatIcmp(snap: SkbSnapshot, o: Omit<Options, 'iface' | 'filter'>): string {
  const ic = snap.icmp!;
  const length = snap.len - snap.ip.ihl;
  switch (ic.type) {
    case 8:
      return `ICMP echo request, id ${ic.id}, seq ${ic.seq}, length ${length}`;
    case 0:
      return `ICMP echo reply, id ${ic.id}, seq ${ic.seq}, length ${length}`;
    case 3: {
      const inner = ic.inner;
      const idst = inner ? formatIpv4(inner.ip.daddr) : '?';
      const iproto = inner?.ip.protocol === 6 ? 'tcp' : inner?.ip.protocol === 17 ? 'udp' : undefined;
      const codes: Record<number, string> = {
        0: `net ${idst} unreachable`,
        1: `host ${idst} unreachable`,
        2: `${idst} protocol ${inner?.ip.protocol ?? 0} unreachable`,
        3: iproto ? `${idst} ${iproto} port ${o.numeric || inner?.dport === undefined ? inner?.dport : (PORT_NAMES[inner.dport] ?? inner.dport)} unreachable` : `${idst} port unreachable`,
        4: ic.mtu ? `${idst} unreachable - need to frag (mtu ${ic.mtu})` : `${idst} unreachable - need to frag`,
        9: `net ${idst} unreachable - admin prohibited`,
        10: `host ${idst} unreachable - admin prohibited`,
        13: `host ${idst} unreachable - admin prohibited filter`,
      };
      return `ICMP ${codes[ic.code] ?? `${idst} unreachable - code ${ic.code}`}, length ${length}`;
    }
    case 11:
      return `ICMP time exceeded in-transit, length ${length}`;
    default:
      return `ICMP type-#${ic.type}, length ${length}`;
  }
}

// --- TCP checksums ------------------------------------------------------------------------------

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** One's complement sum of 16-bit big-endian words, folded to 16 bits. */
function foldSum(words: number): number {
  let sum = words;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

function addBytes(sum: number, bytes: ArrayLike<number>): number {
  for (let k = 0; k < bytes.length; k += 2) sum += (bytes[k]! << 8) | (k + 1 < bytes.length ? bytes[k + 1]! : 0);
  return sum;
}

/** The pseudo-header part a CHECKSUM_PARTIAL segment carries in its checksum field (folded, not complemented). */
export function pseudoHeaderSum(snap: SkbSnapshot): number {
  const ip = snap.ip;
  const tcpLen = snap.len - ip.ihl;
  return foldSum((ip.saddr >>> 16) + (ip.saddr & 0xffff) + (ip.daddr >>> 16) + (ip.daddr & 0xffff) + ip.protocol + tcpLen);
}

/** The TCP options as bytes, from the names tcpdump prints; padded with EOL to the header length. */
function optionBytes(options: readonly string[], room: number): number[] {
  const out: number[] = [];
  for (const opt of options) {
    let m: RegExpExecArray | null;
    if (opt === 'nop') out.push(1);
    else if (opt === 'eol') out.push(0);
    else if (opt === 'sackOK') out.push(4, 2);
    else if ((m = /^mss (\d+)$/.exec(opt))) out.push(2, 4, Number(m[1]) >> 8, Number(m[1]) & 255);
    else if ((m = /^wscale (\d+)$/.exec(opt))) out.push(3, 3, Number(m[1]));
    else if ((m = /^TS val (\d+) ecr (\d+)$/.exec(opt))) out.push(8, 10, ...u32(Number(m[1])), ...u32(Number(m[2])));
    else throw new ScriptError(`tcpdump -v: the checksum of a segment with TCP option \`${opt}\` is not modelled; supported options: mss, sackOK, TS, nop, wscale, eol`);
  }
  while (out.length < room) out.push(0);
  return out;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** The segment's real checksum (what tcpdump computes, `-> 0x…`): pseudo-header, header, options, payload. */
export function tcpChecksum(snap: SkbSnapshot): number {
  const th = snap.tcp!;
  const f = th.flags;
  const flagByte = (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0) | (f.urg ? 32 : 0) | (f.ece ? 64 : 0) | (f.cwr ? 128 : 0);
  const header = [
    th.sport >> 8, th.sport & 255, th.dport >> 8, th.dport & 255, ...u32(th.seq >>> 0), ...u32(th.ackSeq >>> 0),
    (th.doff / 4) << 4, flagByte, th.window >> 8, th.window & 255, 0, 0, 0, 0,
    ...optionBytes(th.options, th.doff - 20),
  ];
  let payload: Uint8Array = new Uint8Array(0);
  if (snap.payloadLen > 0) {
    payload = new TextEncoder().encode(snap.payload ?? '');
    if (snap.payload === undefined || payload.length !== snap.payloadLen) {
      throw new ScriptError(`tcpdump -v: the checksum of a ${snap.payloadLen}-byte segment whose bytes packetwalk does not carry is not modelled (use -q, or no -v)`);
    }
  }
  const sum = addBytes(addBytes(pseudoHeaderSum(snap), header), payload);
  return ~foldSum(sum) & 0xffff;
}

/** ip_frag_values, printed without separator in table order: MF `+`, `DF`; neither: `none`. */
function ipFlags(ip: SkbSnapshot['ip']): string {
  return `${ip.mf ? '+' : ''}${ip.df ? 'DF' : ''}` || 'none';
}

function innerVerbose(snap: SkbSnapshot, o: Omit<Options, 'iface' | 'filter'>): string {
  const inner = snap.icmp!.inner!;
  const ip = inner.ip;
  // The quoted header's own total length (a frag-needed quotes only 548 bytes of a longer datagram).
  const len = inner.len ?? snap.len - snap.ip.ihl - 8;
  // ip_print says "IP " before the quoted header too, unless -e printed the link header (measured).
  const hdr = `${o.ether && snap.eth ? '' : 'IP '}(tos 0x${ip.tos.toString(16)}, ttl ${ip.ttl}, id ${ip.id}, offset ${ip.fragOff ?? 0}, flags [${ipFlags(ip)}], proto ${PROTO_NAMES[ip.protocol] ?? 'unknown'} (${ip.protocol}), length ${len})`;
  const s = formatIpv4(ip.saddr);
  const d = formatIpv4(ip.daddr);
  const port = (p: number | undefined): string => (o.numeric || p === undefined ? String(p) : PORT_NAMES[p] ?? String(p));
  const ends = inner.sport !== undefined ? `${s}.${port(inner.sport)} > ${d}.${port(inner.dport)}` : `${s} > ${d}`;
  // A quoted UDP datagram is decoded as one (udp_print), its length from the quoted header.
  if (ip.protocol === 17 && inner.sport !== undefined && (ip.fragOff ?? 0) === 0) {
    const payloadLen = len - ip.ihl - 8;
    const dns = inner.sport === 53 || inner.dport === 53 || inner.sport === 5353 || inner.dport === 5353;
    const body = o.quiet || !dns ? `UDP, length ${payloadLen}` : formatDns({ payloadLen } as SkbSnapshot);
    return `${hdr}\n    ${ends}: ${body}`;
  }
  // A quoted echo request is printed as one (its length from the quoted header).
  if (ip.protocol === 1 && inner.icmpType === 8 && (ip.fragOff ?? 0) === 0) return `${hdr}\n    ${ends}: ICMP echo request, id ${inner.icmpId}, seq ${inner.icmpSeq}, length ${len - ip.ihl}`;
  return `${hdr}\n    ${ends}`;
}

// --- pcap-filter subset ------------------------------------------------------------------------

export type Filter = (snap: SkbSnapshot) => boolean;

const FILTER_SUPPORTED = 'host, src/dst host, net N/P, src/dst net, port, src/dst port, ip, arp, icmp, tcp, udp, and/&&, or/||, not/!, parentheses';

/** Compiles the subset of pcap-filter(7) packetwalk models; anything else is a ScriptError. */
export function compileFilter(expr: string, ctx: Partial<Pick<ToolContext, 'pos'>>): Filter {
  const tokens = expr.match(/\(|\)|&&|\|\||!|[^\s()!]+/g) ?? [];
  if (tokens.length === 0) return () => true;
  let k = 0;
  let last: { dir?: 'src' | 'dst'; kind: 'host' | 'net' | 'port'; proto?: 'tcp' | 'udp' } | undefined;
  const fail = (msg: string): never => {
    throw new ScriptError(`tcpdump: ${msg} in filter \`${expr}\`; supported: ${FILTER_SUPPORTED}`, ctx.pos);
  };
  const peek = (): string | undefined => tokens[k];
  const parseOr = (): Filter => {
    let left = parseAnd();
    while (peek() === 'or' || peek() === '||') {
      k++;
      const right = parseAnd();
      const l = left;
      left = (p) => l(p) || right(p);
    }
    return left;
  };
  const parseAnd = (): Filter => {
    let left = parseNot();
    while (peek() === 'and' || peek() === '&&') {
      k++;
      const right = parseNot();
      const l = left;
      left = (p) => l(p) && right(p);
    }
    return left;
  };
  const parseNot = (): Filter => {
    if (peek() === 'not' || peek() === '!') {
      k++;
      const inner = parseNot();
      return (p) => !inner(p);
    }
    if (peek() === '(') {
      k++;
      const inner = parseOr();
      if (tokens[k++] !== ')') fail('missing `)`');
      return inner;
    }
    return parsePrimitive();
  };
  const parsePrimitive = (): Filter => {
    const t = tokens[k++];
    if (t === undefined) return fail('unexpected end');
    let proto: 'tcp' | 'udp' | 'icmp' | 'ip' | undefined;
    let dir: 'src' | 'dst' | undefined;
    let word = t;
    if (word === 'ip' || word === 'tcp' || word === 'udp' || word === 'icmp') {
      proto = word;
      const n = peek();
      if (n === undefined || !['src', 'dst', 'host', 'net', 'port'].includes(n)) {
        const num = { ip: -1, icmp: 1, tcp: 6, udp: 17 }[proto];
        return (p) => !arpOf(p) && (num === -1 || p.ip.protocol === num);
      }
      word = tokens[k++];
    }
    if (word === 'src' || word === 'dst') {
      dir = word;
      const n = peek();
      if (n === 'host' || n === 'net' || n === 'port') word = tokens[k++];
      else word = 'host';
    }
    let kind: 'host' | 'net' | 'port';
    let value: string | undefined;
    if (word === 'host' || word === 'net' || word === 'port') {
      kind = word;
      value = tokens[k++];
    } else if (dir === undefined && proto === undefined && last && /^[\d./]+$/.test(word)) {
      // `host a or b`: a bare value repeats the previous qualifiers.
      kind = last.kind;
      dir = last.dir;
      if (last.proto) proto = last.proto;
      value = word;
    } else if (word === 'arp' && dir === undefined && proto === undefined) {
      return (p) => arpOf(p) !== undefined;
    } else if (['ip6', 'ether', 'portrange', 'vlan', 'greater', 'less', 'len', 'broadcast', 'multicast', 'gateway', 'proto'].includes(word)) {
      return fail(`\`${word}\` is not supported`);
    } else if (/^[\d.]+$/.test(word) && dir === undefined) {
      kind = 'host';
      value = word;
    } else return fail(`unexpected \`${word}\``);
    if (value === undefined) return fail(`missing value after \`${kind}\``);
    last = { dir, kind, proto: proto === 'tcp' || proto === 'udp' ? proto : undefined };
    // `host`/`net` also match ARP's sender and target addresses (pcap: ip or arp or rarp); a protocol
    // qualifier (ip, tcp, udp, icmp) never matches an ARP frame.
    const protoOk: Filter = proto === undefined ? () => true : proto === 'ip' ? (p) => !arpOf(p) : (p) => !arpOf(p) && p.ip.protocol === { tcp: 6, udp: 17, icmp: 1 }[proto];
    const pick = (s: number, d: number, test: (x: number) => boolean): boolean => (dir === 'src' ? test(s) : dir === 'dst' ? test(d) : test(s) || test(d));
    const addrs = (p: SkbSnapshot): [number, number] => {
      const a = arpOf(p);
      return a ? [a.spa, a.tpa] : [p.ip.saddr, p.ip.daddr];
    };
    if (kind === 'port') {
      if (proto === 'icmp') return fail('`icmp port` is meaningless');
      const portNum = /^\d+$/.test(value) ? Number(value) : Object.entries(PORT_NAMES).find(([, n]) => n === value)?.[0];
      if (portNum === undefined) return fail(`unknown port \`${value}\``);
      const n = Number(portNum);
      return (p) => {
        if (!protoOk(p)) return false;
        const ports = arpOf(p) ? undefined : p.tcp ?? p.udp;
        if (!ports) return false;
        return pick(ports.sport, ports.dport, (x) => x === n);
      };
    }
    if (kind === 'host') {
      const a = parseIpv4(value);
      if (a === undefined) return fail(`\`${value}\` is not an IPv4 address (host names are not resolved)`);
      return (p) => protoOk(p) && pick(...addrs(p), (x) => x === a);
    }
    const m = /^([\d.]+)(?:\/(\d+))?$/.exec(value);
    const parts = m ? m[1].split('.') : [];
    const prefix = m && m[2] !== undefined ? Number(m[2]) : parts.length * 8;
    const addr: Ipv4 | undefined = m ? parseIpv4([...parts, '0', '0', '0'].slice(0, 4).join('.')) : undefined;
    if (addr === undefined || prefix > 32) return fail(`\`${value}\` is not a network`);
    if (((addr & prefixToMask(prefix)) >>> 0) !== addr) return fail(`non-network bits set in \`${value}\``);
    return (p) => protoOk(p) && pick(...addrs(p), (x) => inSubnet(x, addr, prefix));
  };
  const f = parseOr();
  if (k < tokens.length) fail(`unexpected \`${tokens[k]}\``);
  return f;
}

export const tools: ToolTable = { tcpdump };
