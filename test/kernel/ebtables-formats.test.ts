// The goldens of test/golden/iptables are the real tool's output: re-run them on this machine's
// iptables 1.8.9 (nft and legacy) in a private netns and check they still hold. UPDATE=1 rewrites
// them from the oracle (review the diff: the simulator must then follow).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { runScript } from '../unit/iptables/harness.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../golden/ebtables');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));
const skip = kernelUnavailableReason();
const strip = (t: string): string => t.split('\n').filter((l) => !/^# (Generated|Completed|Warning)/.test(l)).join('\n');

describe.skipIf(skip !== undefined)('ebtables listing formats: real tool = golden = simulator', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    const real = runOnKernel(script).output;
    const file = join(dir, `${name}.out`);
    if (process.env.UPDATE === '1') writeFileSync(file, real);
    expect(real).toBe(readFileSync(file, 'utf8'));
    expect(strip(runScript(script))).toBe(real);
  });
});
