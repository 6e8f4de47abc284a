// Runs a parsed script like `bash -e` would: commands run in order, a failing command stops the
// run unless it is tested (`if`, `while`, `!`, left of `&&`/`||`), `&` starts a background job,
// `sleep` advances virtual time. Commands reach the kernel only through the userland tools.
import type { Kernel } from '../kernel/kernel.ts';
import { ScriptError, type Tool, type ToolContext, type ToolTable } from '../userland/tool.ts';
import type { CommandRecord, SourcePos } from './record.ts';
import { parseScript, type AndOr, type Command, type List, type Pipeline, type Redirect, type SimpleCommand, type Word, type WordPart } from './shell.ts';
import { advanceTime, netnsExists } from './kernel-glue.ts';
import { parseIpv4 } from '../kernel/addr.ts';

/** Where a stream goes: the session's terminal, a buffer (a pipe), a file, or nowhere. */
type Sink = (text: string) => void;

/** Standard input as a stream: `read` takes a line, other readers take the rest. */
interface Input {
  text: string;
  pos: number;
}

interface Io {
  input: Input;
  out: Sink;
  err: Sink;
}

function inputOf(text: string): Input {
  return { text, pos: 0 };
}

/** What is left of standard input; reading it consumes it (as `cat` would). */
function takeInput(io: Io): string {
  const rest = io.input.text.slice(io.input.pos);
  io.input.pos = io.input.text.length;
  return rest;
}

/** A background job (`cmd &`): what to run when it is killed or when the session ends. */
interface Job {
  id: number;
  command: number;
  text: string;
  exitHandlers: Array<() => void>;
  done: boolean;
}

class ErrexitSignal {
  readonly status: number;
  constructor(status: number) {
    this.status = status;
  }
}
class ExitSignal {
  readonly status: number;
  constructor(status: number) {
    this.status = status;
  }
}

/** Builtins the interpreter handles itself (they act on the shell, not on the kernel). */
export const BUILTINS = ['sh', 'bash', 'true', 'false', ':', 'sleep', 'echo', 'printf', 'cat', 'exit', 'set', 'export', 'unset', 'kill', 'wait', 'sudo', 'grep', 'head', 'tail', 'wc', 'seq', 'read', 'test', '['] as const;

export interface InterpreterOptions {
  kernel: Kernel;
  tools: ToolTable;
  env: Record<string, string>;
  /** Receives everything the session prints (stdout and stderr, in order). */
  terminal: Sink;
}

export interface RunResult {
  exitCode: number;
  /** True when a failing command stopped the run (bash -e) or `exit` ran. */
  stopped: boolean;
}

export class Interpreter {
  readonly kernel: Kernel;
  readonly tools: ToolTable;
  readonly env: Record<string, string>;
  readonly vars = new Map<string, string>();
  /** The per-session file system behind `>`, `>>`, `<` and `cat` (`iptables-save > rules`). */
  readonly files = new Map<string, string>();
  readonly commands: CommandRecord[] = [];
  readonly jobs: Job[] = [];
  private readonly terminal: Sink;
  /** Sinks that end at the terminal (the session output), possibly through command records. */
  private readonly toTerminal = new WeakSet<Sink>();
  private lastStatus = 0;
  private lastJob = 0;
  /** > 0 while running a condition (`if`, `&&` …): failures do not stop the run there. */
  private tested = 0;
  private errexit = true;
  /** Namespaces with their own /etc/resolv.conf or /etc/hosts (`NETNS\0resolv`, `NETNS\0hosts`). */
  private readonly ownResolver = new Set<string>();
  /** The namespace `$(…)` runs in: that of the command whose words are being expanded. */
  private expansionNetns = '';
  /** The command record output currently receives terminal text. */
  private currentRecord: CommandRecord | undefined;

  constructor(options: InterpreterOptions) {
    this.kernel = options.kernel;
    this.tools = options.tools;
    this.env = options.env;
    this.terminal = options.terminal;
    this.toTerminal.add(this.terminal);
  }

  /** Parses and runs a script in namespace `netns`. ScriptError propagates with its position. */
  run(source: string, file: string, netns: string, at?: { line: number; column: number }): RunResult {
    const list = parseScript(source, file, at);
    const io: Io = { input: inputOf(''), out: this.terminal, err: this.terminal };
    try {
      this.lastStatus = this.runList(list, io, netns);
      return { exitCode: this.lastStatus, stopped: false };
    } catch (e) {
      if (e instanceof ErrexitSignal || e instanceof ExitSignal) {
        this.lastStatus = e.status;
        return { exitCode: e.status, stopped: true };
      }
      throw e;
    }
  }

  /** Ends every background job still running (tcpdump prints its summary), in start order. */
  endJobs(): void {
    for (const job of this.jobs) this.finishJob(job);
  }

  private finishJob(job: Job): void {
    if (job.done) return;
    job.done = true;
    const saved = this.currentRecord;
    this.currentRecord = this.commands[job.command];
    try {
      for (const h of job.exitHandlers) h();
    } finally {
      this.currentRecord = saved;
    }
  }

  // --- structure -------------------------------------------------------------------------------

