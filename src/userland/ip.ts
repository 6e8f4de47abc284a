// ip(8) from iproute2 6.1: netns, link, addr, route; argv and output as the real tool (layouts
// captured on the oracle machine, including the trailing spaces iproute2 prints).
import { formatIpv4, inSubnet, parseCidr, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import type { Device, IfAddr, Scope } from '../kernel/device.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { LinkError, type Netns } from '../kernel/netns.ts';
import { RT_TABLE, ROUTE_TYPES, broadcastOf, type Route, type RouteType } from '../kernel/route.ts';
import { ScriptError, type ToolContext, type ToolTable } from './tool.ts';

/** An error ip prints and exits with. */
class IpExit extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

interface Opts {
  brief: boolean;
  family: 4 | 0;
  oneline: boolean;
}

const SUPPORTED = 'ip [-n NS] [-br] [-4] {netns add|del|list|exec, link add|set|del|show, addr add|del|show|flush, route add|del|replace|show|get}';

/** `matches()` of iproute2: ARG is a prefix of WORD. */
function matches(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length > 0 && word.startsWith(arg);
}

export function ip(argv: string[], ctx: ToolContext): number {
  try {
    return ipMain(argv.slice(1), ctx);
  } catch (e) {
    if (e instanceof IpExit) {
      if (e.message) ctx.err(e.message + '\n');
      return e.status;
    }
    if (e instanceof LinkError) {
      ctx.err(e.message + '\n');
      return linkErrorStatus(e.message);
    }
    throw e;
  }
}

function linkErrorStatus(message: string): number {
  if (message.startsWith('RTNETLINK') || message.startsWith('Error:')) return 2;
  if (message.startsWith('Cannot open network namespace')) return 255;
  return 1;
}

function ipMain(args: string[], ctx: ToolContext): number {
  const opts: Opts = { brief: false, family: 0, oneline: false };
  let netns = ctx.netns;
  let k = 0;
  for (; k < args.length && args[k].startsWith('-'); k++) {
    let a = args[k];
    if (a.startsWith('--')) a = a.slice(1);
    if (a === '-n' || matches(a, '-netns')) {
      const name = args[++k];
      if (name === undefined) throw new IpExit('Command line is not complete. Try option "help"', 255);
      if (!ctx.kernel.namespaces.has(name)) throw new IpExit(`Cannot open network namespace "${name}": No such file or directory`, 255);
      netns = name;
    } else if (a === '-br' || matches(a, '-brief')) opts.brief = true;
    else if (a === '-4') opts.family = 4;
    else if (a === '-o' || matches(a, '-oneline')) opts.oneline = true;
    else if (a === '-6') throw new ScriptError('ip -6: IPv6 is not modelled; supported: ip -4 or no family option', ctx.pos);
    else throw new ScriptError(`ip: option \`${args[k]}\` is not supported; supported: -n NS, -br, -4, -o`, ctx.pos);
  }
  const object = args[k];
  const rest = args.slice(k + 1);
  const ns = ctx.kernel.namespaces.get(netns);
  if (!ns) throw new IpExit(`Cannot open network namespace "${netns}": No such file or directory`, 255);
  const c: Cmd = { ctx, kernel: ctx.kernel, ns, opts };
  if (object === undefined) throw new ScriptError(`ip: an object is expected; supported: ${SUPPORTED}`, ctx.pos);
  if (object === 'netns' || (object.length >= 2 && 'netns'.startsWith(object) && object !== 'n')) return netnsCmd(c, rest);
  if (matches(object, 'link')) return linkCmd(c, rest);
  if (matches(object, 'address') || object === 'addr') return addrCmd(c, rest);
  if (matches(object, 'route')) return routeCmd(c, rest);
  if (['neighbor', 'neighbour', 'rule', 'maddress', 'tunnel', 'xfrm', 'monitor', 'tuntap', 'mroute', 'nexthop', 'vrf'].some((o) => matches(object, o))) {
    throw new ScriptError(`ip ${object}: not modelled; supported: ${SUPPORTED}`, ctx.pos);
  }
  throw new IpExit(`Object "${object}" is unknown, try "ip help".`, 1);
}

interface Cmd {
  ctx: ToolContext;
  kernel: Kernel;
  ns: Netns;
  opts: Opts;
}

function need(args: string[], k: number): string {
  const v = args[k];
  if (v === undefined) throw new IpExit('Command line is not complete. Try option "help"', 255);
  return v;
}

function requireDev(ns: Netns, name: string): Device {
  const d = ns.devices.get(name);
  if (!d) throw new IpExit(`Cannot find device "${name}"`, 1);
  return d;
}

// --- netns -------------------------------------------------------------------------------------

/** Per-namespace ids of peer namespaces (peernet2id): allocated when first shown, from 0. */
const nsids = new WeakMap<Netns, Map<Netns, number>>();
function nsid(viewer: Netns, other: Netns): number {
  let m = nsids.get(viewer);
  if (!m) nsids.set(viewer, (m = new Map()));
  let id = m.get(other);
  if (id === undefined) m.set(other, (id = m.size));
  return id;
}

/**
 * rtnl_fill_link_netnsid on the RTM_NEWLINK of a veth end whose peer sits in another namespace:
 * each namespace allocates its id for the other then (not when first shown), so the ids follow the
 * order the links were made or moved in.
 */
function linkNsids(a: Netns, b: Netns): void {
  if (a === b) return;
  nsid(a, b);
  nsid(b, a);
}

function netnsCmd(c: Cmd, args: string[]): number {
  const sub = args[0] ?? 'list';
  const { kernel, ctx } = c;
  if (sub === 'add') {
    const name = need(args, 1);
    kernel.addNetns(name);
    return 0;
  }
  if (sub === 'del' || sub === 'delete') {
    const name = need(args, 1);
    kernel.delNetns(name);
    return 0;
  }
  if (sub === 'list' || sub === 'show' || sub === 'ls') {
    // Ids are allocated as the kernel does, when a link first connects the namespaces (in the
    // order of the links, i.e. of their ifindex); /run/netns on tmpfs lists the newest first.
    const names = [...kernel.namespaces.keys()].filter((n) => n !== '');
    for (const d of c.ns.listDevices()) if (d.peer && d.peer.ns !== c.ns && d.peer.ns.name !== '') nsid(c.ns, d.peer.ns);
    for (const name of names.reverse()) {
      const known = nsids.get(c.ns)?.get(kernel.namespaces.get(name)!);
      ctx.out(known !== undefined ? `${name} (id: ${known})\n` : `${name}\n`);
    }
    return 0;
  }
  if (sub === 'exec' || sub === 'e') {
    const name = need(args, 1);
    if (!kernel.namespaces.has(name)) throw new IpExit(`Cannot open network namespace "${name}": No such file or directory`, 255);
    if (args.length < 3) throw new IpExit('No command specified', 255);
    return ctx.run(args.slice(2), { netns: name, stdin: ctx.stdin, out: ctx.out, err: ctx.err });
  }
  throw new ScriptError(`ip netns ${sub}: not supported; supported: ip netns add|del|list|exec`, ctx.pos);
}

// --- link --------------------------------------------------------------------------------------

function linkCmd(c: Cmd, args: string[]): number {
  const sub = args[0] ?? 'show';
  const rest = args.slice(1);
  if (matches(sub, 'add')) return linkAdd(c, rest);
  if (matches(sub, 'delete') || sub === 'del') return linkDel(c, rest);
  if (matches(sub, 'set')) return linkSet(c, rest);
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') return linkShow(c, rest, false);
  throw new IpExit(`Command "${sub}" is unknown, try "ip link help".`, 255);
}

function linkAdd(c: Cmd, args: string[]): number {
  let name: string | undefined;
  let type: string | undefined;
  let peer: string | undefined;
  let peerNs: Netns | undefined;
  let mtu: number | undefined;
  let peerMtu: number | undefined;
  let txqlen: number | undefined;
  let peerTxqlen: number | undefined;
  // `ip link add NAME netns NS type …` creates the link in NS (IFLA_NET_NS_FD).
  let devNs = c.ns;
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k];
    if (a === 'name' || a === 'dev') name = need(args, ++k);
    else if (a === 'netns') {
      const n = need(args, ++k);
      const target = c.kernel.namespaces.get(n);
      if (!target) throw new IpExit(`Error: argument "${n}" is wrong: Invalid "netns" value\n`, 255);
      devNs = target;
    } else if (a === 'type') {
      type = need(args, ++k);
      k++;
      break;
    } else if (a === 'mtu') mtu = parseMtu(need(args, ++k));
    else if (a === 'txqueuelen' || a === 'qlen' || a === 'txqlen') txqlen = parseQlen(need(args, ++k));
    else if (a === 'address') throw new ScriptError(`ip link add … ${a}: not supported; supported: ip link add NAME [mtu N] [txqueuelen N] type veth|bridge|dummy`, c.ctx.pos);
    else if (name === undefined) name = a;
    else throw new IpExit(`Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (type === undefined) throw new IpExit('Not enough information: "type" argument is required', 255);
  if (name === undefined) throw new IpExit('Not enough information: "dev" argument is required.', 255);
  if (type === 'veth') {
    const rest = args.slice(k);
    if (rest[0] === 'peer') {
      for (let j = 1; j < rest.length; j++) {
        const a = rest[j];
        if (a === 'name') peer = need(rest, ++j);
        else if (a === 'mtu') peerMtu = parseMtu(need(rest, ++j));
        else if (a === 'txqueuelen' || a === 'qlen' || a === 'txqlen') peerTxqlen = parseQlen(need(rest, ++j));
        else if (a === 'netns') {
          const n = need(rest, ++j);
          const target = c.kernel.namespaces.get(n);
          if (!target) throw new IpExit(`Error: argument "${n}" is wrong: Invalid "netns" value\n`, 255);
          peerNs = target;
        } else if (peer === undefined) peer = a;
        else throw new ScriptError(`ip link add … peer: \`${a}\` is not supported; supported: peer name NAME [netns NS] [mtu N]`, c.ctx.pos);
      }
    } else if (rest.length) throw new ScriptError(`ip link add … type veth: \`${rest[0]}\` is not supported; supported: type veth peer name NAME [netns NS]`, c.ctx.pos);
    // veth_newlink: with a `peer` section but no `netns` in it, the peer is created in the caller's
    // namespace; without a `peer` section it takes the device's own attributes, so NAME's namespace.
    const peerHome = peerNs ?? (rest[0] === 'peer' ? c.ns : devNs);
    if (peer === undefined) {
      // The kernel names the peer vethN.
      let n = 0;
      while (peerHome.devices.has(`veth${n}`)) n++;
      peer = `veth${n}`;
    }
    // veth_newlink: each end takes its own section's IFLA_MTU; without a peer section the peer
    // takes the device's. Out of range (68…65535): EINVAL before anything is created.
    const otherMtu = rest[0] === 'peer' ? peerMtu : mtu;
    for (const m of [mtu, otherMtu]) if (m !== undefined && (m < 68 || m > 65535)) throw new IpExit('RTNETLINK answers: Invalid argument', 2);
    const [a, b] = c.kernel.addVeth(devNs, name, peer, peerHome);
    if (mtu !== undefined) a.mtu = mtu;
    if (otherMtu !== undefined) b.mtu = otherMtu;
    // IFLA_TXQLEN likewise: each end its own section's, the peer the device's without a section.
    const otherTxqlen = rest[0] === 'peer' ? peerTxqlen : txqlen;
    if (txqlen !== undefined) a.txqlen = txqlen;
    if (otherTxqlen !== undefined) b.txqlen = otherTxqlen;
    linkNsids(devNs, peerHome);
    return 0;
  }
  if (args.length > k) throw new ScriptError(`ip link add … type ${type}: options are not supported (found \`${args[k]}\`)`, c.ctx.pos);
  if (devNs.devices.has(name)) throw new IpExit('RTNETLINK answers: File exists', 2);
  if (type !== 'bridge' && type !== 'dummy') throw new ScriptError(`ip link add … type ${type}: not modelled; supported: veth, bridge, dummy`, c.ctx.pos);
  if (mtu !== undefined && (mtu < 68 || (type === 'bridge' && mtu > 65535))) throw new IpExit('RTNETLINK answers: Invalid argument', 2);
  const dev = type === 'bridge' ? c.kernel.addBridge(devNs, name) : c.kernel.addDummy(devNs, name);
  if (txqlen !== undefined) dev.txqlen = txqlen;
  if (mtu !== undefined) {
    dev.mtu = mtu;
    // A bridge created with an MTU keeps it (BROPT_MTU_SET_BY_USER): ports no longer lower it.
    if (dev.bridge) dev.bridge.mtuSetByUser = true;
  }
  return 0;
}

