// Building packets as Linux builds them, and copying them (clones for floods, snapshots for the
// run record). Sizes are what iptables counts: the IP total length.
import type { Ipv4 } from './addr.ts';
import type { IcmpHeader, IpHeader, Skb, TcpHeader, UdpHeader } from './skb.ts';
import type { PacketRecord, SkbSnapshot } from '../scenario/record.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';

export interface NewPacket {
  saddr: Ipv4;
  daddr: Ipv4;
  protocol: number;
  ttl?: number;
  tos?: number;
  id?: number;
  df?: boolean;
  tcp?: TcpHeader;
  udp?: UdpHeader;
  icmp?: IcmpHeader;
  payloadLen?: number;
  payload?: string;
  mark?: number;
}

/** Transport header length as counted in the IP total length. */
function l4Len(p: NewPacket): number {
  if (p.tcp) return p.tcp.doff;
  if (p.udp) return 8;
  if (p.icmp) return 8;
  return 0;
}

/** Allocates a packet (alloc_skb + the IP header), records its creation, and returns it. */
export function newPacket(kernel: Kernel, ns: Netns, p: NewPacket, origin: PacketRecord['origin'], parent?: number): Skb {
  const payloadLen = p.payloadLen ?? (p.payload !== undefined ? Buffer.byteLength(p.payload) : 0);
  const ip: IpHeader = {
    saddr: p.saddr >>> 0,
    daddr: p.daddr >>> 0,
    protocol: p.protocol,
    ttl: p.ttl ?? Number(ns.sysctl.get('net.ipv4.ip_default_ttl') ?? '64'),
    tos: p.tos ?? 0,
    id: p.id ?? 0,
    df: p.df ?? false,
    ihl: 20,
  };
  const skb: Skb = {
    id: kernel.newSkbId(),
    len: 20 + l4Len(p) + payloadLen,
    ip,
    tcp: p.tcp,
    udp: p.udp,
    icmp: p.icmp,
    payloadLen,
    payload: p.payload,
    mark: p.mark ?? 0,
  };
  // A socket's packet carries its owner (skb_set_owner_w): every scenario's tools run as root.
  // The kernel's own packets (replies, RSTs without a socket, ICMP errors) have none.
  if (origin === 'socket') skb.sk = { uid: 0, gid: 0 };
  if (kernel.recording) {
    kernel.packets.push({ id: skb.id, command: kernel.currentCommand, netns: ns.name, origin, parent, created: snapshot(skb), time: kernel.now });
  }
  return skb;
}

export function snapshot(skb: Skb): SkbSnapshot {
  return {
    id: skb.id,
    len: skb.len,
    ip: { ...skb.ip },
    tcp: skb.tcp && { ...skb.tcp, flags: { ...skb.tcp.flags }, options: [...skb.tcp.options] },
    udp: skb.udp && { ...skb.udp },
    icmp: skb.icmp && { ...skb.icmp, inner: skb.icmp.inner && { ...skb.icmp.inner, ip: { ...skb.icmp.inner.ip } } },
    eth: skb.eth && { ...skb.eth },
    mark: skb.mark,
    payloadLen: skb.payloadLen,
    ...(skb.payload !== undefined ? { payload: skb.payload } : {}),
    ...(skb.arp ? { arp: { ...skb.arp } } : {}),
  };
}

/** skb_clone for a flood copy: same packet id (it is the same packet on another port). */
export function cloneSkb(skb: Skb): Skb {
  return {
    ...snapshot(skb),
    payload: skb.payload,
    ct: skb.ct && { ...skb.ct },
    dev: skb.dev && { ...skb.dev },
    // a fragment stays one (reassembly needs what it belongs to), a reassembled datagram its sizes
    ...(skb.fragOf ? { fragOf: skb.fragOf } : {}),
    ...(skb.fragMaxSize !== undefined ? { fragMaxSize: skb.fragMaxSize, fragSizes: skb.fragSizes } : {}),
    ...(skb.gsoSize !== undefined ? { gsoSize: skb.gsoSize } : {}),
  };
}
