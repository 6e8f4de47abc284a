// The stack's traffic cases re-measured on the real kernel: each case's topology and commands
// run in network namespaces with a match-all mangle rule in every chain the case counts; the
// rule counters must equal the counters the simulator produces (test/unit/stack/cases.ts).
//
// Timing: a background server is waited for until it listens (ss), not for a fixed time; the
// counters are read 0.3 s after the last command (a TCP teardown's delayed ACK takes 40 ms).
// When nc or curl closes a connection, the server's ACK of the client's FIN is a delayed ACK that
// normally rides on the server's own FIN; on a loaded machine the server can wake after the
// 40 ms timer and the ACK goes alone (one packet more). So, as in differential.test.ts, a live
// run whose counters (and exact output) differ from the case's recorded ones is re-run up to
// KERNEL_RETRIES more times, and the simulator is compared with the run that reproduces them.
// The simulator is always compared exactly; only the oracle's runs are retried.
import { describe, expect, test } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelRetries, kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { CASES, ORACLE_WORLDS, type Case } from '../unit/stack/cases.ts';
import { hookCount, runTool } from '../unit/stack/harness.ts';
import { TOOLS } from '../unit/stack/cases.ts';
import { TCP_FIXTURES, fixtureScript, kernelScript, normaliseCapture, recordedKernel } from '../unit/stack/tcp-window.ts';
import { runOnSimulator } from './lib/simulator.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const reason = kernelUnavailableReason();
const KERNEL_RETRIES = kernelRetries();

/** Shell function: wait (at most 10 s) until NS has a listening TCP / bound UDP socket [on PORT]. */
const WAIT_LISTEN = `waitlisten() {
  for _ in $(seq 200); do
    if [ -n "$1" ]; then ip netns exec "$1" ss -Hln"$2" \${3:+"sport = :$3"}; else ss -Hln"$2" \${3:+"sport = :$3"}; fi | grep -q . && return 0
    sleep 0.05
  done
  echo "waitlisten: no $2 listener\${3:+ on port $3} in netns '$1' after 10 s"
}`;

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function inNs(ns: string, cmd: string): string {
  return ns === '' ? cmd : `ip netns exec ${ns} ${cmd}`;
}

function script(c: Case): string {
  const o = c.oracle as { world: keyof typeof ORACLE_WORLDS; setup?: string[] };
  const lines = [WAIT_LISTEN, ORACLE_WORLDS[o.world]];
  for (const l of o.setup ?? []) {
    lines.push(l.replace('FIXTURES', FIXTURES));
    // A server started by the setup (`ip netns exec NS python3 … &`): wait until NS listens.
    const bg = /^ip netns exec (\S+) .*&$/.exec(l);
    if (bg) lines.push(`waitlisten ${bg[1]} t`);
  }
  const chains = new Map<string, Set<string>>();
  for (const [ns, hook] of c.counters) {
    if (!chains.has(ns)) chains.set(ns, new Set());
    chains.get(ns)!.add(hook);
  }
  for (const [ns, hooks] of chains) for (const h of hooks) lines.push(inNs(ns, `iptables -t mangle -A ${h}`));
  c.steps.forEach((s, i) => {
    const cmd = inNs(s.ns, s.argv.map(q).join(' '));
    const last = i === c.steps.length - 1;
    if (s.background) {
      const port = s.argv[s.argv.indexOf('-p') + 1];
      const udp = s.argv.some((a) => /^-[a-zA-Z]*u/.test(a));
      lines.push(`${cmd} >/dev/null &`, `waitlisten '${s.ns}' ${udp ? 'u' : 't'} ${s.argv.includes('-p') ? port : ''}`);
    }
    else lines.push(`${s.stdin !== undefined ? `printf %s ${q(s.stdin)} | ` : ''}${cmd} ${last ? '' : '>/dev/null 2>&1 '}|| echo "rc=$?"`);
  });
  lines.push('sleep 0.3');
  for (const ns of chains.keys()) lines.push(`echo "== ns:${ns}"`, inNs(ns, 'iptables-save -t mangle -c'));
  return lines.join('\n') + '\n';
}

function parseCounters(out: string): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  let ns = '';
  for (const line of out.split('\n')) {
    const h = /^== ns:(.*)$/.exec(line);
    if (h) ns = h[1];
    const r = /^\[(\d+):(\d+)\] -A (\S+)$/.exec(line);
    if (r) m.set(`${ns}/${r[3]}`, [Number(r[1]), Number(r[2])]);
  }
  return m;
}

const ORACLE_CASES = CASES.filter((c) => c.oracle);

/** The output the case's last command printed on the kernel (what `exactOutput` compares). */
function printedByLastStep(output: string): string {
  const head = output.slice(0, output.search(/^== ns:/m));
  return head.replace(/^rc=\d+\n/m, '');
}

/** Whether a kernel run gives the counters (and exact output) recorded in the case. */
function reproducesCase(c: Case, output: string): boolean {
  const kernel = parseCounters(output);
  if (c.exactOutput && printedByLastStep(output) !== c.output) return false;
  return c.counters.every(([ns, hook, p, b]) => {
    const k = kernel.get(`${ns}/${hook}`);
    return k !== undefined && k[0] === p && k[1] === b;
  });
}

describe.skipIf(reason !== undefined)('stack traffic against the real kernel', () => {
  test.each(ORACLE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let { output } = runOnKernel(script(c));
    for (let k = 0; k < KERNEL_RETRIES && !reproducesCase(c, output); k++) {
      console.warn(`[stack oracle] ${c.name}: the live kernel differed from the recorded counters; running it again`);
      output = runOnKernel(script(c)).output;
    }
    const kernel = parseCounters(output);
    const k = c.world();
    c.setup?.(k);
    const start = k.events.length;
    for (const s of c.steps) runTool(TOOLS[s.argv[0]], k, s.ns, s.argv, { stdin: s.stdin, background: s.background });
    if (c.exactOutput) expect(printedByLastStep(output)).toBe(c.output);
    for (const [ns, hook] of c.counters) {
      expect([ns, hook, ...(kernel.get(`${ns}/${hook}`) ?? [NaN, NaN])], output).toEqual([ns, hook, ...hookCount(k, ns, hook, start)]);
    }
  });
});

// TCP segments as tcpdump shows them (test/unit/stack/tcp-window.ts): windows, window scale, MSS
// and lengths of the simulator's segments equal a live kernel capture of the same script (over a
// veth, over lo, through MASQUERADE). A run that differs from the recording (the server's ACK of
// the FIN leaving alone under load) is re-run, as above.
describe.skipIf(reason !== undefined)('TCP segments against a live tcpdump capture', () => {
  test.each(TCP_FIXTURES.map((n) => [n]))('%s', (name) => {
    const recorded = normaliseCapture(recordedKernel(name));
    let run = runOnKernel(kernelScript(fixtureScript(name)));
    for (let k = 0; k < KERNEL_RETRIES && normaliseCapture(run.output) !== recorded; k++) run = runOnKernel(kernelScript(fixtureScript(name)));
    const sim = runOnSimulator(fixtureScript(name), `${name}.sh`);
    expect(run.status).toBe(0);
    expect(normaliseCapture(sim.output)).toBe(normaliseCapture(run.output));
  });
});