/** iproute2's get_unsigned for `txqueuelen N`. */
function parseQlen(v: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new IpExit(`Error: argument "${v}" is wrong: Invalid "txqueuelen" value\n`, 255);
  return n;
}

/** iproute2's get_unsigned for `mtu N`. */
function parseMtu(v: string): number {
  const n = /^(0x[0-9a-f]+|[0-9]+)$/i.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new IpExit(`Error: argument "${v}" is wrong: Invalid "mtu" value\n`, 255);
  return n;
}

function linkDel(c: Cmd, args: string[]): number {
  let name: string | undefined;
  for (let k = 0; k < args.length; k++) {
    if (args[k] === 'dev') name = need(args, ++k);
    else if (args[k] === 'type') k++;
    else name = args[k];
  }
  if (name === undefined) throw new IpExit('Not enough information: "dev" argument is required.', 255);
  c.kernel.delLink(requireDev(c.ns, name));
  return 0;
}

function linkSet(c: Cmd, args: string[]): number {
  let name: string | undefined;
  let up: boolean | undefined;
  let master: string | null | undefined;
  let target: Netns | undefined;
  let newName: string | undefined;
  let mtu: number | undefined;
  let mac: string | undefined;
  let txqlen: number | undefined;
  let hairpin: boolean | undefined;
  const toggles: Array<[string, boolean]> = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'dev') name = need(args, ++k);
    else if (a === 'up') up = true;
    else if (a === 'down') up = false;
    else if (a === 'master') {
      const br = need(args, ++k);
      if (!c.ns.devices.has(br)) throw new IpExit(`Error: argument "${br}" is wrong: Device does not exist\n`, 255);
      master = br;
    } else if (a === 'nomaster') master = null;
    else if (a === 'netns') {
      const n = need(args, ++k);
      target = c.kernel.namespaces.get(n);
      if (!target) throw new IpExit(`Error: argument "${n}" is wrong: Invalid "netns" value\n`, 255);
    } else if (a === 'name') newName = need(args, ++k);
    else if (a === 'mtu') mtu = parseMtu(need(args, ++k));
    else if (a === 'txqueuelen' || a === 'qlen' || a === 'txqlen') txqlen = parseQlen(need(args, ++k));
    else if (a === 'address') {
      // dockerd sets a container's MAC (02:42:… from its IP before 28).
      const m = need(args, ++k).toLowerCase();
      if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(m)) throw new IpExit(`Error: "${m}" is not a valid MAC address.`, 1);
      mac = m;
    } else if (a === 'type' && args[k + 1] === 'bridge_slave' && args[k + 2] === 'hairpin' && (args[k + 3] === 'on' || args[k + 3] === 'off')) {
      // dockerd without the userland proxy turns hairpin on for each container's bridge port.
      hairpin = args[k + 3] === 'on';
      k += 3;
    } else if (a === 'multicast' || a === 'arp' || a === 'promisc' || a === 'allmulticast') {
      const v = need(args, ++k);
      if (v !== 'on' && v !== 'off') throw new IpExit(`Error: argument of "${a}" must be "on" or "off", not "${v}"`, 1);
      toggles.push([a, v === 'on']);
    } else if (['hairpin', 'txqueuelen', 'type', 'alias'].includes(a)) {
      throw new ScriptError(`ip link set … ${a}: not modelled; supported: up, down, master BR, nomaster, netns NS, name NAME, mtu N, txqueuelen N, address MAC, type bridge_slave hairpin on|off`, c.ctx.pos);
    } else if (name === undefined) name = a;
    else throw new IpExit(`Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (name === undefined) throw new IpExit('Not enough of information: "dev" argument is required.', 255);
  let dev = requireDev(c.ns, name);
  // do_setlink's order: namespace, name, mtu, master, then the flags.
  if (target) {
    c.kernel.setLinkNetns(dev, target);
    dev = target.devices.get(dev.name) ?? dev;
    if (dev.peer) linkNsids(dev.ns, dev.peer.ns);
  }
  if (newName !== undefined && newName !== dev.name) dev.ns.renameDevice(dev, newName);
  if (mtu !== undefined) {
    if (mtu < 68) throw new IpExit('Error: mtu less than device minimum.', 2);
    // dev_validate_mtu: veth and bridge stop at 65535 (ETH_MAX_MTU); loopback has no maximum.
    if (dev.kind !== 'loopback' && mtu > 65535) throw new IpExit('Error: mtu greater than device maximum.', 2);
    dev.mtu = mtu;
    // br_change_mtu marks a bridge's MTU as the user's; a port's change re-adjusts its bridge (NETDEV_CHANGEMTU).
    if (dev.bridge) dev.bridge.mtuSetByUser = true;
    if (dev.port) c.kernel.bridgeMtuAdjust(dev.port.bridge);
  }
  if (mac !== undefined) setMac(c.kernel, dev, mac);
  if (txqlen !== undefined) dev.txqlen = txqlen;
  for (const [flag, on] of toggles) {
    const f = linkFlagState(dev);
    if (flag === 'multicast') f.multicast = on;
    else if (flag === 'arp') f.noarp = !on;
    else if (flag === 'promisc') f.promisc = on;
    else f.allmulti = on;
  }
  if (master !== undefined) c.kernel.setMaster(dev, master === null ? undefined : requireDev(dev.ns, master));
  if (hairpin !== undefined) {
    if (!dev.port) throw new IpExit('Error: bridge_slave: the device is not a bridge port.', 2);
    dev.port.hairpin = hairpin;
  }
  if (up === true) c.kernel.setLinkUp(dev);
  else if (up === false) c.kernel.setLinkDown(dev);
  return 0;
}

/** dev_set_mac_address: the bridge FDB's local entry follows the device's new MAC. */
function setMac(kernel: Kernel, dev: Device, mac: string): void {
  const old = dev.mac;
  dev.mac = mac;
  const br = dev.bridge ?? dev.port?.bridge.bridge;
  if (dev.bridge) dev.bridge.macSetByUser = true;
  if (!br) return;
  const e = br.fdb.get(old);
  if (e && e.local && e.port === dev.name) br.fdb.delete(old);
  br.fdb.set(mac, { mac, port: dev.name, local: true, updated: kernel.now });
  // NETDEV_CHANGEADDR on a port: the bridge re-picks its id (lowest port MAC).
  if (dev.port) kernel.bridgeRecalcId(dev.port.bridge);
}

function filterDevices(c: Cmd, args: string[], what: string): { devs: Device[]; named?: string; scope?: Scope } {
  let name: string | undefined;
  let scope: Scope | undefined;
  let onlyUp = false;
  let master: string | undefined;
  let kind: string | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'dev') name = need(args, ++k);
    else if (a === 'up') onlyUp = true;
    else if (a === 'master') master = need(args, ++k);
    else if (a === 'type' && what === 'link') {
      const t = need(args, ++k);
      if (!['veth', 'bridge', 'dummy'].includes(t)) throw new ScriptError(`ip link show type ${t}: supported types: veth, bridge, dummy`, c.ctx.pos);
      kind = t;
    } else if (a === 'scope' && what === 'addr' && c.opts.family === 4) {
      const sc = need(args, ++k);
      if (sc !== 'host' && sc !== 'link' && sc !== 'global') throw new ScriptError(`ip addr show scope ${sc}: supported: host, link, global`, c.ctx.pos);
      scope = sc;
    } else if (a === 'type' || a === 'scope' || a === 'label') throw new ScriptError(`ip ${what} show … ${a}: not supported; supported: [dev] NAME, up, master BR${what === 'addr' ? ', scope S (with -4)' : ''}${what === 'link' ? ', type veth|bridge|dummy' : ''}`, c.ctx.pos);
    else name = a;
  }
  let devs = c.ns.listDevices();
  if (name !== undefined) {
    const d = c.ns.devices.get(name);
    if (!d) throw new IpExit(`Device "${name}" does not exist.`, 1);
    devs = [d];
  }
  if (onlyUp) devs = devs.filter((d) => d.adminUp);
  if (master !== undefined) devs = devs.filter((d) => d.port?.bridge.name === master);
  if (kind !== undefined) devs = devs.filter((d) => d.kind === kind);
  return { devs, named: name, scope };
}

/** `v0@if2` (peer elsewhere) / `v2@v3` (peer here), as ip prints IFLA_LINK. */
function linkName(dev: Device): string {
  if (!dev.peer) return dev.name;
  return dev.peer.ns === dev.ns ? `${dev.name}@${dev.peer.name}` : `${dev.name}@if${dev.peer.ifindex}`;
}

function linkNetns(dev: Device): string {
  if (!dev.peer || dev.peer.ns === dev.ns) return '';
  const other = dev.peer.ns;
  return other.name !== '' ? ` link-netns ${other.name}` : ` link-netnsid ${nsid(dev.ns, other)}`;
}

/**
 * The flags between `<…>`: iproute2 appends M-DOWN when the device's IFLA_LINK (a veth's peer
 * ifindex), looked up in the viewer's namespace, is not up or does not exist there.
 */
/**
 * Interface flags `ip link set … multicast|arp|promisc|allmulticast on|off` sets. They only show in
 * listings: the stack models no IGMP and answers ARP regardless (documented difference).
 */
const flagState = new WeakMap<Device, { multicast: boolean; noarp: boolean; promisc: boolean; allmulti: boolean }>();
function linkFlagState(dev: Device): { multicast: boolean; noarp: boolean; promisc: boolean; allmulti: boolean } {
  let f = flagState.get(dev);
  if (!f) flagState.set(dev, (f = { multicast: true, noarp: false, promisc: false, allmulti: false }));
  return f;
}

export function linkFlags(dev: Device): string[] {
  let flags = dev.flags.filter((f) => f !== 'M-DOWN');
  const st = flagState.get(dev);
  if (st) {
    // iproute2's order: …, MULTICAST, NOARP, ALLMULTI, PROMISC, …, UP, LOWER_UP.
    const extra = [st.noarp ? 'NOARP' : '', st.allmulti ? 'ALLMULTI' : '', st.promisc ? 'PROMISC' : ''].filter(Boolean);
    if (!st.multicast) flags = flags.filter((f) => f !== 'MULTICAST');
    const at = flags.findIndex((f) => f === 'UP' || f === 'LOWER_UP');
    flags.splice(at < 0 ? flags.length : at, 0, ...extra);
  }
  // iproute2 looks IFLA_LINK up only without IFLA_LINK_NETNSID: a peer in another namespace never gives M-DOWN.
  if (dev.peer && dev.peer.ns === dev.ns && !dev.peer.adminUp) flags.push('M-DOWN');
  return flags;
}

function headerLine(dev: Device, withMode: boolean): string {
  const qdisc = dev.adminUp || dev.qdiscAttached ? 'noqueue' : 'noop';
  const master = dev.port ? ` master ${dev.port.bridge.name}` : '';
  return `${dev.ifindex}: ${linkName(dev)}: <${linkFlags(dev).join(',')}> mtu ${dev.mtu} qdisc ${qdisc}${master} state ${dev.operState}${withMode ? ' mode DEFAULT' : ''} group default ${dev.txqlen ? `qlen ${dev.txqlen}` : ''}`;
}

function linkLine(dev: Device): string {
  if (dev.kind === 'loopback') return `    link/loopback ${dev.mac} brd 00:00:00:00:00:00`;
  return `    link/ether ${dev.mac} brd ff:ff:ff:ff:ff:ff${linkNetns(dev)}`;
}

function briefName(dev: Device): string {
  return linkName(dev).padEnd(16) + ' ';
}

function linkShow(c: Cmd, args: string[], _addr: boolean): number {
  const { devs } = filterDevices(c, args, 'link');
  for (const dev of devs) {
    if (c.opts.brief) {
      c.ctx.out(`${briefName(dev)}${dev.operState.padEnd(14)} ${dev.mac} <${linkFlags(dev).join(',')}> \n`);
      continue;
    }
    const lines = [headerLine(dev, true), linkLine(dev)];
    c.ctx.out(c.opts.oneline ? lines.join('\\') + '\n' : lines.join('\n') + '\n');
  }
  return 0;
}

// --- addr --------------------------------------------------------------------------------------

function parsePrefix(text: string, what = 'prefix'): { addr: Ipv4; prefix: number } {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(text);
  const addr = m ? parseIpv4(m[1]) : undefined;
  const prefix = m && m[2] !== undefined ? Number(m[2]) : 32;
  if (!m || addr === undefined || prefix > 32) throw new IpExit(`Error: any valid ${what} is expected rather than "${text}".`, 1);
  return { addr, prefix };
}

function addrCmd(c: Cmd, args: string[]): number {
  const sub = args[0] ?? 'show';
  const rest = args.slice(1);
  if (matches(sub, 'add') || matches(sub, 'replace')) return addrAdd(c, rest, matches(sub, 'replace'));
  if (matches(sub, 'delete') || sub === 'del') return addrDel(c, rest);
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') return addrShow(c, rest);
  if (matches(sub, 'flush')) return addrFlush(c, rest);
  throw new IpExit(`Command "${sub}" is unknown, try "ip address help".`, 255);
}

function addrArgs(c: Cmd, args: string[]): { local?: { addr: Ipv4; prefix: number }; dev?: string; brd?: string; scope?: string; label?: string } {
  const r: ReturnType<typeof addrArgs> = {};
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'dev') r.dev = need(args, ++k);
    else if (a === 'brd' || a === 'broadcast') r.brd = need(args, ++k);
    else if (a === 'scope') r.scope = need(args, ++k);
    else if (a === 'label') r.label = need(args, ++k);
    else if (a === 'local') r.local = parsePrefix(need(args, ++k));
    else if (['peer', 'valid_lft', 'preferred_lft', 'noprefixroute', 'metric'].includes(a)) throw new ScriptError(`ip addr … ${a}: not modelled; supported: ip addr add|del A.B.C.D/N [brd +|ADDR] [scope S] [label L] dev DEV`, c.ctx.pos);
    else if (r.local === undefined) r.local = parsePrefix(a);
    else throw new IpExit(`Error: either "local" is duplicate, or "${a}" is a garbage.`, 255);
  }
  return r;
}

function addrAdd(c: Cmd, args: string[], replace: boolean): number {
  const r = addrArgs(c, args);
  if (r.dev === undefined) throw new IpExit('Not enough information: "dev" argument is required.', 1);
  if (r.local === undefined) throw new IpExit('Not enough information: "local" argument is required.', 1);
  const dev = requireDev(c.ns, r.dev);
  let broadcast: Ipv4 | undefined;
  if (r.brd === '+') broadcast = r.local.prefix >= 31 ? undefined : broadcastOf(r.local.addr, r.local.prefix);
  else if (r.brd === '-') broadcast = r.local.prefix >= 31 ? undefined : (r.local.addr & ((0xffffffff << (32 - r.local.prefix)) >>> 0)) >>> 0;
  else if (r.brd !== undefined) {
    broadcast = parseIpv4(r.brd);
    if (broadcast === undefined) throw new IpExit(`Error: inet address is expected rather than "${r.brd}".`, 1);
  }
  const scope = r.scope === undefined ? undefined : r.scope === 'host' || r.scope === 'link' || r.scope === 'global' ? r.scope : undefined;
  if (r.scope !== undefined && scope === undefined) throw new ScriptError(`ip addr add … scope ${r.scope}: supported scopes: host, link, global`, c.ctx.pos);
  if (replace && dev.addrs.some((a) => a.addr === r.local!.addr && a.prefix === r.local!.prefix)) return 0;
  if (!c.ns.addAddress(dev, r.local.addr, r.local.prefix, { broadcast, scope, label: r.label })) throw new IpExit('Error: ipv4: Address already assigned.', 2);
  return 0;
}

function addrDel(c: Cmd, args: string[]): number {
  const r = addrArgs(c, args);
  if (r.dev === undefined) throw new IpExit('Not enough information: "dev" argument is required.', 1);
  const dev = requireDev(c.ns, r.dev);
  if (r.local === undefined) {
    // Without an address, ip deletes the first one.
    const first = dev.addrs[0];
    if (!first) throw new IpExit('Error: ipv4: Address not found.', 2);
    c.ns.delAddress(dev, first.addr, first.prefix);
    return 0;
  }
  const prefix = args.some((a) => a.includes('/')) ? r.local.prefix : dev.addrs.find((a) => a.addr === r.local!.addr)?.prefix ?? 32;
  if (!c.ns.delAddress(dev, r.local.addr, prefix)) throw new IpExit('Error: ipv4: Address not found.', 2);
  return 0;
}

function addrFlush(c: Cmd, args: string[]): number {
  const { devs, named } = filterDevices(c, args, 'addr');
  if (named === undefined) throw new IpExit('Flush requires arguments.', 255);
  for (const dev of devs) for (const a of [...dev.addrs].reverse()) c.ns.delAddress(dev, a.addr, a.prefix);
  return 0;
}

/** EUI-64 link-local address of a MAC (fe80::…), as addrconf derives it. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 2;
  const groups = [(b[0] << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  return `fe80::${groups.map((g) => g.toString(16)).join(':')}`;
}

/** What follows `inet ` for an IPv4 address in `ip addr` (iproute2 and busybox word it alike). */
export function inet4(a: IfAddr): string {
  const brd = a.broadcast !== undefined ? ` brd ${formatIpv4(a.broadcast)}` : '';
  return `${formatIpv4(a.addr)}/${a.prefix}${brd} scope ${a.scope}${a.secondary ? ' secondary' : ''} ${a.label}`;
}

export function inet6(dev: Device): string[] {
  if (!dev.adminUp) return [];
  // disable_ipv6 removes the device's IPv6 addresses (addrconf_disable_ipv6).
  if (dev.ns.sysctl.get(`net.ipv6.conf.${dev.name}.disable_ipv6`) === '1') return [];
  if (dev.kind === 'loopback') return ['::1/128 scope host '];
  if (!dev.running) return [];
  return [`${linkLocal(dev.mac)}/64 scope link `];
}

function addrShow(c: Cmd, args: string[]): number {
  const { devs, scope } = filterDevices(c, args, 'addr');
  for (const dev of devs) {
    const v4 = dev.addrs.filter((a) => scope === undefined || a.scope === scope).map((a) => ({ a, text: `${formatIpv4(a.addr)}/${a.prefix}` }));
    const v6 = c.opts.family === 4 ? [] : inet6(dev);
    if (c.opts.brief) {
      if (c.opts.family === 4 && v4.length === 0) continue;
      const list = [...v4.map((x) => x.text), ...v6.map((x) => x.split(' ')[0])];
      c.ctx.out(`${briefName(dev)}${dev.operState.padEnd(14)} ${list.map((x) => x + ' ').join('')}\n`);
      continue;
    }
    if (c.opts.family === 4 && v4.length === 0) continue;
    const lines: string[] = [];
    if (c.opts.family === 4) lines.push(headerLine(dev, false) + linkNetns(dev));
    else lines.push(headerLine(dev, false), linkLine(dev));
    for (const { a } of v4) {
      lines.push(`    inet ${inet4(a)}`);
      lines.push('       valid_lft forever preferred_lft forever');
    }
    for (const x of v6) {
      lines.push(`    inet6 ${x}`);
      lines.push('       valid_lft forever preferred_lft forever');
    }
    if (c.opts.oneline) {
      for (const { a } of v4) c.ctx.out(`${dev.ifindex}: ${dev.name}    inet ${inet4(a)}\\       valid_lft forever preferred_lft forever\n`);
      for (const x of v6) c.ctx.out(`${dev.ifindex}: ${dev.name}    inet6 ${x}\\       valid_lft forever preferred_lft forever\n`);
      continue;
    }
    c.ctx.out(lines.join('\n') + '\n');
  }
  return 0;
}

// --- route -------------------------------------------------------------------------------------

function routeCmd(c: Cmd, args: string[]): number {
  const sub = args[0] ?? 'show';
  const rest = args.slice(1);
  if (matches(sub, 'add')) return routeAdd(c, rest, false);
  if (matches(sub, 'replace')) return routeAdd(c, rest, true);
  if (matches(sub, 'delete') || sub === 'del') return routeDel(c, rest);
  if ((matches(sub, 'show') || matches(sub, 'list')) && rest.length === 1 && rest[0] === 'cache') return routeShowCache(c);
  if (matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') return routeShow(c, rest);
  if (matches(sub, 'get')) return routeGet(c, rest);
  if (matches(sub, 'flush') && rest.length === 1 && rest[0] === 'cache') {
    // rt_cache_flush: the learned path MTUs (next-hop exceptions) are forgotten.
    c.ns.fib.pmtu.clear();
    return 0;
  }
  if (matches(sub, 'flush')) throw new ScriptError('ip route flush: not supported; delete routes one by one with ip route del', c.ctx.pos);
  throw new IpExit(`Command "${sub}" is unknown, try "ip route help".`, 255);
}

function parseTable(text: string): number {
  if (text === 'main') return RT_TABLE.main;
  if (text === 'local') return RT_TABLE.local;
  if (text === 'default') return RT_TABLE.default;
  if (/^\d+$/.test(text)) return Number(text);
  throw new IpExit(`Error: argument "${text}" is wrong: "table" value is invalid\n`, 255);
}

interface RouteSpec {
  dst: Ipv4;
  prefix: number;
  type?: RouteType;
  via?: Ipv4;
  dev?: string;
  metric?: number;
  table?: number;
  src?: Ipv4;
  proto?: Route['proto'];
  scope?: 'host' | 'link' | 'global';
  mtu?: number;
  mtuLock?: boolean;
}

function routeArgs(c: Cmd, args: string[]): RouteSpec {
  let dst: { addr: Ipv4; prefix: number } | undefined;
  const spec: Partial<RouteSpec> = {};
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'via') {
      let g = need(args, ++k);
      if (g === 'inet') g = need(args, ++k);
      const gw = parseIpv4(g);
      if (gw === undefined) throw new IpExit(`Error: inet address is expected rather than "${g}".`, 1);
      spec.via = gw;
    } else if (a === 'dev' || a === 'oif') spec.dev = need(args, ++k);
    else if (a === 'metric' || a === 'preference' || a === 'priority') {
      const m = need(args, ++k);
      if (!/^\d+$/.test(m)) throw new IpExit(`Error: argument "${m}" is wrong: "metric" value is invalid\n`, 255);
      spec.metric = Number(m);
    } else if (a === 'table') spec.table = parseTable(need(args, ++k));
    else if (a === 'src') {
      const s = need(args, ++k);
      const v = parseIpv4(s);
      if (v === undefined) throw new IpExit(`Error: inet address is expected rather than "${s}".`, 1);
      spec.src = v;
    } else if (a === 'proto') {
      const p = need(args, ++k);
      if (p !== 'kernel' && p !== 'boot' && p !== 'static') throw new ScriptError(`ip route … proto ${p}: supported: kernel, boot, static`, c.ctx.pos);
      spec.proto = p;
    } else if (a === 'scope') {
      const s = need(args, ++k);
      if (s !== 'host' && s !== 'link' && s !== 'global') throw new ScriptError(`ip route … scope ${s}: supported: host, link, global`, c.ctx.pos);
      spec.scope = s;
    } else if ((ROUTE_TYPES as readonly string[]).includes(a) && dst === undefined && spec.type === undefined) spec.type = a as RouteType;
    else if (a === 'to') dst = parseDst(need(args, ++k));
    else if (a === 'mtu') {
      // RTAX_MTU, `lock` sets its bit in RTAX_LOCK.
      if (args[k + 1] === 'lock') {
        spec.mtuLock = true;
        k++;
      }
      const v = need(args, ++k);
      if (!/^\d+$/.test(v)) throw new IpExit(`Error: argument "${v}" is wrong: "mtu" value is invalid\n`, 255);
      spec.mtu = Number(v);
    } else if (['advmss', 'onlink', 'nexthop', 'realm', 'tos', 'dsfield', 'weight', 'encap', 'expires'].includes(a)) {
      throw new ScriptError(`ip route … ${a}: not modelled; supported: [TYPE] PREFIX|default [via GW] [dev DEV] [src A] [metric N] [table T] [proto P] [scope S]`, c.ctx.pos);
    } else if (dst === undefined) dst = parseDst(a);
    else throw new IpExit(`Error: either "to" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (dst === undefined) throw new IpExit('Error: any valid prefix is expected rather than "".', 1);
  return { ...spec, dst: dst.addr, prefix: dst.prefix };
}

