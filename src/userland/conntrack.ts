// conntrack(8) from conntrack-tools 1.4.7: -L/-D/-F/-C over the namespace's conntrack table,
// printed in the tool's default layout. Entries go to stdout, then the summary to stderr, in the
// order a terminal shows them (redirected to a file, the real tool's buffered stdout lands after
// the summary; test/kernel/lib/normalize.ts puts the summary back after its entries).
import { formatIpv4, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import { createNetfilterNs, type NetfilterNs } from '../kernel/netfilter/state.ts';
import { syncTables } from '../kernel/netfilter/ruleset.ts';
import { SEC, type Conntrack, type Tuple } from '../kernel/conntrack/core.ts';
import { TCP_STATE_NAMES } from '../kernel/conntrack/tcp.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';
import type { KernelEvent } from '../scenario/record.ts';

const VERSION = 'conntrack v1.4.7 (conntrack-tools)';
const PROTOS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, udplite: 136, sctp: 132, dccp: 33, gre: 47, icmpv6: 58 };
const NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 136: 'udplite', 132: 'sctp', 33: 'dccp', 47: 'gre', 58: 'icmpv6' };

/** `ADDR` or `ADDR/LEN` (conntrack 1.4.7 takes a prefix length on -s/-d/-r/-q). */
interface Cidr {
  addr: Ipv4;
  mask: number;
}

const inCidr = (a: Ipv4, c: Cidr): boolean => ((a ^ c.addr) & c.mask) >>> 0 === 0;

/** Options a protocol adds to the command line once `-p PROTO` was read (unknown before). */
const PROTO_OPTIONS: Record<number, string[]> = {
  6: ['--sport', '--orig-port-src', '--dport', '--orig-port-dst', '--reply-port-src', '--reply-port-dst', '--state'],
  17: ['--sport', '--orig-port-src', '--dport', '--orig-port-dst', '--reply-port-src', '--reply-port-dst'],
  1: ['--icmp-type', '--icmp-code', '--icmp-id'],
  136: ['--sport', '--orig-port-src', '--dport', '--orig-port-dst', '--reply-port-src', '--reply-port-dst'],
  132: ['--sport', '--orig-port-src', '--dport', '--orig-port-dst', '--reply-port-src', '--reply-port-dst', '--state'],
  33: ['--sport', '--orig-port-src', '--dport', '--orig-port-dst', '--reply-port-src', '--reply-port-dst', '--state'],
};

interface Filter {
  proto?: number;
  origSrc?: Cidr;
  origDst?: Cidr;
  replSrc?: Cidr;
  replDst?: Cidr;
  sport?: number;
  dport?: number;
  replSport?: number;
  replDport?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  state?: string;
  mark?: number;
  srcNat?: NatFilter;
  dstNat?: NatFilter;
  anyNat?: NatFilter;
}

/** `--src-nat [IP[:PORT]]`, `--dst-nat …`, `--any-nat …`: the optional address and port. */
interface NatFilter {
  addr?: Ipv4;
  port?: number;
}

