// xt_limit against kernel 6.18 captures (limit/*.kernel.txt): the whole output.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'limit');

test.each([
  // iptables-legacy's commit re-runs checkentry (bucket full again); iptables-nft's -A does not
  ['legacy-replace-refills', '[2:168] -A INPUT -p icmp -m limit --limit 1/min --limit-burst 1 -j ACCEPT'],
  // -Z replaces the rules under both backends
  ['zero-refills', '[1:84] -A OUTPUT -p icmp -m limit --limit 1/min --limit-burst 1 -j ACCEPT'],
])('%s equals the kernel capture', (name, sample) => {
  const want = readFileSync(join(dir, `${name}.kernel.txt`), 'utf8');
  expect(want).toContain(sample);
  // run-in-netns.sh drops iptables-save's comment lines (# Generated/Completed/Warning)
  const got = runOnSimulator(readFileSync(join(dir, `${name}.sh`), 'utf8')).output.replace(/^# (Generated|Completed|Warning).*\n/gm, '');
  expect(got).toBe(want);
});
