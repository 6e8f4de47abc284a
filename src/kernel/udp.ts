// UDP (net/ipv4/udp.c): datagrams to bound sockets, ICMP port unreachable for a closed port,
// ICMP errors reported to a connected socket.
import type { Ipv4 } from './addr.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { Device } from './device.ts';
import { IPPROTO, type Skb } from './skb.ts';
import type { UdpSocket } from './socket.ts';
import { newPacket } from './packet.ts';
import { ipLocalOut, routeOutput, type RouteOutputResult } from './ipv4.ts';
import { icmpSend, ICMP } from './icmp.ts';

/**
 * Sends one datagram from SOCK to DADDR:DPORT with DATA (a string, its UTF-8 length is the
 * payload). Binds an ephemeral port first if needed. Returns the route error, if any.
 */
export function udpSendto(kernel: Kernel, ns: Netns, sock: UdpSocket, daddr: Ipv4, dport: number, data: string | { len: number; payload?: string }, opts: { oif?: string } = {}): RouteOutputResult {
  const rt = routeOutput(ns, daddr, { oif: opts.oif, saddr: sock.laddr || undefined });
  if (!rt.ok) return rt;
  if (sock.lport === 0) {
    sock.lport = ns.sockets.ephemeralPort('udp');
    if (!ns.sockets.udp.includes(sock)) ns.sockets.bindUdp(sock);
  }
  const payload = typeof data === 'string' ? data : data.payload;
  const skb = newPacket(
    kernel,
    ns,
    {
      saddr: rt.saddr,
      daddr,
      protocol: IPPROTO.UDP,
      // Connected UDP sockets send with DF and the socket's id counter; unconnected: DF, id 0.
      df: true,
      id: sock.raddr !== undefined ? ns.ipIdNext++ & 0xffff : 0,
      udp: { sport: sock.lport, dport },
      payload,
      payloadLen: typeof data === 'string' ? Buffer.byteLength(data) : data.len,
    },
    'socket',
  );
  // The socket's default IP_MTU_DISCOVER: want (DF only when the datagram fits the path MTU, else
  // fragmented), dont when net.ipv4.ip_no_pmtu_disc is set.
  skb.pmtudisc = (ns.sysctl.get('net.ipv4.ip_no_pmtu_disc') ?? '0') === '0' ? 'want' : 'dont';
  ipLocalOut(kernel, ns, skb, opts.oif);
  return rt;
}

export function udpRcv(kernel: Kernel, ns: Netns, _dev: Device, skb: Skb, broadcast: boolean): void {
  const udp = skb.udp!;
  const sock = ns.sockets.findUdp(skb.ip.daddr, udp.dport, skb.ip.saddr, udp.sport);
  if (!sock) {
    if (kernel.tracing) kernel.emit({ type: 'drop', t: kernel.now, netns: ns.name, pkt: skb.id, reason: `no UDP socket on port ${udp.dport}` });
    if (!broadcast) icmpSend(kernel, ns, skb, ICMP.DEST_UNREACH, ICMP.PORT_UNREACH);
    return;
  }
  if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: `udp port ${udp.dport}` });
  sock.onDatagram?.(skb, skb.payload ?? '');
}

/** __udp4_lib_err: an ICMP error about a datagram we sent. */
export function udpErr(kernel: Kernel, ns: Netns, icmpSkb: Skb): void {
  const inner = icmpSkb.icmp!.inner!;
  const sock = ns.sockets.findUdp(inner.ip.saddr, inner.sport ?? 0, inner.ip.daddr, inner.dport);
  if (!sock) return;
  if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: icmpSkb.id, to: `udp port ${inner.sport} (error)` });
  const e = { type: icmpSkb.icmp!.type, code: icmpSkb.icmp!.code };
  // Only connected sockets hear about errors (inet->recverr off).
  if (sock.raddr === undefined) return;
  sock.pendingError = e;
  sock.onError?.(e);
}
