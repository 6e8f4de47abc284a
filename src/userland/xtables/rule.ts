// The iptables command line (xshared.c do_parse) and the rule printers (save_rule / print_firewall).
// Options are taken left to right like getopt_long does with iptables' merged option table:
// generic options first, then the loaded matches' options in load order, then the target's; an
// unknown option with `-p PROTO` given loads PROTO's match implicitly (so `-p tcp --dport 80`
// prints as `-p tcp -m tcp --dport 80`).
import type { Backend, Rule, TableName, XtMatch, XtTarget } from '../../kernel/netfilter/types.ts';
import { ScriptError } from '../tool.ts';
import { XtError, param } from './errors.ts';
import { MATCHES, STANDARD_TARGETS, TARGETS, UNMODELLED_MATCHES, UNMODELLED_TARGETS, type Ext, type ExtCtx, type OptSpec, type TargetExt } from './extensions.ts';
import { listAddr, parseAddrList, parseAddrMask, parseProtocol, protoName, saveAddr, type AddrMask } from './util.ts';

export type CommandLetter = 'A' | 'C' | 'D' | 'R' | 'I' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E';

export interface ParsedCommand {
  commands: CommandLetter[];
  table: TableName;
  chain?: string;
  ruleNum?: number;
  /** -P target / -E new name */
  arg2?: string;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** The rule(s) of -A/-I/-D/-R/-C: one per source × destination address given. */
  rules: Rule[];
  /** -j/-g name when it is not a standard verdict or an extension: a chain to resolve. */
  jumpChain?: { name: string; goto: boolean };
  hasRuleSpec: boolean;
  /** What the extensions printed to stderr while parsing (libxt_iprange's reversed range). */
  warnings?: string[];
}

const TABLE_NAMES = ['raw', 'mangle', 'nat', 'filter', 'security'];

const LONG_OPTS: Record<string, { short: string; arg: 'none' | 'required' | 'optional' }> = {
  append: { short: 'A', arg: 'required' },
  check: { short: 'C', arg: 'required' },
  delete: { short: 'D', arg: 'required' },
  insert: { short: 'I', arg: 'required' },
  replace: { short: 'R', arg: 'required' },
  list: { short: 'L', arg: 'optional' },
  'list-rules': { short: 'S', arg: 'optional' },
  flush: { short: 'F', arg: 'optional' },
  zero: { short: 'Z', arg: 'optional' },
  'new-chain': { short: 'N', arg: 'required' },
  'delete-chain': { short: 'X', arg: 'optional' },
  policy: { short: 'P', arg: 'required' },
  'rename-chain': { short: 'E', arg: 'required' },
  protocol: { short: 'p', arg: 'required' },
  source: { short: 's', arg: 'required' },
  src: { short: 's', arg: 'required' },
  destination: { short: 'd', arg: 'required' },
  dst: { short: 'd', arg: 'required' },
  'in-interface': { short: 'i', arg: 'required' },
  'out-interface': { short: 'o', arg: 'required' },
  jump: { short: 'j', arg: 'required' },
  goto: { short: 'g', arg: 'required' },
  match: { short: 'm', arg: 'required' },
  numeric: { short: 'n', arg: 'none' },
  verbose: { short: 'v', arg: 'none' },
  exact: { short: 'x', arg: 'none' },
  'line-numbers': { short: '0', arg: 'none' },
  table: { short: 't', arg: 'required' },
  wait: { short: 'w', arg: 'optional' },
  'wait-interval': { short: 'W', arg: 'required' },
  'set-counters': { short: 'c', arg: 'required' },
  fragment: { short: 'f', arg: 'none' },
  modprobe: { short: 'M', arg: 'required' },
  ipv4: { short: '4', arg: 'none' },
  ipv6: { short: '6', arg: 'none' },
  help: { short: 'h', arg: 'none' },
  version: { short: 'V', arg: 'none' },
};
const SHORT_ARG: Record<string, 'none' | 'required' | 'optional'> = {};
for (const v of Object.values(LONG_OPTS)) SHORT_ARG[v.short] = v.arg;

