// The goldens of test/golden/iptables are the real tool's output: re-run them on this machine's
// iptables 1.8.9 (nft and legacy) in a private netns and check they still hold. UPDATE=1 rewrites
// them from the oracle (review the diff: the simulator must then follow).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { runScript, session } from '../unit/iptables/harness.ts';
import { CHECKENTRY_CASES } from '../unit/userland/checkentry-cases.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../golden/iptables');
const cases = readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => f.slice(0, -3));
const skip = kernelUnavailableReason();
const strip = (t: string): string => t.split('\n').filter((l) => !/^# (Generated|Completed|Warning)/.test(l)).join('\n');

describe.skipIf(skip !== undefined)('iptables listing formats: real tool = golden = simulator', () => {
  test.each(cases)('%s', (name) => {
    const script = readFileSync(join(dir, `${name}.sh`), 'utf8');
    const real = runOnKernel(script).output;
    const file = join(dir, `${name}.out`);
    if (process.env.UPDATE === '1') writeFileSync(file, real);
    expect(real).toBe(readFileSync(file, 'utf8'));
    expect(strip(runScript(script))).toBe(real);
  });
});

// The kernel's log lines for refused rules: run each case's commands after a marker written to
// /dev/kmsg, keep the netfilter lines logged after it, and compare with the simulator's. The
// kernel rate-limits these lines (10 per call site per 5 s, machine-wide): when a line is missing
// the case waits the interval out and runs again.
describe.skipIf(skip !== undefined)('iptables: checkentry log lines, real kernel = simulator', () => {
  test.each(CHECKENTRY_CASES)('$name', ({ commands, dmesg }) => {
    const mark = `packetwalk-checkentry-${process.pid}-${Math.floor(performance.now())}`;
    const script = [
      `echo ${mark} > /dev/kmsg`,
      ...commands.map((c) => `${c} >/dev/null 2>&1 || true`),
      `dmesg | sed -n '/${mark}/,$p' | sed -E 's/^\\[[^]]*\\] //' | grep -E '^(x_tables|ipt_|xt_)' | grep -v 'callbacks suppressed' || true`,
    ].join('\n');
    let real: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) spawnSync('sleep', ['6']);
      real = runOnKernel(script).output.split('\n').filter((l) => l !== '');
      if (real.length >= dmesg.length) break;
    }
    expect(real).toEqual(dmesg);
    const s = session();
    for (const c of commands) s.run(c);
    expect(s.kernel.dmesg.map((l) => l.line)).toEqual(real);
  });
});
