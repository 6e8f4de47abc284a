// sysctl(8) from procps: read and write the namespace's /proc/sys/net keys, printing like procps
// (`KEY = VALUE` on write and read, `-n` values only, `-q` quiet, `-e` ignore unknown keys).
import type { Netns } from '../kernel/netns.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

export function sysctl(argv: string[], ctx: ToolContext): number {
  let write = false;
  let valuesOnly = false;
  let quiet = false;
  let ignoreUnknown = false;
  let showAll = false;
  const items: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '--write') write = true;
    else if (a === '--values') valuesOnly = true;
    else if (a === '--quiet') quiet = true;
    else if (a === '--ignore') ignoreUnknown = true;
    else if (a === '--all') showAll = true;
    else if (/^-[wnqeaNA]+$/.test(a)) {
      write ||= a.includes('w');
      valuesOnly ||= a.includes('n');
      quiet ||= a.includes('q');
      ignoreUnknown ||= a.includes('e');
      showAll ||= a.includes('a') || a.includes('A');
    } else if (a.startsWith('-')) throw new ScriptError(`sysctl: option \`${a}\` is not supported; supported: -w, -n, -q, -e, -a`, ctx.pos);
    else items.push(a);
  }
  const ns = ctx.kernel.namespaces.get(ctx.netns);
  if (!ns) throw new ScriptError(`sysctl: no namespace \`${ctx.netns}\``, ctx.pos);
  if (showAll) {
    const prefix = items[0]?.replace(/\//g, '.');
    for (const key of [...ns.sysctl.keys()].sort()) {
      if (prefix !== undefined && !key.startsWith(prefix)) continue;
      ctx.out(valuesOnly ? `${ns.sysctl.get(key)}\n` : `${key} = ${ns.sysctl.get(key)}\n`);
    }
    return 0;
  }
  if (items.length === 0) throw new ScriptError('sysctl: a KEY or KEY=VALUE is expected', ctx.pos);
  let status = 0;
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq >= 0 || write) {
      if (eq < 0) {
        ctx.err('sysctl: command line(0): invalid syntax, continuing...\n');
        status = 1;
        continue;
      }
      const key = normalise(item.slice(0, eq).trim());
      const value = item.slice(eq + 1).trim();
      if (key === '') {
        ctx.err(`sysctl: malformed setting "${item}"\n`);
        status = 1;
        continue;
      }
      if (!ns.sysctl.has(key)) {
        if (!ignoreUnknown) {
          ctx.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`);
          status = 1;
        }
        continue;
      }
      if (!valid(key, value)) {
        ctx.err(`sysctl: setting key "${key}": Invalid argument\n`);
        status = 1;
        continue;
      }
      setKey(ns, key, value);
      // procps echoes a written vector as it was given (spaces kept); reading it back shows tabs.
      const echo = VECTORS.has(key) ? value : ns.sysctl.get(key);
      if (!quiet) ctx.out(valuesOnly ? `${echo}\n` : `${key} = ${echo}\n`);
      continue;
    }
    const key = normalise(item);
    const value = ns.sysctl.get(key);
    if (value === undefined) {
      if (!ignoreUnknown) {
        ctx.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (!quiet || valuesOnly) ctx.out(valuesOnly ? `${value}\n` : `${key} = ${value}\n`);
  }
  return status;
}

/** `net/ipv4/ip_forward` and `net.ipv4.ip_forward` name the same key. */
function normalise(key: string): string {
  return key.replace(/^\/proc\/sys\//, '').replace(/\//g, '.');
}

/** Keys holding several integers, and how many. */
const VECTORS = new Map([['net.ipv4.ip_local_port_range', 2], ['net.ipv4.tcp_rmem', 3]]);

/** Integer keys refuse non-integers (proc_dointvec: EINVAL). */
function valid(key: string, value: string): boolean {
  const n = VECTORS.get(key);
  if (n !== undefined) return new RegExp(`^\\d+(\\s+\\d+){${n - 1}}$`).test(value);
  return /^-?\d+$/.test(value);
}

function setKey(ns: Netns, key: string, value: string): void {
  const v = VECTORS.has(key) ? value.split(/\s+/).join('\t') : String(Number(value));
  ns.setSysctl(key, v);
}

export const tools: ToolTable = { sysctl };
