// Re-runs the xtables-monitor goldens on the real kernel and compares the trace lines with the
// simulator's (normalised: trace ids, MACs, IP ids, ephemeral ports). UPDATE=1 rewrites the goldens.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { runOnSimulator } from './lib/simulator.ts';
import { normalizeTrace } from '../golden/xtables-monitor/normalize.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../golden/xtables-monitor');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));
const skip = kernelUnavailableReason();

describe.skipIf(skip !== undefined)('xtables-monitor --trace: kernel = simulator', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    const real = runOnKernel(script).output;
    if (process.env.UPDATE === '1') writeFileSync(join(dir, `${name}.out`), real);
    const want = normalizeTrace(real);
    expect(want.length).toBeGreaterThan(0);
    expect(normalizeTrace(runOnSimulator(script).output)).toBe(want);
  });
});