  private runList(list: List, io: Io, netns: string): number {
    let status = 0;
    for (const item of list.items) status = this.runAndOr(item, io, netns);
    return status;
  }

  private runAndOr(andor: AndOr, io: Io, netns: string): number {
    if (andor.background) return this.runBackground(andor, io, netns);
    const all = [andor.first, ...andor.rest.map((r) => r.pipeline)];
    let status = 0;
    let ran = -1;
    for (let k = 0; k < all.length; k++) {
      if (k > 0) {
        const op = andor.rest[k - 1].op;
        if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      }
      const last = k === all.length - 1;
      if (!last) this.tested++;
      try {
        status = this.runPipeline(all[k], io, netns);
      } finally {
        if (!last) this.tested--;
      }
      ran = k;
      this.lastStatus = status;
    }
    // bash -e stops only when the failing status comes from the last pipeline of the list
    // (`false && x` does not stop, `true && false` does) and that pipeline is not negated.
    if (status !== 0 && ran === all.length - 1 && !all[ran].negate && this.tested === 0 && this.errexit) {
      throw new ErrexitSignal(status);
    }
    return status;
  }

  private runBackground(andor: AndOr, io: Io, netns: string): number {
    if (andor.rest.length || andor.first.commands.length !== 1 || andor.first.commands[0].type !== 'simple') {
      throw new ScriptError('Only a single command can run in the background (`cmd &`); `&&`, `||`, pipes and compound commands with `&` are not supported', andor.pos);
    }
    this.tested++;
    try {
      this.runSimple(andor.first.commands[0], io, netns, true);
    } finally {
      this.tested--;
    }
    this.lastStatus = 0;
    return 0;
  }

