// Sockets of one namespace: UDP binds, TCP listeners and connections, and the ephemeral port
// allocator (ip_local_port_range, seeded). Userland (nc, curl, servers) talks to these.
import type { Ipv4 } from './addr.ts';
import type { Netns } from './netns.ts';
import type { Skb } from './skb.ts';

export type TcpState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'CLOSE_WAIT' | 'CLOSING' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSED';

/** What a socket's owner is told as things happen (all calls are synchronous, in virtual time). */
export interface SocketEvents {
  onConnected?(conn: TcpConn): void;
  /** Connection failed: 'refused' (RST), 'unreachable' (ICMP error: host/net/port/prohibited), 'timeout'. */
  onError?(conn: TcpConn, error: 'refused' | 'unreachable' | 'timeout', icmp?: { type: number; code: number }): void;
  onData?(conn: TcpConn, data: string): void;
  /** The peer sent FIN. */
  onPeerClosed?(conn: TcpConn): void;
  onClosed?(conn: TcpConn): void;
}

export interface TcpConn {
  id: number;
  ns: Netns;
  laddr: Ipv4;
  lport: number;
  raddr: Ipv4;
  rport: number;
  state: TcpState;
  sndNxt: number;
  sndUna: number;
  rcvNxt: number;
  /** TCP timestamp clock offset (tsval = offset + now in ms), per connection like Linux's ts_offset. */
  tsOffset: number;
  tsRecent: number;
  events: SocketEvents;
  /** Set on a connection accepted from a listener. */
  listener?: TcpListener;
  /** SYN retransmission bookkeeping. */
  synRetries: number;
  /** The last ICMP error seen while connecting (soft error, reported at timeout like Linux). */
  softError?: { type: number; code: number };
  /** Received payload, accumulated. */
  received: string;
}

export interface TcpListener {
  laddr: Ipv4; // 0 = any
  lport: number;
  /** Called for each accepted connection; returns the events of the new connection. */
  onAccept(conn: TcpConn): SocketEvents;
}

export interface UdpSocket {
  laddr: Ipv4; // 0 = any
  lport: number;
  /** Connected peer (connect(2) on UDP), if any. */
  raddr?: Ipv4;
  rport?: number;
  onDatagram?(skb: Skb, data: string): void;
  /** ICMP errors for a connected UDP socket (port unreachable → ECONNREFUSED on the next call). */
  onError?(icmp: { type: number; code: number }): void;
  pendingError?: { type: number; code: number };
}

/** A ping socket (raw ICMP as iputils opens it): echo replies with its id, and ICMP errors about its requests. */
export interface PingSocket {
  id: number;
  onReply(skb: Skb): void;
  onError(skb: Skb): void;
}

export class SocketTable {
  readonly ns: Netns;
  readonly ping = new Map<number, PingSocket>();
  readonly tcpListeners: TcpListener[] = [];
  readonly tcpConns = new Map<string, TcpConn>();
  readonly udp: UdpSocket[] = [];
  private nextConnId = 1;

  constructor(ns: Netns) {
    this.ns = ns;
  }

  static key(laddr: Ipv4, lport: number, raddr: Ipv4, rport: number): string {
    return `${laddr}:${lport}:${raddr}:${rport}`;
  }

  newConnId(): number {
    return this.nextConnId++;
  }

  findConn(laddr: Ipv4, lport: number, raddr: Ipv4, rport: number): TcpConn | undefined {
    return this.tcpConns.get(SocketTable.key(laddr, lport, raddr, rport));
  }

  addConn(c: TcpConn): void {
    this.tcpConns.set(SocketTable.key(c.laddr, c.lport, c.raddr, c.rport), c);
  }

  removeConn(c: TcpConn): void {
    this.tcpConns.delete(SocketTable.key(c.laddr, c.lport, c.raddr, c.rport));
  }

  findListener(addr: Ipv4, port: number): TcpListener | undefined {
    return this.tcpListeners.find((l) => l.lport === port && l.laddr === addr) ?? this.tcpListeners.find((l) => l.lport === port && l.laddr === 0);
  }

  /** Returns false when the port is taken (EADDRINUSE). */
  listenTcp(l: TcpListener): boolean {
    if (this.tcpListeners.some((x) => x.lport === l.lport && (x.laddr === 0 || l.laddr === 0 || x.laddr === l.laddr))) return false;
    this.tcpListeners.push(l);
    return true;
  }

  unlistenTcp(l: TcpListener): void {
    const i = this.tcpListeners.indexOf(l);
    if (i >= 0) this.tcpListeners.splice(i, 1);
  }

  findUdp(addr: Ipv4, port: number, raddr?: Ipv4, rport?: number): UdpSocket | undefined {
    const cands = this.udp.filter((u) => u.lport === port && (u.laddr === 0 || u.laddr === addr));
    return (
      cands.find((u) => u.raddr !== undefined && u.raddr === raddr && u.rport === rport) ??
      cands.find((u) => u.raddr === undefined && u.laddr === addr) ??
      cands.find((u) => u.raddr === undefined)
    );
  }

  bindUdp(s: UdpSocket): boolean {
    if (s.lport !== 0 && this.udp.some((x) => x.lport === s.lport && (x.laddr === 0 || s.laddr === 0 || x.laddr === s.laddr) && x.raddr === undefined && s.raddr === undefined)) return false;
    this.udp.push(s);
    return true;
  }

  closeUdp(s: UdpSocket): void {
    const i = this.udp.indexOf(s);
    if (i >= 0) this.udp.splice(i, 1);
  }

  /** inet_hash_connect's choice of an ephemeral port (random start, then sequential), seeded. */
  ephemeralPort(proto: 'tcp' | 'udp'): number {
    const [lo, hi] = (this.ns.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split(/\s+/).map(Number);
    let p = this.ns.kernel.prng.range(lo, hi);
    for (let i = 0; i <= hi - lo; i++) {
      const used = proto === 'tcp' ? [...this.tcpConns.values()].some((c) => c.lport === p) || this.tcpListeners.some((l) => l.lport === p) : this.udp.some((u) => u.lport === p);
      if (!used) return p;
      p = p === hi ? lo : p + 1;
    }
    return p;
  }
}
