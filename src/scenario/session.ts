// A scenario session: one simulated machine, one interpreter, many script runs (a scenario block
// then console blocks), one run record. Used by `packetwalk run` and the remark plugin.
import { Kernel, INIT_NETNS } from '../kernel/kernel.ts';
// Binds netfilter and ebtables into the stack (kernel/index.ts imports them).
import '../kernel/index.ts';
import { tools as defaultTools } from '../userland/index.ts';
import { ScriptError, type ToolTable } from '../userland/tool.ts';
import { Interpreter } from './interpreter.ts';
import type { CommandRecord, RunRecord, SourcePos } from './record.ts';
import { worldScript } from './worlds.ts';
import { netnsExists } from './kernel-glue.ts';

export interface SessionOptions {
  /** Names the script in positions and in the record (default `scenario.sh`). */
  file?: string;
  /** Docker version dockerd models (`docker` reads it from `ctx.env.dockerVersion`). */
  dockerVersion?: string;
  /** A world to set up first (see worlds.ts); its commands are recorded under file `world:NAME`. */
  world?: string;
  /** Seed for everything the kernel leaves to chance (default 1). */
  seed?: number;
  /** When false, the kernel keeps no events or packet records (benchmarks). Default true. */
  record?: boolean;
  /** The commands available (default: every tool of src/userland). */
  tools?: ToolTable;
}

export interface RunOutput {
  /** What this run printed (stdout and stderr interleaved). */
  output: string;
  exitCode: number;
  /** The commands this run executed. */
  commands: CommandRecord[];
}

/** A script could not run: unsupported syntax/command, or a failure in a world. `output` is what it printed before. */
export class ScenarioError extends Error {
  readonly pos: SourcePos;
  readonly output: string;
  constructor(message: string, pos: SourcePos, output: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioError';
    this.pos = pos;
    this.output = output;
  }
}

export interface Session {
  readonly kernel: Kernel;
  /** Runs a script in the host namespace; `at` is where its first character sits in `file`. */
  run(script: string, at?: { file?: string; line: number; column: number }): RunOutput;
  /**
   * Runs one console line: `where` is '' for the host (`$ cmd`), a namespace name, or a docker
   * container name (`NAME$ cmd`: run through `docker exec NAME sh -c CMD`).
   */
  runCommand(text: string, where: string, at?: { file?: string; line: number; column: number }): RunOutput;
  /** Ends background jobs (tcpdump prints its summary); returns what that printed. Idempotent. */
  end(): string;
  /** The run record so far. */
  record(): RunRecord;
}

class SessionImpl implements Session {
  readonly kernel: Kernel;
  private readonly interp: Interpreter;
  private readonly file: string;
  private readonly options: SessionOptions;
  private output = '';
  /** Output of the current run() call. */
  private chunk = '';
  private capture = true;
  private exitCode = 0;
  private ended = false;

  constructor(options: SessionOptions) {
    this.options = options;
    this.file = options.file ?? 'scenario.sh';
    this.kernel = new Kernel({ seed: options.seed ?? 1, record: options.record ?? true });
    const env: Record<string, string> = { file: this.file, seed: String(this.kernel.seed) };
    if (options.dockerVersion !== undefined) env.dockerVersion = options.dockerVersion;
    if (options.world !== undefined) env.world = options.world;
    this.interp = new Interpreter({
      kernel: this.kernel,
      tools: options.tools ?? defaultTools,
      env,
      terminal: (t) => {
        if (!this.capture) return;
        this.output += t;
        this.chunk += t;
      },
    });
    if (options.world !== undefined) this.setUpWorld(options.world);
  }

  private setUpWorld(name: string): void {
    const script = worldScript(name);
    const file = `world:${name}`;
    this.capture = false;
    try {
      const r = this.interp.run(script, file, INIT_NETNS);
      if (r.exitCode !== 0) {
        const failed = this.interp.commands[this.interp.commands.length - 1];
        throw new ScenarioError(`World \`${name}\` failed at \`${failed?.text ?? ''}\` (exit ${r.exitCode}): ${failed?.output.trim() ?? ''}`, failed?.pos ?? { file, line: 1, column: 1 }, '');
      }
    } catch (e) {
      if (e instanceof ScriptError) throw new ScenarioError(`World \`${name}\`: ${e.message}`, e.pos ?? { file, line: 1, column: 1 }, '', { cause: e });
      throw e;
    } finally {
      this.capture = true;
    }
  }

  run(script: string, at?: { file?: string; line: number; column: number }): RunOutput {
    return this.exec(script, INIT_NETNS, at);
  }

  runCommand(text: string, where: string, at?: { file?: string; line: number; column: number }): RunOutput {
    const c = consoleCommand(this.kernel, text, where);
    return this.exec(c.script, c.netns, at);
  }

  private exec(script: string, netns: string, at: { file?: string; line: number; column: number } | undefined): RunOutput {
    this.chunk = '';
    const first = this.interp.commands.length;
    const file = at?.file ?? this.file;
    try {
      const r = this.interp.run(script, file, netns, at ? { line: at.line, column: at.column } : undefined);
      this.exitCode = r.exitCode;
      return { output: this.chunk, exitCode: r.exitCode, commands: this.interp.commands.slice(first) };
    } catch (e) {
      this.exitCode = 1;
      if (e instanceof ScriptError) {
        throw new ScenarioError(e.message, e.pos ?? { file, line: at?.line ?? 1, column: at?.column ?? 1 }, this.chunk, { cause: e });
      }
      // A bug in packetwalk: still report where the script stood, never a bare stack trace.
      const last = this.interp.commands[this.interp.commands.length - 1];
      const where = last && this.interp.commands.length > first ? last : undefined;
      const message = e instanceof Error ? e.message : String(e);
      throw new ScenarioError(`internal error while running \`${where?.text ?? script.split('\n')[0]}\`: ${message} (a packetwalk bug: please report it with this script)`, where?.pos ?? { file, line: at?.line ?? 1, column: at?.column ?? 1 }, this.chunk, { cause: e });
    }
  }

  end(): string {
    if (this.ended) return '';
    this.ended = true;
    this.chunk = '';
    this.interp.endJobs();
    return this.chunk;
  }

  record(): RunRecord {
    const rec: RunRecord = {
      format: 'packetwalk-run/1',
      file: this.file,
      commands: this.interp.commands,
      packets: this.kernel.packets,
      events: this.kernel.events,
      output: this.output,
      exitCode: this.exitCode,
    };
    if (this.options.dockerVersion !== undefined) rec.dockerVersion = this.options.dockerVersion;
    if (this.options.world !== undefined) rec.world = this.options.world;
    return rec;
  }
}

/**
 * How a console line `WHERE$ TEXT` runs (Session.runCommand): in the namespace WHERE ('' is the
 * host) when it exists, otherwise in the container WHERE, as `docker exec WHERE sh -c TEXT`.
 * Exported for the real-kernel content test, which runs the same lines on Linux.
 */
export function consoleCommand(kernel: Kernel, text: string, where: string): { netns: string; script: string } {
  if (where === '' || netnsExists(kernel, where)) return { netns: where, script: text };
  // A container: the command runs inside it as `docker exec` would run it.
  return { netns: INIT_NETNS, script: `docker exec ${shellQuote(where)} sh -c ${shellQuote(text)}` };
}

export function createSession(options: SessionOptions = {}): Session {
  return new SessionImpl(options);
}

/** Quotes a word for the shell parser (single quotes, `'\''` inside). */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
