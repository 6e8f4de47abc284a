// nc (OpenBSD netcat 1.219, Debian): TCP and UDP clients and servers on the simulated stack.
// Supported: -z -u -l -k -v -n -w SECS -p PORT -s ADDR; `nc [-zv] HOST PORT…` (ports and ranges),
// `nc -l [-k] [-u] -p PORT` (started with `&`), and stdin sent to the peer.
// Messages and exit codes as measured on the oracle: failures are printed only with -v; with -v a
// UDP client first probes with "X" datagrams (udptest) and fails silently on ECONNREFUSED; a UDP
// client exits as soon as a hard ICMP error (port unreachable) reaches its connected socket.
import { formatIpv4, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Netns } from '../kernel/netns.ts';
import type { TcpConn, UdpSocket } from '../kernel/socket.ts';
import { tcpClose, tcpConnect, tcpListen, tcpSend } from '../kernel/tcp.ts';
import { udpSendto } from '../kernel/udp.ts';
import { routeOutput } from '../kernel/ipv4.ts';
import { resolveName } from '../kernel/dns.ts';
import { ScriptError, type ToolContext, type ToolTable, ToolExit, strerror } from './tool.ts';

/** /etc/services names (Debian netbase) for the ports scenarios use. */
const SERVICES: Record<string, Record<number, string>> = {
  tcp: { 20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 80: 'http', 110: 'pop3', 143: 'imap2', 443: 'https', 993: 'imaps', 995: 'pop3s', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' },
  udp: { 53: 'domain', 67: 'bootps', 68: 'bootpc', 123: 'ntp', 161: 'snmp', 443: 'https', 514: 'syslog' },
};

/** TCP connect timeout when no -w is given: SYN retries 6 → 127 s. */
const TCP_CONNECT_HORIZON = 200e9;

interface Options {
  zero: boolean;
  udp: boolean;
  listen: boolean;
  keep: boolean;
  verbose: boolean;
  numeric: boolean;
  /** -N: shutdown(SHUT_WR) once stdin is sent. */
  shutdownOnEof: boolean;
  wait?: number;
  port?: number;
  source?: Ipv4;
  host?: string;
  ports: number[];
}

const SUPPORTED = '-z -u -l -k -v -n -N -w SECS -p PORT -s ADDR';

function parse(argv: string[], ctx: ToolContext): Options {
  const o: Options = { zero: false, udp: false, listen: false, keep: false, verbose: false, numeric: false, shutdownOnEof: false, ports: [] };
  const pos: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      pos.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      const takeValue = (): string => {
        const rest = a.slice(j + 1);
        j = a.length;
        if (rest) return rest;
        const v = argv[++i];
        if (v === undefined) {
          ctx.err(`nc: option requires an argument -- '${f}'\n`);
          throw new ToolExit(1);
        }
        return v;
      };
      switch (f) {
        case 'z': o.zero = true; break;
        case 'u': o.udp = true; break;
        case 'l': o.listen = true; break;
        case 'k': o.keep = true; break;
        case 'v': o.verbose = true; break;
        case 'n': o.numeric = true; break;
        case '4': break;
        case 'N': o.shutdownOnEof = true; break;
        case 'w': {
          const v = takeValue();
          const n = Number(v);
          if (!/^\d+$/.test(v)) {
            ctx.err(`nc: timeout invalid: ${v}\n`);
            throw new ToolExit(1);
          }
          o.wait = n;
          break;
        }
        case 'p': {
          const v = takeValue();
          const n = Number(v);
          if (!/^\d+$/.test(v) || n < 1 || n > 65535) {
            ctx.err(`nc: port number invalid: ${v}\n`);
            throw new ToolExit(1);
          }
          o.port = n;
          break;
        }
        case 's': {
          const v = takeValue();
          const addr = parseIpv4(v);
          if (addr === undefined) throw new ScriptError(`nc: -s needs an IPv4 address, got \`${v}\``, ctx.pos);
          o.source = addr;
          break;
        }
        default:
          throw new ScriptError(`nc: unsupported option \`-${f}\` (supported: ${SUPPORTED})`, ctx.pos);
      }
    }
  }
  if (o.listen) {
    if (pos.length === 1 && o.port === undefined && /^\d+$/.test(pos[0])) o.port = Number(pos[0]);
    else if (pos.length) o.host = pos[0];
    if (o.port === undefined) throw new ScriptError('nc -l needs a port (`nc -l -p PORT` or `nc -l PORT`)', ctx.pos);
    return o;
  }
  if (pos.length < 2) {
    ctx.err('usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n');
    throw new ToolExit(1);
  }
  o.host = pos[0];
  for (const p of pos.slice(1)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(p);
    if (!m) {
      ctx.err(`nc: port range not valid\n`);
      throw new ToolExit(1);
    }
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (lo < 1 || hi > 65535 || lo > hi) {
      ctx.err(`nc: port range not valid\n`);
      throw new ToolExit(1);
    }
    for (let q = lo; q <= hi; q++) o.ports.push(q);
  }
  return o;
}


