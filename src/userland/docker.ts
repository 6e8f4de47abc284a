// `docker` and `dockerd`: the docker CLI and the daemon, as one model (src/docker). A command is
// expanded into the plain commands dockerd would run, and those run through the simulator's own
// tools (ip, sysctl, iptables, …) with ctx.run, exactly as they would on a host. Also the
// programs dockerd and the images start: docker-proxy, nginx, caddy.
import type { Kernel } from '../kernel/kernel.ts';
import { expandDockerCommand } from '../docker/index.ts';
import type { DockerState, Step } from '../docker/index.ts';
import { ScriptError } from './tool.ts';
import type { ToolContext, ToolTable } from './tool.ts';

/** dockerd's state per kernel, per namespace it runs in. */
const daemons = new WeakMap<Kernel, Map<string, DockerState>>();

function daemonState(ctx: ToolContext): Map<string, DockerState> {
  let m = daemons.get(ctx.kernel);
  if (!m) daemons.set(ctx.kernel, (m = new Map()));
  return m;
}

/** The docker state of NETNS in KERNEL (undefined before any docker command there). */
export function dockerStateOf(kernel: Kernel, netns: string): DockerState | undefined {
  return daemons.get(kernel)?.get(netns);
}

function currentIpForward(ctx: ToolContext): string {
  let text = '';
  try {
    if (ctx.run(['sysctl', '-n', 'net.ipv4.ip_forward'], { out: (t) => (text += t) }) !== 0) return '0';
  } catch {
    return '0';
  }
  return text.trim() === '1' ? '1' : '0';
}

function runStep(ctx: ToolContext, step: Step, errors: string[]): number {
  let err = '';
  return ctx.run(step.argv, {
    netns: step.netns ?? ctx.netns,
    out: step.show ? ctx.out : undefined,
    err: step.show ? ctx.err : (t) => {
      err += t;
      if (t.endsWith('\n')) {
        errors.push(err.trimEnd());
        err = '';
      }
    },
    background: step.background,
  });
}

function docker(argv: string[], ctx: ToolContext): number {
  const states = daemonState(ctx);
  const before = states.get(ctx.netns);
  let expansion;
  try {
    expansion = expandDockerCommand(before, argv, {
      dockerVersion: ctx.env.dockerVersion ?? ctx.env.DOCKER_VERSION,
      seed: ctx.kernel.seed,
      ipForward: before ? undefined : currentIpForward(ctx),
      now: ctx.kernel.now,
    });
  } catch (e) {
    if (e instanceof ScriptError && !e.pos) throw new ScriptError(e.message, ctx.pos);
    throw e;
  }
  states.set(ctx.netns, expansion.state);
  let status = expansion.exitCode;
  for (const step of expansion.steps) {
    const errors: string[] = [];
    let s: number;
    try {
      s = runStep(ctx, step, errors);
    } catch (e) {
      if (e instanceof ScriptError && step.argv[0] === 'ipset') {
        throw new ScriptError(
          `Docker ${expansion.state.version.version} (rule layout L4) keeps its bridges in the ipset docker-ext-bridges-v4, and ipset / -m set are not modelled by the simulator; use 28.0.1 or newer, or 27.x or older (${e.message})`,
          ctx.pos,
        );
      }
      throw e;
    }
    if (step.show) {
      status = s;
      continue;
    }
    if (s !== 0) {
      // dockerd's own child failed: the daemon reports it, the command fails.
      ctx.err(`Error response from daemon: ${step.argv.join(' ')}: ${errors.join('; ') || `exit status ${s}`}\n`);
      return argv[1] === 'run' ? 125 : 1;
    }
  }
  if (expansion.stdout) ctx.out(expansion.stdout);
  if (expansion.stderr) ctx.err(expansion.stderr);
  return status;
}

/**
 * docker-proxy -proto P -host-ip H -host-port HP -container-ip C -container-port CP: listens on
 * H:HP and serves each connection with its own connection to C:CP. The socket layer is the
 * stack's; until it offers `kernel.dockerProxy`, the proxy only holds its place (a seam).
 */
function dockerProxy(argv: string[], ctx: ToolContext): number {
  const opt: Record<string, string> = {};
  for (let i = 1; i + 1 < argv.length; i += 2) opt[argv[i]] = argv[i + 1];
  for (const k of ['-proto', '-host-ip', '-host-port', '-container-ip', '-container-port']) {
    if (opt[k] === undefined) throw new ScriptError(`docker-proxy: missing ${k} (usage: docker-proxy -proto tcp|udp -host-ip IP -host-port N -container-ip IP -container-port N)`, ctx.pos);
  }
  const k = ctx.kernel as unknown as { dockerProxy?: (netns: string, o: { proto: string; hostIp: string; hostPort: number; containerIp: string; containerPort: number }) => void };
  if (typeof k.dockerProxy === 'function') {
    k.dockerProxy(ctx.netns, { proto: opt['-proto'], hostIp: opt['-host-ip'], hostPort: Number(opt['-host-port']), containerIp: opt['-container-ip'], containerPort: Number(opt['-container-port']) });
  }
  return 0;
}

/** The images' HTTP servers: the stack's `serve http` on port 80, left running. */
function httpServer(name: string) {
  return (argv: string[], ctx: ToolContext): number => {
    try {
      return ctx.run(['serve', 'http', '--port', '80'], { background: true, out: ctx.out, err: ctx.err });
    } catch (e) {
      if (e instanceof ScriptError) throw new ScriptError(`${name}: the HTTP server needs the stack's \`serve http\` (${e.message})`, ctx.pos);
      throw e;
    }
  };
}

export const tools: ToolTable = {
  docker,
  dockerd: docker,
  'docker-proxy': dockerProxy,
  nginx: httpServer('nginx'),
  caddy: httpServer('caddy'),
};