  private runPipeline(p: Pipeline, io: Io, netns: string): number {
    if (p.negate) this.tested++;
    let status: number;
    try {
      if (p.commands.length === 1) status = this.runCommand(p.commands[0], io, netns);
      else {
        let input = io.input;
        status = 0;
        for (let k = 0; k < p.commands.length; k++) {
          const last = k === p.commands.length - 1;
          let buffer = '';
          const stage: Io = { input, out: last ? io.out : (t) => (buffer += t), err: io.err };
          // Only the last command of a pipeline can stop the run (no pipefail).
          if (!last) this.tested++;
          try {
            status = this.runCommand(p.commands[k], stage, netns);
          } finally {
            if (!last) this.tested--;
          }
          input = inputOf(buffer);
        }
      }
    } finally {
      if (p.negate) this.tested--;
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  private runCommand(cmd: Command, io: Io, netns: string): number {
    if (cmd.type === 'simple') return this.runSimple(cmd, io, netns, false);
    let cio: Io;
    try {
      cio = this.applyRedirects(cmd.redirects, io, netns);
    } catch (e) {
      if (e instanceof RedirectFailure) return 1;
      throw e;
    }
    switch (cmd.type) {
      case 'group': {
        if (!cmd.subshell) return this.runList(cmd.body, cio, netns);
        const saved = new Map(this.vars);
        try {
          return this.runList(cmd.body, cio, netns);
        } catch (e) {
          if (e instanceof ExitSignal) return e.status;
          throw e;
        } finally {
          this.vars.clear();
          for (const [k, v] of saved) this.vars.set(k, v);
        }
      }
      case 'for': {
        this.expansionNetns = netns;
        const items = cmd.words ? cmd.words.flatMap((w) => this.expandWord(w)) : [];
        let status = 0;
        for (const item of items) {
          this.vars.set(cmd.name, item);
          status = this.runList(cmd.body, cio, netns);
        }
        return status;
      }
      case 'if': {
        for (const b of cmd.branches) {
          this.tested++;
          let c: number;
          try {
            c = this.runList(b.cond, cio, netns);
          } finally {
            this.tested--;
          }
          if (c === 0) return this.runList(b.body, cio, netns);
        }
        return cmd.elseBody ? this.runList(cmd.elseBody, cio, netns) : 0;
      }
      case 'while': {
        let status = 0;
        for (let n = 0; ; n++) {
          if (n >= 10000) throw new ScriptError(`\`${cmd.until ? 'until' : 'while'}\` ran 10000 times; packetwalk stops loops that do not end`, cmd.pos);
          this.tested++;
          let c: number;
          try {
            c = this.runList(cmd.cond, cio, netns);
          } finally {
            this.tested--;
          }
          if ((c === 0) === cmd.until) break;
          status = this.runList(cmd.body, cio, netns);
        }
        return status;
      }
    }
  }

  // --- simple commands -------------------------------------------------------------------------

  private runSimple(cmd: SimpleCommand, io: Io, netns: string, background: boolean): number {
    this.expansionNetns = netns;
    const argv = cmd.words.flatMap((w) => this.expandWord(w));
    if (argv.length === 0) {
      for (const a of cmd.assigns) this.vars.set(a.name, this.expandWord(a.value, false).join(''));
      // A bare redirection still creates/truncates its file.
      try {
        this.applyRedirects(cmd.redirects, io, netns);
      } catch (e) {
        if (e instanceof RedirectFailure) return 1;
        throw e;
      }
      return 0;
    }
    const savedVars: Array<[string, string | undefined]> = [];
    for (const a of cmd.assigns) {
      savedVars.push([a.name, this.vars.get(a.name)]);
      this.vars.set(a.name, this.expandWord(a.value, false).join(''));
    }
    const record: CommandRecord = {
      index: this.commands.length,
      pos: cmd.pos,
      text: cmd.text,
      netns: targetNetns(argv, netns),
      output: '',
      exitCode: 0,
      background,
      timeStart: this.kernel.now,
      timeEnd: this.kernel.now,
      eventStart: this.kernel.events.length,
      eventEnd: this.kernel.events.length,
    };
    this.commands.push(record);
    const savedRecord = this.currentRecord;
    const savedCommand = this.kernel.currentCommand;
    this.currentRecord = record;
    this.kernel.currentCommand = record.index;
    let status: number;
    try {
      const cio = this.applyRedirects(cmd.redirects, this.recordingIo(io, record), netns);
      let job: Job | undefined;
      if (background) {
        job = { id: this.jobs.length + 1, command: record.index, text: cmd.text, exitHandlers: [], done: false };
        this.jobs.push(job);
        this.lastJob = job.id;
        this.vars.set('!', String(1000 + job.id));
      }
      status = this.dispatch(argv, cio, netns, cmd.pos, job);
    } catch (e) {
      if (!(e instanceof RedirectFailure)) throw e;
      status = 1;
    } finally {
      this.currentRecord = savedRecord;
      this.kernel.currentCommand = savedCommand;
      for (const [k, v] of savedVars) {
        if (v === undefined) this.vars.delete(k);
        else this.vars.set(k, v);
      }
      record.timeEnd = this.kernel.now;
      record.eventEnd = this.kernel.events.length;
    }
    record.exitCode = status;
    this.lastStatus = status;
    return status;
  }

  /** Text a command sends to the terminal also lands in its CommandRecord. */
  private recordingIo(io: Io, record: CommandRecord): Io {
    const wrap = (s: Sink): Sink => {
      if (!this.toTerminal.has(s)) return s;
      const w: Sink = (t) => {
        record.output += t;
        s(t);
      };
      this.toTerminal.add(w);
      return w;
    };
    return { input: io.input, out: wrap(io.out), err: wrap(io.err) };
  }

  /** Runs argv as a process would: builtins, namespace wrappers, then the tool table. */
  dispatch(argv: string[], io: Io, netns: string, pos: SourcePos, job?: Job): number {
    let name = argv[0];
    if (name.startsWith('/')) name = name.slice(name.lastIndexOf('/') + 1);
    const args = argv.slice(1);
    switch (name) {
      case 'sudo': {
        let k = 0;
        while (k < args.length && /^-[EHn]+$/.test(args[k])) k++;
        if (k < args.length && args[k].startsWith('-')) throw new ScriptError(`sudo: option \`${args[k]}\` is not supported; supported: sudo [-E] [-H] [-n] COMMAND`, pos);
        if (k >= args.length) throw new ScriptError('sudo: a command is expected', pos);
        return this.dispatch(args.slice(k), io, netns, pos, job);
      }
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'sh':
      case 'bash':
        return this.shellBuiltin(name, args, io, netns, pos);
      case 'sleep':
        return this.sleep(args, io, pos, job);
      case 'echo':
        return echo(args, io);
      case 'printf':
        return printf(args, io, pos);
      case 'cat':
        return this.cat(args, io, netns, pos);
      case 'exit': {
        const n = args.length ? Number(args[0]) : this.lastStatus;
        throw new ExitSignal(Number.isInteger(n) ? n & 255 : 2);
      }
      case 'set':
        return this.set(args, pos);
      case 'export':
        for (const a of args) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
          if (m) this.vars.set(m[1], m[2]);
        }
        return 0;
      case 'unset':
        for (const a of args) this.vars.delete(a);
        return 0;
      case 'kill':
        return this.kill(args, io, pos);
      case 'wait':
        return 0;
      case 'grep':
        return grep(args, io, pos);
      case 'head':
      case 'tail':
        return headTail(name, args, io, pos);
      case 'wc':
        return wc(args, io, pos);
      case 'seq':
        return seq(args, io, pos);
      case 'read':
        return this.read(args, io, pos);
      case 'test':
      case '[':
        return test(name, args, pos);
    }
    if (name === 'ip' && args[0] === 'netns' && (args[1] === 'exec' || args[1] === 'e')) {
      const ns = args[2];
      if (ns === undefined) {
        io.err('No netns name specified\n');
        return 1;
      }
      if (!netnsExists(this.kernel, ns)) {
        io.err(`Cannot open network namespace "${ns}": No such file or directory\n`);
        return 255;
      }
      if (args.length < 4) {
        io.err('No command specified\n');
        return 255;
      }
      return this.dispatch(args.slice(3), io, ns, pos, job);
    }
    this.inheritResolver(netns);
    const tool: Tool | undefined = this.tools[name];
    if (!tool) {
      const known = [...BUILTINS.filter((b) => b !== '[' && b !== ':'), ...Object.keys(this.tools)].sort();
      throw new ScriptError(`Unknown command \`${name}\`; supported: ${known.join(', ')}`, pos);
    }
    let stdinText: string | undefined;
    const ctx: ToolContext = {
      kernel: this.kernel,
      netns,
      // Read on first use (and then kept): a command that never reads its input leaves it to
      // the next reader (`while read l; do ip …; done < file`).
      get stdin() {
        stdinText ??= takeInput(io);
        return stdinText;
      },
      out: io.out,
      err: io.err,
      background: job !== undefined,
      pos,
      env: this.env,
      run: (childArgv, options = {}) => {
        if (childArgv.length === 0) throw new ScriptError('ctx.run: empty argv', pos);
        const discard: Sink = () => {};
        // A child left running (dockerd's docker-proxy) belongs to no job of the shell.
        let childJob: Job | undefined = job;
        if (options.background && !childJob) {
          // Registered like a job so that it too ends (and reports) when the session ends.
          childJob = { id: this.jobs.length + 1, command: this.kernel.currentCommand, text: childArgv.join(' '), exitHandlers: [], done: false };
          this.jobs.push(childJob);
        }
        if (!options.background) childJob = undefined;
        return this.dispatch(childArgv, { input: inputOf(options.stdin ?? ''), out: options.out ?? discard, err: options.err ?? discard }, options.netns ?? netns, pos, childJob);
      },
      atExit: (fn) => {
        if (job) job.exitHandlers.push(fn);
      },
    };
    const status = tool(argv.map((a, k) => (k === 0 ? name : a)), ctx);
    return status;
  }

  /**
   * A process in a namespace without its own /etc/netns/NAME/resolv.conf (or hosts) reads the
   * host's file, as `ip netns exec` bind-mounts only the files that exist.
   */
  private inheritResolver(netns: string): void {
    if (netns === '') return;
    const ns = this.kernel.namespaces.get(netns);
    const host = this.kernel.namespaces.get('');
    if (!ns || !host) return;
    if (!this.ownResolver.has(`${netns}\0resolv`) && this.ownResolver.has('\0resolv')) ns.resolvConf = [...host.resolvConf];
    if (!this.ownResolver.has(`${netns}\0hosts`) && this.ownResolver.has('\0hosts')) ns.hosts = new Map(host.hosts);
  }

  private shellBuiltin(name: string, args: string[], io: Io, netns: string, pos: SourcePos): number {
    let k = 0;
    let errexit = false;
    let script: string | undefined;
    for (; k < args.length; k++) {
      const a = args[k];
      if (a === '-c') {
        script = args[k + 1];
        if (script === undefined) {
          io.err(`${name}: -c: option requires an argument\n`);
          return 2;
        }
        break;
      }
      if (/^-[eux]+$/.test(a) || a === '-o' || a === 'pipefail') {
        if (a.includes('e')) errexit = true;
        continue;
      }
      if (/^-[eux]*c$/.test(a)) {
        if (a.includes('e')) errexit = true;
        script = args[k + 1];
        break;
      }
      throw new ScriptError(`${name}: only \`${name} -c 'COMMANDS'\` is supported (found \`${a}\`)`, pos);
    }
    if (script === undefined) {
      const text = takeInput(io);
      if (text) script = text;
      else throw new ScriptError(`${name}: only \`${name} -c 'COMMANDS'\` is supported`, pos);
    }
    // A child shell: its own variables and errexit; it inherits the parent's position for errors.
    const savedVars = new Map(this.vars);
    const savedErrexit = this.errexit;
    const savedTested = this.tested;
    this.errexit = errexit;
    this.tested = 0;
    try {
      const list = parseScript(script, pos.file, { line: pos.line, column: pos.column });
      return this.runList(list, io, netns);
    } catch (e) {
      if (e instanceof ErrexitSignal || e instanceof ExitSignal) return e.status;
      throw e;
    } finally {
      this.errexit = savedErrexit;
      this.tested = savedTested;
      this.vars.clear();
      for (const [kk, v] of savedVars) this.vars.set(kk, v);
    }
  }

  /** `read [-r] NAME…`: one line of standard input, split on blanks; the last name takes the rest. */
  private read(args: string[], io: Io, pos: SourcePos): number {
    let raw = false;
    const names: string[] = [];
    for (const a of args) {
      if (a === '-r') raw = true;
      else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) names.push(a);
      else throw new ScriptError(`read: \`${a}\` is not supported; supported: read [-r] NAME…`, pos);
    }
    if (names.length === 0) names.push('REPLY');
    const { text, pos: at } = io.input;
    if (at >= text.length) {
      for (const n of names) this.vars.set(n, '');
      return 1;
    }
    const eol = text.indexOf('\n', at);
    let line = text.slice(at, eol < 0 ? text.length : eol);
    io.input.pos = eol < 0 ? text.length : eol + 1;
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const fields = line.trim().split(/[ \t]+/);
    names.forEach((n, k) => this.vars.set(n, k === names.length - 1 ? fields.slice(k).join(' ') : fields[k] ?? ''));
    return eol < 0 ? 1 : 0;
  }