interface LoadedMatch {
  ext: Ext<unknown>;
  info: unknown;
  seen: Set<string>;
}

function isNum(s: string | undefined): boolean {
  return s !== undefined && /^\d+$/.test(s);
}

function parseRuleNumber(s: string): number {
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1)) throw param(`Invalid rule number \`${s}'`);
  return n;
}

/** Parses an iptables argv (without argv[0]). Throws XtError as iptables reports it. */
export function parseIptablesArgs(argv: readonly string[]): ParsedCommand {
  return parseSimpleAppend(argv) ?? parseFull(argv);
}

/**
 * The shape of nearly every line of a big ruleset (`-A CHAIN [-s A] [-d A] [-i IF] [-o IF]
 * [-j ACCEPT|DROP|RETURN]`, each option once, no `!`, no address list): the same ParsedCommand
 * parseFull builds, without its per-call option machinery. Anything else, or any error, returns
 * undefined and parseFull parses the line (and reports the error) as before.
 */
function parseSimpleAppend(argv: readonly string[]): ParsedCommand | undefined {
  const n = argv.length;
  if (n < 2 || (n & 1) !== 0 || argv[0] !== '-A') return undefined;
  const chain = argv[1]!;
  if (chain.length === 0 || chain.charCodeAt(0) === 45 /* - */ || chain === '!') return undefined;
  let src: AddrMask | undefined;
  let dst: AddrMask | undefined;
  let iniface: string | undefined;
  let outiface: string | undefined;
  let tname: string | undefined;
  for (let k = 2; k < n; k += 2) {
    const opt = argv[k]!;
    const v = argv[k + 1]!;
    if (opt.length !== 2 || v.length === 0 || v.charCodeAt(0) === 45 || v === '!') return undefined;
    switch (opt) {
      case '-s':
      case '-d': {
        if ((opt === '-s' ? src : dst) !== undefined || v.includes(',')) return undefined;
        let a: AddrMask;
        try {
          a = parseAddrMask(v);
        } catch {
          return undefined;
        }
        if (opt === '-s') src = a;
        else dst = a;
        break;
      }
      case '-i':
      case '-o':
        if ((opt === '-i' ? iniface : outiface) !== undefined || v.length > 15) return undefined;
        if (opt === '-i') iniface = v;
        else outiface = v;
        break;
      case '-j':
        if (tname !== undefined || (v !== 'ACCEPT' && v !== 'DROP' && v !== 'RETURN')) return undefined;
        tname = v;
        break;
      default:
        return undefined;
    }
  }
  if (outiface !== undefined && (chain === 'INPUT' || chain === 'PREROUTING')) return undefined;
  if (iniface !== undefined && (chain === 'OUTPUT' || chain === 'POSTROUTING')) return undefined;
  const ip: Rule['ip'] = {
    src: src?.addr ?? 0, smsk: src?.mask ?? 0, dst: dst?.addr ?? 0, dmsk: dst?.mask ?? 0, iniface: iniface ?? '', outiface: outiface ?? '', proto: 0,
    invSrc: false, invDst: false, invIn: false, invOut: false, invProto: false,
  };
  const target = (tname !== undefined ? { name: tname } : { name: 'NONE' }) as XtTarget;
  return {
    commands: ['A'], table: 'filter', numeric: false, verbose: false, exact: false, lineNumbers: false,
    rules: [{ ip, matches: [], target, counters: { packets: 0, bytes: 0 } }],
    hasRuleSpec: n > 2, chain,
  };
}

