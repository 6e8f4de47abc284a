// xt_set against kernel 6.18 captures (set/*.kernel.txt): the whole output.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'set');

test.each([
  // the ping to 127.0.0.2 (request and reply on lo) is in i; `! --match-set i src,dst` reads src only
  ['match-directions', '       6      504            0    --  *      *       0.0.0.0/0            0.0.0.0/0            ! match-set i src,dst'],
])('%s equals the kernel capture', (name, sample) => {
  const want = readFileSync(join(dir, `${name}.kernel.txt`), 'utf8');
  expect(want).toContain(sample);
  expect(runOnSimulator(readFileSync(join(dir, `${name}.sh`), 'utf8')).output).toBe(want);
});
