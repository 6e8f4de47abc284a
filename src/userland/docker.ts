// `docker` and `dockerd`: the docker CLI and the daemon, as one model (src/docker). A command is
// expanded into the plain commands dockerd would run, and those run through the simulator's own
// tools (ip, sysctl, iptables, …) with ctx.run, exactly as they would on a host. Also the
// programs dockerd and the images start: docker-proxy, nginx, caddy.
import type { Kernel } from '../kernel/kernel.ts';
import { SERVER_PORTS, expandDockerCommand, imageHttpResponse } from '../docker/index.ts';
import { listenHttp } from '../kernel/http.ts';
import type { DockerState, Step } from '../docker/index.ts';
import { formatIpv4, parseIpv4 } from '../kernel/addr.ts';
import { RT_TABLE } from '../kernel/route.ts';
import type { Netns } from '../kernel/netns.ts';
import type { TcpConn } from '../kernel/socket.ts';
import type { TcpListener, UdpSocket } from '../kernel/socket.ts';
import type { Ipv4 } from '../kernel/addr.ts';
import { decodeDnsMessage, dnsReply } from '../kernel/dns.ts';
import { udpSendto } from '../kernel/udp.ts';
import { tcpClose, tcpConnect, tcpListen, tcpSend, tcpUnlisten } from '../kernel/tcp.ts';
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

/** Running docker-proxies per kernel: namespace + argv → its listening socket. */
const proxies = new WeakMap<Kernel, Map<string, { ns: Netns; listener: TcpListener }>>();

function proxyTable(kernel: Kernel): Map<string, { ns: Netns; listener: TcpListener }> {
  let m = proxies.get(kernel);
  if (!m) proxies.set(kernel, (m = new Map()));
  return m;
}

/** Ends a docker-proxy (dockerd stops it when its container stops): its port is free again. */
function killProxy(ctx: ToolContext, netns: string, argv: string[]): void {
  const table = proxyTable(ctx.kernel);
  const key = `${netns}\0${argv.join(' ')}`;
  const p = table.get(key);
  if (!p) return;
  tcpUnlisten(p.ns, p.listener);
  table.delete(key);
}

/**
 * The namespace's IPv4 routes (main table, as netlink's RouteList gives them) and nameservers,
 * which dynamic subnet allocation keeps clear of.
 */