function parseFull(argv: readonly string[]): ParsedCommand {
  const pc: ParsedCommand = { commands: [], table: 'filter', numeric: false, verbose: false, exact: false, lineNumbers: false, rules: [], hasRuleSpec: false };
  let invert = false;
  let proto = 0;
  let invProto = false;
  let protoGiven = false;
  let srcs: AddrMask[] = [{ addr: 0, mask: 0 }];
  let dsts: AddrMask[] = [{ addr: 0, mask: 0 }];
  let invSrc = false;
  let invDst = false;
  let srcGiven = false;
  let dstGiven = false;
  let iniface = '';
  let outiface = '';
  let invIn = false;
  let invOut = false;
  let fragment: boolean | undefined;
  let counters = { packets: 0, bytes: 0 };
  const matches: LoadedMatch[] = [];
  let target: { ext?: TargetExt<XtTarget>; value: XtTarget; seen: Set<string> } | undefined;
  const extCtxObj: ExtCtx = { proto: 0, invProto: false, warn: (line) => (pc.warnings ??= []).push(line) };
  const ctx = (): ExtCtx => {
    extCtxObj.proto = proto;
    extCtxObj.invProto = invProto;
    return extCtxObj;
  };

  const setCommand = (c: CommandLetter): void => {
    if (pc.commands.length && !(pc.commands.length === 1 && ((pc.commands[0] === 'L' && c === 'Z') || (pc.commands[0] === 'Z' && c === 'L')))) {
      throw param(`Cannot use -${c} with -${pc.commands[0]}`);
    }
    pc.commands.push(c);
  };
  const takeInvert = (opt: string): boolean => {
    const v = invert;
    invert = false;
    void opt;
    return v;
  };
  const noInvert = (opt: string): void => {
    if (invert) throw param(`cannot have ! before -${opt}`);
  };

  let i = 0;
  const nextArg = (opt: string): string => {
    const v = argv[i++];
    if (v === undefined) throw param(`option "${opt}" requires an argument`);
    return v;
  };
  /** getopt's trick for optional command arguments: take the next word unless it is an option. */
  const optionalArg = (): string | undefined => {
    const v = argv[i];
    if (v !== undefined && !v.startsWith('-') && v !== '!') {
      i++;
      return v;
    }
    return undefined;
  };

  let reqAttached: string | undefined;
  let reqOpt = '';
  const req = (): string => reqAttached ?? nextArg(reqOpt);
  const handleGeneric = (short: string, optText: string, attached: string | undefined): void => {
    reqAttached = attached;
    reqOpt = optText;
    switch (short) {
      case 'A': case 'C': case 'N': case 'P': case 'E': case 'R': case 'D': case 'I': {
        noInvert(short);
        setCommand(short);
        pc.chain = req();
        if (short === 'P' || short === 'E') {
          const v = argv[i];
          if (v === undefined || v.startsWith('-')) throw param(`-${short} requires old-chain-name and new-chain-name`.replace('-P requires old-chain-name and new-chain-name', '-P requires a chain and a policy'));
          pc.arg2 = v;
          i++;
        } else if (short === 'R') {
          const v = argv[i];
          if (v === undefined || v.startsWith('-')) throw param('-R requires a rule number');
          i++;
          pc.ruleNum = parseRuleNumber(v);
        } else if (short === 'D' || short === 'I') {
          const v = optionalArg();
          if (v !== undefined) pc.ruleNum = parseRuleNumber(v);
        }
        break;
      }
      case 'L': case 'S': case 'F': case 'Z': case 'X': {
        noInvert(short);
        setCommand(short);
        const c = attached ?? optionalArg();
        if (c !== undefined) {
          pc.chain = c;
          if (short === 'S' || short === 'Z' || short === 'L') {
            const n = optionalArg();
            if (n !== undefined) {
              pc.ruleNum = parseRuleNumber(n);
              // xshared.c: `-Z CHAIN N` sets the command to CMD_ZERO_NUM, dropping an earlier -L.
              if (short === 'Z') pc.commands = ['Z'];
            }
          }
        }
        break;
      }
      case 'p': {
        const v = req();
        invProto = takeInvert('p');
        proto = parseProtocol(v);
        protoGiven = true;
        pc.hasRuleSpec = true;
        break;
      }
      case 's':
      case 'd': {
        const v = req();
        if (v === '!') throw new XtError('bare', `Bad argument \`${argv[i] ?? ''}'`);
        const inv = takeInvert(short);
        const list = parseAddrList(v);
        if (short === 's') [srcs, invSrc, srcGiven] = [list, inv, true];
        else [dsts, invDst, dstGiven] = [list, inv, true];
        pc.hasRuleSpec = true;
        break;
      }
      case 'i':
      case 'o': {
        const v = req();
        if (v.length > 15) throw param(`interface name \`${v}' must be shorter than IFNAMSIZ (15)`);
        const inv = takeInvert(short);
        if (short === 'i') [iniface, invIn] = [v, inv];
        else [outiface, invOut] = [v, inv];
        pc.hasRuleSpec = true;
        break;
      }
      case 'f':
        fragment = !takeInvert('f');
        pc.hasRuleSpec = true;
        break;
      case 'j':
      case 'g': {
        noInvert(short);
        const name = req();
        if (target) throw param('multiple -j flags not allowed');
        pc.hasRuleSpec = true;
        if ((STANDARD_TARGETS as readonly string[]).includes(name) && short === 'j') {
          target = { value: { name } as XtTarget, seen: new Set() };
        } else if (UNMODELLED_TARGETS[name]) {
          throw new ScriptError(UNMODELLED_TARGETS[name]!);
        } else if (short === 'j' && TARGETS[name]) {
          const ext = TARGETS[name]!;
          target = { ext, value: ext.init(), seen: new Set() };
        } else {
          if (name === '' || name.startsWith('-')) throw param(`Invalid target name \`${name}'`);
          target = { value: { name: 'JUMP', chain: name, goto: short === 'g' }, seen: new Set() };
          pc.jumpChain = { name, goto: short === 'g' };
        }
        break;
      }
      case 'm': {
        noInvert('m');
        const name = req();
        loadMatch(name);
        pc.hasRuleSpec = true;
        break;
      }
      case 'n': pc.numeric = true; break;
      case 'v': pc.verbose = true; break;
      case 'x': pc.exact = true; break;
      case '0': pc.lineNumbers = true; break;
      case 't': {
        noInvert('t');
        const v = req();
        if (!TABLE_NAMES.includes(v)) throw new XtError('version', `table '${v}' does not exist`, `can't initialize iptables table \`${v}': Table does not exist (do you need to insmod?)`);
        pc.table = v as TableName;
        break;
      }
      case 'w': {
        if (attached === undefined) {
          const v = argv[i];
          if (isNum(v)) i++;
        }
        break;
      }
      case 'W': req(); break;
      case 'M': req(); break;
      case '4': break;
      case '6': throw new ScriptError('iptables -6: IPv6 is not modelled (packetwalk simulates IPv4 only)');
      case 'c': {
        const p = req();
        const b = argv[i++];
        if (!isNum(p) || !isNum(b)) throw param('-c packet counter not numeric');
        counters = { packets: Number(p), bytes: Number(b) };
        break;
      }
      case 'h':
      case 'V':
        throw new ScriptError(`iptables -${short}: help and version output are not modelled`);
      default:
        throw param(`unknown option "${optText}"`);
    }
  };

  const loadMatch = (name: string): LoadedMatch => {
    if (UNMODELLED_MATCHES[name]) throw new ScriptError(UNMODELLED_MATCHES[name]!);
    const ext = MATCHES[name];
    if (!ext) throw param(`Couldn't load match \`${name}':No such file or directory\n`);
    const m: LoadedMatch = { ext, info: ext.init(), seen: new Set() };
    matches.push(m);
    return m;
  };

  /** An option for the extensions: matches in load order, then the target. */
  const collectArgs = (spec: OptSpec, optText: string, attached: string | undefined): string[] => {
    if (spec.args === 0) return NO_ARGS;
    const args = [attached ?? nextArg(optText)];
    if (spec.args === 2) {
      const second = argv[i];
      if (second === undefined || second.startsWith('-') || second === '!') throw param(`--${spec.name} requires two args.`);
      args.push(nextArg(optText));
    }
    return args;
  };
  const handleExtension = (name: string, optText: string, attached: string | undefined, exactOnly = false): boolean => {
    for (let k = 0; k < matches.length; k++) {
      const m = matches[k]!;
      const spec = findOption(m.ext.options, name, exactOnly);
      if (spec) {
        const args = collectArgs(spec, optText, attached);
        m.ext.parse(spec.name, args, takeInvert(spec.name), m.info, ctx());
        m.seen.add(spec.name);
        return true;
      }
    }
    if (target?.ext) {
      const spec = findOption(target.ext.options, name, exactOnly);
      if (spec) {
        const args = collectArgs(spec, optText, attached);
        target.ext.parse(spec.name, args, takeInvert(spec.name), target.value, ctx());
        target.seen.add(spec.name);
        return true;
      }
    }
    return false;
  };

  while (i < argv.length) {
    const arg = argv[i++]!;
    if (arg === '!') {
      if (invert) throw param('multiple consecutive ! not allowed');
      invert = true;
      continue;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const attached = eq < 0 ? undefined : arg.slice(eq + 1);
      // getopt_long: an exact name anywhere in the merged table first, then a unique prefix.
      const exact = LONG_OPTS[name];
      if (exact) {
        handleGeneric(exact.short, arg, attached);
        continue;
      }
      if (handleExtension(name, arg, attached, true)) continue;
      const generic = uniqueGenericPrefix(name);
      if (generic) {
        handleGeneric(LONG_OPTS[generic]!.short, arg, attached);
        continue;
      }
      if (handleExtension(name, arg, attached, false)) continue;
      // Implicit protocol match: `-p tcp --dport 80`.
      if (protoGiven && !invProto) {
        const pname = protoName(proto, false);
        if (UNMODELLED_MATCHES[pname] && !matches.some((m) => m.ext.name === pname)) throw new ScriptError(UNMODELLED_MATCHES[pname]!);
        if (MATCHES[pname] && !matches.some((m) => m.ext.name === pname)) {
          loadMatch(pname);
          if (handleExtension(name, arg, attached, true) || handleExtension(name, arg, attached)) continue;
        }
      }
      throw param(`unknown option "${arg}"`);
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short options: -nvL, -tnat, -A INPUT.
      for (let k = 1; k < arg.length; k++) {
        const c = arg[k]!;
        const kind = c === '0' ? undefined : SHORT_ARG[c];
        if (kind === undefined) throw param(`unknown option "-${c}"`);
        const rest = arg.slice(k + 1);
        if (kind === 'required') {
          handleGeneric(c, `-${c}`, rest.length ? rest : undefined);
          break;
        }
        if (kind === 'optional' && rest.length && !'LSFZXw'.includes(c)) {
          handleGeneric(c, `-${c}`, rest);
          break;
        }
        handleGeneric(c, `-${c}`, undefined);
      }
      continue;
    }
    throw new XtError('bare', `Bad argument \`${arg}'`);
  }
  if (invert) throw param("unexpected trailing '!'");
  if (pc.commands.length === 0) throw param('no command specified');

  // xshared.c: -i/-o where the built-in chain cannot have that interface.
  if (pc.chain !== undefined && (outiface || invOut) && (pc.chain === 'INPUT' || pc.chain === 'PREROUTING')) {
    throw param(`Can't use -o with ${pc.chain}\n`);
  }
  if (pc.chain !== undefined && (iniface || invIn) && (pc.chain === 'OUTPUT' || pc.chain === 'POSTROUTING')) {
    throw param(`Can't use -i with ${pc.chain}\n`);
  }
  const c = ctx();
  for (const m of matches) m.ext.final?.(m.info, c, m.seen);
  if (target?.ext) target.ext.final?.(target.value, c, target.seen);

  const matchList: XtMatch[] = matches.map((m) => ({ name: m.ext.name, info: m.info }) as XtMatch);
  const tgt: XtTarget = target?.value ?? { name: 'NONE' };
  void srcGiven;
  void dstGiven;
  for (const s of srcs) {
    for (const d of dsts) {
      const ip: Rule['ip'] = {
        src: s.addr, smsk: s.mask, dst: d.addr, dmsk: d.mask, iniface, outiface, proto,
        invSrc, invDst, invIn, invOut, invProto,
      };
      if (fragment !== undefined) ip.fragment = fragment;
      pc.rules.push({
        ip,
        matches: srcs.length * dsts.length > 1 ? structuredClone(matchList) : matchList,
        target: tgt,
        counters: { ...counters },
      });
    }
  }
  return pc;
}

