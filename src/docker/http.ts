// What the images' servers answer to every HTTP request: one fixed response per server, so that
// the simulator (src/kernel/http.ts listenHttp) and the real-kernel shims (test/kernel/docker)
// send byte-identical replies and the byte counters agree. The body is packetwalk's own page.
export interface ImageResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export function imageHttpResponse(server: 'nginx' | 'caddy'): ImageResponse {
  const body = `<!DOCTYPE html>\n<html>\n<head><title>${server} in packetwalk</title></head>\n<body>\n<h1>Hello from ${server}</h1>\n<p>Served inside a simulated container.</p>\n</body>\n</html>\n`;
  return { status: 200, headers: [['Server', server === 'nginx' ? 'nginx' : 'Caddy'], ['Content-Type', 'text/html']], body };
}

/** The bytes of the response (as src/kernel/http.ts formatResponse writes it for a GET). */
export function httpResponse(server: 'nginx' | 'caddy'): string {
  const r = imageHttpResponse(server);
  const head = [`HTTP/1.1 ${r.status} OK`, ...r.headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${Buffer.byteLength(r.body)}`];
  return `${head.join('\r\n')}\r\n\r\n${r.body}`;
}

/** The port each image's server listens on. */
export const SERVER_PORTS: Record<string, number> = { nginx: 80, caddy: 80 };
