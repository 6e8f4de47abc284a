// ipt_do_table (net/ipv4/netfilter/ip_tables.c): one loop over a compiled table, an explicit jump
// stack, goto, RETURN, underflow to the built-in chain's policy. Rules are compiled once when the
// table is loaded; long chains get an index on exact addresses/ports that only skips rules whose
// fixed header part cannot match (ipt_ip is checked first and has no side effects), so
// first-match semantics and every counter stay exactly the kernel's.
import type { Chain, Hook, Rule, Table, TableName } from './types.ts';
import { compileIp, compileMatch, type MatchFn, type PktCtx } from './matches.ts';
import { compileTarget, type TargetFn } from './targets.ts';

const K_ACCEPT = 0, K_DROP = 1, K_RETURN = 2, K_JUMP = 3, K_GOTO = 4, K_TARGET = 5;

interface CRule {
  rule: Rule;
  /** ipt_ip, inlined: masks 0 = no check. */
  smsk: number;
  src: number;
  invSrc: boolean;
  dmsk: number;
  dst: number;
  invDst: boolean;
  proto: number;
  invProto: boolean;
  /** -i / -o checks (interface patterns), when given */
  ifaces: MatchFn | undefined;
  matches: MatchFn[];
  kind: number;
  jump: number;
  target: TargetFn | undefined;
  verdictName: string;
}

/**
 * Rules of a long chain grouped by one exact value their fixed part or first port match requires
 * (source /32, destination /32, destination port, source port, in/out interface); the rest are
 * "general". A packet can only match the general rules and the rules of its own values.
 */
interface ChainIndex {
  general: Int32Array;
  /** netmask -> masked address -> rules */
  bySrc: Map<number, Map<number, Int32Array>>;
  byDst: Map<number, Map<number, Int32Array>>;
  byDport: Map<number, Int32Array>; // key proto << 16 | port
  bySport: Map<number, Int32Array>;
  byIn: Map<string, Int32Array>;
  byOut: Map<string, Int32Array>;
}

export interface CChain {
  name: string;
  builtin: boolean;
  chain: Chain;
  rules: CRule[];
  index: ChainIndex | undefined;
}

export interface CompiledTable {
  name: TableName;
  table: Table;
  legacy: boolean;
  chains: CChain[];
  hookChain: Partial<Record<Hook, number>>;
  /** A TRACE rule exists: the walk must be traced from the rule after it even when not recording. */
  hasTrace: boolean;
}

const INDEX_MIN_RULES = 64;

/** INDEX_MIN: chains at least this long get an index (tests pass Infinity for the plain scan). */
export function compileTable(table: Table, indexMin: number = INDEX_MIN_RULES): CompiledTable {
  const names = [...table.chains.keys()];
  const byName = new Map(names.map((n, i) => [n, i]));
  const chains: CChain[] = [];
  const hookChain: Partial<Record<Hook, number>> = {};
  for (const [name, chain] of table.chains) {
    const builtin = chain.policy !== undefined;
    if (builtin && chain.present !== false) hookChain[name as Hook] = byName.get(name)!;
    const rules = chain.rules.map((rule): CRule => {
      const t = rule.target;
      let kind = K_TARGET, jump = -1;
      let target: TargetFn | undefined;
      if (t.name === 'ACCEPT') kind = K_ACCEPT;
      else if (t.name === 'DROP') kind = K_DROP;
      else if (t.name === 'RETURN') kind = K_RETURN;
      else if (t.name === 'NONE') target = () => 'CONTINUE';
      else if (t.name === 'JUMP') {
        kind = t.goto ? K_GOTO : K_JUMP;
        jump = byName.get(t.chain) ?? -1;
      } else target = compileTarget(t, table.name);
      const ip = rule.ip;
      const smsk = ip.smsk >>> 0;
      const dmsk = ip.dmsk >>> 0;
      const ifaces = ip.iniface || ip.outiface || ip.fragment !== undefined ? compileIp({ ...ip, smsk: 0, dmsk: 0, invSrc: false, invDst: false, proto: 0, invProto: false }) : undefined;
      return { rule, smsk, src: (ip.src & ip.smsk) >>> 0, invSrc: ip.invSrc, dmsk, dst: (ip.dst & ip.dmsk) >>> 0, invDst: ip.invDst, proto: ip.proto, invProto: ip.invProto, ifaces, matches: rule.matches.map(compileMatch), kind, jump, target, verdictName: t.name === 'JUMP' ? t.chain : t.name === 'NONE' ? 'CONTINUE' : t.name };
    });
    chains.push({ name, builtin, chain, rules, index: rules.length >= indexMin ? usefulIndex(buildIndex(rules), rules.length) : undefined });
  }
  const hasTrace = [...table.chains.values()].some((c) => c.rules.some((r) => r.target.name === 'TRACE'));
  return { hasTrace, name: table.name, table, legacy: (table.backend ?? 'legacy') === 'legacy', chains, hookChain };
}

