// ebtables / ebtables-save as installed here: ebtables 1.8.9 (nf_tables), the nft variant.
// Measured with the oracle (test/golden/ebtables): the broute table does not exist for it
// (`table 'broute' does not exist`), --logical-in/--logical-out are refused by the kernel
// (RULE_APPEND … Operation not supported), user chains always show policy RETURN, and the
// listing/saving layouts below. The kernel model (src/kernel/netfilter/ebtables.ts) still has
// broute and logical-in/out for scripts that build them another way.
import { formatIpv4 } from '../kernel/addr.ts';
import {
  EBT_TABLE_HOOKS, getEbtState, newEbtTable,
  type EbtChain, type EbtIfaceMatch, type EbtMacMatch, type EbtRule, type EbtTable, type EbtTableName,
} from '../kernel/netfilter/ebtables.ts';
import { ctime } from './iptables-save.ts';
import { ScriptError } from './tool.ts';
import type { Tool, ToolContext, ToolTable } from './tool.ts';
import { XtError, exitCodeOf, formatXtError, param } from './xtables/errors.ts';
import { maskSuffix, parseAddrMask, parsePortRange, parseProtocol, protoName } from './xtables/util.ts';

const PROG = 'ebtables';

/** /etc/ethertypes of this machine (netbase): name, number, aliases. */
const ETHERTYPES: Array<[string, number, ...string[]]> = [
  ['IPv4', 0x0800, 'ip', 'ip4'], ['X25', 0x0805], ['ARP', 0x0806, 'ether-arp'], ['FR_ARP', 0x0808], ['BPQ', 0x08ff],
  ['TRILL', 0x22f3], ['L2-IS-IS', 0x22f4], ['TEB', 0x6558], ['RAW_FR', 0x6559], ['RARP', 0x8035], ['ATALK', 0x809b],
  ['AARP', 0x80f3], ['802_1Q', 0x8100, '8021q', '1q', '802.1q', 'dot1q'], ['IPX', 0x8137], ['NetBEUI', 0x8191],
  ['IPv6', 0x86dd, 'ip6'], ['PPP', 0x880b], ['MPLS', 0x8847], ['MPLS_MULTI', 0x8848], ['ATMMPOA', 0x884c],
  ['PPP_DISC', 0x8863], ['PPP_SES', 0x8864], ['ATMFATE', 0x8884], ['EAPOL', 0x888e], ['S-TAG', 0x88a8],
  ['EAP_PREAUTH', 0x88c7], ['LLDP', 0x88cc], ['MACSEC', 0x88e5], ['PBB', 0x88e7, 'macinmac'], ['MVRP', 0x88f5],
  ['PTP', 0x88f7], ['FCOE', 0x8906], ['FIP', 0x8914], ['ROCE', 0x8915], ['LoWPAN', 0xa0ed],
];

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];

const SPECIAL_MACS: Array<[string, string, string]> = [
  ['Unicast', '00:00:00:00:00:00', '01:00:00:00:00:00'],
  ['Multicast', '01:00:00:00:00:00', '01:00:00:00:00:00'],
  ['Broadcast', 'ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff'],
  ['BGA', '01:80:c2:00:00:00', 'ff:ff:ff:ff:ff:ff'],
];
const FULL_MASK = 'ff:ff:ff:ff:ff:ff';

function parseMac(text: string, which: 'source' | 'destination'): { mac: string; mask: string } {
  const special = SPECIAL_MACS.find(([n]) => n.toLowerCase() === text.toLowerCase());
  if (special) return { mac: special[1], mask: special[2] };
  const [m, k] = text.split('/');
  const norm = (s: string | undefined): string | undefined => {
    if (s === undefined) return undefined;
    const parts = s.split(':');
    if (parts.length !== 6 || parts.some((p) => !/^[0-9a-f]{1,2}$/i.test(p))) return undefined;
    return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
  };
  const mac = norm(m);
  const mask = k === undefined ? FULL_MASK : norm(k);
  if (!mac || !mask) throw param(`Problem with specified ${which} mac '${text}'`);
  const mb = mask.split(':').map((x) => parseInt(x, 16));
  const masked = mac.split(':').map((x, i) => (parseInt(x, 16) & mb[i]!).toString(16).padStart(2, '0')).join(':');
  return { mac: masked, mask };
}

