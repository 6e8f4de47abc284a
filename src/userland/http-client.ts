// The HTTP/1.1 client both curl and wget use: resolve, connect (with timeouts in virtual time),
// send one request, read the response (Content-Length or until close), then close.
import { formatIpv4, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Netns } from '../kernel/netns.ts';
import type { TcpConn } from '../kernel/socket.ts';
import { tcpClose, tcpConnect, tcpSend } from '../kernel/tcp.ts';
import { resolveName } from '../kernel/dns.ts';

export interface Url {
  host: string;
  port: number;
  path: string;
  /** Host header value (port only when not the default). */
  hostHeader: string;
}

export function parseUrl(text: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(text);
  if (!m) return undefined;
  if (m[1] === 'https') return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : 80;
  const path = m[4] === '' ? '/' : m[4].startsWith('/') ? m[4] : `/${m[4]}`;
  return { host: m[2], port, path, hostHeader: m[3] !== undefined && port !== 80 ? `${m[2]}:${port}` : m[2] };
}

export type FetchResult =
  | { ok: true; addr: Ipv4; raw: string; head: string; body: string; status: number; elapsed: number }
  | { ok: false; error: 'resolve' | 'refused' | 'unreachable' | 'connect-timeout' | 'timeout' | 'route' | 'syn-timeout'; elapsed: number; addr?: Ipv4; errno?: string };

export interface FetchOptions {
  method: string;
  headers: Array<[string, string]>;
  /** Overall limit (-m), seconds. */
  maxTime?: number;
  /** Connect limit (--connect-timeout), seconds. */
  connectTimeout?: number;
}

/** Runs one HTTP exchange in NS; time advances as the packets go. */
export function httpFetch(kernel: Kernel, ns: Netns, url: Url, opts: FetchOptions): FetchResult {
  const start = kernel.now;
  const overall = opts.maxTime !== undefined ? start + opts.maxTime * 1e9 : Infinity;
  const res = resolveName(kernel, ns, url.host, { deadline: overall });
  if (!res.ok) return { ok: false, error: res.error === 'TIMEOUT' && kernel.now >= overall ? 'timeout' : 'resolve', elapsed: kernel.now - start };
  const addr = res.addrs[0];
  let outcome: 'connected' | 'refused' | 'unreachable' | 'timeout' | undefined;
  let raw = '';
  let peerClosed = false;
  let closed = false;
  const conn = tcpConnect(kernel, ns, addr, url.port, {
    onConnected: () => (outcome = 'connected'),
    onError: (_c, why) => (outcome = why),
    onData: (_c, d) => (raw += d),
    onPeerClosed: () => (peerClosed = true),
    onClosed: () => (closed = true),
  });
  if (typeof conn === 'string') return { ok: false, error: 'route', errno: conn, elapsed: kernel.now - start, addr };
  const connectLimit = Math.min(overall, opts.connectTimeout !== undefined ? kernel.now + opts.connectTimeout * 1e9 : kernel.now + 300e9);
  kernel.runUntil(() => outcome !== undefined, connectLimit);
  if (outcome !== 'connected') {
    if (outcome === undefined) {
      tcpClose(kernel, conn);
      return { ok: false, error: kernel.now >= overall ? 'timeout' : 'connect-timeout', elapsed: kernel.now - start, addr };
    }
    // 'timeout' here is the kernel's ETIMEDOUT (SYN retries exhausted), not curl's own timer.
    return { ok: false, error: outcome === 'timeout' ? 'syn-timeout' : outcome, elapsed: kernel.now - start, addr };
  }
  const req = [`${opts.method} ${url.path} HTTP/1.1`, ...opts.headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n') + '\r\n\r\n';
  tcpSend(kernel, conn, req);
  const complete = (): boolean => {
    const end = raw.indexOf('\r\n\r\n');
    if (end < 0) return peerClosed;
    if (opts.method === 'HEAD') return true;
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(raw.slice(0, end + 2));
    if (m) return Buffer.byteLength(raw.slice(end + 4)) >= Number(m[1]);
    return peerClosed;
  };
  const done = kernel.runUntil(() => complete() || closed, overall === Infinity ? kernel.now + 3600e9 : overall);
  if (!done || !complete()) {
    tcpClose(kernel, conn);
    return { ok: false, error: 'timeout', elapsed: kernel.now - start, addr };
  }
  const elapsed = kernel.now - start;
  // close(2) returns at once; the caller's flush() lets the FIN exchange land.
  tcpClose(kernel, conn);
  const end = raw.indexOf('\r\n\r\n');
  const head = end >= 0 ? raw.slice(0, end + 4) : raw;
  const body = end >= 0 ? raw.slice(end + 4) : '';
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(raw)?.[1] ?? 0);
  return { ok: true, addr, raw, head, body, status, elapsed };
}

export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== undefined;
}

export { formatIpv4 };
