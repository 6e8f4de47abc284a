// ebtables --log lines (ebt_log_packet's format) against a kernel capture: the script's last line
// strips dmesg timestamps with sed, which the simulator's shell does not have, so the simulator
// runs it with a plain `dmesg | grep` and the timestamps are stripped here. Ephemeral ports vary.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'log');
const norm = (t: string): string =>
  t.replace(/^\[[ 0-9.]*\] /gm, '').replace(/SPT=\d+/g, 'SPT=N').replace(/ ID=\d+/g, ' ID=N');

test('ebt_log lines equal the kernel capture', () => {
  const script = readFileSync(join(dir, 'ebt-log-lines.sh'), 'utf8').replace(/\| sed .*$/m, '');
  const want = readFileSync(join(dir, 'ebt-log-lines.kernel.txt'), 'utf8');
  expect(want).toContain('MAC source = 02:42:ac:12:00:02');
  expect(norm(runOnSimulator(script).output)).toBe(norm(want));
});

// Seed 001's three experiments: seed001.test.ts.
