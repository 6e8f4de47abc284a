// Seed 000's first experiment (a container pings 114.114.114.114 40 times through Docker 20.10's
// rules): its rule counters, as test/kernel/lib/seeds.ts lists them (kept under these names for
// the tests that import them).
import { SEEDS, missingSeedLines } from './seeds.ts';

const seed = SEEDS.find((s) => s.scenario === '000-seed000-ping-114')!;

export const SEED000_SCENARIO = seed.scenario;
export const SEED000_RULE_COUNTERS: readonly string[] = seed.lines;

/** The seed's lines missing from an output ([] when all are there). */
export function missingSeed000Lines(output: string): string[] {
  return missingSeedLines(output, seed);
}