function printMac(m: EbtMacMatch): string {
  const special = SPECIAL_MACS.find(([, mac, mask]) => mac === m.mac && mask === m.mask);
  if (special) return special[0];
  return m.mask === FULL_MASK ? m.mac : `${m.mac}/${m.mask}`;
}

function parseEthertype(text: string): number | 'LENGTH' {
  if (text.toUpperCase() === 'LENGTH') return 'LENGTH';
  const e = ETHERTYPES.find(([n, , ...aliases]) => n.toLowerCase() === text.toLowerCase() || aliases.includes(text.toLowerCase()));
  if (e) return e[1];
  const hex = /^(0x)?([0-9a-f]{1,4})$/i.exec(text);
  if (hex) {
    const v = parseInt(hex[2]!, 16);
    if (v < 0x0600) throw param('Sorry, protocols have values above or equal to 0x0600');
    return v;
  }
  throw param(`Problem with the specified protocol`);
}

function printEthertype(t: number | 'LENGTH'): string {
  if (t === 'LENGTH') return 'Length';
  const e = ETHERTYPES.find(([, n]) => n === t);
  return e ? e[0] : `0x${t.toString(16).padStart(4, '0')}`;
}

/** The rule text of -L and ebtables-save (nft_bridge's print). */
export function ebtRuleText(r: EbtRule): string {
  const parts: string[] = [];
  const neg = (b: boolean): string => (b ? '! ' : '');
  if (r.proto) parts.push(`-p ${neg(r.proto.invert)}${printEthertype(r.proto.type)}`);
  if (r.src) parts.push(`-s ${neg(r.src.invert)}${printMac(r.src)}`);
  if (r.dst) parts.push(`-d ${neg(r.dst.invert)}${printMac(r.dst)}`);
  const iface = (opt: string, m: EbtIfaceMatch | undefined): void => {
    if (m) parts.push(`${opt} ${neg(m.invert)}${m.name}`);
  };
  iface('-i', r.iniface);
  iface('--logical-in', r.logicalIn);
  iface('-o', r.outiface);
  iface('--logical-out', r.logicalOut);
  if (r.ip) {
    const ip = r.ip;
    if (ip.src) parts.push(`--ip-src ${neg(ip.src.invert)}${formatIpv4(ip.src.addr)}${maskSuffix(ip.src.mask)}`);
    if (ip.dst) parts.push(`--ip-dst ${neg(ip.dst.invert)}${formatIpv4(ip.dst.addr)}${maskSuffix(ip.dst.mask)}`);
    if (ip.tos) parts.push(`--ip-tos ${neg(ip.tos.invert)}0x${ip.tos.tos.toString(16).padStart(2, '0')}`);
    if (ip.proto) parts.push(`--ip-proto ${neg(ip.proto.invert)}${protoName(ip.proto.proto, false)}`);
    const pr = (x: { range: [number, number] }): string => (x.range[0] === x.range[1] ? `${x.range[0]}` : `${x.range[0]}:${x.range[1]}`);
    if (ip.sport) parts.push(`--ip-sport ${neg(ip.sport.invert)}${pr(ip.sport)}`);
    if (ip.dport) parts.push(`--ip-dport ${neg(ip.dport.invert)}${pr(ip.dport)}`);
  }
  if (r.log) {
    parts.push(`--log-level ${LOG_LEVELS[r.log.level]}`);
    if (r.log.prefix) parts.push(`--log-prefix "${r.log.prefix}"`);
    if (r.log.ip) parts.push('--log-ip');
    if (r.log.arp) parts.push('--log-arp');
    if (r.log.ip6) parts.push('--log-ip6');
  }
  parts.push(`-j ${'jump' in r.target ? r.target.jump : r.target.verdict}`);
  return parts.join(' ');
}

type Cmd = 'A' | 'I' | 'D' | 'F' | 'Z' | 'P' | 'N' | 'X' | 'E' | 'L';

interface EbParsed {
  cmd?: Cmd;
  table: EbtTableName;
  chain?: string;
  ruleNum?: number;
  arg2?: string;
  rule: EbtRule;
  hasRuleSpec: boolean;
  listCounters: boolean;
  listNumbers: boolean;
  zeroWithList: boolean;
}

