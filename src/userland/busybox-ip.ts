// busybox ip (the applet of the busybox and alpine images; measured with Debian's busybox 1.35.0
// on 6.18): `ip addr|link|route [show]` in the applet's layout. Changes (add, del, set) print
// nothing on success in either ip, so they run through the iproute2 model (src/userland/ip.ts).
//
// The applet's layout: no `state`, `mode` or `group`; `qlen N` only when the queue length is not
// 0; no link-netnsid. IFLA_LINK (a veth's peer ifindex) is looked up in the viewer's own
// namespace, whatever namespace the peer is in: the name of the device with that index there, or
// `ifN`; M-DOWN when that device is missing or down. Routes: no `proto`, two spaces before `src`.
import type { Device } from '../kernel/device.ts';
import type { Netns } from '../kernel/netns.ts';
import { inet4, inet6 } from './ip.ts';
import { ScriptError, type ToolContext } from './tool.ts';

const SUPPORTED = 'ip [-4] addr|link [show [dev] IFACE], ip route [show]; changes go through iproute2';

function linkOf(dev: Device): { name: string; mdown: boolean } | undefined {
  if (!dev.peer) return undefined;
  const local = dev.ns.devByIndex(dev.peer.ifindex);
  return { name: local ? local.name : `if${dev.peer.ifindex}`, mdown: !local || !local.adminUp };
}

function header(dev: Device): string {
  const link = linkOf(dev);
  const flags = dev.flags.filter((f) => f !== 'M-DOWN');
  if (link?.mdown) flags.push('M-DOWN');
  const qdisc = dev.adminUp || dev.qdiscAttached ? 'noqueue' : 'noop';
  const master = dev.port ? `master ${dev.port.bridge.name} ` : '';
  return `${dev.ifindex}: ${dev.name}${link ? `@${link.name}` : ''}: <${flags.join(',')}> mtu ${dev.mtu} qdisc ${qdisc} ${master}${dev.txqlen ? `qlen ${dev.txqlen}` : ''}`;
}

function linkLine(dev: Device): string {
  return dev.kind === 'loopback' ? `    link/loopback ${dev.mac} brd 00:00:00:00:00:00` : `    link/ether ${dev.mac} brd ff:ff:ff:ff:ff:ff`;
}

function devices(ns: Netns, args: string[], ctx: ToolContext): Device[] | number {
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev') name = args[++i];
    else if (a === 'up' || a.startsWith('-')) throw new ScriptError(`busybox ip: \`${a}\` not modelled (supported: ${SUPPORTED})`, ctx.pos);
    else name = a;
  }
  if (name === undefined) return ns.listDevices();
  const d = ns.dev(name);
  if (!d) {
    ctx.err(`ip: can't find device '${name}'\n`);
    return 1;
  }
  return [d];
}

function show(what: 'addr' | 'link', ns: Netns, args: string[], family4: boolean, ctx: ToolContext): number {
  const devs = devices(ns, args, ctx);
  if (typeof devs === 'number') return devs;
  for (const dev of devs) {
    const lines: string[] = [];
    if (what === 'link') lines.push(header(dev), linkLine(dev));
    else {
      if (family4 && dev.addrs.length === 0) continue;
      lines.push(header(dev));
      if (!family4) lines.push(linkLine(dev));
      for (const a of dev.addrs) lines.push(`    inet ${inet4(a)}`, '       valid_lft forever preferred_lft forever');
      if (!family4) for (const x of inet6(dev)) lines.push(`    inet6 ${x}`, '       valid_lft forever preferred_lft forever');
    }
    ctx.out(lines.join('\n') + '\n');
  }
  return 0;
}

function routeShow(ctx: ToolContext): number {
  // The main table in the kernel's order, as iproute2 lists it, in the applet's words.
  let text = '';
  const code = ctx.run(['ip', 'route', 'show'], { netns: ctx.netns, out: (t) => (text += t), err: ctx.err });
  if (code !== 0) return code;
  ctx.out(text.replace(/ proto \S+/g, '').replace(/ src /g, '  src '));
  return 0;
}

const isShow = (w: string | undefined) => w === undefined || w === 'show' || w === 'list' || w === 'lst';

export function busyboxIp(argv: string[], ctx: ToolContext): number {
  const args = argv.slice(1);
  let family4 = false;
  while (args[0]?.startsWith('-')) {
    const o = args.shift()!;
    if (o === '-4') family4 = true;
    else throw new ScriptError(`busybox ip: option \`${o}\` not modelled (supported: ${SUPPORTED})`, ctx.pos);
  }
  const [obj, sub, ...rest] = args;
  const ns = ctx.kernel.requireNetns(ctx.netns);
  const kind = obj === undefined ? undefined : 'address'.startsWith(obj) ? 'addr' : 'link'.startsWith(obj) ? 'link' : 'route'.startsWith(obj) ? 'route' : undefined;
  if (kind === 'addr' || kind === 'link') {
    if (isShow(sub)) return show(kind, ns, rest, family4, ctx);
  } else if (kind === 'route') {
    if (isShow(sub) && rest.length === 0) return routeShow(ctx);
  } else throw new ScriptError(`busybox ip: \`${obj ?? ''}\` not modelled (supported: ${SUPPORTED})`, ctx.pos);
  return ctx.run(['ip', ...args], { netns: ctx.netns, out: ctx.out, err: ctx.err });
}


