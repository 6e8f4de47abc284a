// The stack's traffic cases re-measured on the real kernel: each case's topology and commands
// run in network namespaces with a match-all mangle rule in every chain the case counts; the
// rule counters must equal the counters the simulator produces (test/unit/stack/cases.ts).
import { describe, expect, test } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { CASES, ORACLE_WORLDS, type Case } from '../unit/stack/cases.ts';
import { hookCount, runTool } from '../unit/stack/harness.ts';
import { TOOLS } from '../unit/stack/cases.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const reason = kernelUnavailableReason();

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function inNs(ns: string, cmd: string): string {
  return ns === '' ? cmd : `ip netns exec ${ns} ${cmd}`;
}

function script(c: Case): string {
  const o = c.oracle as { world: keyof typeof ORACLE_WORLDS; setup?: string[] };
  const lines = [ORACLE_WORLDS[o.world], ...(o.setup ?? []).map((l) => l.replace('FIXTURES', FIXTURES))];
  const chains = new Map<string, Set<string>>();
  for (const [ns, hook] of c.counters) {
    if (!chains.has(ns)) chains.set(ns, new Set());
    chains.get(ns)!.add(hook);
  }
  for (const [ns, hooks] of chains) for (const h of hooks) lines.push(inNs(ns, `iptables -t mangle -A ${h}`));
  c.steps.forEach((s, i) => {
    const cmd = inNs(s.ns, s.argv.map(q).join(' '));
    const last = i === c.steps.length - 1;
    if (s.background) lines.push(`${cmd} >/dev/null &`, 'sleep 0.5');
    else lines.push(`${s.stdin !== undefined ? `printf %s ${q(s.stdin)} | ` : ''}${cmd} ${last ? '' : '>/dev/null 2>&1 '}|| echo "rc=$?"`);
  });
  lines.push('sleep 0.3');
  for (const ns of chains.keys()) lines.push(`echo "== ns:${ns}"`, inNs(ns, 'iptables-save -t mangle -c'));
  return lines.join('\n') + '\n';
}

function parseCounters(out: string): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  let ns = '';
  for (const line of out.split('\n')) {
    const h = /^== ns:(.*)$/.exec(line);
    if (h) ns = h[1];
    const r = /^\[(\d+):(\d+)\] -A (\S+)$/.exec(line);
    if (r) m.set(`${ns}/${r[3]}`, [Number(r[1]), Number(r[2])]);
  }
  return m;
}

const ORACLE_CASES = CASES.filter((c) => c.oracle);

describe.skipIf(reason !== undefined)('stack traffic against the real kernel', () => {
  test.each(ORACLE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { output } = runOnKernel(script(c));
    const kernel = parseCounters(output);
    const k = c.world();
    c.setup?.(k);
    const start = k.events.length;
    for (const s of c.steps) runTool(TOOLS[s.argv[0]], k, s.ns, s.argv, { stdin: s.stdin, background: s.background });
    if (c.exactOutput) {
      const head = output.slice(0, output.search(/^== ns:/m));
      const printed = head.replace(/^rc=\d+\n/m, '');
      expect(printed).toBe(c.output);
    }
    for (const [ns, hook] of c.counters) {
      expect([ns, hook, ...(kernel.get(`${ns}/${hook}`) ?? [NaN, NaN])], output).toEqual([ns, hook, ...hookCount(k, ns, hook, start)]);
    }
  });
});