const NO_ARGS: string[] = [];

function findOption(opts: OptSpec[], name: string, exactOnly: boolean): OptSpec | undefined {
  for (let k = 0; k < opts.length; k++) if (opts[k]!.name === name) return opts[k];
  return exactOnly ? undefined : uniquePrefix(opts, name);
}

function uniquePrefix(opts: OptSpec[], name: string): OptSpec | undefined {
  const hits = opts.filter((o) => o.name.startsWith(name));
  return hits.length === 1 ? hits[0] : undefined;
}

function uniqueGenericPrefix(name: string): string | undefined {
  if (name.length < 2) return undefined;
  const hits = Object.keys(LONG_OPTS).filter((k) => k.startsWith(name));
  const shorts = new Set(hits.map((h) => LONG_OPTS[h]!.short));
  return shorts.size === 1 ? hits[0] : undefined;
}

// ---- printing --------------------------------------------------------------------------------------

function extCtx(rule: Rule): ExtCtx {
  return { proto: rule.ip.proto, invProto: rule.ip.invProto };
}

export function targetName(t: XtTarget): string {
  if (t.name === 'JUMP') return t.chain;
  if (t.name === 'NONE') return '';
  // libxt_CT's NOTRACK is an alias: the kernel holds a CT target (revision 0) and listings name
  // it so (" NOTRACK" is its print); -S and iptables-save print the alias back (measured).
  if (t.name === 'NOTRACK') return 'CT';
  return t.name;
}

