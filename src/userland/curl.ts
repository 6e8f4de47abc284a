// curl 7.88.1: HTTP/1.1 GET/HEAD against servers in the scenario, through the simulated stack.
// Supported: -s -S -o FILE (the body is discarded) -I -m SECS --connect-timeout SECS -H -A -f.
// Messages and exit codes as curl 7.88.1 prints them (6, 7, 28; 22 with -f). The progress meter
// curl writes to stderr when it is not silenced has curl's layout; its speeds come from virtual
// time, so they are deterministic but not the real host's figures.
import type { Netns } from '../kernel/netns.ts';
import { httpFetch, parseUrl, type FetchResult } from './http-client.ts';
import { ScriptError, type ToolContext, type ToolTable, ToolExit } from './tool.ts';

const SUPPORTED = '-s -S -o FILE -I -m SECS --connect-timeout SECS -H HEADER -A AGENT -f';

/** max5data: a byte count in five columns. */
function max5(n: number): string {
  const KB = 1024;
  const MB = 1024 * KB;
  if (n < 100000) return String(n).padStart(5);
  if (n < 10000 * KB) return `${Math.floor(n / KB)}k`.padStart(5);
  if (n < 100 * MB) return `${Math.floor(n / MB)}.${Math.floor((n % MB) / (MB / 10))}M`.padStart(5);
  return `${Math.floor(n / MB)}M`.padStart(5);
}

function hms(seconds: number): string {
  const s = Math.floor(seconds);
  if (s <= 0) return '--:--:--';
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`.padStart(8);
}

function meterLine(total: number | undefined, received: number, elapsedNs: number): string {
  const pct = total ? Math.floor((received * 100) / total) : 0;
  const secs = elapsedNs / 1e9;
  const speed = secs > 0 && received > 0 ? Math.floor(received / secs) : 0;
  const p3 = (n: number) => String(n).padStart(3);
  return `\r${p3(pct)} ${max5(total ?? 0)}  ${p3(pct)} ${max5(received)}  ${p3(0)} ${max5(0)}  ${max5(speed)}  ${max5(0)} --:--:-- ${hms(secs)} --:--:-- ${max5(speed)}`;
}

const METER_HEAD = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n';

function seconds(flag: string, v: string | undefined, ctx: ToolContext): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < 0) {
    ctx.err(`curl: option ${flag}: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
    throw new ToolExit(2);
  }
  return n;
}


export function curl(argv: string[], ctx: ToolContext): number {
  try {
    return run(argv, ctx);
  } catch (e) {
    if (e instanceof ToolExit) return e.code;
    throw e;
  } finally {
    ctx.kernel.flush();
  }
}

function run(argv: string[], ctx: ToolContext): number {
  let silent = false;
  let showError = false;
  let output: string | undefined;
  let head = false;
  let fail = false;
  let maxTime: number | undefined;
  let connectTimeout: number | undefined;
  let agent = 'curl/7.88.1';
  const extra: Array<[string, string]> = [];
  let urlText: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      switch (a) {
        case '--silent': silent = true; break;
        case '--show-error': showError = true; break;
        case '--head': head = true; break;
        case '--fail': fail = true; break;
        case '--output': output = argv[++i]; break;
        case '--max-time': maxTime = seconds(a, argv[++i], ctx); break;
        case '--connect-timeout': connectTimeout = seconds(a, argv[++i], ctx); break;
        case '--header': extra.push(splitHeader(argv[++i] ?? '')); break;
        case '--user-agent': agent = argv[++i] ?? agent; break;
        default:
          throw new ScriptError(`curl: unsupported option \`${a}\` (supported: ${SUPPORTED})`, ctx.pos);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        const value = (): string | undefined => {
          const rest = a.slice(j + 1);
          j = a.length;
          return rest || argv[++i];
        };
        switch (f) {
          case 's': silent = true; break;
          case 'S': showError = true; break;
          case 'I': head = true; break;
          case 'f': fail = true; break;
          case 'o': output = value(); break;
          case 'm': maxTime = seconds('-m', value(), ctx); break;
          case 'H': extra.push(splitHeader(value() ?? '')); break;
          case 'A': agent = value() ?? agent; break;
          default:
            throw new ScriptError(`curl: unsupported option \`-${f}\` (supported: ${SUPPORTED})`, ctx.pos);
        }
      }
      continue;
    }
    urlText = a;
  }
  if (urlText === undefined) {
    ctx.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const url = parseUrl(urlText);
  if (!url) throw new ScriptError(`curl: only http:// URLs are modelled, got \`${urlText}\``, ctx.pos);
  const kernel = ctx.kernel;
  const ns: Netns = kernel.requireNetns(ctx.netns);
  const meter = !silent;
  if (meter) ctx.err(METER_HEAD + meterLine(undefined, 0, 0));
  const headers: Array<[string, string]> = [['Host', url.hostHeader], ['User-Agent', agent], ['Accept', '*/*'], ...extra];
  const r: FetchResult = httpFetch(kernel, ns, url, { method: head ? 'HEAD' : 'GET', headers, maxTime, connectTimeout });
  const ms = Math.floor(r.elapsed / 1e6);
  if (meter) {
    // One meter line per whole second elapsed, then the final one.
    for (let s = 1; s * 1e9 < r.elapsed; s++) ctx.err(meterLine(undefined, 0, s * 1e9));
    if (r.ok) {
      const total = head ? 0 : Buffer.byteLength(r.body);
      ctx.err(meterLine(total || undefined, total, r.elapsed) + '\n');
    } else {
      ctx.err(meterLine(undefined, 0, r.elapsed) + '\n');
    }
  }
  const report = (code: number, msg: string): number => {
    if (!silent || showError) ctx.err(`curl: (${code}) ${msg}\n`);
    return code;
  };
  if (!r.ok) {
    switch (r.error) {
      case 'resolve':
        return report(6, `Could not resolve host: ${url.host}`);
      case 'refused':
      case 'unreachable':
      case 'route':
        return report(7, `Failed to connect to ${url.host} port ${url.port} after ${ms} ms: Couldn't connect to server`);
      case 'syn-timeout':
        return report(28, `Failed to connect to ${url.host} port ${url.port} after ${ms} ms: Couldn't connect to server`);
      case 'connect-timeout':
        return report(28, `Failed to connect to ${url.host} port ${url.port} after ${ms} ms: Timeout was reached`);
      case 'timeout':
        return report(28, `Connection timed out after ${ms + 1} milliseconds`);
    }
  }
  if (fail && r.status >= 400) return report(22, `The requested URL returned error: ${r.status}`);
  if (output === undefined || output === '-') ctx.out(head ? r.head : r.body);
  return 0;
}

function splitHeader(h: string): [string, string] {
  const i = h.indexOf(':');
  return i < 0 ? [h, ''] : [h.slice(0, i), h.slice(i + 1).trim()];
}

export const tools: ToolTable = { curl };