function tupleText(t: Tuple): string {
  let s = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)} `;
  if (t.proto === 6 || t.proto === 17) s += `sport=${t.sport} dport=${t.dport} `;
  else if (t.proto === 1) s += `type=${t.dport >> 8} code=${t.dport & 255} id=${t.sport} `;
  return s;
}

/** One entry in conntrack's default output layout (`-o extended` prefixes the layer 3). */
export function formatEntry(ct: Conntrack, now: number, extended = false): string {
  const o = ct.tuple[0];
  const name = NAMES[o.proto] ?? 'unknown';
  const remaining = Math.max(0, Math.floor((ct.timeoutAt - now - 1) / SEC));
  let s = `${extended ? 'ipv4     2 ' : ''}${name.padEnd(8)} ${o.proto} ${remaining} `;
  if (ct.tcp) s += `${TCP_STATE_NAMES[ct.tcp.state]} `;
  s += tupleText(o);
  if (!ct.seenReply) s += '[UNREPLIED] ';
  s += tupleText(ct.tuple[1]);
  if (ct.assured) s += '[ASSURED] ';
  s += `mark=${ct.mark} use=1`;
  return s;
}

function matches(ct: Conntrack, f: Filter): boolean {
  const [o, r] = ct.tuple;
  if (f.proto !== undefined && o.proto !== f.proto) return false;
  if (f.origSrc !== undefined && !inCidr(o.src, f.origSrc)) return false;
  if (f.origDst !== undefined && !inCidr(o.dst, f.origDst)) return false;
  if (f.replSrc !== undefined && !inCidr(r.src, f.replSrc)) return false;
  if (f.replDst !== undefined && !inCidr(r.dst, f.replDst)) return false;
  if (f.sport !== undefined && o.sport !== f.sport) return false;
  if (f.dport !== undefined && o.dport !== f.dport) return false;
  if (f.replSport !== undefined && r.sport !== f.replSport) return false;
  if (f.replDport !== undefined && r.dport !== f.replDport) return false;
  if (f.icmpType !== undefined && o.dport >> 8 !== f.icmpType) return false;
  if (f.icmpCode !== undefined && (o.dport & 255) !== f.icmpCode) return false;
  if (f.icmpId !== undefined && o.sport !== f.icmpId) return false;
  if (f.state !== undefined && (!ct.tcp || TCP_STATE_NAMES[ct.tcp.state] !== f.state)) return false;
  if (f.mark !== undefined && ct.mark !== f.mark) return false;
  if (f.srcNat || f.dstNat || f.anyNat) {
    // conntrack-tools' filter_nat over libnetfilter_conntrack's NFCT_GOPT_IS_{SNAT,SPAT,DNAT,DPAT}:
    // they look at the IPS_*_NAT_DONE status bits (set by a null binding too, whenever the nat
    // table saw the flow) and compare the tuples; for ICMP the "ports" are the id and type/code,
    // which always differ between the directions, so every ICMP flow the nat table saw counts as
    // both source- and destination-NATed.
    const isSnat = ct.srcNatDone && r.dst !== o.src;
    const isSpat = ct.srcNatDone && r.dport !== o.sport;
    const isDnat = ct.dstNatDone && r.src !== o.dst;
    const isDpat = ct.dstNatDone && r.sport !== o.dport;
    const has = (nf: NatFilter | undefined, nat: boolean, pat: boolean, ip: Ipv4, port: number): boolean => {
      if (!nf) return false;
      // an address and a port given together must both match (conntrack 1.4.7 on this machine)
      if (nf.addr === undefined && nf.port === undefined) return nat || pat;
      return (nf.addr === undefined || (nat && nf.addr === ip)) && (nf.port === undefined || (pat && nf.port === port));
    };
    const srcSel = f.anyNat ?? f.srcNat;
    const dstSel = f.anyNat ?? f.dstNat;
    const hasSrc = has(srcSel, isSnat, isSpat, r.dst, r.dport);
    const hasDst = has(dstSel, isDnat, isDpat, r.src, r.sport);
    if (f.anyNat) return hasSrc || hasDst;
    if (f.srcNat && f.dstNat) return hasSrc && hasDst;
    if (f.srcNat) return hasSrc;
    return hasDst;
  }
  return true;
}

/** The optional argument of --src-nat/--dst-nat/--any-nat: `IP` or `IP:PORT`. */
function natArg(args: string[], i: number): { nf: NatFilter; used: boolean } {
  const v = args[i + 1];
  if (v === undefined || v.startsWith('-')) return { nf: {}, used: false };
  const colon = v.indexOf(':');
  const ipText = colon < 0 ? v : v.slice(0, colon);
  const addr = parseIpv4(ipText);
  if (addr === undefined) throw new BadArg(`Invalid IP address \`${ipText}'`);
  const nf: NatFilter = { addr };
  if (colon >= 0) {
    const port = Number(v.slice(colon + 1));
    if (!/^\d+$/.test(v.slice(colon + 1)) || port > 65535) throw new Error(`expects IP:PORT with a port 0-65535, got \`${v}\``);
    nf.port = port;
  }
  return { nf, used: true };
}

function nfOf(ctx: ToolContext): NetfilterNs {
  const k = ctx.kernel as unknown as { netns(name: string): { nf: unknown } | undefined; seed: number };
  const ns = k.netns(ctx.netns);
  if (!ns) throw new ScriptError(`conntrack: no namespace \`${ctx.netns}\``, ctx.pos);
  ns.nf ??= createNetfilterNs(k.seed);
  const nf = ns.nf as NetfilterNs;
  syncTables(ctx.kernel, ctx.netns, nf);
  return nf;
}

/** `conntrack -E` event lines: the type right-aligned in 9 columns, no mark/use. */
function eventLine(type: 'NEW' | 'UPDATE' | 'DESTROY', ct: Conntrack, now: number, userspace: boolean): string {
  const o = ct.tuple[0];
  const name = NAMES[o.proto] ?? 'unknown';
  const timeout = type === 'DESTROY' ? Math.max(0, Math.floor((ct.timeoutAt - now - 1) / SEC)) : Math.max(0, Math.round((ct.timeoutAt - now) / SEC));
  let s = `${`[${type}]`.padStart(9)} ${name.padEnd(8)} ${o.proto} ${timeout} `;
  if (ct.tcp) s += `${TCP_STATE_NAMES[ct.tcp.state]} `;
  s += tupleText(o);
  if (!ct.seenReply) s += '[UNREPLIED] ';
  s += tupleText(ct.tuple[1]);
  if (ct.assured) s += '[ASSURED] ';
  if (userspace) s += '[USERSPACE] portid=1 ';
  return s.trimEnd();
}

