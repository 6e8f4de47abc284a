// Every number the site states, checked against the real kernel: each page under content/ is
// checked as `packetwalk check` checks it, but with every console command answered by Linux
// instead of the simulator (test/kernel/lib/content.ts: capture the page's plans on the
// simulator, run each plan on the kernel as one script, replay the page with the kernel's output).
// A scenario passes when its kernel run completes and every stated output of its console blocks
// holds (same matcher as `check`: `...`, `ignore=`), after the chance normalisation of the other
// kernel tests (conntrack timeouts/order, ephemeral ports, ids, rtt). Also compared: the outputs
// the page fills in from the simulator and the listings its rule tables are drawn from (equal to
// the simulator's), and each `::trace` view with the capture the scenario runs (tcpdump,
// xtables-monitor --trace); what cannot be compared is a visible skip with its reason.
//
// Kernel-side adjustments (test/kernel/lib/content.ts), none of which changes what a command
// prints: the worlds' `serve` servers as python stand-ins; a wait until each background server or
// capture listens (the simulator's start at once); IGMP reports for 224.0.0.x off in every
// namespace (test/kernel/docker/README.md: a bridge's and a container's reports arrive at random
// moments; the simulator sends none). So a real host can show what these runs do not: an
// `unknown 2 … dst=224.0.0.22` conntrack entry, a few more packets on OUTPUT/POSTROUTING and nat
// PREROUTING policies.
//
// Kernel noise from scheduling (as in differential.test.ts): a scenario whose kernel run differs
// from the page is run again up to KERNEL_RETRIES more times; the page is checked against the
// run that holds, and each retry is printed.
//
// PACKETWALK_PAGES=name,… limits the pages (file names without .md); PACKETWALK_KERNEL_JOBS the
// parallel kernel runs (default 4 here: the runs mostly sleep in ping and curl timeouts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { FileReport } from '../../plugins/lib/check.ts';
import { ELLIPSIS } from '../../src/render/console.ts';
import { assignedMacs, type CapturedPlan, capturePage, consoleBlocks, kernelScript, type KernelRun, replayPage, scriptCaptures, splitKernelOutput, statedOutputs, traceOnKernel, type TraceView, unstatedOutputs } from './lib/content.ts';
import { unifiedDiff } from './lib/normalize.ts';
import { kernelUnavailableReason, runAllOnKernel } from './lib/oracle.ts';

const CONTENT = new URL('../../content/', import.meta.url).pathname;
const reason = kernelUnavailableReason();
const KERNEL_RETRIES = Number(process.env.PACKETWALK_KERNEL_RETRIES ?? 2);
const JOBS = Number(process.env.PACKETWALK_KERNEL_JOBS ?? 4);

/**
 * Scenarios the kernel cannot run as the page writes them, with the reason (printed as a skip).
 * Key: `page.md#id`.
 */
const KERNEL_SKIPS: Record<string, string> = {};

/** Commands (by regular expression) whose filled-in output is not compared, with the reason. */
const UNSTATED_SKIPS: Record<string, string> = {
  '^dmesg\\b': 'the kernel log is the machine\'s, not the namespace\'s: it holds everything the host logged, and LOG in a non-initial namespace reaches it only with the global net.netfilter.nf_log_all_netns=1, which a test must not set on the machine',
};

interface Page {
  name: string;
  path: string;
  text: string;
  sim: FileReport;
  plans: CapturedPlan[];
  traces: TraceView[];
}

const only = process.env.PACKETWALK_PAGES?.split(',').map((s) => s.trim().replace(/\.md$/, ''));
const pages: Page[] = [];
for (const f of readdirSync(CONTENT).filter((f) => f.endsWith('.md')).sort()) {
  if (only && !only.includes(f.replace(/\.md$/, ''))) continue;
  const path = `content/${f}`;
  const text = readFileSync(join(CONTENT, f), 'utf8');
  const { report, plans, traces } = await capturePage(path, text);
  pages.push({ name: f, path, text, sim: report, plans, traces });
}

/** Every plan of every page, with the page it belongs to. */
const allPlans = pages.flatMap((p) => p.plans.map((plan, index) => ({ page: p, plan, index, key: `${p.name}#${plan.id}` })));
const scenarios = allPlans.filter((x, i) => allPlans.findIndex((y) => y.key === x.key) === i);

/** Console blocks and stated output lines (not counting `...`) of a page. */
function statedLines(text: string): { blocks: number; lines: number } {
  const blocks = consoleBlocks(text);
  return { blocks: blocks.length, lines: blocks.reduce((n, b) => n + b.commands.reduce((k, c) => k + c.expected.filter((l) => l.trim() !== ELLIPSIS).length, 0), 0) };
}

/** Plans by estimated kernel time, longest first, so the pool of parallel runs packs well. */
function estimate(plan: CapturedPlan): number {
  const text = [plan.script, ...plan.ops.map((o) => (o.kind === 'command' ? o.text : ''))].join('\n');
  let t = 3;
  for (const m of text.matchAll(/ping [^\n]*-c (\d+)/g)) t += Number(m[1]);
  for (const m of text.matchAll(/sleep (\d+(?:\.\d+)?)/g)) t += Number(m[1]);
  for (const m of text.matchAll(/--max-time (\d+)|-w (\d+)/g)) t += Number(m[1] ?? m[2]);
  return t;
}