function service(proto: 'tcp' | 'udp', port: number, numeric: boolean): string {
  if (numeric) return '*';
  return SERVICES[proto][port] ?? '*';
}


/** errno of a failed connect from the ICMP error that ended it (icmp_err_convert). */
function icmpErrno(icmp: { type: number; code: number } | undefined): string {
  if (!icmp) return 'ETIMEDOUT';
  if (icmp.type === 3) {
    switch (icmp.code) {
      case 0: case 6: case 9: case 11: return 'ENETUNREACH';
      case 2: return 'ENOPROTOOPT';
      case 3: return 'ECONNREFUSED';
      default: return 'EHOSTUNREACH';
    }
  }
  return 'EHOSTUNREACH';
}

export function nc(argv: string[], ctx: ToolContext): number {
  try {
    return main(argv, ctx);
  } finally {
    ctx.kernel.flush();
  }
}

function main(argv: string[], ctx: ToolContext): number {
  try {
    const o = parse(argv, ctx);
    const kernel = ctx.kernel;
    const ns = kernel.requireNetns(ctx.netns);
    if (o.listen) return listen(kernel, ns, o, ctx);
    // -n: numeric only (AI_NUMERICHOST), no DNS query at all.
    const res = o.numeric && parseIpv4(o.host!) === undefined ? ({ ok: false, error: 'NXDOMAIN' } as const) : resolveName(kernel, ns, o.host!);
    if (!res.ok) {
      ctx.err(`nc: getaddrinfo for host "${o.host}" port ${o.ports[0]}: ${res.error === 'NXDOMAIN' ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`);
      return 1;
    }
    const dst = res.addrs[0];
    let ok = false;
    for (const port of o.ports) {
      const r = o.udp ? udpClient(kernel, ns, dst, port, o, ctx) : tcpClient(kernel, ns, dst, port, o, ctx);
      ok ||= r;
    }
    return ok ? 0 : 1;
  } catch (e) {
    if (e instanceof ToolExit) return e.code;
    throw e;
  }
}

