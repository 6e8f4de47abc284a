// An HTTP/1.1 server on a TCP listener (what nginx/caddy images and scenario worlds run): reads
// a request head, answers in one segment, keeps the connection open, and closes when the client
// closes (FIN answered by FIN in one segment). Used by the docker model and scenario worlds.
import type { Ipv4 } from './addr.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { TcpConn, TcpListener } from './socket.ts';
import { tcpClose, tcpListen, tcpSend, tcpUnlisten } from './tcp.ts';

export interface HttpRequest {
  method: string;
  path: string;
  version: string;
  headers: Array<[string, string]>;
  /** Who asked (after any NAT): the connection's remote end. */
  remote: { addr: Ipv4; port: number };
}

export interface HttpResponse {
  status: number;
  reason?: string;
  headers?: Array<[string, string]>;
  body?: string;
}

export type HttpHandler = (req: HttpRequest) => HttpResponse;

const REASONS: Record<number, string> = { 200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

/** Serialises a response head + body as the server writes it (CRLF line ends). */
export function formatResponse(res: HttpResponse, head: boolean): string {
  const body = res.body ?? '';
  const headers = [...(res.headers ?? [])];
  if (!headers.some(([n]) => n.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(Buffer.byteLength(body))]);
  const lines = [`HTTP/1.1 ${res.status} ${res.reason ?? reasonPhrase(res.status)}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
  return lines.join('\r\n') + '\r\n\r\n' + (head ? '' : body);
}

export function parseRequestHead(text: string, remote: HttpRequest['remote']): HttpRequest | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [first, ...rest] = text.slice(0, end).split('\r\n');
  const [method, path, version] = first.split(' ');
  const headers = rest.map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
  });
  return { method, path: path ?? '/', version: version ?? 'HTTP/1.0', headers, remote };
}

export interface HttpServer {
  listener: TcpListener;
  close(): void;
}

/** listen on ADDR:PORT (0 = any) in NS; undefined when the port is taken. */
export function listenHttp(kernel: Kernel, ns: Netns, addr: Ipv4, port: number, handler: HttpHandler): HttpServer | undefined {
  const listener = tcpListen(ns, addr, port, (conn: TcpConn) => {
    let buf = '';
    return {
      onData(c, data) {
        buf += data;
        for (;;) {
          const req = parseRequestHead(buf, { addr: c.raddr, port: c.rport });
          if (!req) return;
          buf = buf.slice(buf.indexOf('\r\n\r\n') + 4);
          const res = handler(req);
          tcpSend(kernel, c, formatResponse(res, req.method === 'HEAD'));
        }
      },
      onPeerClosed(c) {
        tcpClose(kernel, c);
      },
    };
    void conn;
  });
  if (!listener) return undefined;
  return { listener, close: () => tcpUnlisten(ns, listener) };
}