  private sleep(args: string[], io: Io, pos: SourcePos, job?: Job): number {
    if (args.length === 0) {
      io.err('sleep: missing operand\nTry \'sleep --help\' for more information.\n');
      return 1;
    }
    let total = 0;
    for (const a of args) {
      const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
      if (!m) {
        io.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
      total += Number(m[1]) * mult;
    }
    // A background sleep only occupies a job slot; time moves for the foreground only.
    if (job) return 0;
    if (total > 366 * 86400) throw new ScriptError(`sleep ${args.join(' ')}: more than a year of virtual time is not supported`, pos);
    advanceTime(this.kernel, Math.round(total * 1e9));
    return 0;
  }

  private cat(args: string[], io: Io, netns: string, pos: SourcePos): number {
    const files = args.filter((a) => a !== '-');
    if (args.some((a) => a.startsWith('-') && a !== '-')) throw new ScriptError('cat: options are not supported; supported: cat [FILE…]', pos);
    if (files.length === 0) {
      io.out(takeInput(io));
      return 0;
    }
    let status = 0;
    for (const f of files) {
      const text = this.readFile(f, netns, pos);
      if (text === undefined) {
        io.err(`cat: ${f}: No such file or directory\n`);
        status = 1;
      } else io.out(text);
    }
    return status;
  }

  private set(args: string[], pos: SourcePos): number {
    for (let k = 0; k < args.length; k++) {
      const a = args[k];
      if (a === '-o' || a === '+o') {
        const opt = args[++k];
        if (opt === 'errexit') this.errexit = a === '-o';
        else if (opt !== 'pipefail' && opt !== 'nounset' && opt !== 'xtrace') throw new ScriptError(`set ${a} ${opt ?? ''}: supported: set -e/+e, -o errexit, -o pipefail (ignored)`, pos);
        continue;
      }
      const m = /^([-+])([euxv]+)$/.exec(a);
      if (!m) throw new ScriptError(`set ${a}: supported: set -e, set +e, set -u, set -x (accepted, no trace printed)`, pos);
      if (m[2].includes('e')) this.errexit = m[1] === '-';
    }
    return 0;
  }

  private kill(args: string[], io: Io, pos: SourcePos): number {
    let status = 0;
    for (const a of args) {
      if (/^-(\d+|[A-Z]+|s)$/.test(a)) continue;
      let job: Job | undefined;
      const m = /^%(\d+|%|\+)$/.exec(a);
      if (m) job = m[1] === '%' || m[1] === '+' ? this.jobs[this.lastJob - 1] : this.jobs[Number(m[1]) - 1];
      else if (/^\d+$/.test(a)) job = this.jobs[Number(a) - 1001];
      else throw new ScriptError(`kill ${a}: supported: kill %N, kill $!`, pos);
      if (!job || job.done) {
        io.err(`bash: kill: ${a}: no such job\n`);
        status = 1;
        continue;
      }
      this.finishJob(job);
    }
    return status;
  }

  // --- files and redirections ------------------------------------------------------------------

  /** /proc/sys/… reads through sysctl; other paths come from the session's file system. */
  private readFile(path: string, netns: string, pos: SourcePos): string | undefined {
    if (path === '/dev/null') return '';
    // `ip netns exec NAME` bind-mounts /etc/netns/NAME/{resolv.conf,hosts} over /etc's, when they exist.
    const own = /^\/etc\/(resolv\.conf|hosts)$/.exec(path);
    if (own && netns !== '' && this.files.has(`/etc/netns/${netns}/${own[1]}`)) return this.files.get(`/etc/netns/${netns}/${own[1]}`);
    if (path.startsWith('/proc/sys/')) {
      let out = '';
      const key = path.slice('/proc/sys/'.length).replace(/\//g, '.');
      const status = this.dispatch(['sysctl', '-n', key], { input: inputOf(''), out: (t) => (out += t), err: () => {} }, netns, pos);
      return status === 0 ? out : undefined;
    }
    return this.files.get(path);
  }

  private writer(path: string, append: boolean, netns: string, pos: SourcePos, err: Sink): Sink {
    if (path === '/dev/null') return () => {};
    if (path === '/dev/stdout' || path === '/dev/tty') return this.terminal;
    if (path === '/dev/stderr') return err;
    if (path.startsWith('/proc/sys/')) {
      const key = path.slice('/proc/sys/'.length).replace(/\//g, '.');
      return (text) => {
        const value = text.trim();
        if (!value) return;
        const status = this.dispatch(['sysctl', '-q', '-w', `${key}=${value}`], { input: inputOf(''), out: () => {}, err: () => {} }, netns, pos);
        if (status !== 0) err(`bash: ${path}: No such file or directory\n`);
      };
    }
    if (!append || !this.files.has(path)) this.files.set(path, '');
    const resolver = resolverFile(path, netns);
    return (text) => {
      this.files.set(path, (this.files.get(path) ?? '') + text);
      if (resolver) {
        applyResolverFile(this.kernel, resolver, this.files.get(path) ?? '');
        this.ownResolver.add(`${resolver.netns}\0${resolver.kind}`);
      }
    };
  }

  private applyRedirects(redirects: Redirect[], io: Io, netns: string): Io {
    if (redirects.length === 0) return io;
    const fds: Record<number, Sink> = { 1: io.out, 2: io.err };
    let input = io.input;
    for (const r of redirects) {
      switch (r.kind) {
        case 'file': {
          const path = this.expandWord(r.target, false).join('');
          if (r.op === '<') {
            const text = this.readFile(path, netns, r.pos);
            if (text === undefined) {
              fds[2](`bash: ${path}: No such file or directory\n`);
              throw new RedirectFailure();
            }
            if (r.fd !== 0) throw new ScriptError(`Input redirection to fd ${r.fd} is not supported`, r.pos);
            input = inputOf(text);
          } else {
            if (r.fd !== 1 && r.fd !== 2) throw new ScriptError(`Redirection of fd ${r.fd} is not supported; supported: 1 (stdout) and 2 (stderr)`, r.pos);
            fds[r.fd] = this.writer(path, r.op === '>>', netns, r.pos, fds[2]);
          }
          break;
        }
        case 'both': {
          const path = this.expandWord(r.target, false).join('');
          const w = this.writer(path, r.append, netns, r.pos, fds[2]);
          fds[1] = w;
          fds[2] = w;
          break;
        }
        case 'dup':
          if ((r.fd !== 1 && r.fd !== 2) || (r.toFd !== 1 && r.toFd !== 2)) throw new ScriptError(`Redirection ${r.fd}>&${r.toFd} is not supported; supported: 2>&1, 1>&2`, r.pos);
          fds[r.fd] = fds[r.toFd];
          break;
        case 'heredoc':
          if (r.fd !== 0) throw new ScriptError(`Heredoc to fd ${r.fd} is not supported`, r.pos);
          input = inputOf(this.expandParts(r.body, false).join(''));
          break;
      }
    }
    return { input, out: fds[1], err: fds[2] };
  }

  // --- expansion -------------------------------------------------------------------------------

  private varValue(name: string): string {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return '1000';
    if (name === '#') return '0';
    // $RANDOM draws from the kernel's seeded generator: the same seed gives the same script.
    if (name === 'RANDOM' && !this.vars.has('RANDOM')) return String(this.kernel.prng.u32() & 0x7fff);
    return this.vars.get(name) ?? '';
  }

  /** Expands a word into fields: variables (split when unquoted), then brace expansion. */
  expandWord(word: Word, split = true): string[] {
    return this.expandParts(word.parts, split);
  }

  /** `$(…)`: runs LIST in the namespace of the command being expanded; stdout, trailing newlines removed. */
  private commandOutput(list: List): string {
    let out = '';
    this.tested++;
    const savedVars = new Map(this.vars);
    try {
      this.lastStatus = this.runList(list, { input: inputOf(''), out: (t) => (out += t), err: this.terminal }, this.expansionNetns);
    } catch (e) {
      // `$(…)` is a subshell: `exit` ends only it.
      if (!(e instanceof ExitSignal)) throw e;
      this.lastStatus = e.status;
    } finally {
      this.tested--;
      this.vars.clear();
      for (const [k, v] of savedVars) this.vars.set(k, v);
    }
    return out.replace(/\n+$/, '');
  }

  private expandParts(parts: WordPart[], split: boolean): string[] {
    // Each field holds alternatives (brace expansion multiplies them); a field with no content
    // (an unquoted empty variable) produces no argument, a quoted empty string does.
    const fields: Array<{ alts: string[]; content: boolean }> = [{ alts: [''], content: false }];
    const cur = (): { alts: string[]; content: boolean } => fields[fields.length - 1];
    const append = (t: string): void => {
      const f = cur();
      for (let k = 0; k < f.alts.length; k++) f.alts[k] += t;
    };
    const breakField = (): void => {
      if (cur().content) fields.push({ alts: [''], content: false });
    };
    for (const p of parts) {
      if (p.kind === 'lit') {
        append(p.text);
        if (p.quoted || p.text !== '') cur().content = true;
      } else if (p.kind === 'brace') {
        const f = cur();
        f.alts = f.alts.flatMap((prefix) => p.items.map((it) => prefix + it));
        f.content = true;
      } else {
        const value = p.kind === 'var' ? this.varValue(p.name) : p.kind === 'cmd' ? this.commandOutput(p.list) : String(arithmetic(p.expr, (n) => this.varValue(n), p.pos));
        if (p.quoted || !split) {
          append(value);
          if (p.quoted || value !== '') cur().content = true;
          continue;
        }
        if (/^[ \t\n]/.test(value)) breakField();
        const pieces = value.split(/[ \t\n]+/).filter((x) => x !== '');
        pieces.forEach((piece, k) => {
          if (k > 0) breakField();
          append(piece);
          cur().content = true;
        });
        if (pieces.length && /[ \t\n]$/.test(value)) breakField();
      }
    }
    return fields.filter((f) => f.content).flatMap((f) => f.alts);
  }
}

/** `$((EXPR))`: integers, variables, + - * / % ( ), comparisons; a ScriptError for anything else. */
export function arithmetic(expr: string, get: (name: string) => string, pos: SourcePos): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/%()<>!]|\S/g) ?? [];
  let k = 0;
  const fail = (): never => {
    throw new ScriptError(`Unsupported arithmetic \`$((${expr}))\`; supported: integers, variables, + - * / % ( ), comparisons`, pos);
  };
  const bin = (next: () => number, ops: Record<string, (a: number, b: number) => number>): (() => number) => () => {
    let v = next();
    while (tokens[k] !== undefined && tokens[k] in ops) {
      const op = tokens[k++];
      v = ops[op](v, next());
    }
    return v;
  };
  const unary = (): number => {
    const t = tokens[k++];
    if (t === undefined) return fail();
    if (t === '-') return -unary();
    if (t === '+') return unary();
    if (t === '!') return unary() ? 0 : 1;
    if (t === '(') {
      const v = or();
      if (tokens[k++] !== ')') fail();
      return v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) {
      const v = get(t).trim();
      return v === '' ? 0 : /^-?\d+$/.test(v) ? Number(v) : fail();
    }
    return fail();
  };
  const div = (a: number, b: number): number => (b === 0 ? fail() : Math.trunc(a / b));
  const mul = bin(unary, { '*': (a, b) => a * b, '/': div, '%': (a, b) => (b === 0 ? fail() : a % b) });
  const add = bin(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = bin(add, { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b), '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const and = bin(cmp, { '&&': (a, b) => +(a !== 0 && b !== 0) });
  const or = bin(and, { '||': (a, b) => +(a !== 0 || b !== 0) });
  const v = or();
  if (k < tokens.length) fail();
  return v;
}

/**
 * /etc/resolv.conf and /etc/hosts (of the namespace a command runs in, or /etc/netns/NAME/… as
 * `ip netns exec` bind-mounts them) configure the namespace's resolver when written.
 */
function resolverFile(path: string, netns: string): { netns: string; kind: 'resolv' | 'hosts' } | undefined {
  const m = /^\/etc\/(?:netns\/([^/]+)\/)?(resolv\.conf|hosts)$/.exec(path);
  if (!m) return undefined;
  return { netns: m[1] ?? netns, kind: m[2] === 'hosts' ? 'hosts' : 'resolv' };
}

function applyResolverFile(kernel: Kernel, f: { netns: string; kind: 'resolv' | 'hosts' }, text: string): void {
  const ns = kernel.namespaces.get(f.netns);
  if (!ns) return;
  const lines = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  if (f.kind === 'resolv') {
    ns.resolvConf = lines.map((l) => /^nameserver\s+(\S+)$/.exec(l)?.[1]).map((a) => (a ? parseIpv4(a) : undefined)).filter((a): a is number => a !== undefined);
  } else {
    ns.hosts.clear();
    for (const l of lines) {
      const [addr, ...names] = l.split(/\s+/);
      const a = parseIpv4(addr);
      if (a !== undefined) for (const n of names) if (!ns.hosts.has(n.toLowerCase())) ns.hosts.set(n.toLowerCase(), a);
    }
  }
}

/** The namespace a command runs in: `ip netns exec NAME …` (behind `sudo`) names it. */
function targetNetns(argv: string[], netns: string): string {
  let k = 0;
  if (argv[0] === 'sudo') for (k = 1; k < argv.length && argv[k].startsWith('-'); k++);
  const a = argv.slice(k);
  if ((a[0] === 'ip' || a[0]?.endsWith('/ip')) && a[1] === 'netns' && (a[2] === 'exec' || a[2] === 'e') && a[3] !== undefined) return targetNetns(a.slice(4), a[3]);
  return netns;
}

/** A failed `<file`: bash prints the error and the command does not run (status 1). */
export class RedirectFailure extends Error {}

// --- small text tools the scripts pipe into ------------------------------------------------------

function echo(args: string[], io: Io): number {
  let newline = true;
  let escapes = false;
  let k = 0;
  for (; k < args.length && /^-[neE]+$/.test(args[k]); k++) {
    if (args[k].includes('n')) newline = false;
    if (args[k].includes('e')) escapes = true;
    if (args[k].includes('E')) escapes = false;
  }
  let text = args.slice(k).join(' ');
  if (escapes) text = text.replace(/\\([ntr\\])/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
  io.out(text + (newline ? '\n' : ''));
  return 0;
}

function printf(args: string[], io: Io, pos: SourcePos): number {
  if (args.length === 0) {
    io.err('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  const format = args[0];
  const rest = args.slice(1);
  let out = '';
  let used = 0;
  do {
    const before = used;
    out += format.replace(/\\(n|t|r|\\|")|%(-?\d*)([sdx%])/g, (m, esc: string | undefined, width: string | undefined, conv: string | undefined) => {
      if (esc) return ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"' } as Record<string, string>)[esc];
      if (conv === '%') return '%';
      const arg = rest[used++] ?? '';
      let s = arg;
      if (conv === 'd') s = String(Math.trunc(Number(arg) || 0));
      else if (conv === 'x') s = (Math.trunc(Number(arg) || 0) >>> 0).toString(16);
      const w = Number(width || 0);
      if (width && width.startsWith('-')) return s.padEnd(-w);
      return s.padStart(w);
    });
    if (used === before) break;
  } while (used < rest.length);
  if (/%[^sdx%]/.test(format.replace(/%%/g, ''))) throw new ScriptError('printf: only %s, %d, %x and %% conversions are supported', pos);
  io.out(out);
  return 0;
}

function grep(args: string[], io: Io, pos: SourcePos): number {
  let invert = false;
  let ignoreCase = false;
  let count = false;
  let extended = false;
  let fixed = false;
  let word = false;
  let quiet = false;
  const patterns: string[] = [];
  const files: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-e') {
      patterns.push(args[++k] ?? '');
      continue;
    }
    if (/^-[vicEFwq]+$/.test(a)) {
      invert ||= a.includes('v');
      ignoreCase ||= a.includes('i');
      count ||= a.includes('c');
      extended ||= a.includes('E');
      fixed ||= a.includes('F');
      word ||= a.includes('w');
      quiet ||= a.includes('q');
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new ScriptError(`grep: option \`${a}\` is not supported; supported: -v -i -c -E -F -w -q -e`, pos);
    if (patterns.length === 0) patterns.push(a);
    else files.push(a);
  }
  if (files.length) throw new ScriptError('grep: only standard input is supported (pipe into grep)', pos);
  const res = patterns.map((p) => {
    let src = fixed ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : extended ? p : basicToExtended(p);
    if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
    return new RegExp(src, ignoreCase ? 'i' : '');
  });
  const lines = splitLines(takeInput(io));
  const hits = lines.filter((l) => res.some((r) => r.test(l)) !== invert);
  if (!quiet) {
    if (count) io.out(`${hits.length}\n`);
    else for (const l of hits) io.out(l + '\n');
  }
  return hits.length ? 0 : 1;
}

/** POSIX basic regular expressions: `\|`, `\+`, `\?`, `\(`, `\)` are the special ones; `+ ? ( ) |` are literal. */
function basicToExtended(p: string): string {
  let out = '';
  for (let k = 0; k < p.length; k++) {
    const c = p[k];
    if (c === '\\' && k + 1 < p.length) {
      const n = p[++k];
      out += '|+?(){}'.includes(n) ? n : '\\' + n;
    } else if ('|+?(){}'.includes(c)) out += '\\' + c;
    else out += c;
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function headTail(name: string, args: string[], io: Io, pos: SourcePos): number {
  let n = 10;
  let fromStart = false;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const m = /^-n?(\+?)(\d+)$/.exec(a);
    if (a === '-n' && args[k + 1] !== undefined) {
      const v = args[++k];
      fromStart = v.startsWith('+');
      n = Number(v.replace('+', ''));
    } else if (m) {
      fromStart = m[1] === '+';
      n = Number(m[2]);
    } else throw new ScriptError(`${name}: supported: ${name} -n N, ${name} -N (standard input only)`, pos);
  }
  const lines = splitLines(takeInput(io));
  const sel = name === 'head' ? lines.slice(0, n) : fromStart ? lines.slice(Math.max(0, n - 1)) : lines.slice(Math.max(0, lines.length - n));
  for (const l of sel) io.out(l + '\n');
  return 0;
}

function wc(args: string[], io: Io, pos: SourcePos): number {
  if (args.length !== 1 || args[0] !== '-l') throw new ScriptError('wc: only `wc -l` on standard input is supported', pos);
  io.out(`${splitLines(takeInput(io)).length}\n`);
  return 0;
}

function seq(args: string[], io: Io, pos: SourcePos): number {
  if (args.length < 1 || args.length > 3 || !args.every((a) => /^-?\d+$/.test(a))) throw new ScriptError('seq: supported: seq LAST, seq FIRST LAST, seq FIRST STEP LAST (integers)', pos);
  const n = args.map(Number);
  const [first, step, last] = n.length === 1 ? [1, 1, n[0]] : n.length === 2 ? [n[0], 1, n[1]] : [n[0], n[1], n[2]];
  if (step === 0) throw new ScriptError('seq: the step must not be zero', pos);
  let out = '';
  for (let v = first, count = 0; step > 0 ? v <= last : v >= last; v += step) {
    if (++count > 100000) throw new ScriptError('seq: more than 100000 numbers', pos);
    out += `${v}\n`;
  }
  io.out(out);
  return 0;
}

function test(name: string, args: string[], pos: SourcePos): number {
  let a = args;
  if (name === '[') {
    if (a[a.length - 1] !== ']') throw new ScriptError("[: missing `]'", pos);
    a = a.slice(0, -1);
  }
  let negate = false;
  if (a[0] === '!') {
    negate = true;
    a = a.slice(1);
  }
  let r: boolean;
  if (a.length === 0) r = false;
  else if (a.length === 1) r = a[0] !== '';
  else if (a.length === 2 && a[0] === '-n') r = a[1] !== '';
  else if (a.length === 2 && a[0] === '-z') r = a[1] === '';
  else if (a.length === 3 && (a[1] === '=' || a[1] === '==')) r = a[0] === a[2];
  else if (a.length === 3 && a[1] === '!=') r = a[0] !== a[2];
  else if (a.length === 3 && ['-eq', '-ne', '-lt', '-le', '-gt', '-ge'].includes(a[1])) {
    const x = Number(a[0]);
    const y = Number(a[2]);
    r = { '-eq': x === y, '-ne': x !== y, '-lt': x < y, '-le': x <= y, '-gt': x > y, '-ge': x >= y }[a[1]] as boolean;
  } else throw new ScriptError(`${name}: supported: -n S, -z S, S = S, S != S, N -eq|-ne|-lt|-le|-gt|-ge N`, pos);
  return r !== negate ? 0 : 1;
}
