// xtables-monitor --trace (iptables-nft 1.8.9), started in the background: the nftrace events of
// packets a `-j TRACE` rule of an iptables-nft table marked, printed as the real tool prints them
// (layout captured on the oracle, test/golden/xtables-monitor):
//
//   PACKET: 2 e43b8f62 IN=ra OUT=rb MACSRC=6:71:c6:5:88:9 MACDST=… MACPROTO=0800 SRC=… DST=… LEN=60 TOS=0x0 TTL=63 ID=12619 DF SPORT=34490 DPORT=80 SYN MARK=0x1 
//    TRACE: 2 e43b8f62 filter:FORWARD:rule:0x7:JUMP:CHK  -4 -t filter -A FORWARD -j CHK
//    TRACE: 2 e43b8f62 filter:FORWARD:policy:DROP 
//
// One PACKET line opens each base-chain walk (table at a hook) that produced an event; a rule line
// per rule that matched (its nft handle, its verdict: CONTINUE for non-terminal targets, JUMP:X,
// GOTO:X, 0xfffffffb for an explicit RETURN); a policy line when the policy decided. The implicit
// return at the end of a user chain prints nothing (measured on kernel 6.18). Legacy tables' TRACE
// goes to dmesg instead and is not shown here.
// The trace id (random per packet in the kernel) is a hash of the scenario seed and the packet id.
import { formatIpv4 } from '../kernel/addr.ts';
import { getNetfilterTables, type Rule, type TableName } from '../kernel/netfilter/types.ts';
import type { KernelEvent, SkbSnapshot } from '../scenario/record.ts';
import { ScriptError } from './tool.ts';
import type { Tool, ToolContext, ToolTable } from './tool.ts';
import { saveRuleBody } from './xtables/rule.ts';

const USAGE = `xtables-monitor 1.8.9 (nf_tables)
Usage: xtables-monitor [ -t | -e ]
        --trace    -t    trace ruleset traversal of packets tagged via -j TRACE rule
        --event    -e    show events that modify the ruleset
Optional arguments:
        --ipv4     -4    only monitor IPv4
        --ipv6     -6    only monitor IPv6
\t--counters -c    show counters in rules
`;

