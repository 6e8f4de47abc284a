// xtables-monitor --trace: each NAME.sh ran on the real kernel (iptables-nft 1.8.9, kernel 6.18)
// and its output is NAME.out. The simulator runs the same script unchanged; the trace lines of the
// first traced packet must be equal once ids, MACs, IP ids and ephemeral ports are normalised.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';
import { normalizeTrace } from './normalize.ts';

const dir = dirname(fileURLToPath(import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));

describe('xtables-monitor --trace lines equal the real tool (normalised)', () => {
  test.each(cases)('%s', (name) => {
    const sim = runOnSimulator(readFileSync(join(dir, `${name}.sh`), 'utf8'));
    const expected = normalizeTrace(readFileSync(join(dir, `${name}.out`), 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    expect(normalizeTrace(sim.output)).toBe(expected);
  });
});
