// dmesg(1) from util-linux: the kernel ring buffer (LOG target, ebtables --log, legacy TRACE) with
// `[ SECONDS.MICROS]` stamps. Virtual time is the time since boot: a scenario starts at 0.000000.
// The ring is global (one per machine, as on Linux): dmesg in any namespace shows every line.
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

/** `[    1.500000]`: seconds right-aligned in 5 columns, then microseconds, as printk stamps print. */
export function dmesgStamp(t: number): string {
  const us = Math.floor(t / 1000);
  const secs = Math.floor(us / 1e6);
  return `[${String(secs).padStart(5)}.${String(us % 1e6).padStart(6, '0')}]`;
}

export function dmesg(argv: string[], ctx: ToolContext): number {
  let clear = false;
  let print = true;
  let noTime = false;
  for (const a of argv.slice(1)) {
    if (a === '-c' || a === '--read-clear') clear = true;
    else if (a === '-C' || a === '--clear') {
      clear = true;
      print = false;
    } else if (a === '-t' || a === '--notime') noTime = true;
    else if (a === '-k' || a === '--kernel' || a === '-x' || a === '--decode') continue;
    else throw new ScriptError(`dmesg: option \`${a}\` is not supported; supported: -c, -C, -t, -k`, ctx.pos);
  }
  const ring = ctx.kernel.dmesg;
  if (print) for (const { t, line } of ring) ctx.out(noTime ? `${line}\n` : `${dmesgStamp(t)} ${line}\n`);
  if (clear) ring.splice(0, ring.length);
  return 0;
}

export const tools: ToolTable = { dmesg };
