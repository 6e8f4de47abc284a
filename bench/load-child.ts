// Child process of bench/run.ts: loads a ruleset file with the simulator's iptables-restore in a
// fresh session, then prints one JSON line: the first (cold) load's wall time and main-thread CPU
// time, this process's peak RSS after it (and its RSS before loading), the exit status and the
// start of the output; then, when WARM > 0, the best wall time of WARM more loads of the same file
// in fresh sessions of this process (the restore path already compiled by the JIT, as in a page
// build that runs many scenarios).
import { readFileSync } from 'node:fs';
import { createSession } from '../src/scenario/index.ts';
import { restore } from './scripts.ts';

const [file, command = 'iptables-restore', warmArg = '0'] = process.argv.slice(2);
const ruleset = readFileSync(file!, 'utf8');
const session0 = createSession({ record: false });
session0.run('true');
const baseKB = process.resourceUsage().maxRSS;
const cpu0 = process.threadCpuUsage();
const t0 = performance.now();
const session = createSession({ record: false });
const r = session.run(restore(ruleset, command));
const ms = performance.now() - t0;
const cpu1 = process.threadCpuUsage();
const cpuMs = (cpu1.user - cpu0.user + cpu1.system - cpu0.system) / 1000;
const maxRssKB = process.resourceUsage().maxRSS;
let warmMs: number | undefined;
for (let i = 0; i < Number(warmArg); i++) {
  const t1 = performance.now();
  const rw = createSession({ record: false }).run(restore(ruleset, command));
  const w = performance.now() - t1;
  if (rw.exitCode !== r.exitCode) throw new Error(`warm load ${i}: exit ${rw.exitCode} (cold load: ${r.exitCode})`);
  warmMs = Math.min(warmMs ?? Infinity, w);
}
process.stdout.write(JSON.stringify({ ms, cpuMs, warmMs, maxRssKB, baseKB, exitCode: r.exitCode, output: r.output.slice(0, 400) }) + '\n');
