// Running scenarios: each scenario of a page becomes a plan (its script, then the operations the
// page asks of it in document order: console commands, record snapshots, rule listings). A plan
// runs in one session; its results are cached in memory by the plan itself, so a second build of
// an unchanged page reuses them, and changing any line of the script or any console command
// re-runs it.
import type { RunRecord, SourcePos } from '../../src/scenario/record.ts';

/** The part of a scenario session (src/scenario) the plugin uses. */
export interface SessionLike {
  run(script: string, at?: { file?: string; line: number; column: number }): { output: string; exitCode: number; commands?: Array<{ pos: SourcePos; text: string }> };
  runCommand(text: string, where: string, at?: { file?: string; line: number; column: number }): { output: string; exitCode: number };
  record(): RunRecord;
}

export interface SessionSettings {
  file: string;
  dockerVersion?: string;
  world?: string;
  seed?: number;
}

export type CreateSession = (options: SessionSettings) => SessionLike | Promise<SessionLike>;

export type Operation =
  | { kind: 'command'; target: string; text: string; line: number; column: number }
  | { kind: 'record' }
  | { kind: 'shell'; text: string };

export interface ScriptPlan {
  settings: SessionSettings;
  script: string;
  line: number;
  column: number;
  ops: Operation[];
}

export interface RunFailure {
  message: string;
  pos?: SourcePos;
  output: string;
}

export type OpResult =
  | { kind: 'output'; output: string; exitCode: number }
  | { kind: 'record'; record: RunRecord }
  | { kind: 'error'; error: RunFailure };

export interface PlanResult {
  /** The script's own run. */
  output: string;
  exitCode: number;
  error?: RunFailure;
  /** Source lines (1-based, in the file) where the script's commands start, in order, one per step. */
  stepLines: number[];
  stepTexts: string[];
  results: OpResult[];
}

function failure(e: unknown, at: SourcePos): RunFailure {
  if (e instanceof Error) {
    const pos = (e as { pos?: SourcePos }).pos;
    const output = (e as { output?: string }).output ?? '';
    return { message: e.message, pos: pos ?? at, output };
  }
  return { message: String(e), pos: at, output: '' };
}

function snapshot(r: RunRecord): RunRecord {
  return { ...r, commands: r.commands.slice(), packets: r.packets.slice(), events: r.events.slice() };
}

let defaultFactory: CreateSession | undefined;

/** Runs made by different session factories never share cache entries. */
const factoryIds = new WeakMap<CreateSession, number>();
let factoryCount = 0;
function factoryId(factory: CreateSession | undefined): number {
  if (!factory) return 0;
  let id = factoryIds.get(factory);
  if (id === undefined) factoryIds.set(factory, (id = ++factoryCount));
  return id;
}

async function loadDefault(): Promise<CreateSession> {
  if (!defaultFactory) {
    const mod = (await import('../../src/scenario/index.ts')) as { createSession: CreateSession };
    defaultFactory = mod.createSession;
  }
  return defaultFactory;
}

export class RunCache {
  private readonly map = new Map<string, PlanResult>();
  private readonly limit: number;
  hits = 0;
  misses = 0;
  constructor(limit = 500) {
    this.limit = limit;
  }
  get(key: string): PlanResult | undefined {
    const v = this.map.get(key);
    if (v) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: PlanResult): void {
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

/** The cache shared by every build in this process (Astro rebuilds pages in the same process). */
export const sharedCache = new RunCache();

/** Runs a plan (or returns its cached result). Never throws for a failing script: failures are results. */
export async function runPlan(plan: ScriptPlan, factory: CreateSession | undefined, cache: RunCache | undefined): Promise<PlanResult> {
  const key = JSON.stringify([plan.settings, plan.script, plan.line, plan.column, plan.ops, factoryId(factory)]);
  const cached = cache?.get(key);
  if (cached) {
    cache!.hits++;
    return cached;
  }
  if (cache) cache.misses++;
  const create = factory ?? (await loadDefault());
  const file = plan.settings.file;
  const at = { file, line: plan.line, column: plan.column };
  const result: PlanResult = { output: '', exitCode: 0, stepLines: [], stepTexts: [], results: [] };
  let session: SessionLike;
  try {
    session = await create(plan.settings);
    const r = await session.run(plan.script, at);
    result.output = r.output;
    result.exitCode = r.exitCode;
    const seen = new Set<number>();
    for (const c of r.commands ?? []) {
      if (c.pos.file !== file || seen.has(c.pos.line)) continue;
      seen.add(c.pos.line);
      result.stepLines.push(c.pos.line);
      result.stepTexts.push(c.text);
    }
    if (r.exitCode !== 0) {
      const last = r.commands?.[r.commands.length - 1];
      result.error = { message: `Scenario stopped: \`${last?.text ?? 'the script'}\` exited with status ${r.exitCode}`, pos: last?.pos ?? at, output: r.output };
    }
  } catch (e) {
    result.error = failure(e, at);
    cache?.set(key, result);
    return result;
  }
  for (const op of plan.ops) {
    try {
      if (op.kind === 'record') {
        result.results.push({ kind: 'record', record: snapshot(await session.record()) });
      } else if (op.kind === 'shell') {
        const r = await session.runCommand(op.text, '', at);
        result.results.push({ kind: 'output', output: r.output, exitCode: r.exitCode });
      } else {
        const r = await session.runCommand(op.text, op.target, { file, line: op.line, column: op.column });
        result.results.push({ kind: 'output', output: r.output, exitCode: r.exitCode });
      }
    } catch (e) {
      result.results.push({ kind: 'error', error: failure(e, op.kind === 'command' ? { file, line: op.line, column: op.column } : at) });
    }
  }
  cache?.set(key, result);
  return result;
}