/** The text after "-A CHAIN" in iptables-save / -S (leading space included). */
export function saveRuleBody(rule: Rule, counters?: { packets: number; bytes: number }): string {
  const ip = rule.ip;
  let s = '';
  if (ip.smsk !== 0 || ip.invSrc) s += `${ip.invSrc ? ' !' : ''} -s ${saveAddr({ addr: ip.src, mask: ip.smsk })}`;
  if (ip.dmsk !== 0 || ip.invDst) s += `${ip.invDst ? ' !' : ''} -d ${saveAddr({ addr: ip.dst, mask: ip.dmsk })}`;
  if (ip.iniface) s += `${ip.invIn ? ' !' : ''} -i ${ip.iniface}`;
  if (ip.outiface) s += `${ip.invOut ? ' !' : ''} -o ${ip.outiface}`;
  if (ip.proto !== 0 || ip.invProto) s += `${ip.invProto ? ' !' : ''} -p ${protoName(ip.proto, false)}`;
  if (ip.fragment !== undefined) s += ip.fragment ? ' -f' : ' ! -f';
  const ctx = extCtx(rule);
  for (const m of rule.matches) {
    const ext = MATCHES[m.name]!;
    s += ` -m ${m.name}${ext.save(m.info, ctx)}`;
  }
  if (counters) s += ` -c ${counters.packets} ${counters.bytes}`;
  const t = rule.target;
  if (t.name === 'JUMP') s += ` ${t.goto ? '-g' : '-j'} ${t.chain}`;
  else if (t.name !== 'NONE') {
    s += ` -j ${t.name}`;
    const ext = TARGETS[t.name];
    if (ext) s += ext.save(t, ctx);
  }
  return s;
}

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

