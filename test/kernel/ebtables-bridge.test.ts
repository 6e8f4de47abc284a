// Bridged traffic through ebtables, on the real kernel and in the simulator: the ebtables -L --Lc
// counters (and ping outcomes) must be equal. Each test/kernel/ebtables/NAME.sh keeps the
// kernel's output as NAME.kernel.txt (UPDATE=1 rewrites it); test/golden/ebtables/bridge.test.ts
// checks the simulator against those captures where no root is available.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { runOnSimulator } from './lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'ebtables');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));
const skip = kernelUnavailableReason();

describe.skipIf(skip !== undefined)('ebtables counters: kernel = simulator', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    const real = runOnKernel(script).output;
    if (process.env.UPDATE === '1') writeFileSync(join(dir, `${name}.kernel.txt`), real);
    expect(real).toBe(readFileSync(join(dir, `${name}.kernel.txt`), 'utf8'));
    expect(runOnSimulator(script).output).toBe(real);
  });
});
