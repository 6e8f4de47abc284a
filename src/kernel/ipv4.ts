// The IPv4 packet path, as net/ipv4 and net/bridge run it:
//
//   netifRx(dev) ─┬─ bridge port ─> brHandleFrame ─┬─ to the bridge's MAC ─> brPassFrameUp ─> ipRcv(br)
//                 │                                └─ other port(s) ─> brForward ─> devXmit(port)
//                 └─ ipRcv(dev): PREROUTING ─> routeInput ─┬─ local ─> INPUT ─> transport (icmp/udp/tcp)
//                                                          └─ forward ─> TTL ─> FORWARD ─> ipOutput
//   ipLocalOut: OUTPUT ─(re-route if NAT changed the destination)─> ipOutput
//   ipOutput: POSTROUTING ─> neighbour ─> devXmit ─(LINK_LATENCY)─> netifRx(peer)
//
// Work between devices goes through the kernel's timer queue (kernel.deliverFrame), so there is
// no recursion across hops. resolveNeigh() resolves at once to the MAC of the
// device that owns the address on the link — only where br_netfilter rewrites the destination
// MAC of a bridged DNAT. Every other neighbour is resolved by ARP frames that walk the links and
// bridges (and so ebtables and tcpdump see them): 3 requests 1 s apart, FAILED after 3 s with ICMP
// host unreachable for every waiting packet. Neighbour entries never age.
import type { Ipv4, Mac } from './addr.ts';
import type { Skb } from './skb.ts';
import { IPPROTO } from './skb.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { Device } from './device.ts';
import type { Hook } from './netfilter/types.ts';
import type { BridgeHook, Verdict } from './nfadapter.ts';
import { fdbLearn, fdbLookup } from './bridge.ts';
import { isLimitedBroadcast, isLoopback, isMulticast, isZeronet, type Route } from './route.ts';
import { cloneSkb, snapshot } from './packet.ts';
import { icmpPeerAllow, icmpRcv, icmpSend, ICMP } from './icmp.ts';
import { udpRcv } from './udp.ts';
import { tcpRcv } from './tcp.ts';
import { ipDefrag, ipFragment, isFragment } from './frag.ts';
import { defragActive } from './conntrack/defrag.ts';

export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';
/** Time a neighbour takes to go FAILED (3 unanswered ARP probes, 1 s apart). */
export const NEIGH_FAIL_TIME = 3e9;

// ---- hooks ------------------------------------------------------------------------------------

function nfHook(kernel: Kernel, ns: Netns, hook: Hook, skb: Skb, indev: string | undefined, outdev: string | undefined): Verdict {
  const d = skb.dev;
  // (no spread unless the bridge set physIn/physOut: this runs at every hook of every packet)
  skb.dev = d === undefined || (d.physIn === undefined && d.physOut === undefined) ? { in: indev, out: outdev } : { ...d, in: indev, out: outdev };
  // nfHookIpv4 records the 'hook' event itself (with the tables it walks).
  const v = kernel.netfilter.hookIpv4(kernel, ns, hook, skb, indev, outdev);
  if (v === 'DROP') drop(kernel, ns, skb, `netfilter ${hook}`);
  return v;
}

/** The stack records bridge-family 'hook' events; hookBridge (ebtables) only adds tables/rules. */
function brHook(kernel: Kernel, ns: Netns, hook: BridgeHook, skb: Skb, indev: string | undefined, outdev: string | undefined): Verdict {
  if (kernel.tracing) {
    kernel.emit({ type: 'hook', family: 'bridge', hook: hook, t: kernel.now, netns: ns.name, pkt: skb.id, in: indev, out: outdev, snap: snapshot(skb) });
  }
  const v = kernel.netfilter.hookBridge(kernel, ns, hook, skb, indev, outdev);
  if (v === 'DROP' && hook !== 'BROUTING') drop(kernel, ns, skb, `ebtables ${hook}`);
  return v;
}

export function drop(kernel: Kernel, ns: Netns, skb: Skb, reason: string): void {
  if (kernel.tracing) kernel.emit({ type: 'drop', t: kernel.now, netns: ns.name, pkt: skb.id, reason });
  if (skb.ct) kernel.netfilter.dropUnconfirmed(kernel, ns, skb);
}

// ---- devices ----------------------------------------------------------------------------------

/** Kernels whose last synchronous transmit was refused by the device (NET_XMIT_DROP). */
const xmitDropped = new WeakSet<Kernel>();

/**
 * Whether a transmit since the last call was refused by its device (cleared by the call): a
 * socket that sends through ipLocalOut gets ENOBUFS from sendmsg when its own packet was.
 */
export function takeXmitDrop(kernel: Kernel): boolean {
  return xmitDropped.delete(kernel);
}

