// libxt_*: one entry per match and target iptables knows here. Each parses its options into the
// kernel's info struct (types.ts), prints it for `-L` (print) and for `-S`/iptables-save (save),
// byte-for-byte as iptables 1.8.9's extension does (checked against the real tool: see
// test/golden/iptables).
import { formatIpv4, type Ipv4 } from '../../kernel/addr.ts';
import {
  ADDR_TYPES, CT_STATE_BITS, REJECT_WITH,
  type AddrType, type PortRange, type RejectWith, type XtMatch, type XtTarget,
} from '../../kernel/netfilter/types.ts';
import { ScriptError } from '../tool.ts';
import { param } from './errors.ts';
import {
  hex, listAddr, maskSuffix, parseAddrMask, parseMarkMask, parsePort, parsePortRange, parseUint,
  portName, protoForServices, saveString,
} from './util.ts';

export interface ExtCtx {
  /** -p of the rule (0 = all), and whether it is inverted. */
  proto: number;
  invProto: boolean;
  /** A warning the extension prints to stderr while parsing (the rule is still made). */
  warn?: (line: string) => void;
}

export interface OptSpec {
  name: string;
  /** Number of arguments it takes (0, 1, 2). */
  args: 0 | 1 | 2;
}

export interface Ext<I> {
  name: string;
  options: OptSpec[];
  init(): I;
  parse(opt: string, args: string[], invert: boolean, info: I, ctx: ExtCtx): void;
  final?(info: I, ctx: ExtCtx, seen: Set<string>): void;
  /** -L text, with its leading space. `ctx` is the rule's protocol. */
  print(info: I, numeric: boolean, ctx: ExtCtx): string;
  /** -S / save text, with its leading space (options only, without " -m name"/" -j NAME"). */
  save(info: I, ctx: ExtCtx): string;
}

const o = (name: string, args: 0 | 1 | 2 = 1): OptSpec => ({ name, args });
const inv = (b: boolean): string => (b ? '!' : '');
const noInvert = (opt: string, invert: boolean): void => {
  if (invert) throw param(`unexpected ! flag before --${opt}`);
};

// ---- ports ------------------------------------------------------------------------------------

function fmtPorts(label: string, range: PortRange, invert: boolean, proto: string | undefined, numeric: boolean): string {
  const [lo, hi] = range;
  if (lo === 0 && hi === 65535 && !invert) return '';
  if (lo === hi) return ` ${label}:${inv(invert)}${portName(lo, proto, numeric)}`;
  return ` ${label}s:${inv(invert)}${portName(lo, proto, numeric)}:${portName(hi, proto, numeric)}`;
}

function savePorts(opt: string, range: PortRange, invert: boolean): string {
  const [lo, hi] = range;
  if (lo === 0 && hi === 65535 && !invert) return '';
  return `${invert ? ' !' : ''} --${opt} ${lo === hi ? lo : `${lo}:${hi}`}`;
}

// ---- tcp ---------------------------------------------------------------------------------------

const TCP_FLAGS: Array<[string, number]> = [
  ['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20], ['ECE', 0x40], ['CWR', 0x80],
];

function parseTcpFlags(text: string): number {
  let v = 0;
  for (const f of text.split(',')) {
    const up = f.toUpperCase();
    if (up === 'ALL') v |= 0x3f;
    else if (up === 'NONE') continue;
    else {
      const e = TCP_FLAGS.find(([n]) => n === up);
      if (!e) throw param(`Unknown TCP flag \`${f}'`);
      v |= e[1];
    }
  }
  return v;
}

function tcpFlagNames(v: number): string {
  if (v === 0) return 'NONE';
  return TCP_FLAGS.filter(([, b]) => v & b).map(([n]) => n).join(',');
}

type TcpInfo = Extract<XtMatch, { name: 'tcp' }>['info'];
const tcp: Ext<TcpInfo> = {
  name: 'tcp',
  options: [o('source-port'), o('sport'), o('destination-port'), o('dport'), o('tcp-flags', 2), o('syn', 0), o('tcp-option')],
  init: () => ({ spts: [0, 65535], dpts: [0, 65535], flgMask: 0, flgCmp: 0, invSpt: false, invDpt: false, invFlags: false, invOption: false }),
  parse(opt, args, invert, info) {
    switch (opt) {
      case 'source-port':
      case 'sport':
        info.spts = parsePortRange(args[0]!, 'tcp');
        info.invSpt = invert;
        break;
      case 'destination-port':
      case 'dport':
        info.dpts = parsePortRange(args[0]!, 'tcp');
        info.invDpt = invert;
        break;
      case 'syn':
        info.flgMask = 0x17;
        info.flgCmp = 0x02;
        info.invFlags = invert;
        break;
      case 'tcp-flags':
        info.flgMask = parseTcpFlags(args[0]!);
        info.flgCmp = parseTcpFlags(args[1]!);
        info.invFlags = invert;
        break;
      case 'tcp-option': {
        const n = parseUint(args[0]!, 255);
        if (n === undefined) throw param(`Bad TCP option \`${args[0]}'`);
        info.option = n;
        info.invOption = invert;
        break;
      }
    }
  },
  print(info, numeric) {
    let s = ' tcp';
    s += fmtPorts('spt', info.spts, info.invSpt, 'tcp', numeric);
    s += fmtPorts('dpt', info.dpts, info.invDpt, 'tcp', numeric);
    if (info.option !== undefined) s += ` option=${info.invOption ? '!' : ''}${info.option}`;
    if (info.flgMask || info.invFlags) {
      s += ' flags:' + (info.invFlags ? '!' : '');
      s += numeric
        ? `0x${info.flgMask.toString(16).toUpperCase().padStart(2, '0')}/0x${info.flgCmp.toString(16).toUpperCase().padStart(2, '0')}`
        : `${tcpFlagNames(info.flgMask)}/${tcpFlagNames(info.flgCmp)}`;
    }
    return s;
  },
  save(info) {
    let s = savePorts('sport', info.spts, info.invSpt) + savePorts('dport', info.dpts, info.invDpt);
    if (info.option !== undefined) s += `${info.invOption ? ' !' : ''} --tcp-option ${info.option}`;
    if (info.flgMask || info.invFlags) s += `${info.invFlags ? ' !' : ''} --tcp-flags ${tcpFlagNames(info.flgMask)} ${tcpFlagNames(info.flgCmp)}`;
    return s;
  },
};

type UdpInfo = Extract<XtMatch, { name: 'udp' }>['info'];
const udp: Ext<UdpInfo> = {
  name: 'udp',
  options: [o('source-port'), o('sport'), o('destination-port'), o('dport')],
  init: () => ({ spts: [0, 65535], dpts: [0, 65535], invSpt: false, invDpt: false }),
  parse(opt, args, invert, info) {
    if (opt === 'source-port' || opt === 'sport') {
      info.spts = parsePortRange(args[0]!, 'udp');
      info.invSpt = invert;
    } else {
      info.dpts = parsePortRange(args[0]!, 'udp');
      info.invDpt = invert;
    }
  },
  print: (info, numeric) => ' udp' + fmtPorts('spt', info.spts, info.invSpt, 'udp', numeric) + fmtPorts('dpt', info.dpts, info.invDpt, 'udp', numeric),
  save: (info) => savePorts('sport', info.spts, info.invSpt) + savePorts('dport', info.dpts, info.invDpt),
};

// ---- icmp --------------------------------------------------------------------------------------

/** libxt_icmp's icmp_codes: name, type, code range. */
const ICMP_CODES: Array<[string, number, number, number]> = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];
const ICMP_ALIASES: Record<string, string> = { pong: 'echo-reply', ping: 'echo-request', 'ttl-exceeded': 'time-exceeded' };

