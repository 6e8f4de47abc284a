// The order of a legacy and an nft table at one hook (equal priority): the hook registered last
// runs first (nf_hook_entries_grow), and registration happens when userland creates the table
// (legacy) or the base chain (nft), not when packets next flow. Scenarios 055 and 056 check the
// same against the kernel through the iptables commands; here the kernel side alone, step by step.
import { describe, expect, test } from 'vitest';
import { hookRegistered, hookUnregistered, syncTables } from '../../../src/kernel/netfilter/ruleset.ts';
import { getNetfilterTables, type Hook, type TableName } from '../../../src/kernel/netfilter/types.ts';
import { load, table, world, type TestWorld } from './helpers.ts';

/**
 * Steps: `legacy T` (a legacy table used for the first time), `nft T C` (iptables-nft creates base
 * chain C), `-nft T C` (iptables-nft -X deletes it), `load nft T C…` (a table stored without any
 * registration, as tests and replaceTable callers do), `packet` (the kernel compiles in between).
 */
function run(w: TestWorld, steps: string[]): void {
  const st = getNetfilterTables(w.kernel, w.ns.name);
  for (const step of steps) {
    const [op, a, b, ...rest] = step.split(' ');
    if (op === 'packet') syncTables(w.kernel, w.ns.name, w.ns.nf);
    else if (op === 'legacy') load(w, table(a as TableName, {}, {}, 'legacy'));
    else if (op === 'load') load(w, table(b as TableName, Object.fromEntries(rest.map((c) => [c, []])), {}, 'nft'));
    else if (op === 'nft' || op === '-nft') {
      const name = a as TableName;
      const t = st.nft.get(name) ?? table(name, {}, {}, 'nft');
      t.chains.get(b!)!.present = op === 'nft';
      if (op === 'nft') hookRegistered(st, 'nft', name, b);
      else hookUnregistered(st, name, b!);
      load(w, t);
    } else throw new Error(`bad step ${step}`);
  }
  syncTables(w.kernel, w.ns.name, w.ns.nf);
}

/** `HOOK TABLE` → the backends in the order they run there. */
function order(w: TestWorld, hook: Hook, name: TableName): string {
  return (w.ns.nf.hookTables[hook].get(name) ?? []).map((ct) => (ct.legacy ? 'legacy' : 'nft')).join(' ');
}

describe('equal-priority tables run in reverse registration order', () => {
  test.each([
    ['nft first, legacy second: legacy runs first', ['nft filter INPUT', 'legacy filter'], [['INPUT', 'filter', 'legacy nft'], ['FORWARD', 'filter', 'legacy']]],
    ['legacy first, nft second: nft runs first', ['legacy filter', 'nft filter INPUT'], [['INPUT', 'filter', 'nft legacy']]],
    ['a packet in between changes nothing', ['nft filter INPUT', 'packet', 'legacy filter', 'packet'], [['INPUT', 'filter', 'legacy nft']]],
    ['per nft base chain: INPUT before legacy, FORWARD after', ['nft filter INPUT', 'legacy filter', 'nft filter FORWARD'], [['INPUT', 'filter', 'legacy nft'], ['FORWARD', 'filter', 'nft legacy']]],
    ['a deleted and re-created base chain is hooked anew', ['nft nat PREROUTING', 'legacy nat', 'packet', '-nft nat PREROUTING', 'nft nat PREROUTING'], [['PREROUTING', 'nat', 'nft legacy']]],
    ['a deleted base chain is not hooked', ['nft raw PREROUTING', 'legacy raw', '-nft raw PREROUTING'], [['PREROUTING', 'raw', 'legacy'], ['OUTPUT', 'raw', 'legacy']]],
    ['per table: mangle nft first, raw legacy first', ['nft mangle INPUT', 'legacy raw', 'legacy mangle', 'nft raw PREROUTING'], [['INPUT', 'mangle', 'legacy nft'], ['PREROUTING', 'raw', 'nft legacy']]],
    ['tables stored without a registration are numbered when compiled, legacy then nft', ['load nft filter INPUT', 'legacy filter'], [['INPUT', 'filter', 'nft legacy']]],
    ['a legacy table used again is not registered again', ['legacy filter', 'nft filter INPUT', 'legacy filter'], [['INPUT', 'filter', 'nft legacy']]],
  ] as Array<[string, string[], Array<[Hook, TableName, string]>]>)('%s', (_name, steps, expected) => {
    const w = world();
    run(w, steps);
    for (const [hook, name, want] of expected) expect(`${hook} ${name}: ${order(w, hook, name)}`).toBe(`${hook} ${name}: ${want}`);
  });
});