/** dev_queue_xmit: the frame leaves DEV (tcpdump on DEV sees it here). */
export function devXmit(kernel: Kernel, dev: Device, skb: Skb): void {
  const ns = dev.ns;
  if (!dev.running) {
    drop(kernel, ns, skb, `${dev.name} is down`);
    return;
  }
  if (kernel.tracing) kernel.emit({ type: 'dev', dir: 'tx', dev: dev.name, t: kernel.now, netns: ns.name, pkt: skb.id, snap: snapshot(skb) });
  switch (dev.kind) {
    case 'loopback':
      kernel.deliverFrame(dev, skb);
      return;
    case 'veth':
      // veth_xmit → __dev_forward_skb: is_skb_forwardable refuses a frame longer than the peer's
      // MTU + Ethernet header + VLAN_HLEN (so an IP packet up to MTU + 4 passes): the peer counts
      // rx_dropped; veth_xmit returns NET_XMIT_DROP (a local sender's sendmsg: ENOBUFS).
      if (dev.peer && skb.eth?.proto !== 0x0806 && skb.len > dev.peer.mtu + 4 && skb.gsoSize === undefined) {
        xmitDropped.add(kernel);
        drop(kernel, ns, skb, `${dev.peer.name}: frame larger than its MTU ${dev.peer.mtu}`);
        return;
      }
      if (dev.peer && dev.peer.running) {
        // skb_scrub_packet: conntrack and trace are forgotten; the mark too across namespaces.
        skb.ct = undefined;
        skb.nfTrace = undefined;
        if (dev.peer.ns !== ns) skb.mark = 0;
        kernel.deliverFrame(dev.peer, skb);
      }
      else drop(kernel, ns, skb, `${dev.name}: peer down`);
      return;
    case 'bridge':
      brDevXmit(kernel, dev, skb);
      return;
    case 'dummy':
      drop(kernel, ns, skb, 'dummy device');
      return;
  }
}

/** netif_receive_skb on DEV. */
export function netifRx(kernel: Kernel, dev: Device, skb: Skb): void {
  const ns = dev.ns;
  if (!dev.running || !ns.devices.has(dev.name)) return;
  skb.dev = {};
  // ip_rcv_core: skb_orphan — a received packet has no owning socket (LOG --log-uid prints none).
  skb.sk = undefined;
  if (kernel.tracing) kernel.emit({ type: 'dev', dir: 'rx', dev: dev.name, t: kernel.now, netns: ns.name, pkt: skb.id, snap: snapshot(skb) });
  if (dev.port) {
    brHandleFrame(kernel, dev, skb);
    return;
  }
  const dst = skb.eth?.dst;
  if (dev.kind !== 'loopback' && dst !== undefined && dst !== dev.mac && dst !== BROADCAST_MAC && !(parseInt(dst.slice(0, 2), 16) & 1)) {
    drop(kernel, ns, skb, 'PACKET_OTHERHOST');
    return;
  }
  if (skb.eth?.proto === 0x0806) {
    arpRcv(kernel, dev, skb);
    return;
  }
  ipRcv(kernel, dev, skb, false);
}

// ---- the bridge -------------------------------------------------------------------------------

function callIptables(ns: Netns): boolean {
  return ns.sysctl.get('net.bridge.bridge-nf-call-iptables') === '1';
}

/** br_handle_frame on port PORTDEV. */
function brHandleFrame(kernel: Kernel, portDev: Device, skb: Skb): void {
  const ns = portDev.ns;
  const port = portDev.port!;
  const brDev = port.bridge;
  const br = brDev.bridge!;
  if (!brDev.adminUp) {
    drop(kernel, ns, skb, `${brDev.name} is down`);
    return;
  }
  // ebtables broute: DROP means "do not bridge, route it as received on the port".
  if (brHook(kernel, ns, 'BROUTING', skb, portDev.name, undefined) === 'DROP') {
    ipRcv(kernel, portDev, skb, false);
    return;
  }
  if (brHook(kernel, ns, 'PREROUTING', skb, portDev.name, undefined) === 'DROP') return;
  const ipv4 = skb.eth?.proto !== 0x0806;
  if (ipv4 && callIptables(ns)) {
    // br_nf_pre_routing's NF_HOOK runs nf_defrag_ipv4 first while conntrack is in use.
    if (isFragment(skb) && defragActive(kernel, ns)) {
      const whole = ipDefrag(kernel, ns, skb, 'conntrack');
      if (!whole) return;
      skb = whole;
    }
    // br_nf_pre_routing: iptables PREROUTING with in = the bridge, physin = the port.
    skb.dev = { physIn: portDev.name };
    const daddr = skb.ip.daddr;
    if (nfHook(kernel, ns, 'PREROUTING', skb, brDev.name, undefined) !== 'ACCEPT') return;
    if (skb.ip.daddr !== daddr) {
      // br_nf_pre_routing_finish with a changed destination: route it; if the route leaves
      // through this bridge, keep bridging towards the new owner ("bridged DNAT").
      const r = routeInputLookup(ns, skb.ip.daddr);
      if (r && r.type === 'unicast' && r.route.dev === brDev.name) {
        const mac = resolveNeigh(kernel, brDev, r.route.gateway ?? skb.ip.daddr);
        if (mac && skb.eth) skb.eth = { ...skb.eth, dst: mac };
      } else {
        ipRcvFinish(kernel, brDev, skb);
        return;
      }
    }
  } else {
    skb.dev = {};
  }
  brHandleFrameFinish(kernel, portDev, skb, ipv4 && callIptables(ns));
}

