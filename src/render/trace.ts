// Kernel-format traces from the run record: `xtables-monitor --trace` lines, LOG lines as dmesg
// prints them, tcpdump lines per interface (addresses as seen there, before or after NAT).
import type { Rule } from '../kernel/netfilter/types.ts';
import type { KernelEvent, RunRecord, SkbSnapshot } from '../scenario/record.ts';
import { dmesgStamp } from '../userland/dmesg.ts';
import { splitRestoreLine } from '../userland/iptables-restore.ts';
import { compileFilter, formatPacket } from '../userland/tcpdump.ts';
import { parseIptablesArgs, saveRuleBody } from '../userland/xtables/rule.ts';
import { nftraceFeeder } from '../userland/xtables-monitor.ts';
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
  /** tcpdump: a capture filter in tcpdump's pcap-filter subset (`icmp`, `tcp port 80`…); default: every frame. */
  filter?: string;
  /** log: prefix dmesg's `[seconds.micros]`; tcpdump: its `HH:MM:SS.micros` clock (default false). */
  timestamps?: boolean;
  /** xtables-monitor: nft's `iptables-save` (the rule printed after a rule's verdict; only these tables are traced). */
  rules?: SavedTable[];
  /** xtables-monitor: the scenario's seed, from which the tool derives its per-packet trace ids (default 1). */
  seed?: number;
  /**
   * tcpdump: the interface is a loopback device (default: it is named `lo`). libpcap drops the
   * outgoing copy of a packet on loopback, so each packet shows once, as the tool prints it.
   */
  loopback?: boolean;
}

/** The rules of the nft tables as `iptables-save` printed them, parsed back into the kernel's structs. */
function ruleLookup(rules: SavedTable[]): (table: string, chain: string, num: number) => Rule | undefined {
  const cache = new Map<string, Rule | undefined>();
  return (table, chain, num) => {
    const key = `${table}/${chain}/${num}`;
    if (cache.has(key)) return cache.get(key);
    const text = rules.find((t) => t.name === table)?.rules.find((r) => r.chain === chain && r.num === num)?.text;
    let rule: Rule | undefined;
    try {
      rule = text === undefined ? undefined : parseIptablesArgs(['-t', table, ...splitRestoreLine(text)]).rules[0];
    } catch {
      rule = undefined;
    }
    cache.set(key, rule);
    return rule;
  };
}

/**
 * `xtables-monitor --trace` for every packet of the run, as the tool (src/userland/xtables-monitor.ts)
 * prints a traced packet: the tool's own feeder, given the rules as nft's `iptables-save` printed
 * them. With `rules`, only tables iptables-nft has are traced (legacy tables' TRACE goes to dmesg:
 * format=log).
 */
function xtablesMonitor(events: KernelEvent[], seed: number, rules: SavedTable[] | undefined): string[] {
  const nft = rules ? new Set(rules.map((t) => t.name)) : undefined;
  const feed = nftraceFeeder({ seed, rule: ruleLookup(rules ?? []), isNft: (t) => !nft || nft.has(t), onlyTraced: false });
  return events.flatMap((e) => (e.type === 'rule' && e.kind === 'rule' && rules && e.handle === undefined ? [] : feed(e)));
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
      lines = xtablesMonitor(events, options.seed ?? 1, options.rules);
      break;
    case 'tcpdump': {
      // tcpdump's own printer (src/userland/tcpdump.ts): relative sequence numbers per conversation, as `tcpdump -n` prints
      const netns = options.netns ?? '';
      const conversations = new Map<string, { seq: number; ack: number }>();
      const o = { numeric: true, ether: false, quiet: false, verbose: 0, noTime: !options.timestamps, absoluteSeq: false };
      const loopback = options.loopback ?? options.interface === 'lo';
      // the tool's capture rule (src/userland/tcpdump.ts): every frame the device sends or receives, but on loopback only the received copy
      // the tool's own filter: a frame it drops is not printed and leaves no trace in the conversations
      const keep = options.filter === undefined ? () => true : compileFilter(options.filter, {});
      lines = record.events.flatMap((e) => (e.type === 'dev' && e.dev === options.interface && e.netns === netns && !(loopback && e.dir === 'tx') && keep(e.snap) ? [{ e, line: formatPacket(e.t, e.snap, o, conversations) }] : []))
        .filter(({ e }) => options.packet === undefined || e.pkt === options.packet)
        .map(({ line }) => line);
      break;
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}