function parseEbtables(argv: readonly string[]): EbParsed {
  const p: EbParsed = {
    table: 'filter', rule: { target: { verdict: 'CONTINUE' }, counters: { packets: 0, bytes: 0 } },
    hasRuleSpec: false, listCounters: false, listNumbers: false, zeroWithList: false,
  };
  let targetGiven = false;
  let i = 0;
  let pendingNot = false;
  const next = (opt: string): string => {
    const v = argv[i++];
    if (v === undefined) throw param(`option "${opt}" requires an argument`);
    return v;
  };
  /** `-p ! IPv4` (ebtables' own style) or `! -p IPv4`. */
  const valueWithNot = (opt: string): { value: string; invert: boolean } => {
    let invert = pendingNot;
    pendingNot = false;
    let v = next(opt);
    if (v === '!') {
      invert = true;
      v = next(opt);
    }
    return { value: v, invert };
  };
  const setCmd = (c: Cmd): void => {
    if (p.cmd && !(p.cmd === 'L' && c === 'Z') && !(p.cmd === 'Z' && c === 'L')) throw param('Multiple commands are not allowed');
    if ((p.cmd === 'L' && c === 'Z') || (p.cmd === 'Z' && c === 'L')) {
      p.zeroWithList = true;
      p.cmd = 'L';
      return;
    }
    p.cmd = c;
  };
  const optional = (): string | undefined => {
    const v = argv[i];
    if (v !== undefined && !v.startsWith('-')) {
      i++;
      return v;
    }
    return undefined;
  };
  const ip = (): NonNullable<EbtRule['ip']> => (p.rule.ip ??= {});
  const log = (): NonNullable<EbtRule['log']> => (p.rule.log ??= { prefix: '', level: 5, ip: false, arp: false, ip6: false });

  while (i < argv.length) {
    const a = argv[i++]!;
    switch (a) {
      case '!': pendingNot = true; break;
      case '-t': case '--table': {
        const t = next(a);
        if (t === 'broute' || !['filter', 'nat'].includes(t)) throw new XtError('version', `table '${t}' does not exist`);
        p.table = t as EbtTableName;
        break;
      }
      case '-A': case '--append': setCmd('A'); p.chain = next(a); break;
      case '-I': case '--insert': {
        setCmd('I');
        p.chain = next(a);
        const n = optional();
        if (n !== undefined) p.ruleNum = Number(n);
        break;
      }
      case '-D': case '--delete': {
        setCmd('D');
        p.chain = next(a);
        const n = optional();
        if (n !== undefined) p.ruleNum = Number(n);
        break;
      }
      case '-F': case '--flush': setCmd('F'); p.chain = optional(); break;
      case '-Z': case '--zero': setCmd('Z'); p.chain = optional() ?? p.chain; break;
      case '-L': case '--list': setCmd('L'); p.chain = optional() ?? p.chain; break;
      case '-X': case '--delete-chain': setCmd('X'); p.chain = optional(); break;
      case '-N': case '--new-chain': setCmd('N'); p.chain = next(a); break;
      case '-P': case '--policy':
        // `-N CHAIN -P POLICY`: the new chain's policy (one argument).
        if (p.cmd === 'N') p.arg2 = next(a);
        else {
          setCmd('P');
          p.chain = next(a);
          p.arg2 = next(a);
        }
        break;
      case '-E': case '--rename-chain': setCmd('E'); p.chain = next(a); p.arg2 = next(a); break;
      case '--Lc': p.listCounters = true; break;
      case '--Ln': p.listNumbers = true; break;
      case '--Lx': case '--Lmac2':
        throw new ScriptError(`ebtables ${a} is not modelled; supported listing options: --Lc, --Ln`);
      case '-p': case '--protocol': {
        const { value, invert } = valueWithNot(a);
        p.rule.proto = { type: parseEthertype(value), invert };
        p.hasRuleSpec = true;
        break;
      }
      case '-s': case '--source': case '-d': case '--destination': {
        const { value, invert } = valueWithNot(a);
        const which = a === '-s' || a === '--source' ? 'source' : 'destination';
        const m = { ...parseMac(value, which), invert };
        if (which === 'source') p.rule.src = m;
        else p.rule.dst = m;
        p.hasRuleSpec = true;
        break;
      }
      case '-i': case '--in-interface': case '--in-if': case '-o': case '--out-interface': case '--out-if':
      case '--logical-in': case '--logical-out': {
        const { value, invert } = valueWithNot(a);
        const m = { name: value, invert };
        if (a.startsWith('-i') || a.startsWith('--in')) p.rule.iniface = m;
        else if (a.startsWith('-o') || a.startsWith('--out')) p.rule.outiface = m;
        else if (a === '--logical-in') p.rule.logicalIn = m;
        else p.rule.logicalOut = m;
        p.hasRuleSpec = true;
        break;
      }
      case '--ip-src': case '--ip-source': case '--ip-dst': case '--ip-destination': {
        const { value, invert } = valueWithNot(a);
        const am = { ...parseAddrMask(value), invert };
        if (a.startsWith('--ip-s')) ip().src = am;
        else ip().dst = am;
        p.hasRuleSpec = true;
        break;
      }
      case '--ip-proto': case '--ip-protocol': {
        const { value, invert } = valueWithNot(a);
        ip().proto = { proto: parseProtocol(value), invert };
        p.hasRuleSpec = true;
        break;
      }
      case '--ip-tos': {
        const { value, invert } = valueWithNot(a);
        ip().tos = { tos: parseInt(value, 16), invert };
        p.hasRuleSpec = true;
        break;
      }
      case '--ip-sport': case '--ip-source-port': case '--ip-dport': case '--ip-destination-port': {
        const { value, invert } = valueWithNot(a);
        const r = { range: parsePortRange(value, undefined), invert };
        if (a === '--ip-sport' || a === '--ip-source-port') ip().sport = r;
        else ip().dport = r;
        p.hasRuleSpec = true;
        break;
      }
      case '--log': log(); p.hasRuleSpec = true; break;
      case '--log-level': {
        const v = next(a);
        const n = /^\d$/.test(v) ? Number(v) : LOG_LEVELS.indexOf(v);
        if (n < 0 || n > 7) throw param(`Problem with the log-level`);
        log().level = n;
        p.hasRuleSpec = true;
        break;
      }
      case '--log-prefix': {
        const v = next(a);
        if (v.length > 29) throw param('Prefix too long');
        log().prefix = v;
        p.hasRuleSpec = true;
        break;
      }
      case '--log-ip': log().ip = true; p.hasRuleSpec = true; break;
      case '--log-arp': log().arp = true; p.hasRuleSpec = true; break;
      case '--log-ip6': log().ip6 = true; p.hasRuleSpec = true; break;
      case '-j': case '--jump': {
        const t = next(a);
        if (t === 'ACCEPT' || t === 'DROP' || t === 'CONTINUE' || t === 'RETURN') p.rule.target = { verdict: t };
        else p.rule.target = { jump: t };
        targetGiven = true;
        p.hasRuleSpec = true;
        break;
      }
      case '-c': case '--set-counters': {
        const pk = next(a);
        const by = next(a);
        p.rule.counters = { packets: Number(pk), bytes: Number(by) };
        break;
      }
      default:
        if (a.startsWith('-')) {
          // ebtables-nft reports the next word it cannot place, which is the option's argument or the next option.
          // At the end of the line that is NULL, which glibc's printf prints as "(null)" (measured).
          throw param(`Unknown argument: '${argv[i] ?? '(null)'}'`);
        }
        throw param(`Bad argument : '${a}'`);
    }
  }
  void targetGiven;
  return p;
}