type IcmpInfo = Extract<XtMatch, { name: 'icmp' }>['info'];
const icmp: Ext<IcmpInfo> = {
  name: 'icmp',
  options: [o('icmp-type')],
  init: () => ({ type: 0xff, codeMin: 0, codeMax: 0xff, invert: false }),
  parse(_opt, args, invert, info) {
    const text = args[0]!;
    const name = ICMP_ALIASES[text] ?? text;
    const matches = ICMP_CODES.filter(([n]) => n.startsWith(name));
    const exact = ICMP_CODES.find(([n]) => n === name);
    const hit = exact ?? (matches.length === 1 ? matches[0] : undefined);
    if (hit) {
      [, info.type, info.codeMin, info.codeMax] = hit;
    } else if (matches.length > 1) {
      throw param(`Ambiguous ICMP type \`${text}': \`${matches[0]![0]}' or \`${matches[1]![0]}'?`);
    } else {
      const m = /^(\d+)(?:\/(\d+))?$/.exec(text);
      if (!m || Number(m[1]) > 255 || (m[2] !== undefined && Number(m[2]) > 255)) throw param(`Unknown ICMP type \`${text}'`);
      info.type = Number(m[1]);
      if (m[2] !== undefined) info.codeMin = info.codeMax = Number(m[2]);
      else [info.codeMin, info.codeMax] = [0, 0xff];
    }
    info.invert = invert;
  },
  print(info, numeric) {
    let s = ' icmp';
    if (!numeric) {
      const hit = ICMP_CODES.find(([, t, a, b]) => t === info.type && a === info.codeMin && b === info.codeMax);
      if (hit) return `${s} ${inv(info.invert)}${hit[0]}`;
    }
    if (info.invert) s += ' !';
    s += `type ${info.type}`;
    if (info.codeMin === info.codeMax) s += ` code ${info.codeMin}`;
    else if (info.codeMin !== 0 || info.codeMax !== 0xff) s += ` codes ${info.codeMin}-${info.codeMax}`;
    return s;
  },
  save(info) {
    let s = info.invert ? ' !' : '';
    if (info.type === 0xff) return `${s} --icmp-type any`;
    s += ` --icmp-type ${info.type}`;
    if (info.codeMin !== 0 || info.codeMax !== 0xff) s += `/${info.codeMin}`;
    return s;
  },
};

// ---- multiport ---------------------------------------------------------------------------------

