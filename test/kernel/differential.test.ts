// The differential suite (issues 2 and 3): every scenario script in test/kernel/scenarios runs on
// the real kernel (network namespaces, at most PACKETWALK_KERNEL_JOBS=2 at a time) and in the
// simulator; their rule counters, PREROUTING/INPUT/FORWARD (and, without a bridge, OUTPUT/
// POSTROUTING) policy counters, conntrack entries and ebtables counters must be equal
// (test/kernel/lib/normalize.ts says exactly what is compared and what is normalised).
//
//   UPDATE=1 npx vitest run --project kernel test/kernel/differential.test.ts
// rewrites NNN-name.kernel.txt beside each script from the live kernel; the unit suite
// (test/unit/differential) compares the simulator with those recordings on machines without root.
// PACKETWALK_SCENARIOS=000,104 limits the run to scenarios whose names start with those prefixes.
import { beforeAll, describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runAllOnKernel } from './lib/oracle.ts';
import { comparable, listScenarios, readRecording, writeRecording } from './lib/scenarios.ts';
import { normalizeOutput, unifiedDiff } from './lib/normalize.ts';
import { runOnSimulator } from './lib/simulator.ts';
import { SEED000_SCENARIO, missingSeed000Lines } from './lib/seed000.ts';

const reason = kernelUnavailableReason();
const scenarios = listScenarios();
const update = process.env.UPDATE === '1';

describe.skipIf(reason !== undefined)('differential: real kernel vs simulator', () => {
  const kernel = new Map<string, { output: string; status: number; ms: number }>();

  beforeAll(async () => {
    const results = await runAllOnKernel(scenarios, (s) => s.script);
    scenarios.forEach((s, i) => {
      kernel.set(s.name, results[i]!);
      if (update) writeRecording(s, results[i]!.output, results[i]!.status);
    });
  }, 900_000);

  test('there are at least 30 routed and 15 bridged scenarios', () => {
    if (process.env.PACKETWALK_SCENARIOS) return;
    const bridgedTraffic = scenarios.filter((s) => /^1\d\d-/.test(s.name));
    expect(scenarios.length - bridgedTraffic.length).toBeGreaterThanOrEqual(30);
    expect(bridgedTraffic.length).toBeGreaterThanOrEqual(15);
  });

  test.each(scenarios.map((s) => [s.name, s] as const))('%s: the script runs cleanly on the kernel and matches its recording', (_name, s) => {
    const k = kernel.get(s.name)!;
    expect(k.status, `kernel run failed:\n${k.output}`).toBe(0);
    const live = comparable(s, normalizeOutput(k.output), k.status);
    const rec = readRecording(s);
    expect(rec, `${s.kernelFile} is missing: record it with UPDATE=1`).toBeDefined();
    const recorded = comparable(s, rec!.normalized, rec!.status);
    const diff = unifiedDiff(recorded, live, ['recorded .kernel.txt', 'live kernel']);
    if (diff) throw new Error(`the live kernel no longer gives the recorded output (re-record with UPDATE=1 if the change is expected):\n${diff}`);
  });

  test.each(scenarios.map((s) => [s.name, s] as const))('%s: simulator equals the kernel', (_name, s) => {
    const k = kernel.get(s.name)!;
    const sim = runOnSimulator(s.script, `${s.name}.sh`);
    const expected = comparable(s, normalizeOutput(k.output), k.status);
    const actual = comparable(s, normalizeOutput(sim.output), sim.status);
    const diff = unifiedDiff(expected, actual);
    if (diff) throw new Error(`${s.name}: simulator differs from the kernel${sim.error ? ` (${sim.error})` : ''}\n${diff}`);
  });

  test.skipIf(!scenarios.some((s) => s.name === SEED000_SCENARIO))('seed 000: the kernel gives the seed\'s counters', () => {
    expect(missingSeed000Lines(kernel.get(SEED000_SCENARIO)!.output)).toEqual([]);
  });
});