function parseDst(text: string): { addr: Ipv4; prefix: number } {
  if (text === 'default' || text === 'all' || text === 'any') return { addr: 0, prefix: 0 };
  const p = parsePrefix(text);
  // ip refuses host bits set beyond the prefix ("Invalid prefix for given prefix length").
  const mask = p.prefix === 0 ? 0 : (0xffffffff << (32 - p.prefix)) >>> 0;
  if (((p.addr & mask) >>> 0) !== p.addr) throw new IpExit('Error: Invalid prefix for given prefix length.', 2);
  return p;
}

function routeAdd(c: Cmd, args: string[], replace: boolean): number {
  const spec = routeArgs(c, args);
  if (spec.dev !== undefined && !c.ns.devices.has(spec.dev)) throw new IpExit(`Cannot find device "${spec.dev}"`, 1);
  if (replace) c.ns.delRoute({ dst: spec.dst, prefix: spec.prefix, table: spec.table, metric: spec.metric ?? 0, type: spec.type });
  const err = c.ns.addRoute(spec);
  if (err === undefined) return 0;
  if (spec.via !== undefined && (err === 'RTNETLINK answers: Network is unreachable' || err === 'RTNETLINK answers: No such device')) {
    throw new IpExit('Error: Nexthop has invalid gateway.', 2);
  }
  throw new IpExit(err, err.startsWith('Cannot find device') ? 1 : 2);
}

