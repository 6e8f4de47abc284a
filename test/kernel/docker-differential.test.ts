// Differential tests for dockerd's model: each script in test/kernel/docker/scenarios is written
// with docker commands and traffic (external host → published port, container → WAN, container →
// another network, container → the host's published port, routed mode, direct access…).
//   kernel side: the docker lines are replaced by their expansion (src/docker) and the script runs
//                on the real kernel; its normalised output is recorded beside it
//                (NNN-name.kernel.txt, rewritten with UPDATE=1);
//   simulator:   the same script, docker commands and all, runs in a packetwalk session;
// counters, policies and conntrack entries must be equal (test/kernel/lib/normalize.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runAllOnKernel } from './lib/oracle.ts';
import { formatRecording } from './lib/scenarios.ts';
import { normalizeOutput, project, unifiedDiff } from './lib/normalize.ts';
import { createSession } from '../../src/scenario/index.ts';
import { expandScenario, kernelPrelude } from './docker/lib.ts';
import { resolveDockerVersion } from '../../src/docker/index.ts';

const DIR = new URL('./docker/scenarios/', import.meta.url).pathname;
const reason = kernelUnavailableReason();
const update = process.env.UPDATE === '1';

interface DockerScenario {
  name: string;
  script: string;
  version: string;
  kernelFile: string;
}

const scenarios: DockerScenario[] = readdirSync(DIR)
  .filter((f) => /^\d{3}-[a-z0-9-]+\.sh$/.test(f))
  .sort()
  .map((f) => {
    const script = readFileSync(join(DIR, f), 'utf8');
    const version = /^# docker-version: (\S+)$/m.exec(script)?.[1];
    if (!version) throw new Error(`${f}: missing "# docker-version: V" header`);
    const name = f.replace(/\.sh$/, '');
    return { name, script, version, kernelFile: join(DIR, `${name}.kernel.txt`) };
  })
  .filter((s) => !process.env.PACKETWALK_SCENARIOS || process.env.PACKETWALK_SCENARIOS.split(',').some((p) => s.name.startsWith(p)));

/** The script the real kernel runs: docker lines expanded, as a fresh namespace would see them. */
export function kernelScript(s: DockerScenario): string {
  return kernelPrelude() + expandScenario(s.script, { dockerVersion: s.version, seed: 1, ipForward: '0' }).script;
}

function simulate(s: DockerScenario): { output: string; status: number; error?: string } {
  const session = createSession({ file: `${s.name}.sh`, seed: 1, dockerVersion: s.version });
  try {
    const r = session.run(s.script);
    return { output: r.output + session.end(), status: r.exitCode };
  } catch (e) {
    const err = e as Error & { output?: string };
    return { output: `${err.output ?? ''}\n[simulator] ${err.message}\n`, status: -1, error: err.message };
  }
}

// Every scenario creates docker0, whose IGMP reports are kernel noise (see normalize.ts).
const comparable = (normalized: string, status: number) => `exit status: ${status}\n${project(normalized, { bridged: true })}`;

describe('docker differential scenarios', () => {
  test('at least 15 scripts over at least 4 layouts', () => {
    if (process.env.PACKETWALK_SCENARIOS) return;
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
    expect(new Set(scenarios.map((s) => resolveDockerVersion(s.version).layout)).size).toBeGreaterThanOrEqual(4);
  });
});

describe.skipIf(reason !== undefined)('docker differential: real kernel vs simulator', () => {
  const kernel = new Map<string, { output: string; status: number }>();

  beforeAll(async () => {
    const results = await runAllOnKernel(scenarios, kernelScript);
    scenarios.forEach((s, i) => {
      kernel.set(s.name, results[i]!);
      if (update) writeFileSync(s.kernelFile, formatRecording(normalizeOutput(results[i]!.output), results[i]!.status));
    });
  }, 900_000);

  test.each(scenarios.map((s) => [s.name, s] as const))('%s: runs cleanly on the kernel and matches its recording', (_n, s) => {
    const k = kernel.get(s.name)!;
    expect(k.status, `kernel run failed:\n${k.output}`).toBe(0);
    expect(existsSync(s.kernelFile), `${s.kernelFile} missing: record it with UPDATE=1`).toBe(true);
    const text = readFileSync(s.kernelFile, 'utf8').split('\n');
    const recorded = comparable(text.slice(2).join('\n'), Number(/-?\d+/.exec(text[1] ?? '')?.[0]));
    const diff = unifiedDiff(recorded, comparable(normalizeOutput(k.output), k.status), ['recorded', 'live kernel']);
    if (diff) throw new Error(`the live kernel no longer gives the recorded output:\n${diff}`);
  });

  test.each(scenarios.map((s) => [s.name, s] as const))('%s: simulator equals the kernel', (_n, s) => {
    const k = kernel.get(s.name)!;
    const sim = simulate(s);
    const diff = unifiedDiff(comparable(normalizeOutput(k.output), k.status), comparable(normalizeOutput(sim.output), sim.status));
    if (diff) throw new Error(`${s.name}: simulator differs from the kernel${sim.error ? ` (${sim.error})` : ''}\n${diff}`);
  });
});
