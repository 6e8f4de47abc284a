// Kernel-format traces from the run record: `xtables-monitor --trace` lines, LOG lines as dmesg
// prints them, tcpdump lines per interface (addresses as seen there, before or after NAT).
import type { Rule } from '../kernel/netfilter/types.ts';
import type { KernelEvent, RunRecord, SkbSnapshot } from '../scenario/record.ts';
import { dmesgStamp } from '../userland/dmesg.ts';
import { splitRestoreLine } from '../userland/iptables-restore.ts';
import { formatPacket } from '../userland/tcpdump.ts';
import { parseIptablesArgs, saveRuleBody } from '../userland/xtables/rule.ts';
import { packetLine, ruleVerdict, traceId } from '../userland/xtables-monitor.ts';
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

/**
 * The verdict the kernel's nft_compat hands back for a rule's target (measured on 6.18 with
 * `xtables-monitor --trace`): NAT targets accept the packet (`nat:PREROUTING:rule:0x2:ACCEPT` for
 * a DNAT rule), REJECT drops it; other targets continue. `ruleVerdict` (the tool's) turns it into
 * the word printed, with JUMP:/GOTO: and 0xfffffffb for the standard targets.
 */
const TARGET_VERDICTS: Record<string, string> = { DNAT: 'ACCEPT', SNAT: 'ACCEPT', MASQUERADE: 'ACCEPT', REDIRECT: 'ACCEPT', REJECT: 'DROP' };

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
 * `xtables-monitor --trace` for every packet, as the tool (src/userland/xtables-monitor.ts) prints
 * a packet traced from its first hook: a PACKET line when a packet's walk of one table at one hook
 * produces its first event (its headers as that table sees them: after an earlier table's NAT at
 * the same hook, with a MARK the rule just set), then a TRACE line per rule that fired and per
 * policy; an implicit return at the end of a user chain prints nothing. The PACKET line, the trace
 * id and the verdict word are the tool's own functions. With `rules` (nft's `iptables-save`), only
 * tables iptables-nft has are traced (legacy tables' TRACE goes to dmesg: format=log).
 */
function xtablesMonitor(events: KernelEvent[], seed: number, rules: SavedTable[] | undefined): string[] {
  const lines: string[] = [];
  const lookup = ruleLookup(rules ?? []);
  const nft = rules ? new Set(rules.map((t) => t.name)) : undefined;
  const hooks = new Map<number, { snap: SkbSnapshot; in?: string; out?: string }>();
  let walk = '';
  for (const e of events) {
    if (e.type === 'hook' && e.family === 'ipv4') {
      const prev = hooks.get(e.pkt);
      const snap = prev && prev.snap.mark && !e.snap.mark ? { ...e.snap, mark: prev.snap.mark } : e.snap;
      hooks.set(e.pkt, { snap, in: e.in, out: e.out });
      walk = '';
      continue;
    }
    // a later table at the same hook sees the headers the nat table rewrote
    if (e.type === 'nat') {
      const h = hooks.get(e.pkt);
      if (h) h.snap = { ...e.after, mark: h.snap.mark };
      continue;
    }
    if (e.type !== 'rule' || e.family !== 'ipv4' || e.kind === 'return') continue;
    if (nft && !nft.has(e.table)) continue;
    if (e.kind === 'rule' && rules && e.handle === undefined) continue;
    const id = traceId(seed, e.pkt);
    const rule = e.kind === 'rule' ? lookup(e.table, e.chain, e.ruleNum) : undefined;
    const h = hooks.get(e.pkt);
    if (h && rule?.target.name === 'MARK') {
      const m = rule.target.info;
      h.snap = { ...h.snap, mark: ((h.snap.mark & ~m.mask) ^ m.mark) >>> 0 };
    }
    const key = `${e.pkt}/${e.hook}/${e.table}`;
    if (key !== walk) {
      walk = key;
      if (h) lines.push(packetLine(id, h.snap, h.in, h.out));
    }
    if (e.kind === 'policy') {
      lines.push(` TRACE: 2 ${id} ${e.table}:${e.chain}:policy:${e.verdict} `);
      continue;
    }
    const verdict = rule ? ruleVerdict(rule, TARGET_VERDICTS[rule.target.name] ?? e.verdict) : verdictWithoutRule(e.verdict);
    const text = rule ? `-A ${e.chain}${saveRuleBody(rule)}` : `-A ${e.chain}`;
    lines.push(` TRACE: 2 ${id} ${e.table}:${e.chain}:rule:0x${(e.handle ?? e.ruleNum).toString(16)}:${verdict}  -4 -t ${e.table} ${text}`);
  }
  return lines;
}

/** Without the rule's text (no `rules` given): the event's verdict (a target's or a chain's name) as ruleVerdict words it. */
function verdictWithoutRule(verdict: string): string {
  if (verdict === 'ACCEPT' || verdict === 'DROP' || verdict === 'CONTINUE') return verdict;
  if (verdict === 'RETURN') return '0xfffffffb';
  if (TARGET_VERDICTS[verdict]) return TARGET_VERDICTS[verdict];
  return NON_TERMINAL.has(verdict) ? 'CONTINUE' : `JUMP:${verdict}`;
}
const NON_TERMINAL = new Set(['LOG', 'MARK', 'CONNMARK', 'TRACE', 'CHECKSUM', 'NOTRACK', 'CT']);

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
      lines = record.events.flatMap((e) => (e.type === 'dev' && e.dev === options.interface && e.netns === netns && !(loopback && e.dir === 'tx') ? [{ e, line: formatPacket(e.t, e.snap, o, conversations) }] : []))
        .filter(({ e }) => options.packet === undefined || e.pkt === options.packet)
        .map(({ line }) => line);
      break;
    }
  }
  return lines.map((l) => `${l}\n`).join('');
}
