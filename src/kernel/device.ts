// struct net_device, as far as the model needs it: identity (name, ifindex, MAC), state
// (admin up, carrier), IPv4 addresses (struct in_ifaddr) and the links to other devices (a veth's
// peer, a bridge port's master). Behaviour lives in netns.ts / veth.ts / bridge.ts.
import type { Ipv4, Mac } from './addr.ts';
import type { BridgeState, BridgePort } from './bridge.ts';
import type { Netns } from './netns.ts';

export const DEVICE_KINDS = ['loopback', 'veth', 'bridge', 'dummy'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export type Scope = 'host' | 'link' | 'global';

/** struct in_ifaddr: one `ip addr add` entry. */
export interface IfAddr {
  /** The host address as given (not masked). */
  addr: Ipv4;
  prefix: number;
  /** Broadcast address: only set when given (`brd +` or an address) as ip(8) does; Linux sends no 0.0.0.0. */
  broadcast?: Ipv4;
  scope: Scope;
  label: string;
  /** Secondary addresses are those added in a subnet already covered by a primary on the device. */
  secondary: boolean;
}

export class Device {
  name: string;
  ifindex: number;
  readonly kind: DeviceKind;
  mac: Mac;
  mtu: number;
  /** dev->tx_queue_len: 1000 (ether_setup / loopback) unless set (`txqueuelen N`); ip prints `qlen N` only when not 0. */
  txqlen = 1000;
  /** IFF_UP (administrative state, `ip link set … up`). */
  adminUp = false;
  /** dev_activate attached the default qdisc (first `up`); it stays after `down` (`qdisc noqueue`, not `noop`). */
  qdiscAttached = false;
  addrs: IfAddr[] = [];
  ns: Netns;
  /** veth: the other end (possibly in another namespace). */
  peer?: Device;
  /** bridge: ports, FDB, options. */
  bridge?: BridgeState;
  /** bridge port: the master bridge and per-port options (hairpin …). */
  port?: BridgePort;
  /** `ip link` prints `link-netns NAME` / `@ifN` from these: the peer's namespace when it differs. */
  constructor(ns: Netns, name: string, kind: DeviceKind, ifindex: number, mac: Mac) {
    this.ns = ns;
    this.name = name;
    this.kind = kind;
    this.ifindex = ifindex;
    this.mac = mac;
    this.mtu = kind === 'loopback' ? 65536 : 1500;
  }

  /** Carrier (LOWER_UP): loopback always; a veth when its peer is up; a bridge when one port is running. */
  get carrier(): boolean {
    switch (this.kind) {
      case 'loopback':
      case 'dummy':
        return true;
      case 'veth':
        return this.adminUp && this.peer !== undefined && this.peer.adminUp;
      case 'bridge': {
        // A new bridge has carrier (netdev default) until port state selection first runs, when a
        // port joins; from then on it has carrier while a port forwards (none left: NO-CARRIER).
        const b = this.bridge;
        if (!b) return false;
        if (b.ports.size === 0) return !b.hadPort;
        for (const p of b.ports.values()) if (p.dev.running) return true;
        return false;
      }
    }
  }

  /** IFF_RUNNING as the stack sees it: up and with carrier. Packets only cross running devices. */
  get running(): boolean {
    return this.adminUp && this.carrier;
  }

  /** RFC 2863 operstate as `ip link` prints it. */
  get operState(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    if (this.kind === 'loopback' || this.kind === 'dummy') return this.adminUp ? 'UNKNOWN' : 'DOWN';
    if (!this.adminUp) return 'DOWN';
    // linkwatch never ran for a bridge that never had a port: IF_OPER_UNKNOWN, as a new netdev.
    if (this.kind === 'bridge' && this.bridge && !this.bridge.hadPort) return 'UNKNOWN';
    if (this.carrier) return 'UP';
    // default_operstate looks the IFLA_LINK ifindex (a veth's peer's) up in the device's OWN
    // namespace: a peer in another namespace gives LOWERLAYERDOWN only when this namespace's device
    // of that index happens to be down, else DOWN.
    if (this.peer) {
      const lower = this.ns.devByIndex(this.peer.ifindex);
      if (lower && lower !== this && !lower.adminUp) return 'LOWERLAYERDOWN';
    }
    return 'DOWN';
  }

  /** The flags between `<…>` in `ip link show`, in iproute2's order. */
  get flags(): string[] {
    const f: string[] = [];
    if (this.adminUp && !this.carrier && this.kind !== 'loopback') f.push('NO-CARRIER');
    if (this.kind === 'loopback') f.push('LOOPBACK');
    else f.push('BROADCAST', 'MULTICAST');
    if (this.adminUp) f.push('UP');
    if (this.running) f.push('LOWER_UP');
    // iproute2 prints M-DOWN when IFLA_LINK names a device of the same namespace (no link-netnsid) that is down.
    if (this.peer && this.peer.ns === this.ns && !this.peer.adminUp) f.push('M-DOWN');
    return f;
  }

  /** The first primary address (REDIRECT uses it; `ip addr` lists primaries first). */
  get primary(): IfAddr | undefined {
    return this.addrs.find((a) => !a.secondary);
  }
}
