// What the images' servers answer to an HTTP GET: one fixed response per server, so that the
// simulator and the real-kernel shims (test/kernel/docker) send byte-identical replies and the
// byte counters agree. The body is packetwalk's own page, not the upstream default page.
const body = (server: string) =>
  `<!DOCTYPE html>\n<html>\n<head><title>${server} in packetwalk</title></head>\n<body>\n<h1>Hello from ${server}</h1>\n<p>Served inside a simulated container.</p>\n</body>\n</html>\n`;

export function httpResponse(server: 'nginx' | 'caddy'): string {
  const b = body(server);
  const name = server === 'nginx' ? 'nginx' : 'Caddy';
  return `HTTP/1.1 200 OK\r\nServer: ${name}\r\nContent-Type: text/html\r\nContent-Length: ${b.length}\r\nConnection: close\r\n\r\n${b}`;
}

/** The port each image's server listens on. */
export const SERVER_PORTS: Record<string, number> = { nginx: 80, caddy: 80 };