type MultiportInfo = Extract<XtMatch, { name: 'multiport' }>['info'];
const MULTIPORT_PROTOS = [6, 17, 136, 132, 33];
const multiport: Ext<MultiportInfo> = {
  name: 'multiport',
  options: [o('source-ports'), o('sports'), o('destination-ports'), o('dports'), o('ports')],
  init: () => ({ flags: 'any', ports: [], invert: false }),
  parse(opt, args, invert, info, ctx) {
    if (!MULTIPORT_PROTOS.includes(ctx.proto) || ctx.invProto) {
      throw param("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
    }
    info.flags = opt.startsWith('s') ? 'src' : opt.startsWith('d') ? 'dst' : 'any';
    const proto = protoForServices(ctx.proto);
    const ports: PortRange[] = [];
    let count = 0;
    for (const part of args[0]!.split(',')) {
      const r = parsePortRange(part, proto);
      count += r[0] === r[1] ? 1 : 2;
      ports.push(r);
    }
    if (count > 15) throw param('too many ports specified');
    info.ports = ports;
    info.invert = invert;
  },
  print(info, numeric, ctx) {
    const proto = protoForServices(ctx.proto);
    const label = info.flags === 'src' ? 'sports' : info.flags === 'dst' ? 'dports' : 'ports';
    const list = info.ports.map(([a, b]) => (a === b ? portName(a, proto, numeric) : `${portName(a, proto, numeric)}:${portName(b, proto, numeric)}`));
    return ` multiport ${label} ${info.invert ? ' !' : ''}${list.join(',')}`;
  },
  save(info) {
    const label = info.flags === 'src' ? 'sports' : info.flags === 'dst' ? 'dports' : 'ports';
    return `${info.invert ? ' !' : ''} --${label} ${info.ports.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(',')}`;
  },
};

// ---- addrtype ----------------------------------------------------------------------------------

type AddrtypeInfo = Extract<XtMatch, { name: 'addrtype' }>['info'];
function parseAddrTypes(text: string): AddrType[] {
  const out = new Set<AddrType>();
  for (const t of text.split(',')) {
    const up = t.toUpperCase() as AddrType;
    if (!ADDR_TYPES.includes(up)) throw param(`addrtype: bad type \`${t}'`);
    out.add(up);
  }
  return ADDR_TYPES.filter((t) => out.has(t));
}
const addrtype: Ext<AddrtypeInfo> = {
  name: 'addrtype',
  options: [o('src-type'), o('dst-type'), o('limit-iface-in', 0), o('limit-iface-out', 0)],
  init: () => ({ source: [], dest: [], invSource: false, invDest: false, limitIfaceIn: false, limitIfaceOut: false }),
  parse(opt, args, invert, info) {
    if (opt === 'src-type') {
      info.source = parseAddrTypes(args[0]!);
      info.invSource = invert;
    } else if (opt === 'dst-type') {
      info.dest = parseAddrTypes(args[0]!);
      info.invDest = invert;
    } else if (opt === 'limit-iface-in') {
      if (info.limitIfaceOut) throw param('addrtype: you can\'t specify both --limit-iface-in and --limit-iface-out');
      info.limitIfaceIn = true;
    } else {
      if (info.limitIfaceIn) throw param('addrtype: you can\'t specify both --limit-iface-in and --limit-iface-out');
      info.limitIfaceOut = true;
    }
  },
  final(info) {
    if (!info.source.length && !info.dest.length) throw param('addrtype: you must specify --src-type or --dst-type');
  },
  print(info) {
    let s = ' ADDRTYPE match';
    if (info.source.length) s += ` src-type ${inv(info.invSource)}${info.source.join(',')}`;
    if (info.dest.length) s += ` dst-type ${inv(info.invDest)}${info.dest.join(',')}`;
    if (info.limitIfaceIn) s += ' limit-in';
    if (info.limitIfaceOut) s += ' limit-out';
    return s;
  },
  save(info) {
    let s = '';
    if (info.source.length) s += `${info.invSource ? ' !' : ''} --src-type ${info.source.join(',')}`;
    if (info.dest.length) s += `${info.invDest ? ' !' : ''} --dst-type ${info.dest.join(',')}`;
    if (info.limitIfaceIn) s += ' --limit-iface-in';
    if (info.limitIfaceOut) s += ' --limit-iface-out';
    return s;
  },
};

// ---- conntrack / state -------------------------------------------------------------------------

const STATE_ORDER: Array<keyof typeof CT_STATE_BITS> = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const STATE_BY_NAME = new Map<string, number>(Object.entries(CT_STATE_BITS));
function parseStates(text: string, withNat: boolean): number {
  let mask = 0;
  for (const s of text.split(',')) {
    const bit = STATE_BY_NAME.get(s) ?? STATE_BY_NAME.get(s.toUpperCase());
    if (bit === undefined || (!withNat && (bit === CT_STATE_BITS.SNAT || bit === CT_STATE_BITS.DNAT))) throw param(`Bad ctstate "${s}"`);
    mask |= bit;
  }
  return mask;
}
const stateNames = (mask: number): string => STATE_ORDER.filter((n) => mask & CT_STATE_BITS[n]).join(',');

const CT_STATUS: Array<[string, number]> = [['EXPECTED', 1], ['SEEN_REPLY', 2], ['ASSURED', 4], ['CONFIRMED', 8]];

type ConntrackInfo = Extract<XtMatch, { name: 'conntrack' }>['info'];
const CT_ADDR_OPTS = { ctorigsrc: 'origSrc', ctorigdst: 'origDst', ctreplsrc: 'replSrc', ctrepldst: 'replDst' } as const;
const CT_PORT_OPTS = { ctorigsrcport: 'origSrcPort', ctorigdstport: 'origDstPort', ctreplsrcport: 'replSrcPort', ctrepldstport: 'replDstPort' } as const;
const conntrack: Ext<ConntrackInfo> = {
  name: 'conntrack',
  options: [
    o('ctstate'), o('ctproto'), o('ctorigsrc'), o('ctorigdst'), o('ctreplsrc'), o('ctrepldst'),
    o('ctorigsrcport'), o('ctorigdstport'), o('ctreplsrcport'), o('ctrepldstport'), o('ctstatus'), o('ctexpire'), o('ctdir'),
  ],
  init: () => ({}),
  parse(opt, args, invert, info) {
    const a = args[0]!;
    if (opt === 'ctstate') info.state = { mask: parseStates(a, true), invert };
    else if (opt === 'ctproto') {
      const p = a.toLowerCase() === 'tcp' ? 6 : a.toLowerCase() === 'udp' ? 17 : a.toLowerCase() === 'icmp' ? 1 : parseUint(a, 255);
      if (p === undefined || p === 0) throw param(`conntrack: Protocol "${a}" is not supported`);
      info.proto = { proto: p, invert };
    } else if (opt in CT_ADDR_OPTS) {
      const am = parseAddrMask(a);
      info[CT_ADDR_OPTS[opt as keyof typeof CT_ADDR_OPTS]] = { ...am, invert };
    } else if (opt in CT_PORT_OPTS) {
      // iptables 1.8.9 accepts port options without --ctproto (checked on the real tool).
      info[CT_PORT_OPTS[opt as keyof typeof CT_PORT_OPTS]] = { range: parsePortRange(a, undefined), invert };
    } else if (opt === 'ctstatus') {
      let mask = 0;
      for (const s of a.split(',')) {
        const up = s.toUpperCase();
        if (up === 'NONE') continue;
        const e = CT_STATUS.find(([n]) => n === up);
        if (!e) throw param(`Bad ctstatus "${s}"`);
        mask |= e[1];
      }
      info.status = { mask, invert };
    } else if (opt === 'ctdir') {
      noInvert(opt, invert);
      const up = a.toUpperCase();
      if (up !== 'ORIGINAL' && up !== 'REPLY') throw param(`Unknown direction "${a}"`);
      info.direction = { dir: up, invert: false };
    } else {
      throw new ScriptError('iptables -m conntrack --ctexpire is not modelled; supported: --ctstate, --ctproto, --ctorig*/--ctrepl* addresses and ports, --ctstatus, --ctdir');
    }
  },
  final(info) {
    if (Object.keys(info).length === 0) throw param('conntrack: At least one option is required');
  },
  print(info) {
    return ctDump(info, '', true);
  },
  save(info) {
    return ctDump(info, '--', false);
  },
};

function ctDump(info: ConntrackInfo, prefix: string, list: boolean): string {
  let s = '';
  const neg = (b: boolean): string => (b ? ' !' : '');
  const addr = (a: { addr: Ipv4; mask: Ipv4 }): string => formatIpv4(a.addr) + maskSuffix(a.mask);
  if (info.state) s += `${neg(info.state.invert)} ${prefix}ctstate ${stateNames(info.state.mask)}`;
  if (info.proto) s += `${neg(info.proto.invert)} ${prefix}ctproto ${info.proto.proto}`;
  for (const [opt, key] of Object.entries(CT_ADDR_OPTS)) {
    const v = info[key];
    if (v) s += `${neg(v.invert)} ${prefix}${opt} ${addr(v)}`;
  }
  if (info.status) {
    const names = CT_STATUS.filter(([, b]) => info.status!.mask & b).map(([n]) => n);
    s += `${neg(info.status.invert)} ${prefix}ctstatus ${names.length ? names.join(',') : 'NONE'}`;
  }
  for (const [opt, key] of Object.entries(CT_PORT_OPTS)) {
    const v = info[key];
    if (v) s += `${neg(v.invert)} ${prefix}${opt} ${v.range[0] === v.range[1] ? v.range[0] : `${v.range[0]}:${v.range[1]}`}`;
  }
  if (info.direction) s += ` ${prefix}ctdir ${info.direction.dir}`;
  void list;
  return s;
}

type StateInfo = Extract<XtMatch, { name: 'state' }>['info'];
const state: Ext<StateInfo> = {
  name: 'state',
  options: [o('state')],
  init: () => ({ mask: 0, invert: false }),
  parse(_opt, args, invert, info) {
    info.mask = parseStates(args[0]!, false);
    info.invert = invert;
  },
  final(_info, _ctx, seen) {
    if (!seen.has('state')) throw param('state: option "--state" must be specified');
  },
  print: (info) => `${info.invert ? ' !' : ''} state ${stateNames(info.mask)}`,
  save: (info) => `${info.invert ? ' !' : ''} --state ${stateNames(info.mask)}`,
};

// ---- comment, mark, connmark, iprange, physdev, limit ------------------------------------------

type CommentInfo = Extract<XtMatch, { name: 'comment' }>['info'];
const comment: Ext<CommentInfo> = {
  name: 'comment',
  options: [o('comment')],
  init: () => ({ comment: '' }),
  parse(opt, args, invert, info) {
    noInvert(opt, invert);
    if (args[0]!.length > 255) throw param(`comment: Argument too long (max 255)`);
    info.comment = args[0]!;
  },
  final(_info, _ctx, seen) {
    if (!seen.has('comment')) throw param('comment: option "--comment" must be specified\n');
  },
  print: (info) => ` /* ${info.comment} */`,
  save: (info) => ` --comment ${saveString(info.comment)}`,
};

const markText = (mark: number, mask: number): string => (mask !== 0xffffffff ? ` ${hex(mark)}/${hex(mask)}` : ` ${hex(mark)}`);

type MarkInfo = Extract<XtMatch, { name: 'mark' }>['info'];
function markExt(name: 'mark' | 'connmark'): Ext<MarkInfo> {
  return {
    name,
    options: [o('mark')],
    init: () => ({ mark: 0, mask: 0xffffffff, invert: false }),
    parse(_opt, args, invert, info) {
      const { value, mask } = parseMarkMask(args[0]!, 'mark');
      info.mark = value;
      info.mask = mask ?? 0xffffffff;
      info.invert = invert;
    },
    final(_info, _ctx, seen) {
      if (!seen.has('mark')) throw param(`${name}: option "--mark" must be specified`);
    },
    // libxt_connmark prints one more space than libxt_mark (measured: "connmark match  0x5").
    print: (info) => ` ${name} match${name === 'connmark' ? ' ' : ''}${info.invert ? ' !' : ''}${markText(info.mark, info.mask)}`,
    save: (info) => `${info.invert ? ' !' : ''} --mark${markText(info.mark, info.mask)}`,
  };
}

type IprangeInfo = Extract<XtMatch, { name: 'iprange' }>['info'];
function parseRange(text: string): { from: Ipv4; to: Ipv4 } {
  const [a, b] = text.split('-');
  const from = parseAddrMask(a!).addr;
  const to = b === undefined ? from : parseAddrMask(b).addr;
  return { from, to };
}
const iprange: Ext<IprangeInfo> = {
  name: 'iprange',
  options: [o('src-range'), o('dst-range')],
  init: () => ({}),
  parse(opt, args, invert, info, ctx) {
    const r = { ...parseRange(args[0]!), invert };
    // libxt_iprange warns and keeps the rule (measured: stderr, exit 0).
    if (r.from >>> 0 > r.to >>> 0) ctx.warn?.(`xt_iprange: range ${formatIpv4(r.from)}-${formatIpv4(r.to)} is reversed and will never match\n`);
    if (opt === 'src-range') info.src = r;
    else info.dst = r;
  },
  final(info) {
    if (!info.src && !info.dst) throw param('iprange match: You must specify `--src-range\' or `--dst-range\'');
  },
  print(info) {
    let s = '';
    if (info.src) s += ` source IP range${info.src.invert ? ' !' : ''} ${formatIpv4(info.src.from)}-${formatIpv4(info.src.to)}`;
    if (info.dst) s += ` destination IP range${info.dst.invert ? ' !' : ''} ${formatIpv4(info.dst.from)}-${formatIpv4(info.dst.to)}`;
    return s;
  },
  save(info) {
    let s = '';
    if (info.src) s += `${info.src.invert ? ' !' : ''} --src-range ${formatIpv4(info.src.from)}-${formatIpv4(info.src.to)}`;
    if (info.dst) s += `${info.dst.invert ? ' !' : ''} --dst-range ${formatIpv4(info.dst.from)}-${formatIpv4(info.dst.to)}`;
    return s;
  },
};

type PhysdevInfo = Extract<XtMatch, { name: 'physdev' }>['info'];
const physdev: Ext<PhysdevInfo> = {
  name: 'physdev',
  options: [o('physdev-in'), o('physdev-out'), o('physdev-is-in', 0), o('physdev-is-out', 0), o('physdev-is-bridged', 0)],
  init: () => ({}),
  parse(opt, args, invert, info) {
    if (opt === 'physdev-in') info.physdevIn = { name: args[0]!, invert };
    else if (opt === 'physdev-out') info.physdevOut = { name: args[0]!, invert };
    else if (opt === 'physdev-is-in') info.isIn = { invert };
    else if (opt === 'physdev-is-out') info.isOut = { invert };
    else info.isBridged = { invert };
  },
  final(info) {
    if (Object.keys(info).length === 0) throw param('PHYSDEV: no physdev option specified');
  },
  print: (info) => ' PHYSDEV match' + physdevText(info),
  save: (info) => physdevText(info),
};
function physdevText(info: PhysdevInfo): string {
  const n = (b: boolean): string => (b ? ' !' : '');
  let s = '';
  if (info.isIn) s += `${n(info.isIn.invert)} --physdev-is-in`;
  if (info.physdevIn) s += `${n(info.physdevIn.invert)} --physdev-in ${info.physdevIn.name}`;
  if (info.isOut) s += `${n(info.isOut.invert)} --physdev-is-out`;
  if (info.physdevOut) s += `${n(info.physdevOut.invert)} --physdev-out ${info.physdevOut.name}`;
  if (info.isBridged) s += `${n(info.isBridged.invert)} --physdev-is-bridged`;
  return s;
}

type LimitInfo = Extract<XtMatch, { name: 'limit' }>['info'];
const LIMIT_SCALE = 10000;
const LIMIT_UNITS: Array<['day' | 'hour' | 'minute' | 'second', string, number]> = [
  ['day', 'day', 86400], ['hour', 'hour', 3600], ['minute', 'min', 60], ['second', 'sec', 1],
];
/** xt_rateinfo.avg as the kernel stores it (period in 1/10000 s), from a parsed {avg, unit}. */
function limitPeriod(info: LimitInfo): number {
  const secs = LIMIT_UNITS.find(([u]) => u === info.unit)![2];
  return Math.floor((LIMIT_SCALE * secs) / info.avg);
}
const limit: Ext<LimitInfo> = {
  name: 'limit',
  options: [o('limit'), o('limit-burst')],
  init: () => ({ avg: 3, unit: 'hour', burst: 5 }),
  parse(opt, args, invert, info) {
    noInvert(opt, invert);
    if (opt === 'limit-burst') {
      const b = parseUint(args[0]!, 10000);
      if (b === undefined) throw param(`bad --limit-burst \`${args[0]}'`);
      info.burst = b;
      return;
    }
    const m = /^(\d+)(?:\/([a-z]+))?$/i.exec(args[0]!);
    if (!m) throw param(`bad rate \`${args[0]}'`);
    const unitText = (m[2] ?? 'second').toLowerCase();
    const unit = LIMIT_UNITS.find(([u]) => u.startsWith(unitText) && (unitText.length === 1 || u.startsWith(unitText)));
    if (!unit || Number(m[1]) === 0) throw param(`bad rate \`${args[0]}'`);
    // Normalise as print_rate would show it, so the kernel and every printer agree.
    const period = Math.floor((LIMIT_SCALE * unit[2]) / Number(m[1]));
    const best = bestRate(period);
    info.avg = best.avg;
    info.unit = best.unit;
  },
  print: (info) => ` limit: avg ${info.avg}/${LIMIT_UNITS.find(([u]) => u === info.unit)![1]} burst ${info.burst}`,
  save: (info) => ` --limit ${info.avg}/${LIMIT_UNITS.find(([u]) => u === info.unit)![1]}${info.burst !== 5 ? ` --limit-burst ${info.burst}` : ''}`,
};
function bestRate(period: number): { avg: number; unit: LimitInfo['unit'] } {
  let i = 1;
  for (; i < LIMIT_UNITS.length; i++) {
    const mult = LIMIT_SCALE * LIMIT_UNITS[i]![2];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const u = LIMIT_UNITS[i - 1]!;
  return { avg: Math.floor((LIMIT_SCALE * u[2]) / period), unit: u[0] };
}
void limitPeriod;

// ---- set (libxt_set revision 4) -----------------------------------------------------------------
// Whether the set exists is checked against the namespace's sets after parsing (get_set_byname
// asks the kernel while parsing): see checkSetsExist in rule.ts' callers.

type SetInfo = Extract<XtMatch, { name: 'set' }>['info'];
const IPSET_MAXNAMELEN = 32;
const IPSET_DIM_MAX = 6;
const set: Ext<SetInfo> = {
  name: 'set',
  options: [
    o('match-set', 2), o('set', 2), o('return-nomatch', 0), o('update-counters', 0), o('update-subcounters', 0),
    o('packets-eq'), o('packets-lt'), o('packets-gt'), o('bytes-eq'), o('bytes-lt'), o('bytes-gt'),
  ],
  init: () => ({ setName: '', flags: [], invert: false }),
  parse(opt, args, invert, info) {
    if (opt !== 'match-set') {
      throw new ScriptError(`iptables -m set --${opt} is not modelled; supported: [!] --match-set NAME src|dst[,src|dst…] (no counters, no nomatch)`);
    }
    if (info.setName !== '') throw param('--match-set can be specified only once');
    info.invert = invert;
    const name = args[0]!;
    if (name.length > IPSET_MAXNAMELEN - 1) throw param(`setname \`${name}' too long, max ${IPSET_MAXNAMELEN - 1} characters.`);
    const flags: SetInfo['flags'] = [];
    for (const d of args[1]!.split(',')) {
      if (flags.length >= IPSET_DIM_MAX) throw param(`Can't be more src/dst options than ${IPSET_DIM_MAX}.`);
      if (d !== 'src' && d !== 'dst') throw param("You must spefify (the comma separated list of) 'src' or 'dst'.");
      flags.push(d);
    }
    info.setName = name;
    info.flags = flags;
  },
  final(info) {
    if (info.setName === '') throw param("You must specify `--match-set' with proper arguments");
  },
  print: (info) => ` ${info.invert ? '! ' : ''}match-set ${info.setName} ${info.flags.join(',')}`,
  save: (info) => ` ${info.invert ? '! ' : ''}--match-set ${info.setName} ${info.flags.join(',')}`,
};

export const MATCHES: Record<string, Ext<unknown>> = {
  tcp, udp, icmp, multiport, addrtype, conntrack, state, comment, mark: markExt('mark'), connmark: markExt('connmark'),
  iprange, physdev, limit, set,
} as unknown as Record<string, Ext<unknown>>;

/** Matches iptables knows that packetwalk refuses with a ScriptError (name → message). */
export const UNMODELLED_MATCHES: Record<string, string> = Object.fromEntries(
  [
    'recent', 'hashlimit', 'connlimit', 'owner', 'string', 'u32', 'length', 'ttl', 'pkttype', 'statistic', 'socket', 'time', 'policy', 'dscp', 'tos', 'helper', 'mac', 'rpfilter',
    // The rest of iptables 1.8.9's IPv4 matches (libxt_*/libipt_* on the build machine).
    'ah', 'bpf', 'cgroup', 'cluster', 'connbytes', 'connlabel', 'cpu', 'dccp', 'devgroup', 'ecn', 'esp', 'ipcomp', 'ipvs', 'nfacct', 'osf', 'quota', 'rateest', 'realm', 'sctp', 'tcpmss',
  ].map((n) => [
    n,
    `\`-m ${n}\` is not modelled (supported matches: ${Object.keys(MATCHES).join(', ')})`,
  ]),
);

// =================================================================================================
// Targets
// =================================================================================================

export interface TargetExt<T extends XtTarget = XtTarget> extends Omit<Ext<T>, 'init'> {
  init(): T;
  /** Where the kernel accepts it: table and built-in chains (checkentry's hook mask). */
  tables?: string[];
  hooks?: string[];
}

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const LOG_LEVEL_INPUT: Record<string, number> = {
  alert: 1, crit: 2, debug: 7, emerg: 0, error: 3, err: 3, info: 6, notice: 5, panic: 0, warning: 4, warn: 4,
};
const LOG_FLAGS = [
  ['tcpSeq', 1, 'log-tcp-sequence', 'tcp-sequence'],
  ['tcpOpt', 2, 'log-tcp-options', 'tcp-options'],
  ['ipOpt', 4, 'log-ip-options', 'ip-options'],
  ['uid', 8, 'log-uid', 'uid'],
  ['macDecode', 0x20, 'log-macdecode', 'macdecode'],
] as const;

type LogT = Extract<XtTarget, { name: 'LOG' }>;
const LOG: TargetExt<LogT> = {
  name: 'LOG',
  options: [o('log-level'), o('log-prefix'), o('log-tcp-sequence', 0), o('log-tcp-options', 0), o('log-ip-options', 0), o('log-uid', 0), o('log-macdecode', 0)],
  init: () => ({ name: 'LOG', info: { prefix: '', level: 4, flags: { tcpSeq: false, tcpOpt: false, ipOpt: false, uid: false, macDecode: false } } }),
  parse(opt, args, invert, t) {
    noInvert(opt, invert);
    if (opt === 'log-level') {
      const a = args[0]!;
      const n = /^\d+$/.test(a) ? Number(a) : LOG_LEVEL_INPUT[a.toLowerCase()];
      if (n === undefined || n > 7) throw param(`log-level \`${a}' unknown`);
      t.info.level = n;
    } else if (opt === 'log-prefix') {
      const p = args[0]!;
      // 1.8.9 accepts longer prefixes here (measured with 30 characters); the kernel keeps 127.
      if (p.length > 127) throw param(`Maximum prefix length 127 for --log-prefix`);
      if (p.length === 0) throw param('No prefix specified for --log-prefix');
      t.info.prefix = p;
    } else {
      const f = LOG_FLAGS.find(([, , o2]) => o2 === opt)!;
      t.info.flags[f[0]] = true;
    }
  },
  print(t, numeric) {
    let s = ' LOG';
    const flags = LOG_FLAGS.reduce((acc, [k, b]) => acc | (t.info.flags[k] ? b : 0), 0);
    if (numeric) s += ` flags ${flags} level ${t.info.level}`;
    else {
      s += ` level ${LOG_LEVELS[t.info.level]}`;
      for (const [k, , , label] of LOG_FLAGS) if (t.info.flags[k]) s += ` ${label}`;
    }
    if (t.info.prefix) s += ` prefix "${t.info.prefix}"`;
    return s;
  },
  save(t) {
    let s = '';
    if (t.info.prefix) s += ` --log-prefix ${saveString(t.info.prefix)}`;
    if (t.info.level !== 4) s += ` --log-level ${t.info.level}`;
    for (const [k, , opt] of LOG_FLAGS) if (t.info.flags[k]) s += ` --${opt}`;
    return s;
  },
};

const REJECT_ALIASES: Record<string, RejectWith> = {
  'net-unreach': 'icmp-net-unreachable', 'host-unreach': 'icmp-host-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable', 'net-prohib': 'icmp-net-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited', 'tcp-rst': 'tcp-reset',
};
type RejectT = Extract<XtTarget, { name: 'REJECT' }>;
const REJECT: TargetExt<RejectT> = {
  name: 'REJECT',
  options: [o('reject-with')],
  // ipt_REJECT: filter table only; tcp-reset without -p tcp is refused by its checkentry (EINVAL).
  tables: ['filter'],
  hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  init: () => ({ name: 'REJECT', info: { with: 'icmp-port-unreachable' } }),
  parse(opt, args, invert, t) {
    noInvert(opt, invert);
    const a = args[0]!;
    const w = (REJECT_WITH as readonly string[]).includes(a) ? (a as RejectWith) : REJECT_ALIASES[a];
    if (!w) throw param(`unknown reject type "${a}"`);
    t.info.with = w;
  },
  print: (t) => ` reject-with ${t.info.with}`,
  save: (t) => ` --reject-with ${t.info.with}`,
};

const PORT_PROTOS = [6, 17, 132, 33];
function needPortProto(ctx: ExtCtx): void {
  if (!PORT_PROTOS.includes(ctx.proto) || ctx.invProto) throw param('Need TCP, UDP, SCTP or DCCP with port specification');
}
function parseNatPorts(text: string): PortRange {
  const [a, b] = text.split('-');
  const lo = parsePort(a!, undefined);
  const hi = b === undefined ? lo : parsePort(b, undefined);
  if (lo > hi) throw param(`Port range \`${text}' is invalid`);
  return [lo, hi];
}
const portsText = (p: PortRange): string => (p[0] === p[1] ? `${p[0]}` : `${p[0]}-${p[1]}`);

type MasqT = Extract<XtTarget, { name: 'MASQUERADE' }>;
const MASQUERADE: TargetExt<MasqT> = {
  name: 'MASQUERADE',
  options: [o('to-ports'), o('random', 0), o('random-fully', 0)],
  tables: ['nat'],
  hooks: ['POSTROUTING'],
  init: () => ({ name: 'MASQUERADE', info: { random: false, fullyRandom: false } }),
  parse(opt, args, invert, t, ctx) {
    noInvert(opt, invert);
    if (opt === 'to-ports') {
      needPortProto(ctx);
      t.info.ports = parseNatPorts(args[0]!);
    } else if (opt === 'random') t.info.random = true;
    else t.info.fullyRandom = true;
  },
  print(t) {
    let s = '';
    if (t.info.ports) s += ` masq ports: ${portsText(t.info.ports)}`;
    if (t.info.random) s += ' random';
    if (t.info.fullyRandom) s += ' random-fully';
    return s;
  },
  save(t) {
    let s = '';
    if (t.info.ports) s += ` --to-ports ${portsText(t.info.ports)}`;
    if (t.info.random) s += ' --random';
    if (t.info.fullyRandom) s += ' --random-fully';
    return s;
  },
};

type NatT = Extract<XtTarget, { name: 'SNAT' | 'DNAT' }>;
function natExt(name: 'SNAT' | 'DNAT'): TargetExt<NatT> {
  const opt = name === 'SNAT' ? 'to-source' : 'to-destination';
  return {
    name,
    options: [o(opt), o('random', 0), o('persistent', 0)],
    tables: ['nat'],
    hooks: name === 'SNAT' ? ['POSTROUTING', 'INPUT'] : ['PREROUTING', 'OUTPUT'],
    init: () => ({ name, info: { from: 0, to: 0, random: false, persistent: false } }) as NatT,
    parse(o2, args, invert, t, ctx) {
      noInvert(o2, invert);
      if (o2 === 'random') t.info.random = true;
      else if (o2 === 'persistent') t.info.persistent = true;
      else {
        const text = args[0]!;
        const colon = text.indexOf(':');
        const addrPart = colon < 0 ? text : text.slice(0, colon);
        if (colon >= 0) {
          needPortProto(ctx);
          t.info.ports = parseNatPorts(text.slice(colon + 1));
        }
        if (addrPart === '' && colon >= 0) {
          // `--to-source :53` (dockerd's embedded DNS rules): a port without an address
          t.info.mapIps = false;
          return;
        }
        const [a, b] = addrPart.split('-');
        const bad = (): never => { throw param(`Bad IP address "${a}"`); };
        const from = parseStrictIp(a!) ?? bad();
        const to = b === undefined ? from : (parseStrictIp(b) ?? bad());
        t.info.from = from;
        t.info.to = to;
      }
    },
    final(t, _ctx, seen) {
      if (!seen.has(opt)) throw param(`${name}: option "--${opt}" must be specified`);
      void t;
    },
    print: (t) => ` to:${natRange(t)}${t.info.random ? ' random' : ''}${t.info.persistent ? ' persistent' : ''}`,
    save: (t) => ` --${opt} ${natRange(t)}${t.info.random ? ' --random' : ''}${t.info.persistent ? ' --persistent' : ''}`,
  };
}
function natRange(t: NatT): string {
  let s = t.info.mapIps === false ? '' : formatIpv4(t.info.from);
  if (t.info.mapIps !== false && t.info.to !== t.info.from) s += `-${formatIpv4(t.info.to)}`;
  if (t.info.ports) s += `:${portsText(t.info.ports)}`;
  return s;
}
function parseStrictIp(text: string): Ipv4 | undefined {
  return /^\d+\.\d+\.\d+\.\d+$/.test(text) ? (() => { try { return parseAddrMask(text).addr; } catch { return undefined; } })() : undefined;
}

type RedirectT = Extract<XtTarget, { name: 'REDIRECT' }>;
const REDIRECT: TargetExt<RedirectT> = {
  name: 'REDIRECT',
  options: [o('to-ports'), o('random', 0)],
  tables: ['nat'],
  hooks: ['PREROUTING', 'OUTPUT'],
  init: () => ({ name: 'REDIRECT', info: { random: false } }),
  parse(opt, args, invert, t, ctx) {
    noInvert(opt, invert);
    if (opt === 'random') t.info.random = true;
    else {
      needPortProto(ctx);
      t.info.ports = parseNatPorts(args[0]!);
    }
  },
  print: (t) => `${t.info.ports ? ` redir ports ${portsText(t.info.ports)}` : ''}${t.info.random ? ' random' : ''}`,
  save: (t) => `${t.info.ports ? ` --to-ports ${portsText(t.info.ports)}` : ''}${t.info.random ? ' --random' : ''}`,
};

type MarkT = Extract<XtTarget, { name: 'MARK' }>;
const MARK: TargetExt<MarkT> = {
  name: 'MARK',
  options: [o('set-mark'), o('set-xmark'), o('and-mark'), o('or-mark'), o('xor-mark')],
  init: () => ({ name: 'MARK', info: { mark: 0, mask: 0, op: 'xset' } }),
  parse(opt, args, invert, t) {
    noInvert(opt, invert);
    const { value, mask } = parseMarkMask(args[0]!, 'MARK');
    // All forms are the kernel's xset: mark = (mark & ~mask) ^ value (libxt_MARK v2).
    if (opt === 'set-xmark') Object.assign(t.info, { mark: value, mask: mask ?? 0xffffffff });
    else if (opt === 'set-mark') Object.assign(t.info, { mark: value, mask: ((mask ?? 0xffffffff) | value) >>> 0 });
    else if (opt === 'and-mark') Object.assign(t.info, { mark: 0, mask: ~value >>> 0 });
    else if (opt === 'or-mark') Object.assign(t.info, { mark: value, mask: value });
    else Object.assign(t.info, { mark: value, mask: 0 });
    t.info.op = 'xset';
  },
  final(_t, _c, seen) {
    if (seen.size === 0) throw param('MARK target: Parameter --set/and/or/xor-mark is required');
  },
  print(t) {
    const { mark, mask } = t.info;
    if (mark === 0) return ` MARK and ${hex(~mask)}`;
    if (mark === mask) return ` MARK or ${hex(mark)}`;
    if (mask === 0) return ` MARK xor ${hex(mark)}`;
    if (mask === 0xffffffff) return ` MARK set ${hex(mark)}`;
    return ` MARK xset ${hex(mark)}/${hex(mask)}`;
  },
  save: (t) => ` --set-xmark ${hex(t.info.mark)}/${hex(t.info.mask)}`,
};

type ConnmarkT = Extract<XtTarget, { name: 'CONNMARK' }>;
const CONNMARK: TargetExt<ConnmarkT> = {
  name: 'CONNMARK',
  // xt_CONNMARK has no table restriction (measured: filter INPUT accepts it on both backends).
  options: [o('set-mark'), o('set-xmark'), o('save-mark', 0), o('restore-mark', 0), o('mask'), o('nfmask'), o('ctmask')],
  init: () => ({ name: 'CONNMARK', info: { mode: 'set', mark: 0, mask: 0xffffffff, ctmask: 0xffffffff, nfmask: 0xffffffff } }),
  parse(opt, args, invert, t) {
    noInvert(opt, invert);
    const i = t.info;
    if (opt === 'set-mark' || opt === 'set-xmark') {
      const { value, mask } = parseMarkMask(args[0]!, 'CONNMARK');
      i.mode = 'set';
      i.mark = value;
      i.ctmask = opt === 'set-mark' ? (((mask ?? 0xffffffff) | value) >>> 0) : (mask ?? 0xffffffff);
    } else if (opt === 'save-mark') i.mode = 'save';
    else if (opt === 'restore-mark') i.mode = 'restore';
    else {
      const v = parseUint(args[0]!);
      if (v === undefined) throw param(`Bad CONNMARK mask "${args[0]}"`);
      if (opt === 'mask' || opt === 'nfmask') i.nfmask = v;
      if (opt === 'mask' || opt === 'ctmask') i.ctmask = v;
    }
  },
  print(t) {
    const i = t.info;
    if (i.mode === 'set') {
      if (i.mark === 0) return ` CONNMARK and ${hex(~i.ctmask)}`;
      if (i.mark === i.ctmask) return ` CONNMARK or ${hex(i.mark)}`;
      if (i.ctmask === 0) return ` CONNMARK xor ${hex(i.mark)}`;
      if (i.ctmask === 0xffffffff) return ` CONNMARK set ${hex(i.mark)}`;
      return ` CONNMARK xset ${hex(i.mark)}/${hex(i.ctmask)}`;
    }
    const word = i.mode;
    if (i.nfmask === 0xffffffff && i.ctmask === 0xffffffff) return ` CONNMARK ${word}`;
    if (i.nfmask === i.ctmask) return ` CONNMARK ${word} mask ${hex(i.nfmask)}`;
    return ` CONNMARK ${word} nfmask ${hex(i.nfmask)} ctmask ~${hex(i.ctmask)}`;
  },
  save(t) {
    const i = t.info;
    if (i.mode === 'set') return ` --set-xmark ${hex(i.mark)}/${hex(i.ctmask)}`;
    return ` --${i.mode}-mark --nfmask ${hex(i.nfmask)} --ctmask ${hex(i.ctmask)}`;
  },
};

type CtT = Extract<XtTarget, { name: 'CT' }>;
const CT: TargetExt<CtT> = {
  name: 'CT',
  options: [o('notrack', 0), o('zone'), o('helper'), o('ctevents'), o('expevents'), o('timeout')],
  tables: ['raw'],
  init: () => ({ name: 'CT', info: { notrack: false } }),
  parse(opt, _args, invert, t) {
    noInvert(opt, invert);
    if (opt !== 'notrack') throw new ScriptError(`iptables -j CT --${opt} is not modelled; supported: -j CT --notrack`);
    t.info.notrack = true;
  },
  print: (t) => (t.info.notrack ? ' CT notrack' : ''),
  save: (t) => (t.info.notrack ? ' --notrack' : ''),
};

const simple = <N extends 'TRACE' | 'NOTRACK'>(name: N, tables: string[], listed = ''): TargetExt<Extract<XtTarget, { name: N }>> => ({
  name,
  options: [],
  tables,
  init: () => ({ name }) as Extract<XtTarget, { name: N }>,
  parse() {},
  print: () => listed,
  save: () => '',
});

type ChecksumT = Extract<XtTarget, { name: 'CHECKSUM' }>;
const CHECKSUM: TargetExt<ChecksumT> = {
  name: 'CHECKSUM',
  options: [o('checksum-fill', 0)],
  tables: ['mangle'],
  init: () => ({ name: 'CHECKSUM', info: { fill: false } }),
  parse(opt, _a, invert, t) {
    noInvert(opt, invert);
    t.info.fill = true;
  },
  final(t) {
    if (!t.info.fill) throw param('CHECKSUM target: Parameter --checksum-fill is required');
  },
  print: (t) => (t.info.fill ? ' CHECKSUM fill' : ''),
  save: (t) => (t.info.fill ? ' --checksum-fill' : ''),
};

export const TARGETS: Record<string, TargetExt<XtTarget>> = {
  LOG, REJECT, MASQUERADE, SNAT: natExt('SNAT'), DNAT: natExt('DNAT'), REDIRECT, MARK, CONNMARK, CT, CHECKSUM,
  TRACE: simple('TRACE', ['raw']), NOTRACK: simple('NOTRACK', ['raw'], ' NOTRACK'),
} as unknown as Record<string, TargetExt<XtTarget>>;

export const STANDARD_TARGETS = ['ACCEPT', 'DROP', 'RETURN'] as const;

/**
 * Targets iptables 1.8.9 knows that packetwalk refuses with a ScriptError (name → message), so a
 * real `-j NFLOG` is not mistaken for a jump to a chain. ULOG and CLUSTERIP are here too: their
 * kernel modules are gone from 6.18, where iptables warns "Extension … not supported, missing
 * kernel module?" and the kernel refuses the rule.
 */
export const UNMODELLED_TARGETS: Record<string, string> = Object.fromEntries(
  [
    'AUDIT', 'CLASSIFY', 'CLUSTERIP', 'CONNSECMARK', 'DSCP', 'ECN', 'HMARK', 'IDLETIMER', 'LED', 'NETMAP', 'NFLOG', 'NFQUEUE', 'RATEEST',
    'SECMARK', 'SET', 'SYNPROXY', 'TCPMSS', 'TCPOPTSTRIP', 'TEE', 'TOS', 'TPROXY', 'TTL', 'ULOG',
  ].map((n) => [
    n,
    `\`-j ${n}\` is not modelled (supported targets: ${[...STANDARD_TARGETS, ...Object.keys(TARGETS)].join(', ')}, or a user-defined chain)`,
  ]),
);

/** The extension that prints a target (undefined for standard verdicts, jumps and NONE). */
export function targetExt(t: XtTarget): TargetExt<XtTarget> | undefined {
  return TARGETS[t.name];
}

export { listAddr };
