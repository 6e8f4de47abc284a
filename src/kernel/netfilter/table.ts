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
  ip: MatchFn | undefined;
  matches: MatchFn[];
  kind: number;
  jump: number;
  target: TargetFn | undefined;
  verdictName: string;
}

interface ChainIndex {
  general: Int32Array;
  bySrc: Map<number, Int32Array>;
  byDst: Map<number, Int32Array>;
  byDport: Map<number, Int32Array>; // key proto << 16 | port
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
}

const INDEX_MIN_RULES = 64;

export function compileTable(table: Table): CompiledTable {
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
      return { rule, ip: compileIp(rule.ip), matches: rule.matches.map(compileMatch), kind, jump, target, verdictName: t.name === 'JUMP' ? t.chain : t.name === 'NONE' ? 'CONTINUE' : t.name };
    });
    chains.push({ name, builtin, chain, rules, index: rules.length >= INDEX_MIN_RULES ? buildIndex(rules) : undefined });
  }
  return { name: table.name, table, legacy: (table.backend ?? 'legacy') === 'legacy', chains, hookChain };
}

function buildIndex(rules: CRule[]): ChainIndex {
  const general: number[] = [];
  const bySrc = new Map<number, number[]>(), byDst = new Map<number, number[]>(), byDport = new Map<number, number[]>();
  const add = (m: Map<number, number[]>, k: number, i: number) => {
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  };
  rules.forEach((r, i) => {
    const ip = r.rule.ip;
    if (ip.smsk >>> 0 === 0xffffffff && !ip.invSrc) add(bySrc, ip.src >>> 0, i);
    else if (ip.dmsk >>> 0 === 0xffffffff && !ip.invDst) add(byDst, ip.dst >>> 0, i);
    else {
      const m = r.rule.matches[0];
      if (ip.proto !== 0 && !ip.invProto && m && (m.name === 'tcp' || m.name === 'udp') && m.info.dpts[0] === m.info.dpts[1] && !m.info.invDpt && ((m.name === 'tcp' && ip.proto === 6) || (m.name === 'udp' && ip.proto === 17))) {
        add(byDport, (ip.proto << 16) | m.info.dpts[0], i);
      } else general.push(i);
    }
  });
  const conv = (m: Map<number, number[]>) => new Map([...m].map(([k, v]) => [k, Int32Array.from(v)]));
  return { general: Int32Array.from(general), bySrc: conv(bySrc), byDst: conv(byDst), byDport: conv(byDport) };
}

const EMPTY = new Int32Array(0);

/** First entry of sorted A that is >= i, or Infinity. */
function nextIn(a: Int32Array, i: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length ? a[lo] : Infinity;
}

function nextCandidate(ix: ChainIndex, p: PktCtx, i: number): number {
  const skb = p.skb;
  let n = nextIn(ix.general, i);
  const s = ix.bySrc.get(skb.ip.saddr >>> 0);
  if (s) n = Math.min(n, nextIn(s, i));
  const d = ix.byDst.get(skb.ip.daddr >>> 0);
  if (d) n = Math.min(n, nextIn(d, i));
  const port = skb.tcp ? skb.tcp.dport : skb.udp ? skb.udp.dport : -1;
  if (port >= 0 && ix.byDport.size) {
    const q = ix.byDport.get((skb.ip.protocol << 16) | port) ?? EMPTY;
    n = Math.min(n, nextIn(q, i));
  }
  return n;
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
  const base = stackChain.length;
  let ci = start;
  let chain = ct.chains[start];
  let rules = chain.rules;
  let i = 0;
  for (;;) {
    if (chain.index && i < rules.length) {
      const n = nextCandidate(chain.index, p, i);
      i = n === Infinity ? rules.length : n;
    }
    if (i >= rules.length) {
      if (chain.builtin) {
        const c = chain.chain;
        const pc = c.policyCounters ?? (c.policyCounters = { packets: 0, bytes: 0 });
        pc.packets++;
        pc.bytes += len;
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
    if (r.ip !== undefined && !r.ip(p)) {
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
