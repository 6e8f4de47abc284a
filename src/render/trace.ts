// Kernel-format traces from the run record: `xtables-monitor --trace` lines, LOG lines as dmesg
// prints them, tcpdump lines per interface (addresses as seen there, before or after NAT).
import { formatIpv4 } from '../kernel/addr.ts';
import type { KernelEvent, RunRecord, SkbSnapshot } from '../scenario/record.ts';
import { dmesgStamp } from '../userland/dmesg.ts';
import { formatPacket } from '../userland/tcpdump.ts';
import type { SavedTable } from './iptables-text.ts';

export const TRACE_FORMATS = ['xtables-monitor', 'log', 'tcpdump'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceOptions {
  format: TraceFormat;
  /** Only this packet (default: all). */
  packet?: number;
  /** tcpdump: the interface listened on (required) and its namespace ('' = host). */
  interface?: string;
  netns?: string;
  /** log: prefix dmesg's `[seconds.micros]`; tcpdump: its `HH:MM:SS.micros` clock (default false). */
  timestamps?: boolean;
  /** xtables-monitor: rule text per table (the `-A …` printed after a rule's verdict). */
  rules?: SavedTable[];
}

/** A stable 32-bit trace id per packet, as nft's trace id looks (random in the kernel, seeded here). */
function traceId(pkt: number): string {
  let x = (pkt * 0x9e3779b1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0).toString(16).padStart(8, '0');
}

/** The verdict as xtables-monitor prints it (checked on the kernel: DNAT → ACCEPT, LOG → CONTINUE, RETURN → 0xfffffffb). */
const NFT_VERDICTS: Record<string, string> = {
  ACCEPT: 'ACCEPT', DROP: 'DROP', CONTINUE: 'CONTINUE', RETURN: '0xfffffffb',
  DNAT: 'ACCEPT', SNAT: 'ACCEPT', MASQUERADE: 'ACCEPT', REDIRECT: 'ACCEPT', REJECT: 'DROP',
  LOG: 'CONTINUE', MARK: 'CONTINUE', CONNMARK: 'CONTINUE', TRACE: 'CONTINUE', CHECKSUM: 'CONTINUE', NOTRACK: 'CONTINUE', CT: 'CONTINUE',
};

function nftVerdict(verdict: string): string {
  return NFT_VERDICTS[verdict] ?? `JUMP:${verdict}`;
}

function packetLine(e: Extract<KernelEvent, { type: 'hook' }>, s: SkbSnapshot): string {
  let line = `PACKET: 2 ${traceId(e.pkt)} `;
  if (e.in) line += `IN=${e.in} `;
  if (e.out) line += `OUT=${e.out} `;
  line += `SRC=${formatIpv4(s.ip.saddr)} DST=${formatIpv4(s.ip.daddr)} LEN=${s.len} TOS=0x${s.ip.tos.toString(16)} TTL=${s.ip.ttl} ID=${s.ip.id} ${s.ip.df ? 'DF ' : ''}`;
  if (s.tcp) line += `SPORT=${s.tcp.sport} DPORT=${s.tcp.dport} `;
  if (s.udp) line += `SPORT=${s.udp.sport} DPORT=${s.udp.dport} `;
  return line;
}

function xtablesMonitor(events: KernelEvent[], rules: SavedTable[] = []): string[] {
  const lines: string[] = [];
  let hook: Extract<KernelEvent, { type: 'hook' }> | undefined;
  let snap: SkbSnapshot | undefined;
  let printedFor = '';
  for (const e of events) {
    if (e.type === 'hook') { hook = e; snap = e.snap; printedFor = ''; continue; }
    // a PACKET line shows the headers as the table sees them: after an earlier table's NAT
    if (e.type === 'nat' && hook && e.pkt === hook.pkt) { snap = e.after; continue; }
    if (e.type === 'table') { printedFor = ''; continue; }
    if (e.type !== 'rule' || e.family !== 'ipv4') continue;
    if (hook && snap && printedFor !== `${e.pkt}/${e.table}`) {
      lines.push(packetLine(hook, snap));
      printedFor = `${e.pkt}/${e.table}`;
    }
    const id = traceId(e.pkt);
    if (e.kind === 'rule') {
      const text = rules.find((t) => t.name === e.table)?.rules.find((r) => r.chain === e.chain && r.num === e.ruleNum)?.text;
      lines.push(` TRACE: 2 ${id} ${e.table}:${e.chain}:rule:0x${(e.handle ?? e.ruleNum).toString(16)}:${nftVerdict(e.verdict)}  -4 -t ${e.table} ${text ?? `-A ${e.chain}`}`);
    } else if (e.kind === 'return') {
      lines.push(` TRACE: 2 ${id} ${e.table}:${e.chain}:return:`);
    } else {
      lines.push(` TRACE: 2 ${id} ${e.table}:${e.chain}:policy:${e.verdict} `);
    }
  }
  return lines;
}


/** The trace lines, each ending in `\n`. tcpdump needs `interface`. */
export function traceLines(record: RunRecord, options: TraceOptions): string {
  const events = options.packet === undefined ? record.events : record.events.filter((e) => e.pkt === options.packet);
  let lines: string[];
  switch (options.format) {
    case 'log':
      lines = events.flatMap((e) => (e.type === 'log' ? [options.timestamps ? `${dmesgStamp(e.t)} ${e.line}` : e.line] : []));
      break;
    case 'xtables-monitor':
      lines = xtablesMonitor(events, options.rules);
      break;
    case 'tcpdump': {
      // tcpdump's own printer (src/userland/tcpdump.ts): relative sequence numbers per conversation, as `tcpdump -n` prints
      const netns = options.netns ?? '';
      const conversations = new Map<string, { seq: number; ack: number }>();
      const o = { numeric: true, ether: false, quiet: false, verbose: 0, noTime: !options.timestamps, absoluteSeq: false };
      lines = record.events.flatMap((e) => (e.type === 'dev' && e.dev === options.interface && e.netns === netns ? [{ e, line: formatPacket(e.t, e.snap, o, conversations) }] : []))
        .filter(({ e }) => options.packet === undefined || e.pkt === options.packet)
        .map(({ line }) => line);
      break;
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}
