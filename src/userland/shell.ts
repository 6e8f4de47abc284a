// packetwalk-only commands a world uses for its servers (not real programs: a world's `serve`
// lines are the one part that does not run on a real host; see src/scenario/worlds.ts).
//
//   serve dns [--port 53] [--address A]… NAME=ADDR…   a DNS server answering A queries (NXDOMAIN otherwise)
//                                                     on every address of the namespace (or the --address ones),
//                                                     UDP and TCP (TCP connections are accepted, not answered)
//   serve http [--port 80] [--address A]              an HTTP/1.1 server answering every GET like nginx
//
// Both must run in the background (`serve … &`); they stop when the session ends.
import { formatIpv4, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import { registerDnsServer } from '../kernel/dns.ts';
import { tcpClose, tcpListen, tcpSend, tcpUnlisten } from '../kernel/tcp.ts';
import type { TcpListener, UdpSocket } from '../kernel/socket.ts';
import { httpResponse } from '../docker/http.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

const USAGE = 'serve dns [--port N] [--address A]… NAME=ADDR…  |  serve http [--port N] [--address A]';

export function serve(argv: string[], ctx: ToolContext): number {
  const kind = argv[1];
  if (kind !== 'dns' && kind !== 'http') throw new ScriptError(`serve: expected \`dns\` or \`http\`; usage: ${USAGE}`, ctx.pos);
  if (!ctx.background) throw new ScriptError('serve: a server must run in the background (`serve … &`)', ctx.pos);
  const ns = ctx.kernel.namespaces.get(ctx.netns);
  if (!ns) throw new ScriptError(`serve: no namespace \`${ctx.netns}\``, ctx.pos);
  let port = kind === 'dns' ? 53 : 80;
  const addresses: Ipv4[] = [];
  const records: Record<string, string[]> = {};
  const args = argv.slice(2);
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '--port' || a === '-p') {
      const v = args[++k];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new ScriptError(`serve: --port expects 1..65535, not \`${v ?? ''}\``, ctx.pos);
      port = Number(v);
    } else if (a === '--address') {
      const v = args[++k];
      const addr = v === undefined ? undefined : parseIpv4(v);
      if (addr === undefined) throw new ScriptError(`serve: --address expects an IPv4 address, not \`${v ?? ''}\``, ctx.pos);
      addresses.push(addr);
    } else if (kind === 'dns' && /^[^=\s]+=[\d.,]+$/.test(a)) {
      const [name, list] = a.split('=');
      const addrs = list.split(',');
      for (const x of addrs) if (parseIpv4(x) === undefined) throw new ScriptError(`serve dns: \`${x}\` is not an IPv4 address (in \`${a}\`)`, ctx.pos);
      records[name] = [...(records[name] ?? []), ...addrs];
    } else throw new ScriptError(`serve: unexpected \`${a}\`; usage: ${USAGE}`, ctx.pos);
  }
  if (kind === 'dns') {
    if (port !== 53) throw new ScriptError('serve dns: only port 53 is modelled', ctx.pos);
    // A UDP server answers from the address it was asked on: one socket per address, as dnsmasq does.
    const on = addresses.length ? addresses : ns.allAddresses().map((x) => x.ifa.addr).filter((a) => a >>> 24 !== 127);
    if (on.length === 0) throw new ScriptError('serve dns: the namespace has no address to serve on (add one first, or give --address)', ctx.pos);
    const sockets: UdpSocket[] = [];
    for (const addr of on) {
      const server = registerDnsServer(ctx.kernel, ns, addr, records);
      if (!server) {
        ctx.err(`serve: ${formatIpv4(addr)}:53: Address already in use\n`);
        return 1;
      }
      sockets.push(server.socket);
    }
    // A DNS server also listens on TCP 53 (clients fall back to TCP for truncated answers): it
    // accepts connections and closes when the client does.
    const tcp: TcpListener[] = [];
    for (const addr of on) {
      const listener = tcpListen(ns, addr, 53, (conn) => ({ onPeerClosed: () => tcpClose(ctx.kernel, conn) }));
      if (listener) tcp.push(listener);
    }
    ctx.atExit?.(() => {
      for (const s of sockets) ns.sockets.closeUdp(s);
      for (const l of tcp) tcpUnlisten(ns, l);
    });
    return 0;
  }
  const listeners: TcpListener[] = [];
  for (const addr of addresses.length ? addresses : [0]) {
    const listener = tcpListen(ns, addr, port, (conn) => ({
      onData: () => {
        // One response per complete request head; the client closes first (curl does).
        if (conn.received.includes('\r\n\r\n')) {
          conn.received = '';
          tcpSend(ctx.kernel, conn, httpResponse('nginx'));
        }
      },
      onPeerClosed: () => tcpClose(ctx.kernel, conn),
    }));
    if (!listener) {
      ctx.err(`serve: ${addr ? formatIpv4(addr) : '0.0.0.0'}:${port}: Address already in use\n`);
      return 1;
    }
    listeners.push(listener);
  }
  ctx.atExit?.(() => {
    for (const l of listeners) tcpUnlisten(ns, l);
  });
  return 0;
}

export const tools: ToolTable = { serve };