function routeDel(c: Cmd, args: string[]): number {
  const spec = routeArgs(c, args);
  if (spec.dev !== undefined && !c.ns.devices.has(spec.dev)) throw new IpExit(`Cannot find device "${spec.dev}"`, 1);
  const err = c.ns.delRoute(spec);
  if (err !== undefined) throw new IpExit(err, 2);
  return 0;
}

function routeShow(c: Cmd, args: string[]): number {
  let table: number = RT_TABLE.main;
  let all = false;
  let dev: string | undefined;
  // iproute2's `to` selector: root P (prefixes inside P), match P (prefixes containing P), exact P (default).
  // Filtering by proto or scope drops that field from the lines (iproute2's protocolmask/scopemask).
  let proto: Route['proto'] | undefined;
  let scope: Scope | undefined;
  let type: RouteType | undefined;
  let root: { addr: Ipv4; prefix: number } | undefined;
  let match: { addr: Ipv4; prefix: number } | undefined;
  const prefixArg = (text: string): { addr: Ipv4; prefix: number } => {
    const p = text === 'default' ? { addr: 0, prefix: 0 } : parseCidr(text);
    if (!p) throw new IpExit(`Error: any valid prefix is expected rather than "${text}".`, 1);
    return p;
  };
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'table') {
      const t = need(args, ++k);
      if (t === 'all') all = true;
      else table = parseTable(t);
    } else if (a === 'dev') dev = need(args, ++k);
    else if (a === 'proto' || a === 'protocol') {
      const p = need(args, ++k);
      if (p !== 'kernel' && p !== 'boot' && p !== 'static') throw new ScriptError(`ip route show proto ${p}: supported: kernel, boot, static`, c.ctx.pos);
      proto = p;
    } else if (a === 'scope') {
      const sc = need(args, ++k);
      if (sc !== 'host' && sc !== 'link' && sc !== 'global') throw new ScriptError(`ip route show scope ${sc}: supported: host, link, global`, c.ctx.pos);
      scope = sc;
    } else if (a === 'type') {
      const t = need(args, ++k);
      if (!(ROUTE_TYPES as readonly string[]).includes(t)) throw new ScriptError(`ip route show type ${t}: supported: ${ROUTE_TYPES.join(', ')}`, c.ctx.pos);
      type = t as RouteType;
    } else if (/^\d|^default$|^to$|^root$|^match$|^exact$/.test(a)) {
      let sel = a;
      if (sel === 'to') sel = need(args, ++k);
      if (sel === 'root') root = prefixArg(need(args, ++k));
      else if (sel === 'match') match = prefixArg(need(args, ++k));
      else root = match = prefixArg(sel === 'exact' ? need(args, ++k) : sel);
    } else throw new ScriptError(`ip route show ${a}: not supported; supported: ip route show [table main|local|all|N] [dev DEV] [proto P] [scope S] [type T] [[to] [root|match|exact] PREFIX]`, c.ctx.pos);
  }
  if (dev !== undefined && !c.ns.devices.has(dev)) throw new IpExit(`Cannot find device "${dev}"`, 1);
  const tables = all ? [...c.ns.fib.tables.keys()].filter((t) => t !== RT_TABLE.default).sort((a, b) => (a === RT_TABLE.local ? 1 : b === RT_TABLE.local ? -1 : a - b)) : [table];
  if (!all && table !== RT_TABLE.main && table !== RT_TABLE.local && c.ns.listRoutes(table).length === 0) {
    throw new IpExit('Error: ipv4: FIB table does not exist.\nDump terminated', 2);
  }
  for (const t of tables) {
    for (const r of c.ns.listRoutes(t)) {
      if (dev !== undefined && r.dev !== dev) continue;
      if (root && (r.prefix < root.prefix || !inSubnet(r.dst, root.addr, root.prefix))) continue;
      if (match && (r.prefix > match.prefix || !inSubnet(match.addr, r.dst, r.prefix))) continue;
      if ((proto !== undefined && r.proto !== proto) || (scope !== undefined && r.scope !== scope) || (type !== undefined && r.type !== type)) continue;
      c.ctx.out(formatRoute(c.ns, r, all, dev !== undefined, { proto: proto !== undefined, scope: scope !== undefined }) + '\n');
    }
  }
  return 0;
}

