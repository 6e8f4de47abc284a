// `packetwalk`: run a scenario script through the simulator, print a world, check Markdown pages.
// Errors are `FILE:LINE:COL: error: …` on stderr with exit status 1, never a stack trace.
import { readFileSync } from 'node:fs';
import { createSession, ScenarioError, WORLDS, worldNames, worldScript } from '../scenario/index.ts';
import { check } from './check.ts';

const HELP = `Usage:
  packetwalk run FILE.sh|-  [--json] [--docker-version V] [--world NAME] [--seed N]
  packetwalk run --print-world NAME
  packetwalk check [PATHS…] [--update] [--format text|github|json]
  packetwalk --help | --version

run    Runs a scenario script (a bash subset: ip, sysctl, iptables, docker, ping, nc, curl…) through
       the simulated Linux network stack and prints what the session prints.
         --json              print the run record (commands, packets, every kernel event) instead
         --docker-version V  the Docker version dockerd models
         --world NAME        set up a world first (${worldNames().join(', ')})
         --print-world NAME  print a world's script and exit
         --seed N            seed for what the kernel leaves to chance (default 1)
check  Runs every scenario and console block in Markdown files and checks the outputs they state.
`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  readStdin(): string;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readFile: (p) => readFileSync(p, 'utf8'),
  readStdin: () => readFileSync(0, 'utf8'),
};

/** The status a shell reports for a process that a SIGPIPE ended (128 + 13). */
export const EPIPE_STATUS = 141;

/**
 * A reader that stops reading (`packetwalk check | head`) closes the pipe: the next write fails
 * with EPIPE, which Node reports as an unhandled 'error' event with a stack trace. CLI tools end
 * quietly instead (a C tool dies of SIGPIPE, which the shell reports as 141); so do we.
 */
export function exitQuietlyOnEpipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr], exit: (code: number) => void = (code) => process.exit(code)): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') exit(EPIPE_STATUS);
      else throw e;
    });
  }
}

/** Thrown for bad command-line usage: printed as `packetwalk: …` with exit status 2. */
class UsageError extends Error {}

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (io === defaultIo) exitQuietlyOnEpipe();
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`packetwalk ${version(io)}\n`);
      return 0;
    }
    if (command === 'run') return runCommand(rest, io);
    if (command === 'check') return await checkCommand(rest, io);
    throw new UsageError(`unknown command \`${command}\`; expected \`run\` or \`check\` (see --help)`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`packetwalk: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ScenarioError) {
      io.stderr(`${e.pos.file}:${e.pos.line}:${e.pos.column}: error: ${e.message}\n`);
      return 1;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`packetwalk: error: ${message}\n`);
    return 1;
  }
}

function version(io: CliIo): string {
  try {
    const pkg = JSON.parse(io.readFile(new URL('../../package.json', import.meta.url).pathname)) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function runCommand(args: string[], io: CliIo): number {
  let file: string | undefined;
  let json = false;
  let dockerVersion: string | undefined;
  let world: string | undefined;
  let seed: number | undefined;
  const value = (k: number, flag: string): string => {
    const v = args[k + 1];
    if (v === undefined) throw new UsageError(`\`${flag}\` needs a value`);
    return v;
  };
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const take = (): string => (inline !== undefined ? inline : value(k++, flag));
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--docker-version':
        dockerVersion = take();
        break;
      case '--world':
        world = take();
        if (!Object.hasOwn(WORLDS, world)) throw new UsageError(`unknown world \`${world}\`; known worlds: ${worldNames().join(', ')}`);
        break;
      case '--seed': {
        const s = take();
        if (!/^\d+$/.test(s)) throw new UsageError(`\`--seed\` expects a non-negative integer, not \`${s}\``);
        seed = Number(s);
        break;
      }
      case '--print-world': {
        const name = take();
        if (!Object.hasOwn(WORLDS, name)) throw new UsageError(`unknown world \`${name}\`; known worlds: ${worldNames().join(', ')}`);
        io.stdout(worldScript(name));
        return 0;
      }
      case '--help':
      case '-h':
        io.stdout(HELP);
        return 0;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option \`${a}\` for \`run\`; supported: --json, --docker-version V, --world NAME, --print-world NAME, --seed N`);
        if (file !== undefined) throw new UsageError(`\`run\` takes one script, got \`${file}\` and \`${a}\``);
        file = a;
    }
  }
  if (file === undefined) throw new UsageError('`run` needs a script: `packetwalk run FILE.sh` or `-` for standard input');
  let source: string;
  try {
    source = file === '-' ? io.readStdin() : io.readFile(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new UsageError(`cannot read \`${file}\`${code === 'ENOENT' ? ': no such file' : code ? `: ${code}` : ''}`);
  }
  const name = file === '-' ? '<stdin>' : file;
  const session = createSession({ file: name, dockerVersion, world, seed });
  let exitCode: number;
  try {
    exitCode = session.run(source).exitCode;
  } catch (e) {
    if (e instanceof ScenarioError && !json) io.stdout(e.output);
    throw e;
  }
  const tail = session.end();
  const record = session.record();
  if (json) io.stdout(JSON.stringify(record) + '\n');
  else io.stdout(record.output);
  void tail;
  if (exitCode !== 0) {
    // The tool already printed its own message (as the real tool does); say where the script
    // stopped, so an author finds the line without counting.
    const failed = [...record.commands].reverse().find((c) => !c.background && c.exitCode !== 0 && !c.pos.file.startsWith('world:'));
    if (failed) {
      io.stderr(`${failed.pos.file}:${failed.pos.line}:${failed.pos.column}: error: \`${failed.text}\` exited with status ${failed.exitCode}; the script stops here, as under \`bash -e\`\n`);
    }
  }
  return exitCode;
}

async function checkCommand(args: string[], io: CliIo): Promise<number> {
  return await check(args, { stdout: io.stdout, stderr: io.stderr });
}
