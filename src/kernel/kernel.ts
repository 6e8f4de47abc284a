// The simulated machine: one clock, one dmesg ring, one run record, many network namespaces.
// Pure: time only moves when a caller advances it; ids come from counters, never from a clock.
// OWNER: stack (see DEVELOPERS.md). This file pins the names other modules rely on.
import type { KernelEvent, Nanos, PacketRecord } from '../scenario/record.ts';
import type { Skb } from './skb.ts';
import type { Device } from './device.ts';
import { Netns, LinkError } from './netns.ts';
import { Prng } from './prng.ts';
import { newBridgeState } from './bridge.ts';
import { netfilterBinding, type NetfilterBinding } from './nfadapter.ts';
import { devXmit, ipLocalOut as ipLocalOutImpl, netifRx } from './ipv4.ts';
import { snapshot } from './packet.ts';
import { dropNetfilterTables } from './netfilter/types.ts';
import { dropEbtState } from './netfilter/ebtables.ts';
import { icmpPeerAllow } from './icmp.ts';

function rejectAllowed(kernel: Kernel, ns: Netns, skb: Skb): boolean {
  const back = ns.fib.lookup(skb.ip.daddr);
  if (back?.type === 'local') return true; // no rate limit on loopback output
  return icmpPeerAllow(kernel, ns, skb.ip.daddr);
}

/** The initial network namespace (the host) is named ''. `ip netns add` names are never empty. */
export const INIT_NETNS = '';

export interface KernelOptions {
  /** Seed for everything the real kernel leaves to chance (ephemeral ports, ICMP ids, IP ids, MACs). */
  seed?: number;
  /** When false, only counters and state are kept (benchmarks): no events, no packet records. */
  record?: boolean;
}

/** One-way latency of a link hop (veth, bridge port, loopback): 20 µs of virtual time. */
export const LINK_LATENCY: Nanos = 20_000;

interface Timer {
  t: Nanos;
  seq: number;
  fn: () => void;
}

export class Kernel {
  /** Virtual time in nanoseconds since boot of the scenario. */
  now: Nanos = 0;
  readonly recording: boolean;
  readonly events: KernelEvent[] = [];
  readonly packets: PacketRecord[] = [];
  /** dmesg ring: [time, line] pairs; `dmesg` formats the timestamp. */
  readonly dmesg: Array<{ t: Nanos; line: string }> = [];
  /** Index of the command currently running, for PacketRecord.command. */
  currentCommand = -1;
  private nextSkbId = 1;
  readonly seed: number;
  /** Network namespaces by name; '' is the initial namespace (the host). */
  readonly namespaces = new Map<string, Netns>();
  /** The kernel's seeded randomness (MACs, ports, ids, ISNs). */
  readonly prng: Prng;
  /** Netfilter entry points (iptables hooks, bridge-family hooks); pass-through until bound. */
  readonly netfilter: NetfilterBinding = netfilterBinding;
  /** Pending work in virtual time: packets in flight and protocol timers, run in (time, seq) order. */
  private timers: Timer[] = [];
  private timerSeq = 0;
  /** Re-entrancy guard: the queue is drained by one loop only (softirq-like, no deep recursion). */
  private draining = false;

  constructor(options: KernelOptions = {}) {
    this.seed = options.seed ?? 1;
    this.recording = options.record ?? true;
    this.prng = new Prng(this.seed);
    // The oracle runs every script in a fresh namespace whose lo it brings up first
    // (test/kernel/lib/run-in-netns.sh); the host namespace starts the same way here.
    const host = this.addNetns(INIT_NETNS);
    host.setUp(host.dev('lo')!);
  }

  newSkbId(): number {
    return this.nextSkbId++;
  }

  emit(event: KernelEvent): void {
    if (this.recording) this.events.push(event);
    for (const fn of this.subscribers) fn(event);
  }

  /** Does anyone look at events (the run record, or a background observer)? Hot paths skip building them otherwise. */
  get tracing(): boolean {
    return this.recording || this.subscribers.length > 0;
  }

