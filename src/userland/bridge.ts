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
  if (object !== undefined && object.length > 0 && 'link'.startsWith(object) && sub === 'set') return linkSet(args.slice(2), ns, ctx);
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

const LINK_SET_USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
`;

/** `bridge link set dev DEV [hairpin on|off] [learning on|off] [flood on|off]`: port flags. */
function linkSet(args: string[], ns: import('../kernel/netns.ts').Netns, ctx: ToolContext): number {
  let dev: string | undefined;
  const flags: Partial<Record<'hairpin' | 'learning' | 'flood', boolean>> = {};
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'dev') dev = args[++k];
    else if (a === 'hairpin' || a === 'learning' || a === 'flood') {
      const v = args[++k];
      if (v !== 'on' && v !== 'off') {
        ctx.err(`Error: argument of "${a}" must be one of "off", "on", not "${v ?? ''}"
`);
        return 234;
      }
      flags[a] = v === 'on';
    } else if (['cost', 'priority', 'state', 'guard', 'fastleave', 'root_block', 'learning_sync', 'mcast_router', 'mcast_flood', 'bcast_flood', 'mcast_to_unicast', 'neigh_suppress', 'vlan_tunnel', 'isolated', 'locked', 'hwmode', 'backup_port'].includes(a)) {
      throw new ScriptError(`bridge link set … ${a}: not modelled; supported: dev DEV, hairpin on|off, learning on|off, flood on|off`, ctx.pos);
    } else {
      ctx.err(LINK_SET_USAGE);
      return 255;
    }
  }
  if (dev === undefined) {
    ctx.err(LINK_SET_USAGE);
    return 255;
  }
  const d = ns.devices.get(dev);
  if (!d) {
    ctx.err(`Cannot find bridge device "${dev}"\n`);
    return 255;
  }
  if (!d.port) {
    ctx.err('RTNETLINK answers: Operation not supported\n');
    return 255;
  }
  Object.assign(d.port, flags);
  return 0;
}

/** Multicast MACs an up device has joined: all-nodes (IPv6, IPv4), its solicited-node address; a bridge also mDNS-like 6a groups. */
function selfMulticast(d: Device): string[] {
  if (!d.adminUp) return [];
  const tail = d.mac.split(':').slice(3).join(':');
  if (d.bridge) return ['33:33:00:00:00:01', '01:00:5e:00:00:6a', '33:33:00:00:00:6a', '01:00:5e:00:00:01', `33:33:ff:${tail}`];
  return ['33:33:00:00:00:01', '01:00:5e:00:00:01', `33:33:ff:${tail}`];
}

export const tools: ToolTable = { bridge };