function tableName(t: number): string {
  return t === RT_TABLE.local ? 'local' : t === RT_TABLE.main ? 'main' : t === RT_TABLE.default ? 'default' : String(t);
}

/** One line of `ip route show`, in iproute2's print_route order, each field followed by a space. */
export function formatRoute(ns: Netns, r: Route, showTable: boolean, devFiltered = false, omit: { proto?: boolean; scope?: boolean } = {}): string {
  let s = '';
  if (r.type !== 'unicast') s += `${r.type} `;
  s += r.prefix === 0 && r.dst === 0 ? 'default ' : r.prefix === 32 ? `${formatIpv4(r.dst)} ` : `${formatIpv4(r.dst)}/${r.prefix} `;
  if (r.gateway !== undefined) s += `via ${formatIpv4(r.gateway)} `;
  if (r.dev !== undefined && !devFiltered) s += `dev ${r.dev} `;
  // print_route: the table comes after the gateway and the device.
  if (showTable && r.table !== RT_TABLE.main) s += `table ${tableName(r.table)} `;
  if (r.proto !== 'boot' && !omit.proto) s += `proto ${r.proto} `;
  if (r.scope !== 'global' && !omit.scope) s += `scope ${r.scope} `;
  if (r.prefsrc !== undefined) s += `src ${formatIpv4(r.prefsrc)} `;
  if (r.metric) s += `metric ${r.metric} `;
  const d = r.dev !== undefined ? ns.devices.get(r.dev) : undefined;
  if (d && r.type !== 'local' && !d.carrier) s += 'linkdown ';
  if (r.mtu !== undefined) s += `mtu ${r.mtuLock ? 'lock ' : ''}${r.mtu} `;
  return s;
}

