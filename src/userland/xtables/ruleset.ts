// Tables as iptables sees them through the kernel's store (types.ts getNetfilterTables):
// creation per backend, chain order for listings, references, and the load-time checks the
// kernel makes (jump loops: mark_source_chains → ELOOP; target/hook compatibility → EINVAL).
import {
  TABLE_HOOKS, getNetfilterTables,
  type Backend, type Chain, type Hook, type NetfilterTables, type Rule, type Table, type TableName,
} from '../../kernel/netfilter/types.ts';
import { chainReferences, emptyTable, hookRegistered, validateTable } from '../../kernel/netfilter/ruleset.ts';
import { TARGETS } from './extensions.ts';

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

/** A target used where the kernel's checkentry refuses it (EINVAL). Returns the offending chain. */
export function invalidTargetChain(table: Table): string | undefined {
  let reach: Map<string, Set<Hook>> | undefined;
  for (const c of table.chains.values()) {
    const rules = c.rules;
    for (let k = 0; k < rules.length; k++) {
      const name = rules[k]!.target.name;
      // Verdicts, jumps and no target are never extensions (the bulk of a big ruleset).
      if (name === 'DROP' || name === 'ACCEPT' || name === 'RETURN' || name === 'JUMP' || name === 'NONE') continue;
      const ext = TARGETS[name];
      if (!ext) continue;
      if (ext.tables && !ext.tables.includes(table.name)) return c.name;
      if (ext.hooks) {
        reach ??= reachingHooks(table);
        for (const h of reach.get(c.name) ?? []) if (!ext.hooks.includes(h)) return c.name;
      }
    }
  }
  return undefined;
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
