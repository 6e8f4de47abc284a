// wget (GNU Wget 1.21.3), minimal: `wget -q -O - URL` (or -qO-) prints the body; `-O FILE`
// discards it (no file system); -T SECS sets the timeouts. Exit codes: 0, 4 (network failure),
// 8 (server error response). Without -q wget prints a long log; only -q is modelled.
import type { Netns } from '../kernel/netns.ts';
import { httpFetch, parseUrl } from './http-client.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

export function wget(argv: string[], ctx: ToolContext): number {
  let quiet = false;
  let output: string | undefined;
  let timeout: number | undefined;
  let urlText: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quiet') quiet = true;
    else if (a.startsWith('--timeout=')) timeout = Number(a.slice(10));
    else if (a.startsWith('--output-document=')) output = a.slice(18);
    else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        const value = (): string | undefined => {
          const rest = a.slice(j + 1);
          j = a.length;
          return rest || argv[++i];
        };
        if (f === 'q') quiet = true;
        else if (f === 'O') output = value();
        else if (f === 'T') timeout = Number(value());
        else throw new ScriptError(`wget: unsupported option \`-${f}\` (supported: -q -O FILE|- -T SECS)`, ctx.pos);
      }
    } else if (a.startsWith('--')) throw new ScriptError(`wget: unsupported option \`${a}\` (supported: -q -O FILE|- -T SECS)`, ctx.pos);
    else urlText = a;
  }
  if (!quiet) throw new ScriptError('wget: only quiet mode is modelled (`wget -q -O - URL`)', ctx.pos);
  if (urlText === undefined) {
    ctx.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
    return 1;
  }
  const url = parseUrl(urlText);
  if (!url) throw new ScriptError(`wget: only http:// URLs are modelled, got \`${urlText}\``, ctx.pos);
  const kernel = ctx.kernel;
  const ns: Netns = kernel.requireNetns(ctx.netns);
  try {
    const headers: Array<[string, string]> = [['User-Agent', 'Wget/1.21.3'], ['Accept', '*/*'], ['Accept-Encoding', 'identity'], ['Host', url.hostHeader], ['Connection', 'Keep-Alive']];
    const r = httpFetch(kernel, ns, url, { method: 'GET', headers, connectTimeout: timeout, maxTime: timeout !== undefined ? timeout * 3 : undefined });
    if (!r.ok) return 4;
    if (r.status >= 400) return 8;
    if (output === '-') ctx.out(r.body);
    return 0;
  } finally {
    kernel.flush();
  }
}

export const tools: ToolTable = { wget };
