// Seeds 000, 003 and 004, written with docker commands (test/kernel/docker/seeds), run in the
// simulator: the seeds' rules and counters (the same checks as on the real kernel in
// test/kernel/docker-seeds.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CASES, SEEDS_DIR, seedVersion } from '../../kernel/docker/seeds.ts';
import { createSession } from '../../../src/scenario/index.ts';

describe('seeds written with docker commands: simulator', () => {
  test.each(CASES)('$file', ({ file, check }) => {
    const script = readFileSync(SEEDS_DIR + file, 'utf8');
    const session = createSession({ file, seed: 1, dockerVersion: seedVersion(script) });
    const r = session.run(script);
    expect(r.exitCode, r.output).toBe(0);
    check(r.output + session.end());
  });
});