  /** Observers of events as they happen (background tcpdump, conntrack -E); returns an unsubscribe. */
  private readonly subscribers: Array<(event: KernelEvent) => void> = [];
  subscribe(fn: (event: KernelEvent) => void): () => void {
    this.subscribers.push(fn);
    return () => {
      const i = this.subscribers.indexOf(fn);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  log(line: string, netns: string, pkt: number): void {
    this.dmesg.push({ t: this.now, line });
    this.emit({ type: 'log', t: this.now, netns, pkt, line });
  }

  // ---- namespaces ---------------------------------------------------------------------------

  /** `ip netns add NAME`. Throws LinkError when it exists (as ip prints it). */
  addNetns(name: string): Netns {
    if (this.namespaces.has(name)) throw new LinkError(`Cannot create namespace file "/run/netns/${name}": File exists`);
    const ns = new Netns(this, name);
    ns.nf = this.netfilter.createNs(this, ns);
    this.namespaces.set(name, ns);
    return ns;
  }

  /** `ip netns del NAME`: its veths die with it (and their peers), physical-like devices too. */
  delNetns(name: string): void {
    const ns = this.namespaces.get(name);
    if (!ns || name === INIT_NETNS) throw new LinkError(`Cannot remove namespace file "/run/netns/${name}": No such file or directory`);
    for (const dev of ns.listDevices()) if (dev.kind !== 'loopback') this.delLink(dev);
    this.namespaces.delete(name);
    // Rulesets die with the namespace: `ip netns add` of the same name starts with empty tables.
    dropNetfilterTables(this, name);
    dropEbtState(this, name);
  }

  netns(name: string): Netns | undefined {
    return this.namespaces.get(name);
  }

  /** The namespace or the error `ip` prints for an unknown one. */
  requireNetns(name: string): Netns {
    const ns = this.namespaces.get(name);
    if (!ns) throw new LinkError(`Cannot open network namespace "${name}": No such file or directory`);
    return ns;
  }

  // ---- links --------------------------------------------------------------------------------

  /**
   * `ip link add NAME type veth peer name PEER [netns PEERNS]`. Like veth_newlink, the peer is
   * registered first, so it gets the lower ifindex when both are in the same namespace.
   */
  addVeth(ns: Netns, name: string, peerName: string, peerNs: Netns = ns): [Device, Device] {
    if (ns.devices.has(name) || peerNs.devices.has(peerName) || (ns === peerNs && name === peerName)) throw new LinkError('RTNETLINK answers: File exists');
    const peer = peerNs.createDevice(peerName, 'veth');
    const dev = ns.createDevice(name, 'veth');
    dev.peer = peer;
    peer.peer = dev;
    return [dev, peer];
  }

  /** `ip link add NAME type bridge`. */
  addBridge(ns: Netns, name: string): Device {
    const br = ns.createDevice(name, 'bridge');
    br.bridge = newBridgeState();
    br.bridge.fdb.set(br.mac, { mac: br.mac, port: name, local: true, updated: this.now });
    return br;
  }

  /** `ip link add NAME type dummy`. */
  addDummy(ns: Netns, name: string): Device {
    return ns.createDevice(name, 'dummy');
  }

  /** `ip link del DEV`: a veth takes its peer with it; a bridge releases its ports. */
  delLink(dev: Device): void {
    if (dev.kind === 'loopback') throw new LinkError('RTNETLINK answers: Operation not supported');
    if (dev.port) this.bridgeRemovePort(dev);
    if (dev.bridge) for (const p of [...dev.bridge.ports.values()]) this.bridgeRemovePort(p.dev);
    dev.ns.detachDevice(dev);
    if (dev.peer) {
      const peer = dev.peer;
      dev.peer = undefined;
      peer.peer = undefined;
      if (peer.port) this.bridgeRemovePort(peer);
      peer.ns.detachDevice(peer);
    }
  }

  setLinkUp(dev: Device): void {
    dev.ns.setUp(dev);
  }

  setLinkDown(dev: Device): void {
    dev.ns.setDown(dev);
  }

  /** `ip link set DEV netns NS`. */
  setLinkNetns(dev: Device, target: Netns): void {
    if (dev.kind === 'loopback') throw new LinkError('RTNETLINK answers: Invalid argument');
    dev.ns.moveDevice(dev, target);
  }

  /** `ip link set DEV master BR` (BR undefined = nomaster). */
  setMaster(dev: Device, br: Device | undefined): void {
    if (dev.port) this.bridgeRemovePort(dev);
    if (!br) return;
    if (!br.bridge) throw new LinkError('RTNETLINK answers: Operation not supported');
    if (br.ns !== dev.ns) throw new LinkError(`Cannot find device "${br.name}"`);
    // br_add_if: a bridge as port is refused with an extack message (-ELOOP), a loopback with -EINVAL.
    if (dev.bridge) throw new LinkError('Error: Can not enslave a bridge to a bridge.');
    if (dev.kind === 'loopback') throw new LinkError('RTNETLINK answers: Invalid argument');
    const used = new Set([...br.bridge.ports.values()].map((p) => p.portNo));
    let portNo = 1;
    while (used.has(portNo)) portNo++;
    dev.port = { bridge: br, dev, hairpin: false, learning: true, flood: true, portNo };
    br.bridge.ports.set(dev.name, dev.port);
    br.bridge.hadPort = true;
    br.bridge.fdb.set(dev.mac, { mac: dev.mac, port: dev.name, local: true, updated: this.now });
    this.bridgeRecalcId(br);
    this.bridgeMtuAdjust(br);
  }

  /** br_mtu_auto_adjust: unless the user set it, a bridge's MTU is its ports' smallest (1500 without ports). */
  bridgeMtuAdjust(br: Device): void {
    const b = br.bridge;
    if (!b || b.mtuSetByUser) return;
    let mtu = 0;
    for (const p of b.ports.values()) if (!mtu || p.dev.mtu < mtu) mtu = p.dev.mtu;
    br.mtu = mtu || 1500;
  }

  /**
   * br_stp_recalculate_bridge_id: unless its MAC was set by the user, a bridge takes the lowest
   * MAC of its ports, and 00:00:00:00:00:00 when it has none left (its FDB local entry follows).
   */
  bridgeRecalcId(br: Device): void {
    const b = br.bridge;
    if (!b || b.macSetByUser) return;
    let mac: string | undefined;
    for (const p of b.ports.values()) if (mac === undefined || p.dev.mac < mac) mac = p.dev.mac;
    if (mac === undefined) mac = b.hadPort ? '00:00:00:00:00:00' : br.mac;
    if (mac === br.mac) return;
    const e = b.fdb.get(br.mac);
    if (e && e.local && e.port === br.name) b.fdb.delete(br.mac);
    br.mac = mac;
    if (mac !== '00:00:00:00:00:00' && !b.fdb.has(mac)) b.fdb.set(mac, { mac, port: br.name, local: true, updated: this.now });
  }

  bridgeRemovePort(dev: Device): void {
    const p = dev.port;
    if (!p) return;
    const br = p.bridge.bridge!;
    br.ports.delete(dev.name);
    for (const [mac, e] of br.fdb) if (e.port === dev.name) br.fdb.delete(mac);
    dev.port = undefined;
    this.bridgeRecalcId(p.bridge);
    this.bridgeMtuAdjust(p.bridge);
  }

  // ---- packets and time ---------------------------------------------------------------------

  /** Sends a locally generated IPv4 packet (ip_local_out): OUTPUT, routing, POSTROUTING, tx. */
  ipLocalOut(ns: Netns, skb: Skb, meta?: { origin: PacketRecord['origin']; parent?: number }): 'ACCEPT' | 'DROP' | 'STOLEN' {
    if (skb.ip.id === -1) skb.ip = { ...skb.ip, id: ns.ipIdNext++ & 0xffff };
    if (meta) {
      // REJECT's ICMP errors go through icmp_send, and so through its per-peer rate limit.
      if (meta.origin === 'reject' && skb.icmp && skb.icmp.type === 3 && !rejectAllowed(this, ns, skb)) return 'DROP';
      if (this.recording) this.packets.push({ id: skb.id, command: this.currentCommand, netns: ns.name, origin: meta.origin, parent: meta.parent, created: snapshot(skb), time: this.now });
    }
    const v = ipLocalOutImpl(this, ns, skb);
    this.drain();
    return v;
  }

  /**
   * dev_queue_xmit on a named device of NS, bypassing IP output (nf_send_reset for a bridged
   * packet sends its RST straight out of the ingress port, MACs already swapped by the caller).
   */
  devQueueXmitName(ns: Netns, devName: string, skb: Skb): void {
    const dev = ns.dev(devName);
    if (!dev) return;
    if (this.recording && !this.packets.some((p) => p.id === skb.id)) {
      this.packets.push({ id: skb.id, command: this.currentCommand, netns: ns.name, origin: 'reject', created: snapshot(skb), time: this.now });
    }
    devXmit(this, dev, skb);
    this.drain();
  }

  /** Hands a frame to DEV's receive path after the link latency (netif_rx). */
  deliverFrame(dev: Device, skb: Skb, latency: Nanos = LINK_LATENCY): void {
    this.schedule(this.now + latency, () => netifRx(this, dev, skb));
  }

  /** Runs FN at virtual time T (a packet arriving, a retransmission, a timeout). */
  schedule(t: Nanos, fn: () => void): void {
    const timer = { t: Math.max(t, this.now), seq: this.timerSeq++, fn };
    // Insertion keeps the list sorted by (t, seq); the list is short (packets in flight, timers).
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].t > timer.t) i--;
    this.timers.splice(i, 0, timer);
  }

