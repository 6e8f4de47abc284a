// Turns a scenario written with docker commands into a plain script for the real kernel: every
// `docker …`/`dockerd …` line is replaced by its expansion (src/docker), everything else is kept.
// The expansion's docker-proxy and the images' servers run as small shims written here, so the
// kernel side needs nothing beyond python3 and the oracle's tools.
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpResponse } from '../../../src/docker/index.ts';

/** The scenario → kernel-script expansion lives in src/docker (pure); these are its test names. */
export { splitShellWords as shellWords, expandScript as expandScenario } from '../../../src/docker/index.ts';
export type { ExpandedScript as Expanded } from '../../../src/docker/index.ts';

const DOCKER_PROXY = String.raw`#!/usr/bin/env python3
# docker-proxy stand-in: accepts on host-ip:host-port and opens its own connection to the
# container (the kernel picks the source address, as for the real proxy).
import socket, sys, threading
a = sys.argv[1:]
opt = {a[i]: a[i + 1] for i in range(0, len(a) - 1, 2)}
if opt.get('-proto', 'tcp') != 'tcp':
    sys.exit(0)
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((opt['-host-ip'], int(opt['-host-port'])))
srv.listen(64)
def pipe(src, dst):
    try:
        while True:
            d = src.recv(65536)
            if not d:
                break
            dst.sendall(d)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass
def serve(c):
    try:
        b = socket.create_connection((opt['-container-ip'], int(opt['-container-port'])))
    except OSError:
        c.close(); return
    t = threading.Thread(target=pipe, args=(b, c)); t.start()
    pipe(c, b); t.join(); c.close(); b.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

function httpShim(server: 'nginx' | 'caddy'): string {
  return String.raw`#!/usr/bin/env python3
# ${server} stand-in, as src/kernel/http.ts serves: every request head gets packetwalk's fixed
# response in one write; the connection stays open until the client closes it.
import socket, threading
RESP = ${JSON.stringify(httpResponse(server))}.encode()
HEAD = RESP[:RESP.index(b'\r\n\r\n') + 4]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('0.0.0.0', 80))
srv.listen(64)
def serve(c):
    buf = b''
    while True:
        d = c.recv(65536)
        if not d:
            break
        buf += d
        while b'\r\n\r\n' in buf:
            req, buf = buf.split(b'\r\n\r\n', 1)
            c.sendall(HEAD if req.startswith(b'HEAD ') else RESP)
    c.close()
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;
}

let shimDir: string | undefined;

/** A directory with docker-proxy, nginx and caddy shims; prepend it to PATH in kernel scripts. */
export function shimBin(): string {
  if (shimDir) return shimDir;
  shimDir = mkdtempSync(join(tmpdir(), 'pw-docker-bin-'));
  const files: Record<string, string> = { 'docker-proxy': DOCKER_PROXY, nginx: httpShim('nginx'), caddy: httpShim('caddy') };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(shimDir, name), text);
    chmodSync(join(shimDir, name), 0o755);
  }
  chmodSync(shimDir, 0o755);
  return shimDir;
}

/** The prelude every kernel script starts with. */
export function kernelPrelude(): string {
  return `export PATH=${shimBin()}:$PATH\n`;
}

/** iptables-save output → table → rule/chain lines (no counters, comments, COMMIT). */
export function saveTables(text: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) tables.set(line.slice(1), (cur = []));
    else if (line === 'COMMIT' || line.startsWith('#') || !line.trim()) continue;
    else cur?.push(line.replace(/^\[\d+:\d+\] /, '').replace(/ \[\d+:\d+\]$/, ' [0:0]'));
  }
  return tables;
}