function buildIndex(rules: CRule[]): ChainIndex {
  const general: number[] = [];
  const bySrc = new Map<number, Map<number, number[]>>(), byDst = new Map<number, Map<number, number[]>>(), byDport = new Map<number, number[]>(), bySport = new Map<number, number[]>();
  const byIn = new Map<string, number[]>(), byOut = new Map<string, number[]>();
  const add = <K>(m: Map<K, number[]>, k: K, i: number) => {
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  };
  rules.forEach((r, i) => {
    const ip = r.rule.ip;
    const m = r.rule.matches[0];
    const portMatch = ip.proto !== 0 && !ip.invProto && m && ((m.name === 'tcp' && ip.proto === 6) || (m.name === 'udp' && ip.proto === 17)) ? m : undefined;
    const sub = (m: Map<number, Map<number, number[]>>, mask: number) => {
      let x = m.get(mask);
      if (!x) m.set(mask, (x = new Map()));
      return x;
    };
    if (ip.smsk >>> 0 !== 0 && !ip.invSrc) add(sub(bySrc, ip.smsk >>> 0), (ip.src & ip.smsk) >>> 0, i);
    else if (ip.dmsk >>> 0 !== 0 && !ip.invDst) add(sub(byDst, ip.dmsk >>> 0), (ip.dst & ip.dmsk) >>> 0, i);
    else if (portMatch && portMatch.info.dpts[0] === portMatch.info.dpts[1] && !portMatch.info.invDpt) add(byDport, (ip.proto << 16) | portMatch.info.dpts[0], i);
    else if (portMatch && portMatch.info.spts[0] === portMatch.info.spts[1] && !portMatch.info.invSpt) add(bySport, (ip.proto << 16) | portMatch.info.spts[0], i);
    else if (ip.iniface && !ip.invIn && !ip.iniface.endsWith('+')) add(byIn, ip.iniface, i);
    else if (ip.outiface && !ip.invOut && !ip.outiface.endsWith('+')) add(byOut, ip.outiface, i);
    else general.push(i);
  });
  const conv = <K>(m: Map<K, number[]>) => new Map([...m].map(([k, v]) => [k, Int32Array.from(v)]));
  const conv2 = (m: Map<number, Map<number, number[]>>) => new Map([...m].map(([k, v]) => [k, conv(v)]));
  return { general: Int32Array.from(general), bySrc: conv2(bySrc), byDst: conv2(byDst), byDport: conv(byDport), bySport: conv(bySport), byIn: conv(byIn), byOut: conv(byOut) };
}

function usefulIndex(ix: ChainIndex, n: number): ChainIndex | undefined {
  return ix.general.length > n / 2 ? undefined : ix;
}