function routeGet(c: Cmd, args: string[]): number {
  const unsupported = (): ScriptError => new ScriptError('ip route get: only `ip route get ADDRESS [from LOCAL-ADDRESS]` is supported', c.ctx.pos);
  let target: string | undefined;
  let from: number | undefined;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === 'from') {
      const f = need(args, ++k);
      from = parseIpv4(f);
      if (from === undefined) throw new IpExit(`Error: any valid prefix is expected rather than "${f}".`, 1);
      // Output route with a chosen source: modelled for the namespace's own addresses only.
      if (c.ns.fib.addrType(from) !== 'LOCAL') throw unsupported();
    } else if (a === 'to' && target === undefined) target = need(args, ++k);
    else if (target === undefined) target = a;
    else throw unsupported();
  }
  if (target === undefined) throw new IpExit('need at least a destination address', 1);
  const addr = parseIpv4(target);
  if (addr === undefined) throw new IpExit(`Error: any valid prefix is expected rather than "${target}".`, 1);
  const res = c.ns.fib.lookup(addr);
  if (from !== undefined && res && res.type !== 'unicast') throw unsupported();
  if (!res || res.type === 'unreachable' || res.type === 'prohibit' || res.type === 'blackhole') {
    const msg = !res ? 'Network is unreachable' : res.type === 'blackhole' ? 'Invalid argument' : res.type === 'prohibit' ? 'Permission denied' : 'No route to host';
    throw new IpExit(`RTNETLINK answers: ${msg}`, 2);
  }
  const r = res.route;
  if (res.type === 'local') {
    c.ctx.out(`local ${formatIpv4(addr)} dev lo src ${formatIpv4(r.prefsrc ?? addr)} uid 0 \n    cache <local> \n`);
    return 0;
  }
  if (res.type === 'broadcast') {
    c.ctx.out(`broadcast ${formatIpv4(addr)} dev ${r.dev} src ${formatIpv4(r.prefsrc ?? addr)} uid 0 \n    cache <local,brd> \n`);
    return 0;
  }
  const via = r.gateway !== undefined ? `via ${formatIpv4(r.gateway)} ` : '';
  if (from !== undefined) {
    // With a source given, ip prints `from SRC` after the destination and no `src`.
    c.ctx.out(`${formatIpv4(addr)} from ${formatIpv4(from)} ${via}dev ${r.dev} uid 0 \n    ${cacheLine(c, addr, r)}\n`);
    return 0;
  }
  const src = r.prefsrc ?? c.ns.selectSourceAddress(r.dev, addr);
  c.ctx.out(`${formatIpv4(addr)} ${via}dev ${r.dev} src ${src !== undefined ? formatIpv4(src) : '0.0.0.0'} uid 0 \n    ${cacheLine(c, addr, r)}\n`);
  return 0;
}

