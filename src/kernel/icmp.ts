// ICMP (net/ipv4/icmp.c): echo answered by the kernel, errors sent with icmp_send's rules
// (never about an ICMP error, a broadcast or a non-first fragment; quoting at most 576 bytes in
// all; per-peer rate limit), and errors delivered to the socket they concern.
import { nfCtAttach } from './netfilter/hook.ts';
import type { Ipv4 } from './addr.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { Device } from './device.ts';
import { IPPROTO, type Skb } from './skb.ts';
import { newPacket } from './packet.ts';
import { ipLocalOut, drop } from './ipv4.ts';
import { tcpErr } from './tcp.ts';
import { udpErr } from './udp.ts';
import type { PacketRecord } from '../scenario/record.ts';

export const ICMP = {
  ECHO_REPLY: 0,
  DEST_UNREACH: 3,
  ECHO: 8,
  TIME_EXCEEDED: 11,
  PARAMETER_PROB: 12,
  // DEST_UNREACH codes
  NET_UNREACH: 0,
  HOST_UNREACH: 1,
  PROT_UNREACH: 2,
  PORT_UNREACH: 3,
  FRAG_NEEDED: 4,
  NET_ANO: 9,
  HOST_ANO: 10,
  PKT_FILTERED: 13,
} as const;

/** Types subject to the per-peer rate limit (net.ipv4.icmp_ratemask default 6168). */
const RATEMASK = (1 << 3) | (1 << 4) | (1 << 11) | (1 << 12);
const XRLIM_BURST_FACTOR = 6;

/** inet_peer rate tokens per namespace and peer address, in nanoseconds. */
const peerTokens = new WeakMap<Netns, Map<Ipv4, { tokens: number; last: number }>>();

/** inet_peer_xrlim_allow with net.ipv4.icmp_ratelimit (1000 ms). */
export function icmpPeerAllow(kernel: Kernel, ns: Netns, peer: Ipv4, cost = 1e9, burst = XRLIM_BURST_FACTOR * 1e9): boolean {
  let m = peerTokens.get(ns);
  if (!m) peerTokens.set(ns, (m = new Map()));
  let p = m.get(peer);
  if (!p) m.set(peer, (p = { tokens: 0, last: kernel.now - 60e9 }));
  let token = p.tokens + (kernel.now - p.last);
  p.last = kernel.now;
  if (token > burst) token = burst;
  let ok = false;
  if (token >= cost) {
    token -= cost;
    ok = true;
  }
  p.tokens = token;
  return ok;
}

/**
 * icmp_send: an ICMP error about SKB (the offending packet, as it is now). The error is a locally
 * generated packet: it walks OUTPUT and POSTROUTING. ORIGIN tells the run record who made it.
 */
export function icmpSend(kernel: Kernel, ns: Netns, skb: Skb, type: number, code: number, _indev?: Device, origin: PacketRecord['origin'] = 'icmp-error', info?: number): Skb | undefined {
  const ip = skb.ip;
  if (ip.daddr === 0xffffffff || ip.daddr >>> 28 === 0xe) return undefined;
  if (ns.fib.addrType(ip.daddr) === 'BROADCAST' || ip.saddr === 0) return undefined;
  // Only about the first fragment.
  if ((skb.ip.fragOff ?? 0) !== 0) return undefined;
  if (skb.icmp && skb.ip.protocol === IPPROTO.ICMP && ![ICMP.ECHO, ICMP.ECHO_REPLY, 13, 14, 15, 16, 17, 18].includes(skb.icmp.type as 0)) return undefined;
  // Source: our address if the packet was for us, else the route back to the sender decides.
  const local = ns.fib.addrType(ip.daddr) === 'LOCAL';
  const saddr = local ? ip.daddr : 0;
  // Rate limit (not for loopback output, not for types outside the mask, never for PMTU discovery).
  if (RATEMASK & (1 << type) && !(type === ICMP.DEST_UNREACH && code === ICMP.FRAG_NEEDED)) {
    const back = ns.fib.lookup(ip.saddr);
    const viaLo = back?.type === 'local';
    if (!viaLo && !icmpPeerAllow(kernel, ns, ip.saddr)) {
      drop(kernel, ns, skb, 'icmp rate limited');
      return undefined;
    }
  }
  const quoted = Math.min(skb.len, 576 - 28);
  const err = newPacket(
    kernel,
    ns,
    {
      saddr,
      daddr: ip.saddr,
      protocol: IPPROTO.ICMP,
      tos: (ip.tos & 0x1e) | 0xc0,
      id: ns.ipIdNext++ & 0xffff,
      icmp: {
        type,
        code,
        ...(info !== undefined && type === ICMP.DEST_UNREACH && code === ICMP.FRAG_NEEDED ? { mtu: info } : {}),
        inner: { ip: { ...ip }, sport: skb.tcp?.sport ?? skb.udp?.sport, dport: skb.tcp?.dport ?? skb.udp?.dport, icmpId: skb.icmp?.id, icmpType: skb.icmp?.type, icmpSeq: skb.icmp?.seq, len: skb.len },
      },
      payloadLen: quoted,
    },
    origin,
    skb.id,
  );
  nfCtAttach(err, skb);
  ipLocalOut(kernel, ns, err);
  return err;
}

