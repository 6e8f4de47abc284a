// The ruleset side of netfilter. Userland (iptables, iptables-nft) keeps the tables in the shared
// per-namespace store of types.ts (getNetfilterTables) and bumps its generation on each change;
// the kernel compiles them when the generation moved, validating like translate_table.
import type { Backend, Chain, NetfilterTables, Table, TableName } from './types.ts';
import { HOOKS, TABLE_HOOKS, TABLES, getNetfilterTables } from './types.ts';
import type { NetfilterNs } from './state.ts';
import { compileTable, type CompiledTable } from './table.ts';
import { CT_USING_MATCHES, CT_USING_TARGETS } from './matches.ts';

/** A refused ruleset: errno name and strerror text (iptables prints the text). */
export interface NfError {
  errno: 'ELOOP' | 'ENOENT' | 'EINVAL';
  message: string;
}

/** A table as a fresh namespace has it: built-in chains, ACCEPT policies, zero counters. */
export function emptyTable(name: TableName, backend: Backend = 'legacy'): Table {
  const chains = new Map<string, Chain>();
  for (const hook of TABLE_HOOKS[name]) {
    chains.set(hook, { name: hook, policy: 'ACCEPT', policyCounters: { packets: 0, bytes: 0 }, rules: [], ...(backend === 'nft' ? { present: false } : {}) });
  }
  return { name, backend, chains };
}

/** Validates like translate_table: every jump names a user chain of the table, no loop from a hook. */
export function validateTable(table: Table): NfError | undefined {
  /** Chains with at least one jump: the only ones the walk below has to scan. */
  const jumping = new Set<string>();
  for (const [key, chain] of table.chains) {
    const rules = chain.rules;
    for (let k = 0; k < rules.length; k++) {
      const tg = rules[k]!.target;
      if (tg.name === 'JUMP') {
        const target = table.chains.get(tg.chain);
        if (!target) return { errno: 'ENOENT', message: 'No chain/target/match by that name.' };
        if (target.policy !== undefined) return { errno: 'EINVAL', message: 'Invalid argument' };
        jumping.add(key);
      }
    }
  }
  // mark_source_chains: walk from each built-in chain; a chain met again on the path is a loop
  const state = new Map<string, 1 | 2>();
  const visit = (name: string): boolean => {
    const st = state.get(name);
    if (st === 1) return false;
    if (st === 2) return true;
    state.set(name, 1);
    if (jumping.has(name)) {
      const rules = table.chains.get(name)!.rules;
      for (let k = 0; k < rules.length; k++) {
        const tg = rules[k]!.target;
        if (tg.name === 'JUMP' && !visit(tg.chain)) return false;
      }
    }
    state.set(name, 2);
    return true;
  };
  for (const chain of table.chains.values()) {
    if (chain.policy !== undefined && !visit(chain.name)) return { errno: 'ELOOP', message: 'Too many levels of symbolic links' };
  }
  return undefined;
}

/**
 * Stores TABLE in the namespace's store for BACKEND after validation (atomic: on error nothing
 * changes) and bumps the generation. Userland may also write the store itself and bump the
 * generation; this is the checked way.
 */
export function replaceTable(kernel: object, netns: string, backend: Backend, table: Table): NfError | undefined {
  const err = validateTable(table);
  if (err) return err;
  const store = getNetfilterTables(kernel, netns);
  table.backend = backend;
  if (backend === 'legacy' && !store.legacy.has(table.name)) {
    store.legacyOrder.push(table.name);
    hookRegistered(store, 'legacy', table.name);
  }
  (backend === 'legacy' ? store.legacy : store.nft).set(table.name, table);
  store.generation++;
  return undefined;
}

/** iptables -Z [chain]: rule and policy counters to zero, in place. */
export function zeroCounters(table: Table, chain?: string): void {
  for (const c of table.chains.values()) {
    if (chain !== undefined && c.name !== chain) continue;
    for (const r of c.rules) {
      r.counters.packets = 0;
      r.counters.bytes = 0;
    }
    if (c.policyCounters) {
      c.policyCounters.packets = 0;
      c.policyCounters.bytes = 0;
    }
  }
}