describe('content pages on the simulator (capture)', () => {
  test.each(pages.map((p) => [p.name, p] as const))('%s: runs on the simulator', (_n, p) => {
    expect(p.sim.error?.reason, `${p.path}: the simulator cannot run the page`).toBeUndefined();
    expect(p.plans.length).toBe(p.sim.scenarios);
  });
});

describe.skipIf(reason !== undefined)('content pages on the real kernel', () => {
  const runs = new Map<CapturedPlan, KernelRun & { ms?: number }>();
  const reports = new Map<Page, FileReport>();
  const replayError = new Map<Page, string>();
  const t0 = performance.now();

  const mismatchesOf = (p: Page, id: string) => (reports.get(p)?.mismatches ?? []).filter((m) => m.scenario === id);
  const runFailure = (r: KernelRun | undefined, plan: CapturedPlan): string | undefined => {
    if (!r) return 'no kernel run';
    if (!r.scriptDone) return `the scenario script stopped on the kernel (exit status ${r.status}):\n${r.script ?? ''}${r.raw ? `\n${r.raw}` : ''}`;
    const missing = r.ops.findIndex((o) => o === undefined);
    if (missing >= 0) {
      const op = plan.ops.filter((o) => o.kind === 'command')[missing];
      return `the kernel run stopped before command ${missing + 1} (\`${op && op.kind === 'command' ? op.text : '?'}\`), exit status ${r.status}${r.raw ? `\n${r.raw}` : ''}`;
    }
    return undefined;
  };

  /** Part 2 (see below): the outputs the page fills in from the simulator, compared with the kernel's. */
  function unstatedDiffs(x: (typeof allPlans)[number]): { problems: string[]; compared: number; skipped: string[] } {
    const res = { problems: [] as string[], compared: 0, skipped: [] as string[] };
    const run = runs.get(x.plan);
    if (!run) return res;
    for (const u of unstatedOutputs(x.page.text, x.plan, run)) {
      const skip = Object.entries(UNSTATED_SKIPS).find(([re]) => new RegExp(re).test(u.text));
      if (skip) {
        res.skipped.push(`\`${u.text}\` not compared: ${skip[1]}`);
        continue;
      }
      res.compared++;
      const diff = unifiedDiff(u.kernel, u.sim, ['kernel', 'simulator']);
      if (diff) res.problems.push(`${x.page.path}${u.line ? `:${u.line}` : ''}: \`${u.text}\`${u.view ? ' (listing for a view)' : ' (output filled in from the simulator)'} differs:\n${diff}`);
    }
    return res;
  }

  async function replay(p: Page): Promise<void> {
    try {
      reports.set(p, await replayPage(p.path, p.text, p.plans, p.plans.map((plan) => runs.get(plan)!)));
      replayError.delete(p);
    } catch (e) {
      replayError.set(p, (e as Error).message);
    }
  }

  beforeAll(async () => {
    const todo = allPlans.filter((x) => !KERNEL_SKIPS[x.key]).sort((a, b) => estimate(b.plan) - estimate(a.plan));
    const scripts = new Map(todo.map((x) => [x.plan, kernelScript(x.plan)]));
    const split = (plan: CapturedPlan, r: { output: string; status: number; ms: number }): KernelRun & { ms: number } => ({
      ...splitKernelOutput(r.output, r.status, plan.ops.filter((o) => o.kind === 'command').length),
      macs: assignedMacs(scripts.get(plan)!),
      ms: r.ms,
    });
    const results = await runAllOnKernel(todo, (x) => scripts.get(x.plan)!, JOBS);
    todo.forEach((x, i) => runs.set(x.plan, split(x.plan, results[i]!)));
    // Skipped plans: their commands get no output (the tests of those scenarios are skipped).
    for (const x of allPlans) if (!runs.has(x.plan)) runs.set(x.plan, { scriptDone: false, ops: [], status: -1, raw: 'skipped', captures: [] });
    for (const p of pages) await replay(p);
    // Retries: scenarios whose run failed or whose outputs (stated or filled in) differ. The
    // better run of each pair is kept (fewer differences).
    const score = (x: (typeof todo)[number]) => (runFailure(runs.get(x.plan), x.plan) ? 1000 : 0) + (replayError.has(x.page) ? 1000 : 0) + mismatchesOf(x.page, x.plan.id).length + unstatedDiffs(x).problems.length;
    for (let k = 0; k < KERNEL_RETRIES; k++) {
      const again = todo.filter((x) => score(x) > 0);
      if (again.length === 0) break;
      const retried = await runAllOnKernel(again, (x) => scripts.get(x.plan)!, JOBS);
      for (const [i, x] of again.entries()) {
        const before = runs.get(x.plan)!;
        const was = score(x);
        const why = runFailure(before, x.plan) ?? mismatchesOf(x.page, x.plan.id)[0]?.diff ?? unstatedDiffs(x).problems[0] ?? replayError.get(x.page) ?? '';
        console.warn(`[content-kernel] ${x.key}: kernel run ${k + 1} (${((before.ms ?? 0) / 1000).toFixed(1)} s) differs:\n${why.split('\n').slice(0, 12).join('\n')}`);
        runs.set(x.plan, split(x.plan, retried[i]!));
        await replay(x.page);
        const now = score(x);
        if (now > was) {
          runs.set(x.plan, before);
          await replay(x.page);
        }
        console.warn(`[content-kernel] ${x.key}: kernel run ${k + 2}: ${now === 0 ? 'now holds (the earlier run was timing noise)' : `still differs (${Math.min(was, now)} differences kept)`}`);
      }
    }
    // The figures of this suite (for the report).
    let blocks = 0, lines = 0, commands = 0;
    for (const p of pages) {
      const s = statedLines(p.text);
      blocks += s.blocks;
      lines += s.lines;
      commands += reports.get(p)?.commands ?? 0;
    }
    const failing = todo.filter((x) => score(x) > 0);
    console.warn(`[content-kernel] ${pages.length} pages, ${scenarios.length} scenarios (${todo.length} kernel runs, ${Object.keys(KERNEL_SKIPS).length} skipped), ${blocks} console blocks, ${commands} commands, ${lines} stated lines; ${failing.length} scenarios failing; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 900_000);

  const runnable = scenarios.filter((x) => !KERNEL_SKIPS[x.key]);
  const skipped = scenarios.filter((x) => KERNEL_SKIPS[x.key]).map((x) => [x.key, KERNEL_SKIPS[x.key]!] as const);
  if (skipped.length) test.skip.each(skipped)('%s: not run on the kernel: %s', () => {});

  test.each(runnable.map((x) => [x.key, x] as const))('%s: the page holds on the kernel', (key, x) => {
    const err = replayError.get(x.page);
    if (err) throw new Error(`${x.page.path}: ${err}`);
    const report = reports.get(x.page)!;
    if (report.error) throw new Error(`${x.page.path}:${report.error.line ?? 1}: ${report.error.reason}`);
    const failure = runFailure(runs.get(x.plan), x.plan);
    const mm = mismatchesOf(x.page, x.plan.id);
    const text = mm.map((m) => `${x.page.path}:${m.line}:${m.column}: \`${m.command}\` differs on the kernel\n${m.diff}`).join('\n');
    if (failure || mm.length) throw new Error(`${failure ? `${failure}\n` : ''}${text}`);
    expect(mm).toEqual([]);
  });

  // Part 2: what the page does not state (console commands it fills in from the simulator, the
  // listings its rule tables are drawn from) must equal the kernel's too, after the same
  // normalisation: these are numbers the site shows as well.
  const unstatedCount = (x: (typeof runnable)[number]) => {
    const stated = statedOutputs(x.page.text);
    return x.plan.ops.filter((o) => o.kind === 'command' && !Object.keys(UNSTATED_SKIPS).some((re) => new RegExp(re).test(o.text)) && !(o.at && o.at.line !== x.plan.at?.line && (stated.get(o.at.line) ?? 0) > 0)).length;
  };
  test.each(runnable.filter((x) => unstatedCount(x) > 0).map((x) => [x.key, x] as const))('%s: the filled-in outputs equal the kernel', (key, x) => {
    const d = unstatedDiffs(x);
    for (const note of d.skipped) console.warn(`[content-kernel] ${key}: ${note}`);
    if (d.problems.length) throw new Error(d.problems.join('\n'));
    expect(d.compared).toBe(unstatedCount(x));
  });

  // Part 3: the `::trace` views, beside the output of the capture the scenario runs on the kernel.
  // A view with nothing to compare it with (no such capture in the scenario, the kernel log) is a
  // visible skip with the reason.
  const traceViews = runnable.flatMap((x) => x.page.traces.filter((t) => t.scenario === x.plan.id).map((t) => {
    const name = `${x.page.path}:${t.line} (${x.key}, ${t.attrs.format}${t.attrs.interface ? ` ${t.attrs.interface}` : ''})`;
    const r = traceOnKernel(t, { scriptDone: true, ops: [], status: 0, raw: '', captures: scriptCaptures(kernelScript(x.plan)) });
    return { name, x, t, reason: 'reason' in r ? r.reason : undefined };
  }));
  const notComparable = traceViews.filter((v) => v.reason).map((v) => [v.name, v.reason!] as const);
  if (notComparable.length) test.skip.each(notComparable)('%s: trace view not compared: %s', () => {});
  test.each(traceViews.filter((v) => !v.reason).map((v) => [v.name, v] as const))('%s: the trace view equals the kernel\'s capture', (_name, { x, t }) => {
    const c = traceOnKernel(t, runs.get(x.plan)!);
    if ('reason' in c) throw new Error(c.reason);
    const diff = unifiedDiff(c.kernel, c.sim, [`kernel: ${c.capture}`, 'the page\'s view (simulator)']);
    if (diff) throw new Error(`${x.page.path}:${t.line}: the view differs from the kernel's \`${c.capture}\`:\n${diff}`);
    expect(c.kernel).toBe(c.sim);
  });
});