function brHandleFrameFinish(kernel: Kernel, portDev: Device, skb: Skb, brnf: boolean): void {
  const ns = portDev.ns;
  const brDev = portDev.port!.bridge;
  const br = brDev.bridge!;
  const eth = skb.eth!;
  if (portDev.port!.learning) fdbLearn(br, eth.src, portDev.name, kernel.now);
  const dstMac = eth.dst;
  const isBcast = parseInt(dstMac.slice(0, 2), 16) & 1;
  if (!isBcast) {
    const e = fdbLookup(br, dstMac, kernel.now);
    if (e && e.local) {
      if (kernel.tracing) kernel.emit({ type: 'bridge', t: kernel.now, netns: ns.name, pkt: skb.id, bridge: brDev.name, inPort: portDev.name, action: 'local', outPorts: [] });
      brPassFrameUp(kernel, brDev, portDev, skb, brnf);
      return;
    }
    if (e) {
      const out = br.ports.get(e.port);
      if (!out) return;
      if (kernel.tracing) kernel.emit({ type: 'bridge', t: kernel.now, netns: ns.name, pkt: skb.id, bridge: brDev.name, inPort: portDev.name, action: 'forward', outPorts: [out.dev.name] });
      if (out.dev === portDev && !out.hairpin) {
        drop(kernel, ns, skb, 'bridge: same port, hairpin off');
        return;
      }
      brForward(kernel, brDev, portDev, out.dev, skb, brnf);
      return;
    }
  }
  // Flood (unknown unicast, broadcast, multicast): every other forwarding port, and up if bcast.
  const outs = [...br.ports.values()].filter((p) => p.dev.running && p.flood && (p.dev !== portDev || p.hairpin)).map((p) => p.dev);
  if (kernel.tracing) kernel.emit({ type: 'bridge', t: kernel.now, netns: ns.name, pkt: skb.id, bridge: brDev.name, inPort: portDev.name, action: 'flood', outPorts: outs.map((d) => d.name) });
  for (const out of outs) brForward(kernel, brDev, portDev, out, cloneSkb(skb), brnf);
  if (isBcast) brPassFrameUp(kernel, brDev, portDev, skb, brnf);
}

/** br_forward: ebtables FORWARD, iptables FORWARD (br_netfilter), ebtables POSTROUTING, iptables POSTROUTING. */
function brForward(kernel: Kernel, brDev: Device, inPort: Device, outPort: Device, skb: Skb, brnf: boolean): void {
  const ns = brDev.ns;
  if (brHook(kernel, ns, 'FORWARD', skb, inPort.name, outPort.name) !== 'ACCEPT') return;
  if (brnf) {
    skb.dev = { physIn: inPort.name, physOut: outPort.name };
    if (nfHook(kernel, ns, 'FORWARD', skb, brDev.name, brDev.name) !== 'ACCEPT') return;
  }
  if (brHook(kernel, ns, 'POSTROUTING', skb, undefined, outPort.name) !== 'ACCEPT') return;
  if (brnf) {
    skb.dev = { physIn: inPort.name, physOut: outPort.name };
    if (nfHook(kernel, ns, 'POSTROUTING', skb, undefined, brDev.name) !== 'ACCEPT') return;
    // br_nf_dev_queue_xmit: a frame over the egress port's MTU (or over the largest fragment of
    // a datagram nf_defrag_ipv4 reassembled) goes to br_nf_ip_fragment, which drops it with DF
    // (or when its original fragments did not fit) and else cuts it.
    const mtu = skb.fragMaxSize !== undefined && skb.fragMaxSize < outPort.mtu ? skb.fragMaxSize : outPort.mtu;
    // A GSO packet is passed on whole (skb_is_gso before the length test).
    if (skb.len > mtu && skb.gsoSize === undefined) {
      if (skb.fragMaxSize === undefined ? skb.ip.df : skb.fragMaxSize > outPort.mtu) {
        drop(kernel, ns, skb, `bridge: ${outPort.name} MTU ${outPort.mtu} (br_nf_ip_fragment)`);
        return;
      }
      for (const f of ipFragment(kernel, ns, skb, mtu)) devXmit(kernel, outPort, f);
      return;
    }
  } else if (skb.len > outPort.mtu + 4 && skb.gsoSize === undefined) {
    // br_dev_queue_push_xmit: is_skb_forwardable on the egress port.
    drop(kernel, ns, skb, `bridge: frame larger than ${outPort.name}'s MTU ${outPort.mtu}`);
    return;
  }
  devXmit(kernel, outPort, skb);
}

/** br_pass_frame_up: ebtables INPUT, then the bridge device receives the frame. */
function brPassFrameUp(kernel: Kernel, brDev: Device, inPort: Device, skb: Skb, brnf: boolean): void {
  const ns = brDev.ns;
  if (brHook(kernel, ns, 'INPUT', skb, inPort.name, undefined) !== 'ACCEPT') return;
  if (kernel.tracing) kernel.emit({ type: 'dev', dir: 'rx', dev: brDev.name, t: kernel.now, netns: ns.name, pkt: skb.id, snap: snapshot(skb) });
  if (skb.eth?.proto === 0x0806) {
    arpRcv(kernel, brDev, skb);
    return;
  }
  // With br_netfilter the packet has walked iptables PREROUTING already (ip_sabotage_in).
  if (brnf) {
    skb.dev = { physIn: inPort.name };
    ipRcvFinish(kernel, brDev, skb);
  } else {
    skb.dev = {};
    ipRcv(kernel, brDev, skb, true);
  }
}

/** br_dev_xmit: the IP stack sends through the bridge device. */
function brDevXmit(kernel: Kernel, brDev: Device, skb: Skb): void {
  const ns = brDev.ns;
  const br = brDev.bridge!;
  const dstMac = skb.eth?.dst ?? BROADCAST_MAC;
  const isBcast = parseInt(dstMac.slice(0, 2), 16) & 1;
  const e = isBcast ? undefined : fdbLookup(br, dstMac, kernel.now);
  const outs = e && !e.local ? [br.ports.get(e.port)!.dev] : [...br.ports.values()].filter((p) => p.dev.running && p.flood).map((p) => p.dev);
  if (kernel.tracing) kernel.emit({ type: 'bridge', t: kernel.now, netns: ns.name, pkt: skb.id, bridge: brDev.name, action: e ? 'forward' : 'flood', outPorts: outs.map((d) => d.name) });
  for (const out of outs) {
    const copy = outs.length > 1 ? cloneSkb(skb) : skb;
    if (brHook(kernel, ns, 'OUTPUT', copy, undefined, out.name) !== 'ACCEPT') continue;
    if (brHook(kernel, ns, 'POSTROUTING', copy, undefined, out.name) !== 'ACCEPT') continue;
    devXmit(kernel, out, copy);
  }
}