function tcpClient(kernel: Kernel, ns: Netns, dst: Ipv4, port: number, o: Options, ctx: ToolContext): boolean {
  const host = formatIpv4(dst);
  let outcome: 'connected' | 'refused' | 'unreachable' | 'timeout' | undefined;
  let icmp: { type: number; code: number } | undefined;
  let peerClosed = false;
  let closed = false;
  const conn = tcpConnect(kernel, ns, dst, port, {
    onConnected: () => (outcome = 'connected'),
    onError: (_c, why, e) => {
      outcome = why;
      icmp = e;
    },
    onData: (_c, data) => ctx.out(data),
    onPeerClosed: () => (peerClosed = true),
    onClosed: () => (closed = true),
  }, { saddr: o.source, sport: o.port });
  if (typeof conn === 'string') {
    if (o.verbose) ctx.err(`nc: connect to ${host} port ${port} (tcp) failed: ${strerror(conn)}\n`);
    return false;
  }
  const deadline = kernel.now + (o.wait !== undefined ? o.wait * 1e9 : TCP_CONNECT_HORIZON);
  kernel.runUntil(() => outcome !== undefined, deadline);
  if (outcome !== 'connected') {
    if (outcome === 'timeout') {
      // The kernel gave up (SYN retries exhausted): ETIMEDOUT.
      if (o.verbose) ctx.err(`nc: connect to ${host} port ${port} (tcp) failed: Connection timed out\n`);
    } else if (outcome === undefined) {
      tcpClose(kernel, conn);
      if (o.verbose) ctx.err(`nc: connect to ${host} port ${port} (tcp) timed out: Operation now in progress\n`);
    } else if (o.verbose) {
      const errno = outcome === 'refused' ? 'ECONNREFUSED' : icmpErrno(icmp);
      ctx.err(`nc: connect to ${host} port ${port} (tcp) failed: ${strerror(errno)}\n`);
    }
    return false;
  }
  // connect(2) returns after the softirq that sent the ACK has run: on a veth the server has
  // already accepted (and printed) by then.
  kernel.flush(1e6);
  if (o.verbose) ctx.err(`Connection to ${host} ${port} port [tcp/${service('tcp', port, o.numeric)}] succeeded!\n`);
  if (!o.zero) {
    if (ctx.stdin) {
      tcpSend(kernel, conn, ctx.stdin);
      // write(2) returns after the softirq has run: on lo or a veth the peer's ACK is already
      // sent (before our FIN, as captured on the oracle).
      kernel.flush(1e6);
    }
    // -N: half-close at once (FIN); then read until the peer closes, or -w seconds of silence.
    if (o.shutdownOnEof) tcpClose(kernel, conn);
    const idle = o.wait !== undefined ? o.wait * 1e9 : 3600e9;
    kernel.runUntil(() => peerClosed || closed, kernel.now + idle);
  }
  // close(2) returns at once; the kernel finishes the FIN exchange (flush() lets it land).
  tcpClose(kernel, conn);
  return true;
}

/**
 * Whether an ICMP error is a hard error for a connected UDP socket (__udp4_lib_err with
 * icmp_err_convert's `fatal`): only those set sk_err (the next send fails, poll reports POLLERR).
 * Net/host unreachable (codes 0, 1, 11, 12), source route failed (5) and time exceeded are not.
 */
function hardUdpError(e: { type: number; code: number }): boolean {
  if (e.type === 12) return true;
  // Fragmentation needed is EMSGSIZE, hard unless IP_PMTUDISC_DONT (nc's socket uses WANT).
  return e.type === 3 && [2, 3, 4, 6, 7, 8, 9, 10, 13, 14, 15].includes(e.code);
}

/**
 * A UDP "connection" as nc 1.219 (Debian) runs it, measured with strace on the oracle:
 * - with -v, udptest(): write "X", write "X" (a failure of the first, or ECONNREFUSED on the
 *   second, ends the probe: exit status 1, no message), then -w N (default 3) times sleep(1) and
 *   write "X" (ECONNREFUSED ends it the same way); then "Connection to … succeeded!";
 * - -z without -v sends nothing at all (exit 0);
 * - otherwise readwrite(): stdin is read and written in one datagram, then nc polls the socket
 *   with -w as poll's timeout (restarted after each datagram it prints) and exits (status 0) when
 *   it times out or at once when a hard ICMP error arrives (POLLERR: port unreachable, …).
 * A write is done when its softirq has run: an ICMP error from a host on the veths is already
 * there for the next call. Without -w the real nc waits for ever (unless an error comes); here it
 * returns once the packets in flight have landed.
 */