/** xtables_print_num: right-aligned counters, K/M/G/T scaled unless -x; `notable` = no padding. */
export function printNum(n: number, fmt: ListFormat, notable = false): string {
  if (fmt.exact) return notable ? `${n} ` : `${String(n).padStart(8)} `;
  if (n <= 99999) return notable ? `${n} ` : `${String(n).padStart(5)} `;
  const suffixes = ['K', 'M', 'G', 'T'];
  let v = n;
  for (let k = 0; k < suffixes.length; k++) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999 || k === suffixes.length - 1) return notable ? `${v}${suffixes[k]} ` : `${String(v).padStart(4)}${suffixes[k]} `;
  }
  return `${v} `;
}

export function listHeader(fmt: ListFormat): string {
  let s = '';
  if (fmt.lineNumbers) s += 'num  ';
  if (fmt.verbose) s += fmt.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : ' pkts bytes ';
  s += 'target    ';
  s += ' prot opt';
  if (fmt.verbose) s += ` ${'in'.padEnd(6)} ${'out'.padEnd(6)} `;
  s += ` ${'source'.padEnd(19)} `;
  s += ` ${'destination'.padEnd(19)} `;
  return s;
}

export function listRule(rule: Rule, num: number, fmt: ListFormat): string {
  const ip = rule.ip;
  let s = '';
  if (fmt.lineNumbers) s += `${String(num).padEnd(4)} `;
  if (fmt.verbose) s += printNum(rule.counters.packets, fmt) + printNum(rule.counters.bytes, fmt);
  s += `${targetName(rule.target).padEnd(9)} `;
  s += ip.invProto ? '!' : ' ';
  s += protoName(ip.proto, fmt.numeric).padEnd(5);
  s += ip.fragment === undefined ? '-- ' : ip.fragment ? '-f ' : '!f ';
  if (fmt.verbose) {
    const ifc = (name: string, invf: boolean): string => (invf ? '!' : '') + (name || (fmt.numeric ? '*' : 'any'));
    s += ` ${ifc(ip.iniface, ip.invIn).padEnd(6)} `;
    s += `${ifc(ip.outiface, ip.invOut).padEnd(6)} `;
  }
  s += ip.invSrc ? '!' : ' ';
  s += `${listAddr({ addr: ip.src, mask: ip.smsk }, fmt.numeric).padEnd(19)} `;
  s += ip.invDst ? '!' : ' ';
  s += `${listAddr({ addr: ip.dst, mask: ip.dmsk }, fmt.numeric).padEnd(19)} `;
  if (rule.target.name === 'JUMP' && rule.target.goto) s += '[goto] ';
  const ctx = extCtx(rule);
  for (const m of rule.matches) s += MATCHES[m.name]!.print(m.info, fmt.numeric, ctx);
  const ext = TARGETS[rule.target.name];
  if (ext) s += ext.print(rule.target, fmt.numeric, ctx);
  return s;
}

