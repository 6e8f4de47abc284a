// bridge(8) from iproute2 6.1: `bridge fdb show` and `bridge link show`.
// `fdb show` lists, per device in ifindex order, the bridge's entries for that port (learned
// ones, then `permanent` local ones) and the device's own multicast addresses (`self
// permanent`) that IPv6 and IGMP join on an up device, as the real tool prints them.
import type { Device } from '../kernel/device.ts';
import { linkFlags } from './ip.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

export function bridge(argv: string[], ctx: ToolContext): number {
  const args = argv.slice(1);
  let netns = ctx.netns;
  while (args[0]?.startsWith('-')) {
    const a = args.shift()!;
    if (a === '-n' || a === '-netns') {
      const n = args.shift();
      if (n === undefined || !ctx.kernel.namespaces.has(n)) {
        ctx.err(`Cannot open network namespace "${n ?? ''}": No such file or directory\n`);
        return 255;
      }
      netns = n;
    } else throw new ScriptError(`bridge: option \`${a}\` is not supported; supported: -n NS`, ctx.pos);
  }
  const ns = ctx.kernel.namespaces.get(netns)!;
  const object = args[0];
  const sub = args[1] ?? 'show';
  if (object === undefined) throw new ScriptError('bridge: supported: bridge fdb show [br BR] [dev DEV], bridge link [show [dev DEV]]', ctx.pos);
  const filters = args.slice(2);
  let br: string | undefined;
  let dev: string | undefined;
  for (let k = 0; k < filters.length; k++) {
    if (filters[k] === 'br' || filters[k] === 'master') br = filters[++k];
    else if (filters[k] === 'dev') dev = filters[++k];
    else throw new ScriptError(`bridge ${object} show ${filters[k]}: supported: br BR, dev DEV`, ctx.pos);
  }
  for (const name of [br, dev]) {
    if (name !== undefined && !ns.devices.has(name)) {
      ctx.err(`Cannot find device "${name}"\n`);
      return 1;
    }
  }
  const devices = ns.listDevices();
  if ('fdb'.startsWith(object) && object.length > 0 && ('show'.startsWith(sub) || sub === 'list')) {
    for (const d of devices) {
      if (d.kind === 'loopback') continue;
      if (dev !== undefined && d.name !== dev) continue;
      const master = d.port?.bridge;
      if (br !== undefined && master?.name !== br && d.name !== br) continue;
      if (master?.bridge) {
        const entries = [...master.bridge.fdb.values()].filter((e) => e.port === d.name);
        for (const e of entries.filter((x) => !x.local)) ctx.out(`${e.mac} dev ${d.name} master ${master.name} \n`);
        for (const e of entries.filter((x) => x.local)) ctx.out(`${e.mac} dev ${d.name} master ${master.name} permanent\n`);
      }
      if (d.bridge) {
        const own = [...d.bridge.fdb.values()].filter((e) => e.port === d.name && e.local && !d.bridge!.ports.has(e.port));
        for (const e of own) if (![...d.bridge.ports.values()].some((p) => p.dev.mac === e.mac)) ctx.out(`${e.mac} dev ${d.name} master ${d.name} permanent\n`);
      }
      for (const m of selfMulticast(d)) ctx.out(`${m} dev ${d.name} self permanent\n`);
    }
    return 0;
  }
  if ('link'.startsWith(object) && ('show'.startsWith(sub) || sub === 'list')) {
    for (const d of devices) {
      if (!d.port) continue;
      if (dev !== undefined && d.name !== dev) continue;
      // bridge(8) names IFLA_LINK by looking the peer's ifindex up in its own namespace, so a
      // peer in another namespace shows as whatever device has that index here (as captured).
      const name = d.peer ? `${d.name}@${ns.devByIndex(d.peer.ifindex)?.name ?? `if${d.peer.ifindex}`}` : d.name;
      const state = d.running && d.port.bridge.adminUp ? 'forwarding' : 'disabled';
      ctx.out(`${d.ifindex}: ${name}: <${linkFlags(d).join(',')}> mtu ${d.mtu} master ${d.port.bridge.name} state ${state} priority 32 cost 2 \n`);
    }
    return 0;
  }
  throw new ScriptError(`bridge ${args.join(' ')}: not supported; supported: bridge fdb show [br BR] [dev DEV], bridge link [show]`, ctx.pos);
}

/** Multicast MACs an up device has joined: all-nodes (IPv6, IPv4), its solicited-node address; a bridge also mDNS-like 6a groups. */
function selfMulticast(d: Device): string[] {
  if (!d.adminUp) return [];
  const tail = d.mac.split(':').slice(3).join(':');
  if (d.bridge) return ['33:33:00:00:00:01', '01:00:5e:00:00:6a', '33:33:00:00:00:6a', '01:00:5e:00:00:01', `33:33:ff:${tail}`];
  return ['33:33:00:00:00:01', '01:00:5e:00:00:01', `33:33:ff:${tail}`];
}

export const tools: ToolTable = { bridge };