// ---- neighbours -------------------------------------------------------------------------------

/**
 * The MAC that an ARP request for NH sent on DEV would get (arp_ignore=0: any local address of
 * the answering namespace), learning MACs in the bridges crossed; undefined when nobody answers.
 */
export function resolveNeigh(kernel: Kernel, dev: Device, nh: Ipv4): Mac | undefined {
  if (dev.kind === 'loopback') return '00:00:00:00:00:00';
  if (isLimitedBroadcast(nh) || isMulticast(nh)) return BROADCAST_MAC;
  // Breadth-first over the L2 segment: [device a frame arrives on, bridge ports crossed].
  const seen = new Set<Device>([dev]);
  const queue: Array<{ d: Device; path: Array<{ br: Device; inPort: Device }> }> = [];
  const enqueueFrom = (from: Device, path: Array<{ br: Device; inPort: Device }>) => {
    if (from.kind === 'veth' && from.peer && from.peer.running && !seen.has(from.peer)) {
      seen.add(from.peer);
      queue.push({ d: from.peer, path });
    }
    if (from.kind === 'bridge' && from.bridge) {
      for (const p of from.bridge.ports.values()) {
        if (!p.dev.running || seen.has(p.dev)) continue;
        seen.add(p.dev);
        enqueueFrom(p.dev, [...path, { br: from, inPort: from }]);
      }
    }
  };
  enqueueFrom(dev, []);
  while (queue.length) {
    const { d, path } = queue.shift()!;
    if (d.port) {
      const brDev = d.port.bridge;
      if (!brDev.adminUp) continue;
      const np = [...path, { br: brDev, inPort: d }];
      // The bridge device itself answers for its namespace.
      if (brDev.running && !seen.has(brDev) && answers(brDev, nh)) {
        learnPath(kernel, np, dev.mac, brDev.mac);
        return brDev.mac;
      }
      seen.add(brDev);
      for (const p of brDev.bridge!.ports.values()) {
        if (p.dev === d || !p.dev.running || seen.has(p.dev)) continue;
        seen.add(p.dev);
        enqueueFrom(p.dev, np);
      }
      continue;
    }
    if (answers(d, nh)) {
      learnPath(kernel, path, dev.mac, d.mac);
      return d.mac;
    }
  }
  return undefined;
}

function answers(d: Device, nh: Ipv4): boolean {
  if (!d.running) return false;
  return d.ns.fib.addrType(nh) === 'LOCAL' && !isLoopback(nh);
}

/** The ARP request taught each bridge the asker's MAC; the reply taught the answerer's. */
function learnPath(kernel: Kernel, path: Array<{ br: Device; inPort: Device }>, askerMac: Mac, answerMac: Mac): void {
  // path[i].inPort is where the request entered bridge i; the reply entered where it left,
  // which is the next hop's side. We learn the asker on the request's ingress port; the answerer
  // is learned on the port towards it, found by the same walk in reverse (approximated below).
  for (let i = 0; i < path.length; i++) {
    const { br, inPort } = path[i];
    if (inPort !== br && br.bridge) fdbLearn(br.bridge, askerMac, inPort.name, kernel.now);
  }
  for (let i = 0; i < path.length; i++) {
    const { br } = path[i];
    if (!br.bridge) continue;
    const towards = portTowards(br, answerMac);
    if (towards) fdbLearn(br.bridge, answerMac, towards.name, kernel.now);
  }
}

/** The port of BR behind which the device with MAC sits (through veth peers and nested bridges). */
function portTowards(br: Device, mac: Mac): Device | undefined {
  for (const p of br.bridge!.ports.values()) {
    const seen = new Set<Device>([br]);
    const stack: Device[] = [p.dev];
    while (stack.length) {
      const d = stack.pop()!;
      if (seen.has(d)) continue;
      seen.add(d);
      if (d.mac === mac && d !== p.dev) return p.dev;
      if (d.kind === 'veth' && d.peer) {
        if (d.peer.mac === mac) return p.dev;
        if (d.peer.port) {
          const b = d.peer.port.bridge;
          if (b.mac === mac) return p.dev;
          for (const q of b.bridge!.ports.values()) if (q.dev !== d.peer) stack.push(q.dev);
        }
      }
    }
  }
  return undefined;
}

// ---- receive ----------------------------------------------------------------------------------

/** ip_rcv on DEV: PREROUTING (unless br_netfilter ran it already), then ip_rcv_finish. */
export function ipRcv(kernel: Kernel, dev: Device, skb: Skb, _fromBridge: boolean): void {
  const ns = dev.ns;
  // nf_defrag_ipv4 (priority -400) while conntrack is in use: every table sees the datagram.
  if (isFragment(skb) && defragActive(kernel, ns)) {
    const whole = ipDefrag(kernel, ns, skb, 'conntrack');
    if (!whole) return;
    skb = whole;
  }
  if (nfHook(kernel, ns, 'PREROUTING', skb, dev.name, undefined) !== 'ACCEPT') return;
  ipRcvFinish(kernel, dev, skb);
}

function routeInputLookup(ns: Netns, daddr: Ipv4) {
  return ns.fib.lookup(daddr);
}

