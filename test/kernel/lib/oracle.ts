// The real kernel as the oracle: run a scenario script in network namespaces and return what it
// printed. Kernel tests call `kernelAvailable()` first: in CI (PACKETWALK_REQUIRE_KERNEL=1) a
// missing kernel/tool is a hard failure; on a laptop without root the suite skips, visibly.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, 'run-in-netns.sh');
const REQUIRED_TOOLS = ['iptables', 'iptables-save', 'iptables-restore', 'iptables-legacy', 'ebtables', 'bridge', 'conntrack', 'ip', 'ping', 'nc', 'unshare'];

let cached: string | undefined | null = null;

/** Returns undefined when the kernel oracle can run here, or the reason it cannot. */
export function kernelUnavailableReason(): string | undefined {
  if (cached !== null) return cached;
  cached = undefined;
  if (process.getuid?.() !== 0) cached = 'not root';
  else {
    const missing = REQUIRED_TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
    if (missing.length) cached = `missing tools: ${missing.join(', ')}`;
    else if (spawnSync('unshare', ['--net', 'true']).status !== 0) cached = 'cannot create network namespaces';
  }
  if (cached && process.env.PACKETWALK_REQUIRE_KERNEL === '1') {
    throw new Error(`PACKETWALK_REQUIRE_KERNEL=1 but the kernel oracle cannot run: ${cached}`);
  }
  if (cached) console.warn(`[packetwalk] skipping real-kernel tests: ${cached}`);
  else if (oraclePriority() === 'none') {
    console.warn(`[packetwalk] the kernel oracle cannot raise its servers' priority (chrt -f / nice -n -20 refused, or PACKETWALK_ORACLE_PRIORITY=none): on a loaded machine a server may close late (one TCP packet more); runs that differ from their recording are retried up to ${kernelRetries()} times`);
  }
  return cached;
}

let priority: 'rt' | 'nice' | 'none' | undefined;

/**
 * How run-in-netns.sh raises the programs that serve or wait on sockets (nc, python3, curl,
 * xtables-monitor): real-time (chrt -f 1), nice -20, or not at all. The same checks as the
 * script's, in the same order (PACKETWALK_ORACLE_PRIORITY forces one).
 */
export function oraclePriority(): 'rt' | 'nice' | 'none' {
  if (priority) return priority;
  const want = process.env.PACKETWALK_ORACLE_PRIORITY ?? '';
  if (want !== 'none' && want !== 'nice' && spawnSync('chrt', ['-f', '1', 'true']).status === 0) priority = 'rt';
  else if (want !== 'none' && spawnSync('nice', ['-n', '-20', 'nice'], { encoding: 'utf8' }).stdout?.trim() === '-20') priority = 'nice';
  else priority = 'none';
  return priority;
}

/**
 * How many more times a differential test re-runs a scenario whose live kernel output differs
 * from its recording (scheduling noise: see differential.test.ts). With the servers raised the
 * noise is rare (4 more runs at most); without it a loaded machine gives it often (6).
 */
export function kernelRetries(): number {
  return oraclePriority() === 'none' ? 6 : 4;
}

/** Runs SCRIPT on the real kernel; returns stdout+stderr and the exit status. */
export function runOnKernel(script: string): { output: string; status: number } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-kernel-'));
  const file = join(dir, 'scenario.sh');
  writeFileSync(file, script);
  const r = spawnSync('bash', [runner, file], { encoding: 'utf8', timeout: 120_000 });
  return { output: (r.stdout ?? '') + (r.stderr ?? ''), status: r.status ?? -1 };
}

export function iptablesVersion(): string {
  return execFileSync('iptables', ['--version'], { encoding: 'utf8' }).trim();
}

/** Runs SCRIPT on the real kernel without blocking the event loop (for a pool of parallel runs). */
export function runOnKernelAsync(script: string, timeoutMs = 120_000): Promise<{ output: string; status: number; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-kernel-'));
  const file = join(dir, 'scenario.sh');
  writeFileSync(file, script);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn('bash', [runner, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output, status: code ?? -1, ms: performance.now() - t0 });
    });
  });
}

/** Runs many scripts on the real kernel, at most `parallel` at a time; results in input order. */
export async function runAllOnKernel<T>(items: T[], script: (item: T) => string, parallel = Number(process.env.PACKETWALK_KERNEL_JOBS ?? 2)): Promise<Array<{ output: string; status: number; ms: number }>> {
  const results: Array<{ output: string; status: number; ms: number }> = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await runOnKernelAsync(script(items[i]!));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}