/** RTA_CACHEINFO of a route to ADDR: a learned path MTU shows with the seconds it has left. */
function cacheLine(c: Cmd, addr: Ipv4, route?: Route): string {
  const mtu = route?.mtuLock ? undefined : c.ns.fib.pmtuOf(addr, c.kernel.now);
  const e = c.ns.fib.pmtu.get(addr);
  if (mtu === undefined || !e) return route?.mtu !== undefined ? `cache mtu ${route.mtuLock ? 'lock ' : ''}${route.mtu} ` : 'cache ';
  return `cache expires ${Math.floor((e.expires - c.kernel.now - 1) / 1e9)}sec mtu ${e.lock ? 'lock ' : ''}${mtu} `;
}

/** `ip route show cache`: the next-hop exceptions (learned path MTUs), as the route to each destination. */
function routeShowCache(c: Cmd): number {
  for (const dst of [...c.ns.fib.pmtu.keys()]) {
    const res = c.ns.fib.pmtuOf(dst, c.kernel.now) !== undefined ? c.ns.fib.lookup(dst) : undefined;
    if (!res || res.type !== 'unicast') continue;
    const via = res.route.gateway !== undefined ? `via ${formatIpv4(res.route.gateway)} ` : '';
    c.ctx.out(`${formatIpv4(dst)} ${via}dev ${res.route.dev} \n    ${cacheLine(c, dst, res.route)}\n`);
  }
  return 0;
}

export const tools: ToolTable = { ip };
