// What a browser test needs besides its assertions: Debian's Chromium and whether it can run,
// an `astro build` in the environment `npm run build` sees, and a static server for dist/.
// (test/e2e/site.test.ts predates this file and carries its own copies.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser tests cannot run here, or undefined when they can. Throws when
 * PACKETWALK_REQUIRE_BROWSER=1 (CI) and they cannot; otherwise prints the reason once.
 */
export function browserUnavailable(): string | undefined {
  const reason = existsSync(chromiumPath) ? undefined : `${chromiumPath} is missing (apt-get install chromium)`;
  if (reason !== undefined) {
    if (process.env.PACKETWALK_REQUIRE_BROWSER === '1') {
      throw new Error(`PACKETWALK_REQUIRE_BROWSER=1 but the browser tests cannot run: ${reason}`);
    }
    console.warn(`[e2e] SKIPPED: ${reason}`);
  }
  return reason;
}

/**
 * Runs `astro build` in `cwd` with the environment `npm run build` would see: vitest exports its
 * own mode (NODE_ENV=test, MODE, DEV, PROD, SSR, BASE_URL, TEST, VITEST*), which would make Vite
 * build in test mode. `drop` names more variables to leave out. Returns the build's output.
 */
export function astroBuild(cwd: string, args: string[] = [], drop: RegExp = /^$/): string {
  const vitestKeys = new Set(['NODE_ENV', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'TEST']);
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  for (const key of Object.keys(env)) if (vitestKeys.has(key) || /^_*VITEST/.test(key) || drop.test(key)) delete env[key];
  const astro = join(root, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const built = spawnSync(process.execPath, [astro, 'build', ...args], { cwd, encoding: 'utf8', env });
  // Astro colours its log when the environment asks for colour (CI sets FORCE_COLOR): plain text to match on.
  const log = `${built.stdout}\n${built.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  if (built.status !== 0) throw new Error(`astro build failed (exit ${built.status}):\n${log}`);
  return log;
}

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1: directories serve index.html, unknown paths 404.html. Returns the server and its base URL. */
export async function serve(dir: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let file = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      const notFound = join(dir, '404.html');
      res.writeHead(404, { 'content-type': mime['.html'] });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
