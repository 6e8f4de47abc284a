// The contract every userland command implements: argv in, text out, an exit code back, like a
// process. Tools talk to the kernel model only through its methods (the "syscalls").
import type { Kernel } from '../kernel/kernel.ts';
import type { SourcePos } from '../scenario/record.ts';

export interface ToolContext {
  kernel: Kernel;
  /** Namespace the command runs in ('' = the initial namespace, the host). */
  netns: string;
  /** Standard input ('' when none): heredocs, `echo … |`, `<file`. */
  stdin: string;
  /** Write to standard output / standard error; the session interleaves them in order. */
  out(text: string): void;
  err(text: string): void;
  /** Started with `&`: servers register listeners and return at once. */
  background: boolean;
  /** Where the command stands in the script, for ScriptError. */
  pos: SourcePos;
  /** Scenario settings (Docker version, world, seed…). */
  env: Record<string, string>;
  /**
   * Runs another command as a child process would (dockerd runs iptables, ip, sysctl): argv[0] is
   * the command name; `netns` defaults to this command's namespace. Output goes to `out`/`err`
   * callbacks when given, otherwise it is discarded. Returns the exit status. `background`: the
   * child is a server left running (dockerd's docker-proxy, a container's nginx): it sees
   * `ctx.background` and returns at once.
   */
  run(argv: string[], options?: { netns?: string; stdin?: string; out?: (t: string) => void; err?: (t: string) => void; background?: boolean }): number;
  /**
   * Background commands only (`cmd &`): registers what the process does when it ends, i.e. when
   * the script kills it (`kill %1`) or the session ends (tcpdump prints `N packets captured`).
   * Output written from there goes where the command's output went. Absent in contexts that never end.
   */
  atExit?(fn: () => void): void;
}

/** Each tool module exports its commands under the names a shell would call them. */
export type ToolTable = Record<string, Tool>;

/** A command: returns its exit status, like a process. Real tool errors are printed like the real
 * tool prints them (with its exit code); things packetwalk does not model throw ScriptError. */
export type Tool = (argv: string[], ctx: ToolContext) => number;

/**
 * A script uses something packetwalk does not model (an unknown command, option, match…), or is
 * malformed. It stops the run; the message names what was expected and what is supported.
 */
export class ScriptError extends Error {
  readonly pos: SourcePos | undefined;
  constructor(message: string, pos?: SourcePos) {
    super(message);
    this.name = 'ScriptError';
    this.pos = pos;
  }
}

/**
 * Ends a tool from deep inside its own code with an exit status, as exit(3) would; the tool's
 * entry point catches it and returns `code`. Whatever the tool printed before stays printed.
 */
export class ToolExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/** strerror(3) as glibc words the errnos the simulated sockets and routes report. */
const ERRNO_TEXT: Record<string, string> = {
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EACCES: 'Permission denied',
  EINVAL: 'Invalid argument',
  EADDRINUSE: 'Address already in use',
  ECONNREFUSED: 'Connection refused',
};

/** glibc's text for an errno name; an errno without one is printed as its name. */
export function strerror(errno: string): string {
  return ERRNO_TEXT[errno] ?? errno;
}