/** 32-bit FNV-1a of (seed, packet id): stands in for the kernel's per-skb trace id. */
export function traceId(seed: number, pkt: number): string {
  let h = 0x811c9dc5;
  for (const v of [seed >>> 0, pkt >>> 0]) {
    for (let k = 0; k < 4; k++) {
      h ^= (v >>> (8 * k)) & 255;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

const shortMac = (mac: string): string => mac.split(':').map((b) => parseInt(b, 16).toString(16)).join(':');

export function packetLine(id: string, snap: SkbSnapshot, indev: string | undefined, outdev: string | undefined): string {
  let s = `PACKET: 2 ${id} `;
  if (indev) s += `IN=${indev} `;
  if (outdev) s += `OUT=${outdev} `;
  if (indev && snap.eth) s += `MACSRC=${shortMac(snap.eth.src)} MACDST=${shortMac(snap.eth.dst)} MACPROTO=${snap.eth.proto.toString(16).padStart(4, '0')} `;
  const ip = snap.ip;
  s += `SRC=${formatIpv4(ip.saddr)} DST=${formatIpv4(ip.daddr)} LEN=${snap.len} TOS=0x${ip.tos.toString(16)} TTL=${ip.ttl} ID=${ip.id} `;
  if (ip.df) s += 'DF ';
  if (snap.tcp) {
    s += `SPORT=${snap.tcp.sport} DPORT=${snap.tcp.dport} `;
    const f = snap.tcp.flags;
    for (const [on, name] of [[f.syn, 'SYN'], [f.ack, 'ACK'], [f.fin, 'FIN'], [f.rst, 'RST'], [f.psh, 'PSH'], [f.urg, 'URG']] as const) if (on) s += `${name} `;
  } else if (snap.udp) {
    s += `SPORT=${snap.udp.sport} DPORT=${snap.udp.dport} `;
  }
  if (snap.mark) s += `MARK=0x${snap.mark.toString(16)} `;
  return s;
}

/**
 * The verdict the kernel's nft_compat hands back for a rule's target (measured on 6.18 with
 * `xtables-monitor --trace`): NAT targets accept the packet (`nat:PREROUTING:rule:0x2:ACCEPT` for
 * a DNAT rule), REJECT drops it; other targets continue.
 */
const TARGET_VERDICTS: Record<string, string> = { DNAT: 'ACCEPT', SNAT: 'ACCEPT', MASQUERADE: 'ACCEPT', REDIRECT: 'ACCEPT', REJECT: 'DROP' };
const NON_TERMINAL = new Set(['LOG', 'MARK', 'CONNMARK', 'TRACE', 'CHECKSUM', 'NOTRACK', 'CT']);

/** The verdict word of a rule line: JUMP:/GOTO:, 0xfffffffb for RETURN, the target's verdict otherwise. */
export function ruleVerdict(rule: Rule, eventVerdict: string): string {
  const t = rule.target;
  switch (t.name) {
    case 'ACCEPT':
    case 'DROP':
      return t.name;
    case 'RETURN':
      return '0xfffffffb';
    case 'JUMP':
      return `${t.goto ? 'GOTO' : 'JUMP'}:${t.chain}`;
    case 'NONE':
      return 'CONTINUE';
    default: {
      const v = TARGET_VERDICTS[t.name] ?? eventVerdict;
      return v === 'ACCEPT' || v === 'DROP' ? v : 'CONTINUE';
    }
  }
}

/** Without the rule's text: the event's verdict (a target's or a chain's name) as ruleVerdict words it. */
function verdictWithoutRule(verdict: string): string {
  if (verdict === 'ACCEPT' || verdict === 'DROP' || verdict === 'CONTINUE') return verdict;
  if (verdict === 'RETURN') return '0xfffffffb';
  if (TARGET_VERDICTS[verdict]) return TARGET_VERDICTS[verdict];
  return NON_TERMINAL.has(verdict) ? 'CONTINUE' : `JUMP:${verdict}`;
}

/** Where the trace lines come from: the live tool and the `::trace` view differ only here. */
export interface TraceSource {
  /** The scenario's seed (the trace ids derive from it). */
  seed: number;
  /** The namespace whose nftrace events are printed (the tool's own); undefined: every namespace. */
  netns?: string;
  /** The iptables-nft rule an event names (undefined: unknown, the line words the event's verdict). */
  rule(table: string, chain: string, num: number): Rule | undefined;
  /** Whether iptables-nft has this table (legacy tables' TRACE goes to dmesg instead). */
  isNft(table: string): boolean;
  /** The tool prints only packets a `-j TRACE` rule marked; the view traces every packet. */
  onlyTraced: boolean;
}

/**
 * The lines `xtables-monitor --trace` prints, fed one kernel event at a time: a PACKET line when a
 * packet's walk of one table at one hook produces its first event (its headers as that table sees
 * them: after an earlier table's NAT at the same hook, with a MARK the rule just set), then a
 * TRACE line per rule that fired and per policy; an implicit return at the end of a user chain
 * prints nothing (measured on kernel 6.18).
 */
export function nftraceFeeder(src: TraceSource): (e: KernelEvent) => string[] {
  const traced = new Set<number>();
  const hooks = new Map<number, { snap: SkbSnapshot; in?: string; out?: string }>();
  let walk = '';
  return (e) => {
    if (src.netns !== undefined && e.netns !== src.netns) return [];
    if (e.type === 'hook' && e.family === 'ipv4') {
      const prev = hooks.get(e.pkt);
      // Marks set at an earlier hook stay on the skb (the hook snapshot may predate them).
      const snap = prev && prev.snap.mark && !e.snap.mark ? { ...e.snap, mark: prev.snap.mark } : e.snap;
      hooks.set(e.pkt, { snap, in: e.in, out: e.out });
      walk = '';
      return [];
    }
    // A later table at the same hook sees the headers the nat table rewrote.
    if (e.type === 'nat') {
      const h = hooks.get(e.pkt);
      if (h) h.snap = { ...e.after, mark: h.snap.mark };
      return [];
    }
    if (e.type !== 'rule' || e.family !== 'ipv4' || !src.isNft(e.table)) return [];
    const rule = e.kind === 'rule' ? src.rule(e.table, e.chain, e.ruleNum) : undefined;
    if (src.onlyTraced && !traced.has(e.pkt)) {
      if (!rule || rule.target.name !== 'TRACE') return [];
      traced.add(e.pkt);
    }
    if (e.kind === 'return') return [];
    const lines: string[] = [];
    const id = traceId(src.seed, e.pkt);
    const h = hooks.get(e.pkt);
    // The kernel dumps the packet with the first event of a walk, i.e. after that rule's target
    // ran: a MARK there already shows. Later tables see the mark the earlier ones set.
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
      return lines;
    }
    const verdict = rule ? ruleVerdict(rule, e.verdict) : verdictWithoutRule(e.verdict);
    const text = rule ? `-A ${e.chain}${saveRuleBody(rule)}` : `-A ${e.chain}`;
    lines.push(` TRACE: 2 ${id} ${e.table}:${e.chain}:rule:0x${(e.handle ?? rule?.handle ?? e.ruleNum).toString(16)}:${verdict}  -4 -t ${e.table} ${text}`);
    return lines;
  };
}

function parseArgs(argv: readonly string[]): void {
  let trace = false;
  for (const a of argv) {
    if (a === '--trace' || a === '-t') trace = true;
    else if (a === '-4' || a === '--ipv4') continue;
    else if (a === '--event' || a === '-e' || a === '-c' || a === '--counters' || a === '-6' || a === '--ipv6') {
      throw new ScriptError(`xtables-monitor ${a} is not modelled; supported: xtables-monitor --trace [-4]`);
    } else throw new ScriptError(`xtables-monitor: unknown option \`${a}\`; supported: xtables-monitor --trace [-4]`);
  }
  if (!trace) throw new ScriptError('xtables-monitor: only --trace is modelled (xtables-monitor --trace &)');
}

export function xtablesMonitor(argv: string[], ctx: ToolContext): number {
  if (argv.slice(1).some((a) => a === '-h' || a === '--help')) {
    ctx.out(USAGE);
    return 0;
  }
  parseArgs(argv.slice(1));
  if (!ctx.background) throw new ScriptError('xtables-monitor --trace must run in the background (`xtables-monitor --trace &`): it prints the traces of the packets the following commands send', ctx.pos);
  const kernel = ctx.kernel;
  const feed = nftraceFeeder({
    seed: kernel.seed,
    netns: ctx.netns,
    rule: (table, chain, num) => getNetfilterTables(kernel, ctx.netns).nft.get(table as TableName)?.chains.get(chain)?.rules[num - 1],
    isNft: (table) => getNetfilterTables(kernel, ctx.netns).nft.has(table as TableName),
    onlyTraced: true,
  });
  const unsubscribe = kernel.subscribe((e: KernelEvent) => {
    for (const line of feed(e)) ctx.out(line + '\n');
  });
  ctx.atExit?.(unsubscribe);
  return 0;
}

const tool: Tool = (argv, ctx) => xtablesMonitor(argv, ctx);

export const tools: ToolTable = { 'xtables-monitor': tool };