/** ip_rcv_finish: the input routing decision (ip_route_input_noref) and dst_input. */
export function ipRcvFinish(kernel: Kernel, dev: Device, skb: Skb): void {
  const ns = dev.ns;
  const { saddr, daddr } = skb.ip;
  const isLo = dev.kind === 'loopback';
  const localnet = ns.devConf(dev.name, 'route_localnet') === 1;
  // Early demux (tcp_v4_early_demux): a segment of an established connection takes its socket
  // before routing, so INPUT's LOG --log-uid prints the owner. A request sock (SYN_RECV) or a
  // timewait sock is not a full socket: no owner.
  if (skb.tcp) {
    const c = ns.sockets.findConn(daddr, skb.tcp.dport, saddr, skb.tcp.sport);
    if (c && c.state !== 'SYN_RECV' && c.state !== 'TIME_WAIT' && c.state !== 'CLOSED') skb.sk = { uid: 0, gid: 0 };
  }
  // Martian sources and destinations (ip_route_input_slow).
  if (isMulticast(saddr) || isLimitedBroadcast(saddr) || (!isLo && isZeronet(saddr) && !isLimitedBroadcast(daddr))) {
    routeEvent(kernel, ns, skb, 'drop', undefined, 'martian source');
    drop(kernel, ns, skb, 'martian source');
    return;
  }
  if (isMulticast(daddr)) {
    routeEvent(kernel, ns, skb, 'drop', undefined, 'multicast not joined');
    drop(kernel, ns, skb, 'multicast');
    return;
  }
  if (isLimitedBroadcast(daddr)) {
    routeEvent(kernel, ns, skb, 'local', dev.name, 'limited broadcast');
    ipLocalDeliver(kernel, ns, dev, skb, true);
    return;
  }
  if (!isLo && (isLoopback(saddr) || isLoopback(daddr)) && !localnet) {
    routeEvent(kernel, ns, skb, 'drop', undefined, isLoopback(daddr) ? 'martian destination' : 'martian source');
    drop(kernel, ns, skb, 'martian (route_localnet=0)');
    return;
  }
  if (isZeronet(daddr)) {
    drop(kernel, ns, skb, 'martian destination');
    return;
  }
  const res = ns.fib.lookup(daddr);
  if (!res) {
    inputNoRoute(kernel, ns, dev, skb, ICMP.NET_UNREACH);
    return;
  }
  // A packet from one of our own addresses on another device is martian (accept_local=0).
  if (!isLo && ns.fib.addrType(saddr) === 'LOCAL' && ns.devConf(dev.name, 'accept_local') === 0) {
    routeEvent(kernel, ns, skb, 'drop', undefined, 'martian source (local address)');
    drop(kernel, ns, skb, 'martian source');
    return;
  }
  if (!rpFilterOk(ns, dev, saddr)) {
    routeEvent(kernel, ns, skb, 'drop', undefined, 'rp_filter');
    drop(kernel, ns, skb, 'rp_filter');
    return;
  }
  switch (res.type) {
    case 'local':
      routeEvent(kernel, ns, skb, 'local', res.route.dev);
      ipLocalDeliver(kernel, ns, dev, skb, false);
      return;
    case 'broadcast':
      routeEvent(kernel, ns, skb, 'local', res.route.dev, 'broadcast');
      ipLocalDeliver(kernel, ns, dev, skb, true);
      return;
    case 'unicast':
      if (ns.devConf(dev.name, 'forwarding') !== 1) {
        routeEvent(kernel, ns, skb, 'drop', undefined, `forwarding disabled on ${dev.name}`);
        drop(kernel, ns, skb, 'forwarding disabled');
        return;
      }
      routeEvent(kernel, ns, skb, 'forward', res.route.dev, undefined, res.route.gateway);
      ipForward(kernel, ns, dev, skb, res.route);
      return;
    case 'unreachable':
      inputNoRoute(kernel, ns, dev, skb, ICMP.HOST_UNREACH);
      return;
    case 'prohibit':
      inputNoRoute(kernel, ns, dev, skb, ICMP.PKT_FILTERED);
      return;
    case 'blackhole':
    default:
      routeEvent(kernel, ns, skb, 'blackhole');
      drop(kernel, ns, skb, 'blackhole route');
  }
}

/** ip_error: no route (or an unreachable route) on input: ICMP only when forwarding is on. */
function inputNoRoute(kernel: Kernel, ns: Netns, dev: Device, skb: Skb, code: number): void {
  routeEvent(kernel, ns, skb, 'unreachable', undefined, code === ICMP.NET_UNREACH ? 'no route' : 'unreachable route');
  if (ns.devConf(dev.name, 'forwarding') === 1 && ipErrorRateOk(kernel, ns, skb.ip.saddr)) icmpSend(kernel, ns, skb, ICMP.DEST_UNREACH, code, dev);
  drop(kernel, ns, skb, 'no route');
}

function rpFilterOk(ns: Netns, dev: Device, saddr: Ipv4): boolean {
  const mode = ns.devConf(dev.name, 'rp_filter');
  if (mode === 0 || dev.kind === 'loopback') return true;
  const r = ns.fib.lookup(saddr);
  if (!r || r.type !== 'unicast') return mode === 2 ? false : false;
  return mode === 2 ? true : r.route.dev === dev.name;
}

function routeEvent(kernel: Kernel, ns: Netns, skb: Skb, result: 'local' | 'forward' | 'output' | 'unreachable' | 'blackhole' | 'prohibit' | 'drop', oif?: string, reason?: string, gateway?: Ipv4): void {
  if (kernel.tracing) kernel.emit({ type: 'route', t: kernel.now, netns: ns.name, pkt: skb.id, result, oif, reason, gateway });
}

