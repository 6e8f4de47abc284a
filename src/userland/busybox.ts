// busybox: the multi-call binary of the busybox and alpine images. `busybox APPLET ARGS…` runs
// the applet; the applets whose output differs from the host's tools are modelled on their own
// (ping, ip); docker's expansion calls them so (src/docker/images.ts), here and on the kernel.
import { busyboxIp } from './busybox-ip.ts';
import { busyboxPing } from './busybox-ping.ts';
import { ScriptError, type Tool, type ToolContext, type ToolTable } from './tool.ts';

const APPLETS: Record<string, Tool> = { ping: busyboxPing, ip: busyboxIp };

function busybox(argv: string[], ctx: ToolContext): number {
  const applet = argv[1];
  const run = applet !== undefined ? APPLETS[applet] : undefined;
  if (!run) throw new ScriptError(`busybox: applet \`${applet ?? ''}\` not modelled (modelled: ${Object.keys(APPLETS).join(', ')})`, ctx.pos);
  return run(argv.slice(1), ctx);
}

export const tools: ToolTable = { busybox };