/** conntrack -E in the background: NEW at confirmation, UPDATE when state or flags change, DESTROY. */
function events(ctx: ToolContext, proto: number | undefined): number {
  if (!ctx.background) throw new ScriptError('conntrack -E must run in the background (`conntrack -E &`): it then shows the events of the commands that follow', ctx.pos);
  const nf = nfOf(ctx);
  const netns = ctx.netns;
  const last = new Map<number, { ct: Conntrack; summary: string }>();
  let shown = 0;
  const print = (line: string) => {
    shown++;
    ctx.out(line + '\n');
  };
  const unsubscribe = ctx.kernel.subscribe((e: KernelEvent) => {
    if (e.type !== 'ct' || e.netns !== netns) return;
    const known = last.get(e.entryId);
    const ct = known?.ct ?? nf.conntrack.byId.get(e.entryId);
    if (!ct || (proto !== undefined && ct.tuple[0].proto !== proto)) return;
    if (e.action === 'confirm') {
      last.set(ct.id, { ct, summary: e.summary });
      print(eventLine('NEW', ct, ctx.kernel.now, false));
    } else if (e.action === 'seen' && known && known.summary !== e.summary) {
      known.summary = e.summary;
      print(eventLine('UPDATE', ct, ctx.kernel.now, false));
    } else if (e.action === 'destroy' && known) {
      last.delete(ct.id);
      print(eventLine('DESTROY', ct, ctx.kernel.now, e.summary.endsWith(USERSPACE_MARK)));
    }
  });
  ctx.atExit?.(() => {
    unsubscribe();
    ctx.err(`${VERSION}: ${shown} flow events have been shown.\n`);
  });
  return 0;
}

const USERSPACE_MARK = ' [USERSPACE]';

function emitDestroy(ctx: ToolContext, ct: Conntrack): void {
  ctx.kernel.emit({ type: 'ct', t: ctx.kernel.now, netns: ctx.netns, pkt: 0, action: 'destroy', entryId: ct.id, summary: `deleted by conntrack${USERSPACE_MARK}` });
}