function sameEbtRule(a: EbtRule, b: EbtRule): boolean {
  const strip = (r: EbtRule): unknown => ({ ...r, counters: undefined });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function listTable(t: EbtTable, only: string | undefined, counters: boolean, numbers: boolean): string {
  let s = `Bridge table: ${t.name}\n`;
  for (const c of orderedChains(t)) {
    if (only !== undefined && c.name !== only) continue;
    s += `\nBridge chain: ${c.name}, entries: ${c.rules.length}, policy: ${c.policy}\n`;
    c.rules.forEach((r, k) => {
      s += `${numbers ? `${k + 1} ` : ''}${ebtRuleText(r)}${counters ? ` , pcnt = ${r.counters.packets} -- bcnt = ${r.counters.bytes}` : ''}\n`;
    });
  }
  return s;
}

function orderedChains(t: EbtTable): EbtChain[] {
  const hooks = EBT_TABLE_HOOKS[t.name] as readonly string[];
  const builtins = hooks.map((h) => t.chains.get(h)!).filter(Boolean);
  // ebtables-nft's chain cache keeps user chains sorted by name (strcmp), renamed ones too (measured).
  const users = [...t.chains.values()].filter((c) => !hooks.includes(c.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...users];
}

function runEbtables(argv: readonly string[], ctx: ToolContext): number {
  try {
    const p = parseEbtables(argv);
    if (!p.cmd) throw param('no command specified');
    const st = getEbtState(ctx.kernel, ctx.netns);
    const writes = ['A', 'I', 'N', 'P'].includes(p.cmd);
    let t = st.tables.get(p.table);
    if (!t) {
      t = newEbtTable(p.table);
      if (writes) st.tables.set(p.table, t);
    }
    const chainOf = (name: string | undefined): EbtChain => {
      const c = name !== undefined ? t.chains.get(name) : undefined;
      if (!c) throw new XtError('kernel', 'No chain/target/match by that name');
      return c;
    };
    const checkJump = (): void => {
      const tg = p.rule.target;
      if ('jump' in tg && (!t.chains.has(tg.jump) || (EBT_TABLE_HOOKS[t.name] as readonly string[]).includes(tg.jump))) {
        throw param(`Chain '${tg.jump}' does not exist`);
      }
      const op = `RULE_${p.cmd === 'I' ? 'INSERT' : 'APPEND'}`;
      if (p.rule.logicalIn || p.rule.logicalOut) {
        throw new XtError('netlink', `${op} failed (Operation not supported): rule in chain ${p.chain}`);
      }
      // ebt_ip's checkentry: the rule must say -p IPv4.
      if (p.rule.ip && (!p.rule.proto || p.rule.proto.type !== 0x0800 || p.rule.proto.invert)) {
        throw new XtError('netlink', `${op} failed (Invalid argument): rule in chain ${p.chain}`);
      }
    };
    let out = '';
    switch (p.cmd) {
      case 'A':
      case 'I': {
        const c = chainOf(p.chain);
        checkJump();
        const idx = p.cmd === 'A' ? c.rules.length : (p.ruleNum ?? 1) - 1;
        if (idx < 0 || idx > c.rules.length) throw new XtError('kernel', 'Index of insertion too big');
        c.rules.splice(idx, 0, p.rule);
        break;
      }
      case 'D': {
        const c = chainOf(p.chain);
        if (p.ruleNum !== undefined && !p.hasRuleSpec) {
          if (p.ruleNum < 1 || p.ruleNum > c.rules.length) throw new XtError('kernel', 'Index of deletion too big');
          c.rules.splice(p.ruleNum - 1, 1);
        } else {
          const k = c.rules.findIndex((r) => sameEbtRule(r, p.rule));
          if (k < 0) throw new XtError('kernel', 'Bad rule (does a matching rule exist in that chain?)');
          c.rules.splice(k, 1);
        }
        break;
      }
      case 'F':
        for (const c of p.chain !== undefined ? [chainOf(p.chain)] : [...t.chains.values()]) c.rules = [];
        break;
      case 'Z':
        for (const c of p.chain !== undefined ? [chainOf(p.chain)] : [...t.chains.values()]) for (const r of c.rules) r.counters.packets = r.counters.bytes = 0;
        break;
      case 'P': {
        const c = chainOf(p.chain);
        const builtin = (EBT_TABLE_HOOKS[t.name] as readonly string[]).includes(c.name);
        if (p.arg2 === 'RETURN' && builtin) throw param('Policy RETURN only allowed for user defined chains');
        if (p.arg2 !== 'ACCEPT' && p.arg2 !== 'DROP' && p.arg2 !== 'RETURN') throw param(`Unknown policy '${p.arg2}'`);
        // nft user chains have no policy: accepted, and they keep returning (measured); only
        // ebtables-save shows it.
        if (builtin) c.policy = p.arg2 as 'ACCEPT' | 'DROP';
        else (c as UserChain).savedPolicy = p.arg2;
        break;
      }
      case 'N': {
        if (t.chains.has(p.chain!)) throw new XtError('kernel', 'Chain already exists');
        if (p.arg2 !== undefined && !['ACCEPT', 'DROP', 'RETURN'].includes(p.arg2)) throw param(`Unknown policy '${p.arg2}'`);
        // nft user chains have no policy: a given one is accepted and they keep returning (measured).
        const chain: UserChain = { name: p.chain!, policy: 'RETURN', rules: [] };
        if (p.arg2 !== undefined) chain.savedPolicy = p.arg2 as UserChain['savedPolicy'];
        t.chains.set(p.chain!, chain);
        break;
      }
      case 'X': {
        const hooks = EBT_TABLE_HOOKS[t.name] as readonly string[];
        const targets = p.chain !== undefined ? [chainOf(p.chain)] : [...t.chains.values()].filter((c) => !hooks.includes(c.name));
        for (const c of targets) {
          const refs = [...t.chains.values()].some((x) => x.rules.some((r) => 'jump' in r.target && r.target.jump === c.name));
          if (refs || c.rules.length) throw new XtError('netlink', `CHAIN_DEL failed (Device or resource busy): chain ${c.name}`);
        }
        for (const c of targets) t.chains.delete(c.name);
        break;
      }
      case 'E': {
        const c = chainOf(p.chain);
        const entries = [...t.chains.entries()].map(([k, v]) => (k === c.name ? ([p.arg2!, v] as const) : ([k, v] as const)));
        for (const x of t.chains.values()) for (const r of x.rules) if ('jump' in r.target && r.target.jump === c.name) r.target = { jump: p.arg2! };
        c.name = p.arg2!;
        t.chains.clear();
        for (const [k, v] of entries) t.chains.set(k, v);
        break;
      }
      case 'L':
        if (p.chain !== undefined) chainOf(p.chain);
        out = listTable(t, p.chain, p.listCounters, p.listNumbers);
        if (p.zeroWithList) for (const c of t.chains.values()) for (const r of c.rules) r.counters.packets = r.counters.bytes = 0;
        break;
    }
    ctx.out(out);
    return 0;
  } catch (e) {
    if (e instanceof XtError) {
      ctx.err(formatXtError(e, PROG, 'nft').replace(/^iptables: /, 'ebtables: '));
      return exitCodeOf(e);
    }
    throw e;
  }
}

/**
 * A user chain as ebtables-nft keeps it: the kernel chain has no policy (it returns), but the
 * policy given to `-N CHAIN -P POLICY` or `-P CHAIN POLICY` is what ebtables-save prints (ACCEPT
 * when none was given; `-L` always says RETURN). Measured on 1.8.9.
 */
type UserChain = EbtChain & { savedPolicy?: 'ACCEPT' | 'DROP' | 'RETURN' };

function isBuiltinChain(t: EbtTable, c: EbtChain): boolean {
  return (EBT_TABLE_HOOKS[t.name] as readonly string[]).includes(c.name);
}

function runEbtablesSave(argv: readonly string[], ctx: ToolContext): number {
  let counters = false;
  for (const a of argv) {
    if (a === '-c' || a === '--counters') counters = true;
    else throw new ScriptError(`ebtables-save: option \`${a}\` is not supported; supported: ebtables-save [-c]`);
  }
  const st = getEbtState(ctx.kernel, ctx.netns);
  const date = ctime(ctx.kernel.now);
  let out = '';
  for (const name of ['filter', 'nat', 'broute'] as const) {
    const t = st.tables.get(name);
    if (!t) continue;
    out += `# Generated by ebtables-save v1.8.9 (nf_tables) on ${date}\n*${name}\n`;
    const chains = orderedChains(t);
    for (const c of chains) out += `:${c.name} ${isBuiltinChain(t, c) ? c.policy : ((c as UserChain).savedPolicy ?? 'ACCEPT')}\n`;
    for (const c of chains) for (const r of c.rules) out += `${counters ? `[${r.counters.packets}:${r.counters.bytes}] ` : ''}-A ${c.name} ${ebtRuleText(r)}\n`;
    out += `# Completed on ${date}\n`;
  }
  ctx.out(out);
  return 0;
}

const ebtables: Tool = (argv, ctx) => runEbtables(argv.slice(1), ctx);
const ebtablesSave: Tool = (argv, ctx) => runEbtablesSave(argv.slice(1), ctx);

/**
 * `ebtables-legacy` talks to the kernel's x_tables ebtables, which kernels built for nftables
 * (6.18 here, and the distributions' current ones) no longer have: every table operation fails
 * the way the real tool fails there, so a script written for an old host says why it cannot run.
 */
const ebtablesLegacy: Tool = (argv, ctx) => {
  const args = argv.slice(1);
  if (args.includes('-V') || args.includes('--version')) {
    ctx.out('ebtables v2.0.11 (legacy) (December 2011)\n');
    return 0;
  }
  const t = args.findIndex((a) => a === '-t' || a === '--table');
  const table = t >= 0 && args[t + 1] ? args[t + 1] : 'filter';
  ctx.err(`The kernel doesn't support the ebtables '${table}' table.\n`);
  return 255;
};

export const tools: ToolTable = {
  ebtables,
  'ebtables-legacy': ebtablesLegacy,
  'ebtables-nft': ebtables,
  'ebtables-save': ebtablesSave,
  'ebtables-nft-save': ebtablesSave,
};