/** ip_local_deliver: INPUT, then the transport protocol. */
function ipLocalDeliver(kernel: Kernel, ns: Netns, dev: Device, skb: Skb, broadcast: boolean): void {
  // ip_local_deliver reassembles before INPUT: INPUT and the sockets see whole datagrams.
  if (isFragment(skb)) {
    const whole = ipDefrag(kernel, ns, skb, 'local');
    if (!whole) return;
    skb = whole;
  }
  if (nfHook(kernel, ns, 'INPUT', skb, dev.name, undefined) !== 'ACCEPT') return;
  switch (skb.ip.protocol) {
    case IPPROTO.ICMP:
      icmpRcv(kernel, ns, dev, skb, broadcast);
      return;
    case IPPROTO.UDP:
      udpRcv(kernel, ns, dev, skb, broadcast);
      return;
    case IPPROTO.TCP:
      if (!broadcast) tcpRcv(kernel, ns, dev, skb);
      return;
    default:
      if (!broadcast) icmpSend(kernel, ns, skb, ICMP.DEST_UNREACH, ICMP.PROT_UNREACH, dev);
  }
}

/** ip_forward: TTL, FORWARD, then ip_output. */
function ipForward(kernel: Kernel, ns: Netns, indev: Device, skb: Skb, route: Route): void {
  if (skb.ip.ttl <= 1) {
    // icmp_send first, then kfree_skb: the error joins the still-unconfirmed entry as RELATED.
    icmpSend(kernel, ns, skb, ICMP.TIME_EXCEEDED, 0, indev);
    drop(kernel, ns, skb, 'TTL exceeded');
    return;
  }
  const outdev = ns.dev(route.dev!);
  if (!outdev) return;
  // ip_exceeds_mtu (ip_forward_use_pmtu=0: the device's MTU): a DF datagram that does not fit,
  // or whose original fragments did not, gets frag-needed with the next-hop MTU (never rate-limited).
  const mtu = forwardMtu(kernel, ns, outdev, skb.ip.daddr, route);
  if (skb.len > mtu && !gsoFits(skb, mtu) && skb.ip.df && (skb.fragMaxSize === undefined || skb.fragMaxSize > mtu)) {
    icmpSend(kernel, ns, skb, ICMP.DEST_UNREACH, ICMP.FRAG_NEEDED, indev, 'icmp-error', mtu);
    drop(kernel, ns, skb, `frag needed (mtu ${mtu})`);
    return;
  }
  skb.ip = { ...skb.ip, ttl: skb.ip.ttl - 1 };
  if (nfHook(kernel, ns, 'FORWARD', skb, indev.name, outdev.name) !== 'ACCEPT') return;
  ipOutput(kernel, ns, outdev, route.gateway ?? skb.ip.daddr, skb, indev.name, route);
}

// ---- output -----------------------------------------------------------------------------------

