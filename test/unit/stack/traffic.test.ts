// Traffic tools on the simulated stack: packet counts and bytes per hook as a match-all iptables
// rule counts them, and the tools' messages. The expected counters were measured on the real
// kernel with the same topology (test/kernel/stack.test.ts re-measures them when root).
import { describe, expect, test } from 'vitest';
import { CASES, TOOLS } from './cases.ts';
import { hookCount, runTool } from './harness.ts';

describe('traffic on the simulated stack', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const k = c.world();
    c.setup?.(k);
    const start = k.events.length;
    let last = { code: -1, out: '' };
    for (const s of c.steps) last = runTool(TOOLS[s.argv[0]], k, s.ns, s.argv, { stdin: s.stdin, background: s.background });
    if (c.output !== undefined) expect(last.out).toBe(c.output);
    expect(last.code).toBe(c.code);
    for (const [ns, hook, p, b] of c.counters) expect([ns, hook, ...hookCount(k, ns, hook, start)]).toEqual([ns, hook, p, b]);
  });
});
