// The differential scenarios without root: the simulator against the real kernel's recorded
// output (test/kernel/scenarios/NNN-name.kernel.txt, written by
// `UPDATE=1 npx vitest run --project kernel test/kernel/differential.test.ts`). What is compared
// and normalised: test/kernel/lib/normalize.ts. The live comparison is test/kernel/differential.test.ts.
import { describe, expect, test } from 'vitest';
import { comparable, listScenarios, readRecording } from '../../kernel/lib/scenarios.ts';
import { normalizeOutput, unifiedDiff } from '../../kernel/lib/normalize.ts';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';
import { SEEDS, missingSeedLines } from '../../kernel/lib/seeds.ts';

const scenarios = listScenarios();

describe('differential: simulator vs recorded kernel output', () => {
  test.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const rec = readRecording(s);
    expect(rec, `${s.kernelFile} is missing: record it as root with UPDATE=1 npx vitest run --project kernel test/kernel/differential.test.ts`).toBeDefined();
    const sim = runOnSimulator(s.script, `${s.name}.sh`);
    const expected = comparable(s, rec!.normalized, rec!.status);
    const actual = comparable(s, normalizeOutput(sim.output), sim.status);
    const diff = unifiedDiff(expected, actual);
    if (diff) throw new Error(`${s.name}: simulator differs from the recorded kernel output${sim.error ? ` (${sim.error})` : ''}\n${diff}`);
  });

  const seeds = SEEDS.filter((seed) => scenarios.some((s) => s.name === seed.scenario));
  test.each(seeds.map((seed) => [seed.what, seed] as const))('%s: the simulator gives the seed\'s counters exactly', (_what, seed) => {
    const s = scenarios.find((x) => x.name === seed.scenario)!;
    const sim = runOnSimulator(s.script, `${s.name}.sh`);
    expect(sim.error).toBeUndefined();
    expect(missingSeedLines(sim.output, seed)).toEqual([]);
  });

  test.each(seeds.map((seed) => [seed.what, seed] as const))('%s: the recorded kernel output has the seed\'s counters', (_what, seed) => {
    const s = scenarios.find((x) => x.name === seed.scenario)!;
    expect(missingSeedLines(readRecording(s)!.normalized, seed)).toEqual([]);
  });
});
