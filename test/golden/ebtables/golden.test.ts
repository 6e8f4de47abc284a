// Each NAME.sh here was run on the real iptables 1.8.9 of the build machine (nft and legacy;
// `bash test/kernel/lib/run-in-netns.sh NAME.sh`) and its output kept as NAME.out. The simulator
// must print the same bytes. test/kernel/iptables-formats.test.ts re-checks the .out files live.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runScript } from '../../unit/iptables/harness.ts';

const dir = dirname(fileURLToPath(import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));

/** The oracle runner drops iptables-save's date comments; so do we. */
export function stripDates(text: string): string {
  return text.split('\n').filter((l) => !/^# (Generated|Completed|Warning)/.test(l)).join('\n');
}

describe('ebtables output equals the real tool (goldens)', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    const got = stripDates(runScript(script));
    expect(got).toBe(readFileSync(join(dir, `${name}.out`), 'utf8'));
  });
});
