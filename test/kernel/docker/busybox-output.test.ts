// What commands print inside busybox-based containers, against the real busybox: the docker
// differential suite (../docker-differential.test.ts) compares counters and conntrack only, so
// here the scenarios whose containers run busybox's ping or ip compare their whole command output
// (everything before the first iptables-save table) with the kernel's recording: busybox ping's
// layout (seq from 0, integer loss, `round-trip min/avg/max`), busybox ip's (no state/group,
// `eth0@ifN` with the ifindex dockerd leaves: moved from the host before 28, made in the container
// from 28). The recordings are the live kernel's (UPDATE=1 in the differential suite); with the
// kernel available, a live run is compared too.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';
import { normalizeOutput, unifiedDiff } from '../lib/normalize.ts';
import { kernelUnavailableReason, runOnKernelAsync } from '../lib/oracle.ts';
import { expandScenario, kernelPrelude } from './lib.ts';

const DIR = new URL('./scenarios/', import.meta.url).pathname;

/** The scenarios whose containers print busybox output (ping or ip through busybox). */
const scenarios = readdirSync(DIR)
  .filter((f) => /^\d{3}-[a-z0-9-]+\.sh$/.test(f))
  .sort()
  .map((f) => {
    const script = readFileSync(join(DIR, f), 'utf8');
    return { name: f.replace(/\.sh$/, ''), script, version: /^# docker-version: (\S+)$/m.exec(script)![1]! };
  })
  .filter((s) => /^docker exec \S+ (ping|ip) /m.test(s.script));

/** Command output up to the first table of an iptables-save (those are compared by the differential suite). */
function commandOutput(normalized: string): string {
  const lines = normalized.split('\n');
  const end = lines.findIndex((l) => /^\*(raw|mangle|nat|filter)$/.test(l));
  return lines.slice(0, end < 0 ? undefined : end).join('\n');
}

function recorded(name: string): string {
  return readFileSync(join(DIR, `${name}.kernel.txt`), 'utf8').split('\n').slice(2).join('\n');
}

function simulate(s: (typeof scenarios)[number]): string {
  const session = createSession({ file: `${s.name}.sh`, seed: 1, dockerVersion: s.version });
  const r = session.run(s.script);
  return r.output + session.end();
}

describe('busybox applets in containers print what busybox prints', () => {
  test('the scenarios cover busybox ping and ip on a layout before and after Docker 28', () => {
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['260-l3-busybox-ip-and-ping', '261-l8-alpine-ip-and-ping-wan']));
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  test.each(scenarios.map((s) => [s.name, s] as const))('%s: the simulator prints the recorded kernel output', (_n, s) => {
    const diff = unifiedDiff(commandOutput(recorded(s.name)), commandOutput(normalizeOutput(simulate(s))), ['kernel (recorded)', 'simulator']);
    if (diff) throw new Error(diff);
  });

  const reason = kernelUnavailableReason();
  test.skipIf(reason !== undefined).each(scenarios.filter((s) => s.name.startsWith('26')).map((s) => [s.name, s] as const))('%s: the live kernel still prints the recording', async (_n, s) => {
    const live = await runOnKernelAsync(kernelPrelude() + expandScenario(s.script, { dockerVersion: s.version, seed: 1, ipForward: '0' }).script);
    expect(live.status).toBe(0);
    const diff = unifiedDiff(commandOutput(recorded(s.name)), commandOutput(normalizeOutput(live.output)), ['recorded', 'live kernel']);
    if (diff) throw new Error(diff);
  });
});