/** First position in sorted A whose value is >= i. */
function lowerBound(a: Int32Array, i: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The candidate rules of one packet in one chain visit: a k-way merge of its lists. */
class Cursor {
  lists: Int32Array[] = [];
  pos: number[] = [];
  constructor(ix: ChainIndex, p: PktCtx, from: number) {
    const skb = p.skb;
    const add = (a: Int32Array | undefined) => {
      if (a && a.length) {
        this.lists.push(a);
        this.pos.push(lowerBound(a, from));
      }
    };
    add(ix.general);
    for (const [mask, m] of ix.bySrc) add(m.get((skb.ip.saddr & mask) >>> 0));
    for (const [mask, m] of ix.byDst) add(m.get((skb.ip.daddr & mask) >>> 0));
    const sp = skb.tcp ? skb.tcp.sport : skb.udp ? skb.udp.sport : -1;
    const dp = skb.tcp ? skb.tcp.dport : skb.udp ? skb.udp.dport : -1;
    if (dp >= 0) add(ix.byDport.get((skb.ip.protocol << 16) | dp));
    if (sp >= 0) add(ix.bySport.get((skb.ip.protocol << 16) | sp));
    if (p.indev !== undefined) add(ix.byIn.get(p.indev));
    if (p.outdev !== undefined) add(ix.byOut.get(p.outdev));
  }
  /** Smallest candidate >= i, or Infinity. */
  next(i: number): number {
    let best = Infinity;
    const lists = this.lists, pos = this.pos;
    for (let k = 0; k < lists.length; k++) {
      const a = lists[k];
      let q = pos[k];
      while (q < a.length && a[q] < i) q++;
      pos[k] = q;
      if (q < a.length && a[q] < best) best = a[q];
    }
    return best;
  }
}

/** Result of a table walk. */
export type TableVerdict = 'ACCEPT' | 'DROP';

const stackChain: number[] = [];
const stackPos: number[] = [];

/** ipt_do_table. Emits 'rule' events (TRACE granularity) when recording; writes TRACE log lines when the skb is traced. */
export function doTable(ct: CompiledTable, hook: Hook, p: PktCtx, trace: ((chain: string, kind: 'rule' | 'return' | 'policy', num: number, verdict: string) => void) | undefined): TableVerdict {
  const start = ct.hookChain[hook];
  if (start === undefined) return 'ACCEPT';
  const len = p.skb.len;
  const saddr = p.skb.ip.saddr, daddr = p.skb.ip.daddr, proto = p.skb.ip.protocol;
  const base = stackChain.length;
  let ci = start;
  let chain = ct.chains[start];
  let rules = chain.rules;
  let i = 0;
  let cursor: Cursor | undefined;
  let cursorChain = -1;
  for (;;) {
    if (chain.index !== undefined && i < rules.length) {
      if (cursorChain !== ci) {
        cursor = new Cursor(chain.index, p, i);
        cursorChain = ci;
      }
      const n = cursor!.next(i);
      i = n === Infinity ? rules.length : n;
    }
    if (i >= rules.length) {
      if (chain.builtin) {
        const c = chain.chain;
        if (ct.legacy || c.nftCounters) {
          const pc = c.policyCounters ?? (c.policyCounters = { packets: 0, bytes: 0 });
          pc.packets++;
          pc.bytes += len;
        }
        if (trace) trace(chain.name, 'policy', rules.length + 1, c.policy!);
        stackChain.length = base;
        stackPos.length = base;
        return c.policy!;
      }
      // the implicit RETURN at the end of a user chain
      if (trace) trace(chain.name, 'return', rules.length + 1, 'RETURN');
      if (stackChain.length === base) {
        ci = start;
        chain = ct.chains[start];
        rules = chain.rules;
        i = rules.length;
        continue;
      }
      ci = stackChain.pop()!;
      chain = ct.chains[ci];
      rules = chain.rules;
      i = stackPos.pop()! + 1;
      continue;
    }
    const r = rules[i];
    if ((r.smsk !== 0 || r.invSrc) && ((((saddr & r.smsk) >>> 0) === r.src) === r.invSrc)) {
      i++;
      continue;
    }
    if ((r.dmsk !== 0 || r.invDst) && ((((daddr & r.dmsk) >>> 0) === r.dst) === r.invDst)) {
      i++;
      continue;
    }
    if (r.proto !== 0 && ((proto === r.proto) === r.invProto)) {
      i++;
      continue;
    }
    if (r.ifaces !== undefined && !r.ifaces(p)) {
      i++;
      continue;
    }
    let ok = true;
    const ms = r.matches;
    for (let m = 0; m < ms.length; m++) {
      if (!ms[m](p)) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      i++;
      continue;
    }
    const cn = r.rule.counters;
    cn.packets++;
    cn.bytes += len;
    if (trace) trace(chain.name, 'rule', i + 1, r.verdictName);
    switch (r.kind) {
      case K_ACCEPT:
        stackChain.length = base;
        stackPos.length = base;
        return 'ACCEPT';
      case K_DROP:
        stackChain.length = base;
        stackPos.length = base;
        return 'DROP';
      case K_RETURN:
        if (stackChain.length === base) {
          // RETURN from a built-in chain: the underflow (policy)
          i = rules.length;
          continue;
        }
        ci = stackChain.pop()!;
        chain = ct.chains[ci];
        rules = chain.rules;
        i = stackPos.pop()! + 1;
        continue;
      case K_JUMP:
        stackChain.push(ci);
        stackPos.push(i);
      // fall through
      case K_GOTO:
        ci = r.jump;
        chain = ct.chains[ci];
        rules = chain.rules;
        i = 0;
        continue;
      default: {
        const v = r.target!(p, hook);
        if (v === 'CONTINUE') {
          i++;
          continue;
        }
        stackChain.length = base;
        stackPos.length = base;
        return v;
      }
    }
  }
}