export function conntrack(argv: string[], ctx: ToolContext): number {
  let cmd: 'L' | 'D' | 'F' | 'C' | 'E' | undefined;
  let extended = false;
  const f: Filter = {};
  const args = argv.slice(1);
  const need = (i: number, opt: string): string => {
    const v = args[i];
    if (v === undefined) {
      ctx.err(`${VERSION}: option \`${opt}' requires an argument\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
      throw new ExitError(2);
    }
    return v;
  };
  const addr = (v: string, opt: string): Cidr => {
    const slash = v.indexOf('/');
    const a = parseIpv4(slash < 0 ? v : v.slice(0, slash));
    const len = slash < 0 ? 32 : Number(v.slice(slash + 1));
    if (a === undefined || !/^\d+$/.test(String(len)) || len > 32) throw new ScriptError(`conntrack: ${opt} expects an IPv4 address or ADDR/LEN, got \`${v}\``, ctx.pos);
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return { addr: a, mask };
  };
  const num = (v: string, opt: string): number => {
    if (!/^\d+$/.test(v)) throw new ScriptError(`conntrack: ${opt} expects a number, got \`${v}\``, ctx.pos);
    return Number(v);
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      // getopt knows a protocol's options only after its -p
      if (Object.values(PROTO_OPTIONS).some((l) => l.includes(a)) && !(f.proto !== undefined && PROTO_OPTIONS[f.proto]?.includes(a))) {
        ctx.err(`${VERSION}: unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
        throw new ExitError(2);
      }
      switch (a) {
        case '-L':
        case '--dump':
          cmd = 'L';
          break;
        case '-D':
        case '--delete':
          cmd = 'D';
          break;
        case '-F':
        case '--flush':
          cmd = 'F';
          break;
        case '-C':
        case '--count':
          cmd = 'C';
          break;
        case '-E':
        case '--event':
          cmd = 'E';
          break;
        case '-p':
        case '--proto': {
          const v = need(++i, a);
          const p = PROTOS[v] ?? (/^\d+$/.test(v) ? Number(v) : undefined);
          if (p === undefined) {
            ctx.err(`${VERSION}: \`${v}' unsupported protocol\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
            throw new ExitError(2);
          }
          f.proto = p;
          break;
        }
        case '-s':
        case '--src':
        case '--orig-src':
          f.origSrc = addr(need(++i, a), a);
          break;
        case '-d':
        case '--dst':
        case '--orig-dst':
          f.origDst = addr(need(++i, a), a);
          break;
        case '-r':
        case '--reply-src':
          f.replSrc = addr(need(++i, a), a);
          break;
        case '-q':
        case '--reply-dst':
          f.replDst = addr(need(++i, a), a);
          break;
        case '--sport':
        case '--orig-port-src':
          f.sport = num(need(++i, a), a);
          break;
        case '--dport':
        case '--orig-port-dst':
          f.dport = num(need(++i, a), a);
          break;
        case '--reply-port-src':
          f.replSport = num(need(++i, a), a);
          break;
        case '--reply-port-dst':
          f.replDport = num(need(++i, a), a);
          break;
        case '--icmp-type':
          f.icmpType = num(need(++i, a), a);
          break;
        case '--icmp-code':
          f.icmpCode = num(need(++i, a), a);
          break;
        case '--icmp-id':
          f.icmpId = num(need(++i, a), a);
          break;
        case '--state':
          f.state = need(++i, a);
          break;
        case '-m':
        case '--mark':
          f.mark = Number(need(++i, a));
          break;
        case '-o':
        case '--output': {
          const v = need(++i, a);
          if (v !== 'extended') throw new ScriptError(`conntrack: output format \`${v}\` is not modelled; supported: -o extended`, ctx.pos);
          extended = true;
          break;
        }
        case '-f':
        case '--family': {
          const v = need(++i, a);
          if (v !== 'ipv4') throw new ScriptError(`conntrack: family \`${v}\` is not modelled; supported: -f ipv4`, ctx.pos);
          break;
        }
        case '-n':
        case '--src-nat':
        case '-g':
        case '--dst-nat':
        case '-j':
        case '--any-nat': {
          let n: NatFilter, used: boolean;
          try {
            ({ nf: n, used } = natArg(args, i));
          } catch (e) {
            if (!(e instanceof BadArg)) throw new ScriptError(`conntrack: ${a} ${(e as Error).message}`, ctx.pos);
            ctx.err(`${VERSION}: ${e.message}\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
            throw new ExitError(2);
          }
          if (used) i++;
          if (a === '-n' || a === '--src-nat') f.srcNat = n;
          else if (a === '-g' || a === '--dst-nat') f.dstNat = n;
          else f.anyNat = n;
          break;
        }
        default:
          throw new ScriptError(`conntrack: option \`${a}\` is not supported; supported: -L, -D, -F, -C, -E, -p, -s, -d, -r, -q (ADDR[/LEN]), --sport, --dport, --reply-port-src, --reply-port-dst, --state (after -p tcp), --icmp-type, --icmp-code, --icmp-id (after -p icmp), -m, -n, -g, -j, -o extended, -f ipv4`, ctx.pos);
      }
    }
  } catch (e) {
    if (e instanceof ExitError) return e.code;
    throw e;
  }
  if (!cmd) throw new ScriptError('conntrack: a command is expected; supported: -L, -D, -F, -C, -E', ctx.pos);
  if (cmd === 'E') return events(ctx, f.proto);
  const nf = nfOf(ctx);
  const now = ctx.kernel.now;
  const table = nf.conntrack;
  if (cmd === 'F') {
    for (const ct of table.list(now)) {
      table.destroy(ct);
      emitDestroy(ctx, ct);
    }
    ctx.err(`${VERSION}: connection tracking table has been emptied.\n`);
    return 0;
  }
  const hits = table.list(now).filter((ct) => matches(ct, f));
  if (cmd === 'C') {
    ctx.out(`${hits.length}\n`);
    return 0;
  }
  for (const ct of hits) ctx.out(formatEntry(ct, now, extended) + '\n');
  if (cmd === 'D') {
    for (const ct of hits) {
      table.destroy(ct);
      emitDestroy(ctx, ct);
    }
    ctx.err(`${VERSION}: ${hits.length} flow entries have been deleted.\n`);
  } else {
    ctx.err(`${VERSION}: ${hits.length} flow entries have been shown.\n`);
  }
  // -D with no match: conntrack exits 1 after printing its summary
  return cmd === 'D' && hits.length === 0 ? 1 : 0;
}

class BadArg extends Error {}

class ExitError extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

export const tools: ToolTable = { conntrack };