/** icmp_rcv for a packet delivered locally. */
export function icmpRcv(kernel: Kernel, ns: Netns, _dev: Device, skb: Skb, broadcast: boolean): void {
  const icmp = skb.icmp;
  if (!icmp) return;
  switch (icmp.type) {
    case ICMP.ECHO: {
      if (ns.sysctl.get('net.ipv4.icmp_echo_ignore_all') === '1') return;
      if (broadcast && ns.sysctl.get('net.ipv4.icmp_echo_ignore_broadcasts') === '1') return;
      if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: 'kernel (ICMP), which answers with an echo reply' });
      const reply = newPacket(
        kernel,
        ns,
        {
          saddr: skb.ip.daddr,
          daddr: skb.ip.saddr,
          protocol: IPPROTO.ICMP,
          tos: skb.ip.tos,
          id: ns.ipIdNext++ & 0xffff,
          icmp: { type: ICMP.ECHO_REPLY, code: 0, id: icmp.id, seq: icmp.seq },
          payloadLen: skb.payloadLen,
        },
        'kernel-reply',
        skb.id,
      );
      ipLocalOut(kernel, ns, reply);
      return;
    }
    case ICMP.ECHO_REPLY: {
      const sock = ns.sockets.ping.get(icmp.id ?? -1);
      if (sock) {
        if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: `ping id ${icmp.id}` });
        sock.onReply(skb);
      }
      return;
    }
    case ICMP.DEST_UNREACH:
    case ICMP.TIME_EXCEEDED:
    case ICMP.PARAMETER_PROB: {
      const inner = icmp.inner;
      if (!inner) return;
      // icmp_unreach ignores "fragment reassembly time exceeded": no socket hears of it (a raw
      // socket still reads the packet, which iputils ping passes over without a word).
      if (icmp.type === ICMP.TIME_EXCEEDED && icmp.code === 1) return;
      // icmp_err / udp_err / tcp_v4_err: frag-needed lowers the path MTU towards the quoted
      // destination (ipv4_update_pmtu: a route exception every socket of the namespace uses).
      if (icmp.type === ICMP.DEST_UNREACH && icmp.code === ICMP.FRAG_NEEDED) {
        // icmp_unreach with net.ipv4.ip_no_pmtu_disc: 1 takes the announced MTU as 0 (the path MTU
        // drops to min_pmtu, locked); 2 and 3 (no protocol validates tags) ignore the error.
        const nopmtu = ns.sysctl.get('net.ipv4.ip_no_pmtu_disc') ?? '0';
        if (nopmtu === '2' || nopmtu === '3') return;
        if (nopmtu !== '0') skb.icmp = { ...icmp, mtu: 0 };
      }
      const mtuInfo = skb.icmp?.mtu;
      if (icmp.type === ICMP.DEST_UNREACH && icmp.code === ICMP.FRAG_NEEDED && mtuInfo !== undefined) {
        const r = ns.fib.lookup(inner.ip.daddr);
        const dev = r?.route.dev !== undefined ? ns.dev(r.route.dev) : undefined;
        const sys = (k: string, d: number) => Number(ns.sysctl.get(k) ?? d);
        if (dev && !r!.route.mtuLock) ns.fib.updatePmtu(inner.ip.daddr, mtuInfo, r!.route.mtu ?? dev.mtu, kernel.now, sys('net.ipv4.route.min_pmtu', 552), sys('net.ipv4.route.mtu_expires', 600) * 1e9);
      }
      if (inner.ip.protocol === IPPROTO.TCP) tcpErr(kernel, ns, skb);
      else if (inner.ip.protocol === IPPROTO.UDP) udpErr(kernel, ns, skb);
      else if (inner.ip.protocol === IPPROTO.ICMP && inner.icmpId !== undefined) {
        const sock = ns.sockets.ping.get(inner.icmpId);
        if (sock) {
          if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: `ping id ${inner.icmpId} (error)` });
          sock.onError(skb);
        }
      }
      return;
    }
    default:
      return;
  }
}