/** Two rules are "the same rule" for -D/-C (is_same in libiptc: every field, counters aside). */
export function sameRule(a: Rule, b: Rule): boolean {
  return JSON.stringify([a.ip, a.matches, a.target]) === JSON.stringify([b.ip, b.matches, b.target]);
}

/** The one-line echo of `iptables -v -A/-I/-D…` (print_firewall with FMT_NOTABLE, numeric). */
export function verboseRule(rule: Rule): string {
  const ip = rule.ip;
  const ifc = (name: string, inv: boolean): string => (inv ? '!' : '') + (name || '*');
  let s = `${targetName(rule.target)} ${ip.invProto ? '!' : ' '}${protoName(ip.proto, false)} `;
  s += `opt ${ip.fragment === undefined ? '--' : ip.fragment ? '-f' : '!f'} `;
  s += `in ${ifc(ip.iniface, ip.invIn)} out ${ifc(ip.outiface, ip.invOut)} `;
  s += `${ip.invSrc ? '!' : ' '}${listAddr({ addr: ip.src, mask: ip.smsk }, true)} `;
  s += `${ip.invDst ? '!' : ' '}-> ${listAddr({ addr: ip.dst, mask: ip.dmsk }, true)} `;
  s += ' ';
  if (rule.target.name === 'JUMP' && rule.target.goto) s += '[goto] ';
  const ctx = extCtx(rule);
  for (const m of rule.matches) s += MATCHES[m.name]!.print(m.info, true, ctx);
  const ext = TARGETS[rule.target.name];
  if (ext) s += ext.print(rule.target, true, ctx);
  return s;
}
