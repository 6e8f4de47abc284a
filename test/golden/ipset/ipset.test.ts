// Each NAME.sh here was run with the real ipset v7.17 and iptables 1.8.9 of the build machine
// (`bash test/kernel/lib/run-in-netns.sh NAME.sh > NAME.out`); the simulator must print the same
// bytes, except the sets' initval (the kernel draws it at random, the simulator from its seed).
// Members are listed in hash order (jhash2 with initval): scripts that list several members fix
// initval at create (hash-order.sh). test/kernel/ipset-formats.test.ts re-checks the .out files live.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runScript } from '../../unit/iptables/harness.ts';
import { tools as ipset } from '../../../src/userland/ipset.ts';

const dir = dirname(fileURLToPath(import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));

export const maskInitval = (t: string): string => t.replace(/initval 0x[0-9a-f]{8}/g, 'initval 0xXXXXXXXX');

describe('ipset output equals the real tool (goldens)', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    expect(maskInitval(runScript(script, ipset))).toBe(maskInitval(readFileSync(join(dir, `${name}.out`), 'utf8')));
  });
});