/** How many rules jump or go to CHAIN (`Chain X (N references)`). */
export function chainReferences(table: Table, chain: string): number {
  let n = 0;
  for (const c of table.chains.values()) for (const r of c.rules) if (r.target.name === 'JUMP' && r.target.chain === chain) n++;
  return n;
}

/**
 * Records that the kernel registered hooks now (nf_register_net_hook): a legacy table's hooks
 * (all of them, when x_tables instantiates the table) or one nft base chain's hook (nf_tables
 * registers it when the chain is created). A later registration runs first at equal priority.
 */
export function hookRegistered(store: NetfilterTables, backend: Backend, table: TableName, chain?: string): void {
  store.hookReg.set(backend === 'legacy' ? `legacy:${table}` : `nft:${table}:${chain}`, store.hookRegNext++);
}

/** An nft base chain was deleted: its hook is unregistered. */
export function hookUnregistered(store: NetfilterTables, table: TableName, chain: string): void {
  store.hookReg.delete(`nft:${table}:${chain}`);
}

/** Recompiles the namespace's tables when the store changed. */
export function syncTables(kernel: object, netns: string, nf: NetfilterNs): void {
  const store = (nf.store ??= getNetfilterTables(kernel, netns));
  if (store.generation === nf.compiledGeneration) return;
  nf.compiledGeneration = store.generation;
  nf.compiled.clear();
  for (const h of HOOKS) nf.hookTables[h].clear();
  // Tables loaded without a registration (replaceTable of a test's table) are registered now:
  // legacy in instantiation order, then nft.
  const reg = store.hookReg;
  for (const name of store.legacyOrder) {
    if (store.legacy.has(name) && !reg.has(`legacy:${name}`)) hookRegistered(store, 'legacy', name);
  }
  for (const name of TABLES) {
    const t = store.nft.get(name);
    if (!t) continue;
    for (const hook of TABLE_HOOKS[name]) {
      const c = t.chains.get(hook);
      if (c && c.present !== false && !reg.has(`nft:${name}:${hook}`)) hookRegistered(store, 'nft', name, hook);
    }
  }
  let ctUsers = false;
  for (const name of TABLES) {
    const all: Array<[Backend, CompiledTable]> = [];
    for (const [backend, t] of [['legacy', store.legacy.get(name)], ['nft', store.nft.get(name)]] as const) {
      if (!t) continue;
      if (t.backend === undefined) t.backend = backend;
      all.push([backend, compileTable(t)]);
      if (!ctUsers) ctUsers = usesConntrack(t);
    }
    if (!all.length) continue;
    nf.compiled.set(name, all.map((x) => x[1]));
    // nf_hook_entries_grow inserts a new hook before the existing ones of equal priority: at each
    // hook, the table (legacy) or base chain (nft) registered last runs first.
    for (const hook of TABLE_HOOKS[name]) {
      const list: Array<[number, CompiledTable]> = [];
      for (const [backend, ct] of all) {
        if (ct.hookChain[hook] === undefined) continue;
        list.push([reg.get(backend === 'legacy' ? `legacy:${name}` : `nft:${name}:${hook}`) ?? -1, ct]);
      }
      if (list.length) nf.hookTables[hook].set(name, list.sort((a, b) => b[0] - a[0]).map((x) => x[1]));
    }
  }
  nf.natRegistered = nf.compiled.has('nat');
  // nf_ct_netns_get/put: conntrack-dependent matches and targets (NAT targets included) register
  // conntrack's hooks in the namespace, the last one removed unregisters them; a nat table alone
  // does not (measured: `-t nat -A POSTROUTING -j ACCEPT` leaves loopback pings untracked).
  // Existing entries outlive their users.
  nf.conntrackActive = ctUsers;
}

function usesConntrack(t: Table): boolean {
  for (const c of t.chains.values()) {
    for (const r of c.rules) {
      if (CT_USING_TARGETS.has(r.target.name) || r.matches.some((m) => CT_USING_MATCHES.has(m.name))) return true;
    }
  }
  return false;
}