function hostNetworks(ctx: ToolContext): { routes: Array<{ dst: string; onLink: boolean }>; nameservers: string[] } {
  const ns = ctx.kernel.namespaces.get(ctx.netns);
  if (!ns?.fib) return { routes: [], nameservers: [] };
  const routes = ns.fib.table(RT_TABLE.main)
    .filter((r) => r.prefix > 0)
    .map((r) => ({ dst: `${formatIpv4(r.dst)}/${r.prefix}`, onLink: r.scope === 'link' }));
  return { routes, nameservers: (ns.resolvConf ?? []).map((a) => formatIpv4(a)) };
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
      ...hostNetworks(ctx),
    });
  } catch (e) {
    if (e instanceof ScriptError && !e.pos) throw new ScriptError(e.message, ctx.pos);
    throw e;
  }
  states.set(ctx.netns, expansion.state);
  let status = expansion.exitCode;
  for (const step of expansion.steps) {
    if (step.kill) {
      killProxy(ctx, step.netns ?? ctx.netns, step.argv);
      continue;
    }
    const errors: string[] = [];
    const s = runStep(ctx, step, errors);
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
 * docker-proxy -proto tcp -host-ip H -host-port HP -container-ip C -container-port CP: listens on
 * H:HP and serves each accepted connection with a connection of its own to C:CP (the kernel picks
 * the source address: the bridge's gateway), relaying data and closes both ways, as
 * cmd/docker-proxy does. UDP mappings only hold the port (nothing in the scenarios uses them).
 */
function dockerProxy(argv: string[], ctx: ToolContext): number {
  const opt: Record<string, string> = {};
  for (let i = 1; i + 1 < argv.length; i += 2) opt[argv[i]] = argv[i + 1];
  for (const k of ['-proto', '-host-ip', '-host-port', '-container-ip', '-container-port']) {
    if (opt[k] === undefined) throw new ScriptError(`docker-proxy: missing ${k} (usage: docker-proxy -proto tcp|udp -host-ip IP -host-port N -container-ip IP -container-port N)`, ctx.pos);
  }
  if (!ctx.background) throw new ScriptError('docker-proxy runs in the background (dockerd starts it)', ctx.pos);
  if (opt['-proto'] !== 'tcp') return 0;
  const kernel = ctx.kernel;
  const ns = (kernel as unknown as { requireNetns(name: string): Netns }).requireNetns(ctx.netns);
  const hostIp = parseIpv4(opt['-host-ip']!);
  const cip = parseIpv4(opt['-container-ip']!);
  if (hostIp === undefined || cip === undefined) throw new ScriptError(`docker-proxy: bad address in ${argv.join(' ')}`, ctx.pos);
  const cport = Number(opt['-container-port']);
  const listener = tcpListen(ns, hostIp, Number(opt['-host-port']), (client: TcpConn) => {
    const pending: string[] = [];
    let clientDone = false;
    let upDone = false;
    const up = tcpConnect(kernel, ns, cip, cport, {
      onConnected: (c) => {
        for (const d of pending.splice(0)) tcpSend(kernel, c, d);
        if (clientDone) tcpClose(kernel, c);
      },
      onData: (_c, data) => tcpSend(kernel, client, data),
      onPeerClosed: (c) => {
        upDone = true;
        tcpClose(kernel, client);
        if (clientDone) tcpClose(kernel, c);
      },
      onError: () => tcpClose(kernel, client),
    });
    if (typeof up === 'string') {
      tcpClose(kernel, client);
      return {};
    }
    return {
      onData: (_c, data) => {
        if (up.state === 'ESTABLISHED') tcpSend(kernel, up, data);
        else pending.push(data);
      },
      onPeerClosed: (c) => {
        clientDone = true;
        if (up.state === 'ESTABLISHED' || upDone) tcpClose(kernel, up);
        if (upDone) tcpClose(kernel, c);
      },
    };
  });
  if (listener) proxyTable(kernel).set(`${ctx.netns}\0${argv.join(' ')}`, { ns, listener });
  if (!listener) {
    ctx.err(`docker-proxy: listen tcp ${opt['-host-ip']}:${opt['-host-port']}: bind: address already in use\n`);
    return 1;
  }
  return 0;
}

/**
 * dockerd's embedded DNS resolver for one container (started by the expansion in the container's
 * namespace): a UDP socket on 127.0.0.11:PORT (the nat rules send 127.0.0.11:53 there). Names of
 * containers on a network the asking container is on (name, network aliases, short id) are
 * answered from dockerd's state at query time (A: their address on that network, network by
 * network in connection order; AAAA: no record); anything else is forwarded to the host's first
 * nameserver from the container's namespace, as the resolver's external queries go, and the
 * answer relayed. The TCP port is only reserved (no TCP DNS is modelled).
 */
function embeddedDns(argv: string[], ctx: ToolContext): number {
  const opt: Record<string, string> = {};
  for (let i = 1; i + 1 < argv.length; i += 2) opt[argv[i]] = argv[i + 1];
  const udp = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(opt['-udp'] ?? '');
  if (!udp || !ctx.background) throw new ScriptError('dockerd-embedded-dns is dockerd\'s resolver: dockerd starts it (-udp 127.0.0.11:PORT -tcp 127.0.0.11:PORT) in the background', ctx.pos);
  const kernel = ctx.kernel;
  const ns = (kernel as unknown as { requireNetns(name: string): Netns }).requireNetns(ctx.netns);
  const container = ctx.netns;
  const sock: UdpSocket = { laddr: parseIpv4(udp[1])!, lport: Number(udp[2]) };
  sock.onDatagram = (skb, data) => {
    const q = decodeDnsMessage(data);
    if (!q || q.kind !== 'Q') return;
    const client = { addr: skb.ip.saddr, port: skb.udp!.sport };
    const found = lookupContainerName(kernel, container, q.name);
    if (found) {
      const r = dnsReply(q, 'NOERROR', q.qtype === 'A' ? found : []);
      udpSendto(kernel, ns, sock, client.addr, client.port, { len: r.len, payload: r.payload });
      return;
    }
    const upstream = daemonNameserver(kernel, container);
    if (upstream === undefined) {
      const r = dnsReply(q, 'SERVFAIL', []);
      udpSendto(kernel, ns, sock, client.addr, client.port, { len: r.len, payload: r.payload });
      return;
    }
    // Forwarded as asked (same id and size), from the container's namespace.
    const ext: UdpSocket = { laddr: 0, lport: 0, raddr: upstream, rport: 53 };
    ext.onDatagram = (answer, reply) => {
      ns.sockets.closeUdp(ext);
      udpSendto(kernel, ns, sock, client.addr, client.port, { len: answer.payloadLen, payload: reply });
    };
    ext.onError = () => ns.sockets.closeUdp(ext);
    udpSendto(kernel, ns, ext, upstream, 53, { len: skb.payloadLen, payload: data });
  };
  if (!ns.sockets.bindUdp(sock)) {
    ctx.err(`dockerd-embedded-dns: listen udp ${opt['-udp']}: bind: address already in use\n`);
    return 1;
  }
  return 0;
}

/** The running container named CONTAINER and the daemon state it belongs to. */
function daemonOf(kernel: Kernel, container: string): { netns: string; state: DockerState } | undefined {
  for (const [netns, state] of daemons.get(kernel) ?? []) {
    if (state.containers.some((c) => c.name === container && c.running)) return { netns, state };
  }
  return undefined;
}

/** Addresses of NAME as the asking container's networks know it (first network that has it). */
function lookupContainerName(kernel: Kernel, asking: string, name: string): Ipv4[] | undefined {
  const d = daemonOf(kernel, asking);
  const me = d?.state.containers.find((c) => c.name === asking);
  if (!d || !me) return undefined;
  const wanted = name.toLowerCase().replace(/\.$/, '');
  for (const ep of me.endpoints) {
    if (ep.network === 'bridge') continue;
    for (const c of d.state.containers) {
      if (!c.running) continue;
      const other = c.endpoints.find((e) => e.network === ep.network);
      if (!other) continue;
      const names = [c.name, c.id.slice(0, 12), ...(c.aliases?.[ep.network] ?? [])].map((n) => n.toLowerCase());
      if (names.includes(wanted)) return [parseIpv4(other.ip)!];
    }
  }
  return undefined;
}

/** The host's first nameserver (dockerd reads the host's /etc/resolv.conf). */
function daemonNameserver(kernel: Kernel, container: string): Ipv4 | undefined {
  const d = daemonOf(kernel, container);
  return d ? kernel.namespaces.get(d.netns)?.resolvConf[0] : undefined;
}

/** The images' HTTP servers (nginx, caddy): the stack's HTTP/1.1 server on port 80, left running. */
function httpServer(name: 'nginx' | 'caddy') {
  return (_argv: string[], ctx: ToolContext): number => {
    if (!ctx.background) throw new ScriptError(`${name} runs in the background (the container's main process)`, ctx.pos);
    const ns = (ctx.kernel as unknown as { requireNetns(name: string): Netns }).requireNetns(ctx.netns);
    const res = imageHttpResponse(name);
    const server = listenHttp(ctx.kernel, ns, 0, SERVER_PORTS[name]!, () => res);
    if (!server) {
      ctx.err(name === 'nginx' ? 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n' : 'Error: listen tcp :80: bind: address already in use\n');
      return 1;
    }
    return 0;
  };
}

export const tools: ToolTable = {
  docker,
  dockerd: docker,
  'docker-proxy': dockerProxy,
  'dockerd-embedded-dns': embeddedDns,
  nginx: httpServer('nginx'),
  caddy: httpServer('caddy'),
};