  /** Runs everything due at or before the current time. */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.timers.length && this.timers[0].t <= this.now) this.timers.shift()!.fn();
    } finally {
      this.draining = false;
    }
  }

  /** Advances virtual time by DT, running every packet and timer due on the way, in order. */
  advance(dt: Nanos): void {
    this.runUntil(() => false, this.now + dt);
  }

  /**
   * Runs pending work in time order until DONE() holds (checked after each step) or the next
   * work lies beyond DEADLINE; the clock then stands at the last step's time, or at DEADLINE if
   * DONE never held. Returns whether DONE held. Tools wait for replies with this (ping -W, nc -w).
   */
  runUntil(done: () => boolean, deadline: Nanos): boolean {
    this.drain();
    if (done()) return true;
    while (this.timers.length && this.timers[0].t <= deadline) {
      this.now = Math.max(this.now, this.timers[0].t);
      this.drain();
      if (done()) return true;
    }
    this.now = Math.max(this.now, deadline);
    return false;
  }

  /**
   * Lets the packets in flight land (everything due within WINDOW, default 10 ms) without
   * advancing the clock past the last of them: a command's last ACK arrives before the next
   * command runs, as on a real host. Later timers (TIME_WAIT, retransmissions) stay pending.
   */
  flush(window: Nanos = 10e6): void {
    this.drain();
    const limit = this.now + window;
    while (this.timers.length && this.timers[0].t <= limit) {
      this.now = Math.max(this.now, this.timers[0].t);
      this.drain();
    }
  }

  /** Runs until nothing is pending except timers later than NOW + HORIZON (default 1 s). */
  settle(horizon: Nanos = 1e9): void {
    this.runUntil(() => this.timers.length === 0 || this.timers[0].t > this.now + horizon, this.now + horizon);
  }

  /** Is work pending (packets in flight or timers)? */
  get busy(): boolean {
    return this.timers.length > 0;
  }
}
