// Tables as iptables sees them through the kernel's store (types.ts getNetfilterTables):
// creation per backend, chain order for listings, references, and the load-time checks the
// kernel makes (jump loops: mark_source_chains → ELOOP; target/hook compatibility → EINVAL).
import {
  HOOKS, TABLE_HOOKS, getNetfilterTables,
  type Backend, type Chain, type Hook, type NetfilterTables, type Rule, type Table, type TableName,
} from '../../kernel/netfilter/types.ts';
import { chainReferences, emptyTable, hookRegistered, validateTable } from '../../kernel/netfilter/ruleset.ts';
import { TARGETS } from './extensions.ts';
import type { Kernel } from '../../kernel/kernel.ts';

/** A fresh table: built-in chains with ACCEPT policies (nft: base chains not created yet). */
export function newTable(name: TableName, backend: Backend): Table {
  return emptyTable(name, backend);
}

export function store(kernel: object, netns: string): NetfilterTables {
  return getNetfilterTables(kernel, netns);
}

/**
 * The table as a command sees it. Legacy instantiates a table on any access; nft only when
 * `write` (a listing of a table nft never created shows the empty built-in chains).
 */
export function openTable(st: NetfilterTables, backend: Backend, name: TableName, write: boolean): Table {
  const map = backend === 'nft' ? st.nft : st.legacy;
  let t = map.get(name);
  if (t) return t;
  t = newTable(name, backend);
  if (backend === 'legacy' || write) {
    map.set(name, t);
    if (backend === 'legacy') {
      st.legacyOrder.push(name);
      hookRegistered(st, 'legacy', name);
    }
    st.generation++;
  }
  return t;
}

export function isBuiltin(table: Table, chain: string): boolean {
  return (TABLE_HOOKS[table.name] as readonly string[]).includes(chain);
}

/** Built-in chains in hook order, then user chains sorted by name (strcmp). */
export function orderedChains(table: Table): Chain[] {
  const builtins: Chain[] = [];
  const users: Chain[] = [];
  for (const c of table.chains.values()) (isBuiltin(table, c.name) ? builtins : users).push(c);
  const hooks = TABLE_HOOKS[table.name] as readonly string[];
  builtins.sort((a, b) => hooks.indexOf(a.name) - hooks.indexOf(b.name));
  users.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...users];
}

export function referenceCount(table: Table, chain: string): number {
  return chainReferences(table, chain);
}

/** A cycle reachable from a built-in chain (the kernel refuses the whole table: ELOOP). */
export function hasLoop(table: Table): boolean {
  return validateTable(table)?.errno === 'ELOOP';
}

/** The hooks from which each chain is reachable (for targets valid only at some hooks). */
function reachingHooks(table: Table): Map<string, Set<Hook>> {
  const out = new Map<string, Set<Hook>>();
  for (const h of TABLE_HOOKS[table.name]) {
    const stack = [h as string];
    const seen = new Set<string>();
    while (stack.length) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      let set = out.get(name);
      if (!set) out.set(name, (set = new Set()));
      set.add(h);
      const c = table.chains.get(name);
      if (c) for (const r of c.rules) if (r.target.name === 'JUMP') stack.push(r.target.chain);
    }
  }
  return out;
}

/** A rule the kernel's checkentry refuses (EINVAL): its chain, and the line the kernel logs (if any). */
export interface CheckFailure {
  chain: string;
  dmesg?: string;
}

/**
 * xt_check_target for every rule, in the kernel's order: the target's table, the hooks the rule
 * is reached from, then the target's own checkentry (REJECT --reject-with tcp-reset wants -p tcp).
 * Legacy checks the whole table with each rule's hook mask from mark_source_chains; nf_tables
 * checks a rule when added with its base chain's hook (none in a user chain) and refuses a jump
 * that brings a target to a wrong hook in nft_target_validate, which logs nothing (measured on 6.18).
 */
export function checkEntries(table: Table): CheckFailure | undefined {
  let reach: Map<string, Set<Hook>> | undefined;
  for (const c of orderedChains(table)) {
    const rules = c.rules;
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k]!;
      const t = rule.target;
      const name = t.name;
      // Verdicts, jumps and no target are never extensions (the bulk of a big ruleset).
      if (name === 'DROP' || name === 'ACCEPT' || name === 'RETURN' || name === 'JUMP' || name === 'NONE') continue;
      const ext = TARGETS[name];
      if (!ext) continue;
      const kname = name === 'NOTRACK' ? 'CT' : name;
      if (ext.tables && !ext.tables.includes(table.name)) {
        return { chain: c.name, dmesg: `x_tables: ip_tables: ${kname} target: only valid in ${ext.tables[0]} table, not ${table.name}` };
      }
      if (ext.hooks) {
        reach ??= reachingHooks(table);
        const from = [...(reach.get(c.name) ?? [])];
        if (from.some((h) => !ext.hooks!.includes(h))) {
          const builtin = isBuiltin(table, c.name);
          if (table.backend === 'nft' && !builtin) return { chain: c.name };
          const used = table.backend === 'nft' ? [c.name as Hook] : HOOKS.filter((h) => from.includes(h));
          const usable = HOOKS.filter((h) => ext.hooks!.includes(h));
          return { chain: c.name, dmesg: `x_tables: ip_tables: ${kname} target: used from hooks ${used.join('/')}, but only usable from ${usable.join('/')}` };
        }
      }
      if (t.name === 'REJECT' && t.info.with === 'tcp-reset' && (rule.ip.proto !== 6 || rule.ip.invProto)) {
        return { chain: c.name, dmesg: 'ipt_REJECT: TCP_RESET invalid for non-tcp' };
      }
    }
  }
  return undefined;
}

/** The chain of a rule the kernel's checkentry refuses, if any (see checkEntries). */
export function invalidTargetChain(table: Table): string | undefined {
  return checkEntries(table)?.chain;
}

/** The kernel's log line of a refused rule (printk; its ratelimit of 10 per 5 s is not modelled). */
export function logCheckFailure(kernel: Kernel, f: CheckFailure): void {
  if (f.dmesg !== undefined) kernel.dmesg.push({ t: kernel.now, line: f.dmesg });
}

/** nft handles: chains and rules of a table share one increasing counter. */
export function nextHandle(st: NetfilterTables, table: TableName): number {
  const h = st.nftNextHandle.get(table) ?? 1;
  st.nftNextHandle.set(table, h + 1);
  return h;
}

/** Marks an nft base chain as created (iptables-nft creates base chains on first write). */
export function touchChain(st: NetfilterTables, table: Table, chain: Chain): void {
  if (table.backend === 'nft' && chain.present === false) {
    chain.present = true;
    chain.handle = nextHandle(st, table.name);
    hookRegistered(st, 'nft', table.name, chain.name);
  }
}

export function assignRuleHandle(st: NetfilterTables, table: Table, rule: Rule): void {
  if (table.backend === 'nft') rule.handle = nextHandle(st, table.name);
}
