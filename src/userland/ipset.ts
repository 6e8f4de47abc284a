// ipset(8) v7.17: create/add/del/test/list/save/flush/destroy of the namespace's IP sets
// (src/kernel/netfilter/ipset.ts), printing like the real tool (checked on this machine: see
// test/golden/ipset). Modelled: family inet, types hash:net and hash:ip, options -exist, -n
// (-name), -t (-terse), -q (-quiet). Elements are IPv4 addresses, with /CIDR for hash:net (and
// hash:ip, which adds every address of the network).
import { formatIpv4, parseIpv4 } from '../kernel/addr.ts';
import {
  getIpSets, ipSetAdd, ipSetDel, ipSetFlush, ipSetHas, ipSetMembers, ipSetMemSize, ipSetReferences, ipSetTest, netMask, newIpSet,
  IPSET_REVISION, type IpSet, type IpSetMember, type IpSetType,
} from '../kernel/netfilter/ipset.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

const VERSION = 'v7.17';
const TYPES: IpSetType[] = ['hash:net', 'hash:ip'];
/** The set types ipset v7.17 knows (the others are not modelled here). */
const KNOWN_TYPES = [
  'bitmap:ip', 'bitmap:ip,mac', 'bitmap:port', 'hash:ip', 'hash:mac', 'hash:ip,mac', 'hash:net', 'hash:net,net', 'hash:ip,port',
  'hash:net,port', 'hash:ip,port,ip', 'hash:ip,port,net', 'hash:ip,mark', 'hash:net,port,net', 'hash:net,iface', 'list:set',
];
/** Commands ipset v7.17 has that packetwalk does not model. */
const UNMODELLED_COMMANDS = ['rename', 'e', '-E', 'swap', 'w', '-W', 'restore', '-R', 'header'];
const COMMANDS = ['create', 'add', 'del', 'test', 'list', 'save', 'flush', 'destroy', 'version', 'help'] as const;
type Command = (typeof COMMANDS)[number];
const ALIASES: Record<string, Command> = { n: 'create', x: 'destroy', a: 'add', '-A': 'add', '-D': 'del', '-T': 'test', '-L': 'list', '-S': 'save', '-F': 'flush', '-X': 'destroy', '-N': 'create', '-v': 'version', '-V': 'version', '-h': 'help' };

class IpsetError extends Error {
  readonly status: number;
  readonly tryHelp: boolean;
  constructor(message: string, status = 1, tryHelp = false) {
    super(message);
    this.status = status;
    this.tryHelp = tryHelp;
  }
}
const syntax = (m: string): IpsetError => new IpsetError(`Syntax error: ${m}`);
const usage = (m: string): IpsetError => new IpsetError(m, 2, true);
const NO_SET = 'The set with the given name does not exist';

/** Parses an element: ADDR[/CIDR]. hash:ip accepts a network and expands it. */
function parseElement(text: string, type: IpSetType): IpSetMember[] {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIpv4(addrText);
  if (addr === undefined) throw syntax(`cannot parse ${addrText}: resolving to IPv4 address failed`);
  let cidr = 32;
  if (slash >= 0) {
    const c = text.slice(slash + 1);
    if (!/^\d+$/.test(c) || Number(c) > 32) throw syntax(`'${c}' is out of range 0-32`);
    cidr = Number(c);
    if (cidr === 0) throw new IpsetError('The value of the CIDR parameter of the IP address is invalid');
  }
  const net = (addr & netMask(cidr)) >>> 0;
  if (type === 'hash:net') return [{ addr: net, cidr }];
  const out: IpSetMember[] = [];
  const size = 2 ** (32 - cidr);
  if (size > 65536) throw new ScriptError(`ipset: adding ${text} to a hash:ip set (${size} addresses) is not modelled; use a /16 or longer prefix`);
  for (let k = 0; k < size; k++) out.push({ addr: (net + k) >>> 0, cidr: 32 });
  return out;
}

function formatMember(m: IpSetMember): string {
  return m.cidr === 32 ? formatIpv4(m.addr) : `${formatIpv4(m.addr)}/${m.cidr}`;
}

