// The goldens of test/golden/ipset are the real ipset v7.17's (and iptables 1.8.9's) output:
// re-run them in a private netns and check they still hold, initval aside (random per set).
// UPDATE=1 rewrites them from the oracle (review the diff: the simulator must then follow).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { runScript } from '../unit/iptables/harness.ts';
import { tools as ipset } from '../../src/userland/ipset.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../golden/ipset');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));
const skip = kernelUnavailableReason();
const mask = (t: string): string => t.replace(/initval 0x[0-9a-f]{8}/g, 'initval 0xXXXXXXXX');

describe.skipIf(skip !== undefined)('ipset formats: real tool = golden = simulator', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    const real = runOnKernel(script).output;
    const file = join(dir, `${name}.out`);
    if (process.env.UPDATE === '1') writeFileSync(file, real);
    expect(mask(real)).toBe(mask(readFileSync(file, 'utf8')));
    expect(mask(runScript(script, ipset))).toBe(mask(real));
  });
});
