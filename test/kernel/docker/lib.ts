// Turns a scenario written with docker commands into a plain script for the real kernel: every
// `docker …`/`dockerd …` line is replaced by its expansion (src/docker), everything else is kept.
// The expansion's docker-proxy and the images' servers run as small shims written here, so the
// kernel side needs nothing beyond python3 and the oracle's tools.
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandDockerCommand, renderStep, httpResponse, shellQuote } from '../../../src/docker/index.ts';
import type { DockerState, ExpandOptions } from '../../../src/docker/index.ts';

/** Splits a shell line into words (single/double quotes, backslash escapes; no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        cur += line[j];
        j++;
      }
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export interface Expanded {
  script: string;
  state: DockerState | undefined;
}

/** Expands the docker lines of SCENARIO (one command per line; `\` continuations joined). */
export function expandScenario(scenario: string, options: ExpandOptions = {}): Expanded {
  let state: DockerState | undefined;
  const out: string[] = [];
  const lines = scenario.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    const piped = /^((?:docker|dockerd)\s.*?)\s+\|\s+(.+)$/.exec(line);
    if (piped && !piped[1].includes("'") && !piped[1].includes('"') ) {
      // `docker inspect c1 | grep …`: the expansion's output feeds the rest of the pipeline.
      const e = expandDockerCommand(state, shellWords(piped[1]), { ...options, ipForward: options.ipForward ?? '1' });
      state = e.state;
      out.push(`# ${line}`, '{');
      out.push(...e.steps.map(renderStep));
      for (const l of e.stdout.split('\n').slice(0, -1)) out.push(`echo ${shellQuote(l)}`);
      out.push(`} | ${piped[2]}`);
    } else if (/^(docker|dockerd)(\s|$)/.test(line)) {
      // `docker exec c1 ping … >/dev/null || true`: redirections and a tolerated failure apply
      // to the command's own (shown) step.
      let rest = line.replace(/\s*&$/, '');
      const tolerate = /\s*\|\|\s*true$/.test(rest);
      rest = rest.replace(/\s*\|\|\s*true$/, '');
      let redirects = '';
      for (let m = /\s+(\d?>>?&?\S+|<\S+)$/.exec(rest); m; m = /\s+(\d?>>?&?\S+|<\S+)$/.exec(rest)) {
        redirects = ` ${m[1]}${redirects}`;
        rest = rest.slice(0, m.index);
      }
      const words = shellWords(rest);
      const e = expandDockerCommand(state, words, { ...options, ipForward: options.ipForward ?? '1' });
      state = e.state;
      out.push(`# ${line}`);
      out.push(...e.steps.map((step) => (step.show ? renderStep(step) + redirects + (tolerate ? ' || true' : '') : renderStep(step))));
      for (const l of e.stdout.split('\n').slice(0, -1)) out.push(`echo ${shellQuote(l)}`);
    } else out.push(raw);
  }
  return { script: `${out.join('\n')}\n`, state };
}

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