function header(set: IpSet): string {
  return `family inet hashsize ${set.hashsize} maxelem ${set.maxelem} bucketsize ${set.bucketsize} initval 0x${set.initval.toString(16).padStart(8, '0')}`;
}

export function ipset(argv: string[], ctx: ToolContext): number {
  try {
    run(argv, ctx);
    return 0;
  } catch (e) {
    if (e instanceof IpsetError) {
      // an empty message: the status alone (test of an absent element, already reported)
      if (e.message !== '') ctx.err(`ipset ${VERSION}: ${e.message}\n${e.tryHelp ? "Try `ipset help' for more information.\n" : ''}`);
      return e.status;
    }
    throw e;
  }
}

function run(argv: string[], ctx: ToolContext): void {
  let exist = false;
  let namesOnly = false;
  let terse = false;
  let quiet = false;
  let cmd: Command | undefined;
  const args: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '-exist' || a === '-!') exist = true;
    else if (a === '-n' || a === '-name') namesOnly = true;
    else if (a === '-t' || a === '-terse') terse = true;
    else if (a === '-q' || a === '-quiet') quiet = true;
    else if (a === '-o' || a === '-output' || a === '-s' || a === '-sorted' || a === '-r' || a === '-resolve' || a === '-f' || a === '-file') {
      throw new ScriptError(`ipset: option ${a} is not modelled; supported: -exist, -n, -t, -q`, ctx.pos);
    } else if (cmd === undefined) {
      const c = (COMMANDS as readonly string[]).includes(a) ? (a as Command) : ALIASES[a];
      if (!c && UNMODELLED_COMMANDS.includes(a)) {
        throw new ScriptError(`ipset ${a} is not modelled; supported: ${COMMANDS.filter((x) => x !== 'help').join(', ')}`, ctx.pos);
      }
      if (!c) throw usage(`No command specified: unknown argument ${a}`);
      cmd = c;
    } else args.push(a);
  }
  if (cmd === undefined) throw usage('No command specified.');
  const sets = getIpSets(ctx.kernel, ctx.netns).sets;
  const need = (n: number): void => {
    if (args.length < n) throw usage(`Missing ${args.length === 0 ? '' : 'second '}mandatory argument to command ${cmd}`);
  };
  const get = (name: string): IpSet => {
    const s = sets.get(name);
    if (!s) throw new IpsetError(NO_SET);
    return s;
  };
  switch (cmd) {
    case 'version':
      ctx.out(`ipset ${VERSION}, protocol version: 7\n`);
      return;
    case 'help':
      throw new ScriptError('ipset help: the help text is not modelled', ctx.pos);
    case 'create': {
      need(2);
      const [name, typeName, ...opts] = args as [string, string, ...string[]];
      if (name.length > 31) throw syntax(`setname '${name}' is longer than 31 characters`);
      if (!TYPES.includes(typeName as IpSetType)) {
        if (KNOWN_TYPES.includes(typeName)) throw new ScriptError(`ipset: set type ${typeName} is not modelled; supported: ${TYPES.join(', ')}`, ctx.pos);
        throw syntax(`typename '${typeName}' is unknown`);
      }
      const type = typeName as IpSetType;
      let hashsize = 1024;
      let maxelem = 65536;
      let initval: number | undefined;
      for (let k = 0; k < opts.length; k++) {
        const o = opts[k]!;
        const v = opts[k + 1];
        if (o === 'family' && v === 'inet') k++;
        else if (o === 'hashsize' && v !== undefined && /^\d+$/.test(v)) {
          // rounded up to a power of two, at least 64 (IPSET_MIMINAL_HASHSIZE)
          let h = 64;
          while (h < Number(v)) h *= 2;
          hashsize = h;
          k++;
        } else if (o === 'initval' && v !== undefined && /^(0x[0-9a-fA-F]{1,8}|\d+)$/.test(v) && Number(v) <= 0xffffffff) {
          initval = Number(v);
          k++;
        } else if (o === 'maxelem' && v !== undefined && /^\d+$/.test(v)) {
          maxelem = Number(v);
          k++;
        } else throw new ScriptError(`ipset create: option ${o}${v !== undefined ? ' ' + v : ''} is not modelled; supported: family inet, hashsize N, maxelem N, initval N`, ctx.pos);
      }
      const old = sets.get(name);
      if (old) {
        if (exist && old.type === type && old.hashsize === hashsize && old.maxelem === maxelem && (initval === undefined || initval === old.initval)) return;
        throw new IpsetError('Set cannot be created: set with the same name already exists');
      }
      sets.set(name, newIpSet(name, type, { hashsize, maxelem, initval: initval ?? ctx.kernel.prng.u32() }));
      return;
    }
    case 'add':
    case 'del':
    case 'test': {
      need(2);
      if (args.length > 2) throw new ScriptError(`ipset ${cmd}: element options (${args.slice(2).join(' ')}) are not modelled; supported: ipset ${cmd} SET ADDR[/CIDR]`, ctx.pos);
      const set = get(args[0]!);
      const elems = parseElement(args[1]!, set.type);
      if (cmd === 'test') {
        // a host (no prefix, or /32 on hash:net) is looked up like a packet's address; a network
        // as that exact element; hash:ip tests the address as given
        const cidrText = args[1]!.includes('/') ? Number(args[1]!.split('/')[1]) : 32;
        const addr = parseIpv4(args[1]!.split('/')[0]!)!;
        const found = set.type === 'hash:ip' || cidrText === 32 ? ipSetTest(set, addr) : ipSetHas(set, elems[0]!);
        // the element as ipset prints it: the address as parsed, a prefix unless /32
        const shown = `${formatIpv4(addr)}${cidrText < 32 ? `/${cidrText}` : ''}`;
        if (found) {
          if (!quiet) ctx.err(`Warning: ${shown} is in set ${set.name}.\n`);
          return;
        }
        if (!quiet) ctx.err(`${shown} is NOT in set ${set.name}.\n`);
        throw new IpsetError('', 1);
      }
      for (const el of elems) {
        if (cmd === 'add') {
          const r = ipSetAdd(set, el);
          if (r === 'exists' && !exist) throw new IpsetError("Element cannot be added to the set: it's already added");
          if (r === 'full') throw new IpsetError('Hash is full, cannot add more elements');
          if (r === 'resize') throw new ScriptError(`ipset add: a bucket of ${set.name} is full and the kernel would resize its hash table, which is not modelled (keep sets small)`, ctx.pos);
        } else if (!ipSetDel(set, el) && !exist) {
          throw new IpsetError("Element cannot be deleted from the set: it's not added");
        }
      }
      return;
    }
    case 'flush':
    case 'destroy': {
      if (args.length > 1) throw usage(`Unknown argument ${args[1]}`);
      const targets = args.length ? [get(args[0]!)] : [...sets.values()];
      if (cmd === 'flush') {
        for (const s of targets) ipSetFlush(s);
        return;
      }
      for (const s of targets) {
        if (ipSetReferences(ctx.kernel, ctx.netns, s.name) > 0) throw new IpsetError('Set cannot be destroyed: it is in use by a kernel component');
      }
      for (const s of targets) sets.delete(s.name);
      return;
    }
    case 'list':
    case 'save': {
      if (args.length > 1) throw usage(`Unknown argument ${args[1]}`);
      const targets = args.length ? [get(args[0]!)] : [...sets.values()];
      let text = '';
      if (cmd === 'save') {
        for (const s of targets) {
          text += `create ${s.name} ${s.type} ${header(s)}\n`;
          if (!terse) for (const m of ipSetMembers(s)) text += `add ${s.name} ${formatMember(m)}\n`;
        }
      } else if (namesOnly) {
        for (const s of targets) text += `${s.name}\n`;
      } else {
        text = targets
          .map((s) => {
            let t = `Name: ${s.name}\nType: ${s.type}\nRevision: ${IPSET_REVISION[s.type]}\nHeader: ${header(s)}\nSize in memory: ${ipSetMemSize(s)}\nReferences: ${ipSetReferences(ctx.kernel, ctx.netns, s.name)}\nNumber of entries: ${s.elements}\n`;
            if (!terse) t += `Members:\n${ipSetMembers(s).map((m) => formatMember(m) + '\n').join('')}`;
            return t;
          })
          .join('\n');
      }
      ctx.out(text);
      return;
    }
  }
}

export const tools: ToolTable = { ipset };
