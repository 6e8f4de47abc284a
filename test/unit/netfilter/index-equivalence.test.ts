import { describe, expect, test } from 'vitest';
import { compileTable, doTable } from '../../../src/kernel/netfilter/table.ts';
import type { PktCtx } from '../../../src/kernel/netfilter/matches.ts';
import type { Rule, XtTarget } from '../../../src/kernel/netfilter/types.ts';
import { rule, table, tcp, world } from './helpers.ts';

// The index of long chains must never change a verdict or a counter: compare with the plain scan.
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function randomChain(r: (n: number) => number, n: number, targets: XtTarget[]): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r(12) % 6 === 5 && r(2) ? r(5) : r(6);
    const t = targets[r(targets.length)];
    if (kind === 0) rules.push(rule(t, { src: (10 << 24) | r(4), smsk: 0xffffffff }));
    else if (kind === 1) rules.push(rule(t, { src: (10 << 24) | (r(4) << 8), smsk: 0xffffff00, invSrc: r(4) === 0 }));
    else if (kind === 2) rules.push(rule(t, { proto: 6 }, [{ name: 'tcp', info: { spts: [0, 65535], dpts: [80 + r(4), 80 + r(4) + r(2)], flgMask: 0, flgCmp: 0, invSpt: false, invDpt: r(5) === 0, invFlags: false, invOption: false } }]));
    else if (kind === 3) rules.push(rule(t, { iniface: r(8) ? 'ra' : 'r+', invIn: r(8) === 0 }));
    else if (kind === 4) rules.push(rule(t, { dst: (10 << 24) | r(3), dmsk: 0xffffffff, invDst: r(3) === 0 }));
    else rules.push(rule(t));
  }
  return rules;
}

describe('long-chain index keeps first-match semantics and counters', () => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('random ruleset, seed %i', (seed) => {
    const r = rng(seed * 7919);
    const tgt: XtTarget[] = [{ name: 'NONE' }, { name: 'NONE' }, { name: 'NONE' }, { name: 'RETURN' }, { name: 'JUMP', chain: 'SUB', goto: false }, { name: 'DROP' }, { name: 'ACCEPT' }];
    const sub = randomChain(r, 120, [{ name: 'NONE' }, { name: 'RETURN' }, { name: 'DROP' }, { name: 'NONE' }]);
    const fwd = randomChain(r, 200, tgt);
    const mk = () => table('filter', { SUB: structuredClone(sub), FORWARD: structuredClone(fwd) }, { FORWARD: 'DROP' });
    const indexed = compileTable(mk());
    const plain = compileTable(mk(), Infinity);
    const w = world();
    for (let k = 0; k < 300; k++) {
      const skb = tcp(`10.0.${r(4)}.${r(4)}`, 1000, `10.0.0.${r(3)}`, 79 + r(6), { syn: true });
      const p: PktCtx = { kernel: w.kernel, ns: w.ns, skb, indev: r(2) ? 'ra' : 'rb', outdev: 'rc', ct: undefined };
      expect(doTable(indexed, 'FORWARD', p, undefined)).toBe(doTable(plain, 'FORWARD', { ...p }, undefined));
    }
    const dump = (t: ReturnType<typeof compileTable>) => [...t.table.chains.values()].map((c) => [c.policyCounters?.packets, ...c.rules.map((x) => x.counters.packets)]);
    expect(dump(indexed)).toEqual(dump(plain));
    expect(indexed.chains.some((c) => c.index)).toBe(true);
  });
});