function udpClient(kernel: Kernel, ns: Netns, dst: Ipv4, port: number, o: Options, ctx: ToolContext): boolean {
  const host = formatIpv4(dst);
  const rt = routeOutput(ns, dst, { saddr: o.source });
  if (!rt.ok) {
    // connect(2) on the UDP socket looks the route up.
    if (o.verbose) ctx.err(`nc: connect to ${host} port ${port} (udp) failed: ${strerror(rt.errno)}\n`);
    return false;
  }
  const sock: UdpSocket = { laddr: o.source ?? 0, lport: o.port ?? 0, raddr: dst, rport: port };
  // bind(2) to -p's port before connect(2) (without -p the first send picks an ephemeral port).
  if (o.port !== undefined && !ns.sockets.bindUdp(sock)) {
    ctx.err('nc: Address already in use\n');
    return false;
  }
  let received = 0;
  sock.onDatagram = (_skb, data) => {
    received++;
    ctx.out(data);
  };
  // Soft errors (net/host unreachable, time exceeded) leave no error on the socket.
  sock.onError = (e) => {
    if (!hardUdpError(e)) sock.pendingError = undefined;
  };
  /** write(2): fails with the pending error (and clears it), else sends and lets the softirq run. */
  const write = (data: string): 'ok' | 'ECONNREFUSED' | 'error' => {
    const e = sock.pendingError;
    if (e) {
      sock.pendingError = undefined;
      return e.type === 3 && e.code === 3 ? 'ECONNREFUSED' : 'error';
    }
    const r = udpSendto(kernel, ns, sock, dst, port, data);
    if (!r.ok) return 'error';
    kernel.flush(1e6);
    return 'ok';
  };
  try {
    if (o.verbose) {
      if (write('X') !== 'ok') return false;
      if (write('X') === 'ECONNREFUSED') return false;
      const t = o.wait ?? 3;
      for (let i = 0; i < t; i++) {
        kernel.advance(1e9);
        if (write('X') === 'ECONNREFUSED') return false;
      }
      ctx.err(`Connection to ${host} ${port} port [udp/${service('udp', port, o.numeric)}] succeeded!\n`);
    }
    if (o.zero) return true;
    // An error already pending (left by udptest's last "X") ends readwrite at its first poll.
    if (sock.pendingError) return true;
    if (ctx.stdin) write(ctx.stdin);
    if (o.wait === undefined) {
      kernel.flush();
      return true;
    }
    for (;;) {
      const seen = received;
      const woke = kernel.runUntil(() => sock.pendingError !== undefined || received > seen, kernel.now + o.wait * 1e9);
      if (!woke || sock.pendingError) break;
    }
    return true;
  } finally {
    ns.sockets.closeUdp(sock);
  }
}

/** `nc -l [-k] [-u] -p PORT &`: a server that prints what it receives. */
function listen(kernel: Kernel, ns: Netns, o: Options, ctx: ToolContext): number {
  if (!ctx.background) throw new ScriptError('nc -l in the foreground would wait for ever: start the server in the background (`nc -l -k -p PORT &`)', ctx.pos);
  const port = o.port!;
  const laddr = o.host !== undefined ? parseIpv4(o.host) ?? 0 : 0;
  // -v: "Listening on ADDR PORT" / "Bound on …" (UDP) and "Connection received on ADDR PORT";
  // without -n nc asks getnameinfo first, which fails in a namespace without a resolver.
  const say = (line: string): void => {
    if (!o.verbose) return;
    ctx.err(o.numeric || ns.resolvConf.length > 0 ? `${line}\n` : 'nc: getnameinfo: Temporary failure in name resolution\n');
  };
  if (o.udp) {
    const sock: UdpSocket = { laddr, lport: port };
    let peerSeen = false;
    sock.onDatagram = (skb, data) => {
      if (!peerSeen) {
        peerSeen = true;
        say(`Connection received on ${formatIpv4(skb.ip.saddr)} ${skb.udp!.sport}`);
      }
      ctx.out(data);
    };
    if (!ns.sockets.bindUdp(sock)) {
      ctx.err('nc: Address already in use\n');
      return 1;
    }
    say(`Bound on ${formatIpv4(laddr)} ${port}`);
    return 0;
  }
  const listener = tcpListen(ns, laddr, port, (conn: TcpConn) => {
    // Without -k the listening socket is closed once a connection is accepted.
    if (!o.keep) ns.sockets.unlistenTcp(listener!);
    say(`Connection received on ${formatIpv4(conn.raddr)} ${conn.rport}`);
    return {
      onData: (_c, data) => ctx.out(data),
      onPeerClosed: (c) => tcpClose(kernel, c),
    };
  });
  if (!listener) {
    ctx.err('nc: Address already in use\n');
    return 1;
  }
  say(`Listening on ${formatIpv4(laddr)} ${port}`);
  return 0;
}

export const tools: ToolTable = { nc, netcat: nc };
