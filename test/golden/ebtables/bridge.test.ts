// The simulator against the kernel captures of test/kernel/ebtables (bridged traffic, ebtables
// counters): runs without root.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../kernel/ebtables');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));

describe('ebtables counters on bridged traffic equal the kernel captures', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    expect(runOnSimulator(script).output).toBe(readFileSync(join(dir, `${name}.kernel.txt`), 'utf8'));
  });
});