export type RouteOutputResult = { ok: true; dev: Device; nexthop: Ipv4; saddr: Ipv4; route: Route; local: boolean } | { ok: false; errno: 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES' | 'EINVAL' };

/**
 * ip_route_output_key: the route for a locally generated packet to DADDR (optionally bound to
 * OIF); picks the source address like the kernel (the route's prefsrc, else inet_select_addr).
 */
export function routeOutput(ns: Netns, daddr: Ipv4, opts: { oif?: string; saddr?: Ipv4 } = {}): RouteOutputResult {
  if (isLimitedBroadcast(daddr) || isMulticast(daddr)) {
    const dev = opts.oif ? ns.dev(opts.oif) : undefined;
    if (!dev) return { ok: false, errno: 'ENETUNREACH' };
    return { ok: true, dev, nexthop: daddr, saddr: opts.saddr ?? ns.selectSourceAddress(dev, daddr) ?? 0, route: { table: 255, type: 'broadcast', dst: daddr, prefix: 32, dev: dev.name, metric: 0, proto: 'kernel', scope: 'link', seq: 0 }, local: false };
  }
  const res = ns.fib.lookup(daddr, opts.oif);
  if (!res) return { ok: false, errno: 'ENETUNREACH' };
  const r = res.route;
  if (res.type === 'local' || (res.type === 'broadcast' && false)) {
    const lo = ns.dev('lo')!;
    const saddr = opts.saddr ?? (r.prefsrc && !isLoopback(daddr) ? daddr : r.prefsrc ?? daddr);
    return { ok: true, dev: lo, nexthop: daddr, saddr, route: r, local: true };
  }
  if (res.type === 'unreachable') return { ok: false, errno: 'EHOSTUNREACH' };
  if (res.type === 'prohibit') return { ok: false, errno: 'EACCES' };
  if (res.type === 'blackhole') return { ok: false, errno: 'EINVAL' };
  const dev = ns.dev(r.dev!);
  if (!dev) return { ok: false, errno: 'ENETUNREACH' };
  const saddr = opts.saddr ?? r.prefsrc ?? ns.selectSourceAddress(dev, r.gateway ?? daddr) ?? 0;
  return { ok: true, dev, nexthop: r.gateway ?? daddr, saddr, route: r, local: false };
}

/**
 * ip_local_out for a packet whose headers are filled in: route, OUTPUT, re-route when OUTPUT
 * changed the destination or mark (ip_route_me_harder), then POSTROUTING and transmit.
 */
export function ipLocalOut(kernel: Kernel, ns: Netns, skb: Skb, oif?: string): Verdict {
  let rt = routeOutput(ns, skb.ip.daddr, { oif, saddr: skb.ip.saddr || undefined });
  if (!rt.ok) {
    routeEvent(kernel, ns, skb, 'unreachable', undefined, rt.errno);
    drop(kernel, ns, skb, `no route (${rt.errno})`);
    return 'DROP';
  }
  if (!skb.ip.saddr) skb.ip = { ...skb.ip, saddr: rt.saddr };
  // ip_append_data / __ip_make_skb: IP_PMTUDISC_WANT sets DF only on a datagram that fits the
  // path MTU (a larger one is fragmented) and never on a route with `mtu lock` (ip_dont_fragment);
  // DONT never sets it; DO and PROBE always do.
  if (skb.pmtudisc !== undefined) {
    const df = skb.pmtudisc === 'do' || skb.pmtudisc === 'probe' || (skb.pmtudisc === 'want' && !rt.route.mtuLock && skb.len <= pathMtu(kernel, ns, rt.dev, skb.ip.daddr, rt.route));
    // ip_select_ident: a datagram without DF takes an id from the generator (never the 0 of DF).
    if (df !== skb.ip.df) skb.ip = { ...skb.ip, df, id: !df && skb.ip.id === 0 ? ns.ipIdNext++ & 0xffff : skb.ip.id };
  }
  routeEvent(kernel, ns, skb, 'output', rt.dev.name, undefined, rt.route.gateway);
  const daddr = skb.ip.daddr;
  const mark = skb.mark;
  skb.dev = {};
  const v = nfHook(kernel, ns, 'OUTPUT', skb, undefined, rt.dev.name);
  if (v !== 'ACCEPT') return v;
  if (skb.ip.daddr !== daddr || skb.mark !== mark) {
    const again = routeOutput(ns, skb.ip.daddr, { oif, saddr: skb.ip.saddr });
    if (!again.ok) {
      drop(kernel, ns, skb, `re-route failed (${again.errno})`);
      return 'DROP';
    }
    rt = again;
    routeEvent(kernel, ns, skb, 'output', rt.dev.name, 'rerouted after OUTPUT', rt.route.gateway);
  }
  return ipOutput(kernel, ns, rt.dev, rt.nexthop, skb, undefined, rt.route);
}

/**
 * ip_output → POSTROUTING → ip_finish_output2 (neighbour) → dev_queue_xmit. ip_output hands the
 * hook skb->dev as the input device: a forwarded packet's ingress device (LOG prints IN= and MAC=
 * at POSTROUTING), nothing for a locally sent one.
 */
export function ipOutput(kernel: Kernel, ns: Netns, dev: Device, nexthop: Ipv4, skb: Skb, indev: string | undefined, route?: Route): Verdict {
  const v = nfHook(kernel, ns, 'POSTROUTING', skb, indev, dev.name);
  if (v !== 'ACCEPT') return v;
  // ip_finish_output: ip_skb_dst_mtu is the device's MTU for a forwarded packet and the path
  // MTU (route exception included) for a local one; a reassembled datagram is always cut again.
  const mtu = indev === undefined ? pathMtu(kernel, ns, dev, skb.ip.daddr, route) : forwardMtu(kernel, ns, dev, skb.ip.daddr, route);
  // ip_finish_output_gso: a GSO packet whose pieces fit goes out whole.
  if (dev.kind !== 'loopback' && !gsoFits(skb, mtu) && (skb.len > mtu || skb.fragMaxSize !== undefined)) {
    // ip_fragment: DF refuses, unless the local socket allows fragmenting (skb->ignore_df)
    // and the original fragments fit.
    const ignoreDf = indev === undefined && (skb.pmtudisc === 'want' || skb.pmtudisc === 'dont' || skb.pmtudisc === undefined);
    if (skb.ip.df && (!ignoreDf || (skb.fragMaxSize !== undefined && skb.fragMaxSize > mtu)) && skb.len > mtu) {
      icmpSend(kernel, ns, skb, ICMP.DEST_UNREACH, ICMP.FRAG_NEEDED, undefined, 'icmp-error', mtu);
      drop(kernel, ns, skb, `frag needed (mtu ${mtu})`);
      return 'DROP';
    }
    if (skb.len > mtu || (skb.fragMaxSize !== undefined && skb.fragMaxSize < skb.len)) {
      // ip_do_fragment stops at the first fragment the device refuses.
      xmitDropped.delete(kernel);
      for (const f of ipFragment(kernel, ns, skb, mtu)) {
        neighOutput(kernel, ns, dev, nexthop, f);
        if (xmitDropped.has(kernel)) break;
      }
      return 'ACCEPT';
    }
  }
  neighOutput(kernel, ns, dev, nexthop, skb);
  return 'ACCEPT';
}

/** skb_gso_validate_network_len: a GSO packet each of whose gso_size pieces fits MTU with its headers. */
function gsoFits(skb: Skb, mtu: number): boolean {
  if (skb.gsoSize === undefined) return false;
  const headers = skb.ip.ihl + (skb.tcp ? skb.tcp.doff : 0);
  return headers + skb.gsoSize <= mtu;
}

/**
 * dst_mtu for a locally generated packet (ip_dst_mtu_maybe_forward, not forwarding): a learned
 * path MTU (unless the route's MTU is locked), else the route's MTU, else the device's.
 */
export function pathMtu(kernel: Kernel, ns: Netns, dev: Device, daddr: Ipv4, route?: Route): number {
  const p = route?.mtuLock ? undefined : ns.fib.pmtuOf(daddr, kernel.now);
  return p ?? route?.mtu ?? dev.mtu;
}

/**
 * ip_dst_mtu_maybe_forward when forwarding: the route's MTU, else the device's; a learned path
 * MTU only with net.ipv4.ip_forward_use_pmtu = 1.
 */
export function forwardMtu(kernel: Kernel, ns: Netns, dev: Device, daddr: Ipv4, route?: Route): number {
  if (ns.sysctl.get('net.ipv4.ip_forward_use_pmtu') === '1') return pathMtu(kernel, ns, dev, daddr, route);
  return route?.mtu ?? dev.mtu;
}

// ---- ARP (net/ipv4/arp.c) ------------------------------------------------------------------------

/**
 * neigh_output: a resolved neighbour sends at once; otherwise the packet waits while ARP asks
 * (3 broadcast requests, 1 s apart); when nobody answers within 3 s every waiting packet gets an
 * ICMP host unreachable (ipv4_link_failure) and is dropped.
 */
function neighOutput(kernel: Kernel, ns: Netns, dev: Device, nexthop: Ipv4, skb: Skb): void {
  skb.dev = {};
  const table = ns.neighTable(dev.name);
  let n = table.get(nexthop);
  if (n?.mac) {
    skb.eth = { src: dev.mac, dst: n.mac, proto: 0x0800 };
    devXmit(kernel, dev, skb);
    return;
  }
  if (dev.kind === 'loopback' || dev.kind === 'dummy' || isLimitedBroadcast(nexthop) || isMulticast(nexthop) || ns.fib.addrType(nexthop, dev.name) === 'BROADCAST') {
    skb.eth = { src: dev.mac, dst: dev.kind === 'loopback' ? '00:00:00:00:00:00' : BROADCAST_MAC, proto: 0x0800 };
    devXmit(kernel, dev, skb);
    return;
  }
  if (n) {
    n.queue.push(skb);
    return;
  }
  n = { queue: [skb] };
  table.set(nexthop, n);
  const entry = n;
  const spa = ns.fib.addrType(skb.ip.saddr) === 'LOCAL' ? skb.ip.saddr : ns.selectSourceAddress(dev, nexthop) ?? 0;
  for (let probe = 0; probe < 3; probe++) {
    kernel.schedule(kernel.now + probe * 1e9, () => {
      if (ns.neighTable(dev.name).get(nexthop) === entry && !entry.mac && dev.ns === ns && ns.devices.get(dev.name) === dev) arpSend(kernel, dev, 1, BROADCAST_MAC, spa, '00:00:00:00:00:00', nexthop);
    });
  }
  kernel.schedule(kernel.now + NEIGH_FAIL_TIME, () => {
    const t = ns.neighTable(dev.name);
    if (t.get(nexthop) !== entry || entry.mac) return;
    t.delete(nexthop);
    for (const q of entry.queue) {
      icmpSend(kernel, ns, q, ICMP.DEST_UNREACH, ICMP.HOST_UNREACH, dev);
      drop(kernel, ns, q, 'neighbour failed');
    }
  });
}

/** `parent`: the request a reply answers (views draw the reply beside it). */
function arpSend(kernel: Kernel, dev: Device, op: 1 | 2, dstMac: Mac, spa: Ipv4, tha: Mac, tpa: Ipv4, parent?: number): void {
  const skb: Skb = {
    id: kernel.newSkbId(),
    len: 28,
    ip: { saddr: spa, daddr: tpa, protocol: 0, ttl: 0, tos: 0, id: 0, df: false, ihl: 0 },
    payloadLen: 0,
    mark: 0,
    eth: { src: dev.mac, dst: dstMac, proto: 0x0806 },
    arp: { op, sha: dev.mac, spa, tha, tpa },
  };
  if (kernel.recording) kernel.packets.push({ id: skb.id, command: kernel.currentCommand, netns: dev.ns.name, origin: 'arp', ...(parent !== undefined ? { parent } : {}), created: snapshot(skb), time: kernel.now });
  devXmit(kernel, dev, skb);
}

/** arp_process: answer requests for our addresses (arp_ignore=0), learn the asker, take replies. */
function arpRcv(kernel: Kernel, dev: Device, skb: Skb): void {
  const ns = dev.ns;
  const arp = skb.arp;
  if (!arp) return;
  if (arp.op === 1) {
    if (!answers(dev, arp.tpa)) return;
    neighUpdate(kernel, ns, dev, arp.spa, arp.sha);
    if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: 'kernel (ARP), which answers with an ARP reply' });
    arpSend(kernel, dev, 2, arp.sha, arp.tpa, arp.sha, arp.spa, skb.id);
    return;
  }
  if (ns.neighTable(dev.name).has(arp.spa)) {
    if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: 'kernel (ARP), which learns the sender' });
    neighUpdate(kernel, ns, dev, arp.spa, arp.sha);
  }
}

function neighUpdate(kernel: Kernel, ns: Netns, dev: Device, addr: Ipv4, mac: Mac): void {
  const t = ns.neighTable(dev.name);
  const n = t.get(addr);
  if (!n) {
    t.set(addr, { mac, queue: [] });
    return;
  }
  n.mac = mac;
  const queued = n.queue.splice(0);
  for (const q of queued) {
    q.eth = { src: dev.mac, dst: mac, proto: 0x0800 };
    devXmit(kernel, dev, q);
  }
}

/**
 * ip_error's token bucket per source (ip_rt_error_cost 1 s, burst 5 s). It shares the inet_peer
 * tokens with icmp_send's limit, so a router without a route answers the first 4 packets of a
 * flow of one per second and then stays silent (both limits drain the same bucket).
 */
function ipErrorRateOk(kernel: Kernel, ns: Netns, peer: Ipv4): boolean {
  return icmpPeerAllow(kernel, ns, peer, 1e9, 5e9);
}
