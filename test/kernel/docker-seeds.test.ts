// Seeds 000, 003 and 004, written with docker commands (test/kernel/docker/seeds): the rules and
// counters the seeds show must come out on the real kernel (docker lines expanded). The same
// checks run in the simulator in test/golden/docker/seeds.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { expandScenario, kernelPrelude } from './docker/lib.ts';
import { CASES, SEEDS_DIR, seedVersion } from './docker/seeds.ts';

const reason = kernelUnavailableReason();

describe.skipIf(reason !== undefined)('seeds written with docker commands: real kernel', () => {
  test.each(CASES)('$file', ({ file, check }) => {
    const script = readFileSync(SEEDS_DIR + file, 'utf8');
    const r = runOnKernel(kernelPrelude() + expandScenario(script, { dockerVersion: seedVersion(script), seed: 1, ipForward: '0' }).script);
    expect(r.status, r.output).toBe(0);
    check(r.output);
  });
});
