// The packet as the kernel model carries it (struct sk_buff, parsed): headers are kept as
// fields (a "Repr", as smoltcp calls it), never as bytes. `len` is the IP total length, which is
// what iptables byte counters add up; the link layer header is not counted by iptables.
import type { Ipv4, Mac } from './addr.ts';

export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, IGMP: 2, SCTP: 132 } as const;

export interface IpHeader {
  saddr: Ipv4;
  daddr: Ipv4;
  protocol: number;
  ttl: number;
  tos: number;
  id: number; // IP identification
  df: boolean; // Don't Fragment
  ihl: number; // header length in bytes (20 without options)
  /** Fragment offset in bytes (a multiple of 8); absent or 0 on a whole datagram and on a first fragment. */
  fragOff?: number;
  /** IP_MF: more fragments follow. */
  mf?: boolean;
}

/**
 * What a fragment belongs to. The model carries no bytes, so every fragment keeps the whole
 * datagram's transport part and reassembly rebuilds the datagram from it once all bytes arrived.
 * Only the first fragment (fragOff 0) shows the transport header to matches and tcpdump.
 */
export interface IpFragOf {
  /** The datagram's IP total length. */
  len: number;
  tcp?: TcpHeader;
  udp?: UdpHeader;
  icmp?: IcmpHeader;
  payloadLen: number;
  payload?: string;
  /** The packet id of the datagram (the run record's id of the packet that was fragmented). */
  pkt: number;
}

export interface TcpFlags {
  fin: boolean;
  syn: boolean;
  rst: boolean;
  psh: boolean;
  ack: boolean;
  urg: boolean;
  ece: boolean;
  cwr: boolean;
}

export interface TcpHeader {
  sport: number;
  dport: number;
  seq: number;
  ackSeq: number;
  flags: TcpFlags;
  window: number;
  /** TCP header length in bytes, options included (SYN from Linux: 40; data segments: 32 with timestamps). */
  doff: number;
  /** Options as tcpdump names them, in order, for trace views (e.g. `mss 1460`, `sackOK`, `TS val 1 ecr 0`, `nop`, `wscale 7`). */
  options: string[];
}

export interface UdpHeader {
  sport: number;
  dport: number;
  /** The header's length field, set on a first fragment (the whole datagram's 8 + payload); else implied by the packet. */
  len?: number;
}

/** For ICMP errors: the offending packet's headers as they sit inside the error (NAT rewrites them). */
export interface IcmpInner {
  ip: IpHeader;
  /** The offending packet's IP total length (its header's tot_len, as LOG prints it). */
  len?: number;
  sport?: number; // TCP/UDP ports, when the inner packet had them
  dport?: number;
  icmpId?: number; // ICMP echo id, when the inner packet was an echo
  icmpType?: number;
  /** ICMP echo sequence, when the inner packet was an echo (ping matches errors to probes by it). */
  icmpSeq?: number;
}

export interface IcmpHeader {
  type: number;
  code: number;
  id?: number; // echo request/reply only
  seq?: number; // echo request/reply only
  /** Destination unreachable, fragmentation needed (code 4): the next-hop MTU (RFC 1191). */
  mtu?: number;
  inner?: IcmpInner; // errors only
}

export interface Skb {
  /** Run-wide packet number, 1-based, in creation order: views refer to packets by it. */
  id: number;
  /** IP total length in bytes (header + transport header + payload). */
  len: number;
  ip: IpHeader;
  tcp?: TcpHeader;
  udp?: UdpHeader;
  icmp?: IcmpHeader;
  /** Application payload length in bytes (TCP/UDP/ICMP data after the transport header). */
  payloadLen: number;
  /** Application payload when it matters to a userland peer (HTTP request/response, DNS); optional. */
  payload?: string;
  /** Link layer, set while the frame is on a link. */
  eth?: { src: Mac; dst: Mac; proto: number };
  /** ARP frames (eth.proto 0x0806): the ARP header; `len` is the ARP payload (28 bytes). */
  arp?: { op: 1 | 2; sha: Mac; spa: Ipv4; tha: Mac; tpa: Ipv4 };
  /** skb->mark (nfmark). */
  mark: number;
  /** Conntrack attachment (skb->_nfct): entry id and ctinfo, set by the conntrack hooks. */
  ct?: { entryId: number; info: CtInfo; untracked?: boolean };
  /**
   * skb->sk's owner for packets a local socket sent (ping, nc, curl), until the packet leaves the
   * host or loops through lo (skb_orphan): LOG --log-uid and legacy TRACE print `UID= GID=`.
   */
  sk?: { uid: number; gid: number };
  /** skb->nf_trace: set by the TRACE target; every later rule/return/policy is traced. */
  nfTrace?: boolean;
  /** A fragment (ip.fragOff / ip.mf): the datagram it is part of. */
  fragOf?: IpFragOf;
  /**
   * IPCB(skb)->frag_max_size on a reassembled datagram: its largest fragment. Output refragments
   * it (never larger than that), and a DF datagram whose fragments exceed the MTU gets frag-needed.
   */
  fragMaxSize?: number;
  /** The IP total lengths of the fragments it was reassembled from (ip_do_fragment's fast path keeps that geometry). */
  fragSizes?: number[];
  /**
   * skb_shinfo(skb)->gso_size: a TCP socket hands the stack one segment of up to 64 KB carrying
   * several MSS-sized segments (veth, bridges and lo all take GSO), so tcpdump and netfilter see
   * one packet of the whole write. It is cut into gso_size pieces only where a device cannot take
   * it; here it is never IP-fragmented while each piece fits the MTU (skb_gso_validate_network_len).
   */
  gsoSize?: number;
  /** The sending socket's IP_MTU_DISCOVER mode (ip_append_data decides DF and EMSGSIZE from it). */
  pmtudisc?: 'want' | 'do' | 'dont' | 'probe';
  /** Set by the stack while it walks the hooks; read by matches (-i/-o, physdev). */
  dev?: { in?: string; out?: string; physIn?: string; physOut?: string };
}

/** enum ip_conntrack_info */
export const CT_INFOS = ['ESTABLISHED', 'RELATED', 'NEW', 'ESTABLISHED_REPLY', 'RELATED_REPLY', 'UNTRACKED'] as const;
export type CtInfo = (typeof CT_INFOS)[number];
