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
//
// Kernel noise from scheduling: when nc closes a TCP connection, the server's ACK of the client's
// FIN is a delayed ACK (40 ms) that normally rides on the server's own FIN (nc closes at once);
// on a heavily loaded machine the server process wakes too late and the ACK goes alone: one
// packet more. So a live run that differs from the recording is re-run (up to KERNEL_RETRIES more
// times: 4, or 6 where the oracle cannot raise its servers' priority, see lib/run-in-netns.sh)
// and the first run that equals the recording is the one the simulator is compared with.
// Recording (UPDATE=1) runs every scenario twice; a recording that one of the runs reproduces is
// kept as it is; otherwise, where the two runs differ, it takes the output most runs agree on.
// The simulator is always compared exactly; only the oracle's runs are retried.
import { beforeAll, describe, expect, test } from 'vitest';
import { kernelRetries, kernelUnavailableReason, runAllOnKernel, runOnKernelAsync } from './lib/oracle.ts';
import { type Scenario, comparable, listScenarios, readRecording, writeRecording } from './lib/scenarios.ts';
import { normalizeOutput, unifiedDiff } from './lib/normalize.ts';
import { runOnSimulator } from './lib/simulator.ts';
import { SEEDS, missingSeedLines } from './lib/seeds.ts';

const reason = kernelUnavailableReason();
const scenarios = listScenarios();
const update = process.env.UPDATE === '1';
const KERNEL_RETRIES = kernelRetries();

interface KernelRun {
  output: string;
  status: number;
  ms: number;
}

/** The run whose projection most runs share (the first such run), and how many share it. */
function mostCommon(s: Scenario, runs: KernelRun[], project: (s: Scenario, r: KernelRun) => string): { run: KernelRun; count: number } {
  const keys = runs.map((r) => project(s, r));
  let best = 0;
  let bestCount = 0;
  keys.forEach((k, i) => {
    const c = keys.filter((x) => x === k).length;
    if (c > bestCount) { best = i; bestCount = c; }
  });
  return { run: runs[best]!, count: bestCount };
}

describe.skipIf(reason !== undefined)('differential: real kernel vs simulator', () => {
  const kernel = new Map<string, KernelRun>();

  beforeAll(async () => {
    const project = (s: Scenario, r: KernelRun) => comparable(s, normalizeOutput(r.output), r.status);
    const results = await runAllOnKernel(scenarios, (s) => s.script);
    if (update) {
      const second = await runAllOnKernel(scenarios, (s) => s.script);
      for (const [i, s] of scenarios.entries()) {
        const runs = [results[i]!, second[i]!];
        // A recording that a live run still reproduces is kept as it is (no churn from noise).
        const prev = readRecording(s);
        const kept = prev && runs.find((r) => project(s, r) === comparable(s, prev.normalized, prev.status));
        if (kept) {
          results[i] = kept;
          continue;
        }
        while (project(s, runs[0]!) !== project(s, runs[1]!) && runs.length < 5 && mostCommon(s, runs, project).count * 2 <= runs.length) {
          runs.push(await runOnKernelAsync(s.script));
        }
        const chosen = mostCommon(s, runs, project).run;
        results[i] = chosen;
        writeRecording(s, chosen.output, chosen.status);
      }
    }
    for (const [i, s] of scenarios.entries()) {
      let run = results[i]!;
      const rec = readRecording(s);
      if (rec) {
        const recorded = comparable(s, rec.normalized, rec.status);
        for (let k = 0; k < KERNEL_RETRIES && project(s, run) !== recorded; k++) {
          const again = await runOnKernelAsync(s.script);
          console.warn(`[differential] ${s.name}: the live kernel differed from the recording; run again: ${project(s, again) === recorded ? 'now equal' : 'still differs'}`);
          if (project(s, again) === recorded) run = again;
        }
      }
      kernel.set(s.name, run);
    }
  }, 900_000);

  test.skipIf(process.env.PACKETWALK_SCENARIOS !== undefined)('there are at least 30 routed and 15 bridged scenarios', () => {
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

  const seeds = SEEDS.filter((seed) => scenarios.some((s) => s.name === seed.scenario));
  test.each(seeds.map((seed) => [seed.what, seed] as const))('%s: the kernel gives the seed\'s counters', (_what, seed) => {
    expect(missingSeedLines(kernel.get(seed.scenario)!.output, seed)).toEqual([]);
  });
});
