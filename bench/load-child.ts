// Child process of bench/run.ts: loads a ruleset file with the simulator's iptables-restore in a
// fresh session, then prints one JSON line: load time, this process's peak RSS (and its RSS
// before loading), the exit status and the start of the output.
import { readFileSync } from 'node:fs';
import { createSession } from '../src/scenario/index.ts';
import { restore } from './scripts.ts';

const [file, command = 'iptables-restore'] = process.argv.slice(2);
const ruleset = readFileSync(file!, 'utf8');
const session0 = createSession({ record: false });
session0.run('true');
const baseKB = process.resourceUsage().maxRSS;
const t0 = performance.now();
const session = createSession({ record: false });
const r = session.run(restore(ruleset, command));
const ms = performance.now() - t0;
const maxRssKB = process.resourceUsage().maxRSS;
process.stdout.write(JSON.stringify({ ms, maxRssKB, baseKB, exitCode: r.exitCode, output: r.output.slice(0, 400) }) + '\n');
