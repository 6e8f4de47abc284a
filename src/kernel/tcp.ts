// TCP (net/ipv4/tcp*.c) as far as counters and traces need it: the three-way handshake with
// Linux's SYN options, data segments with timestamps, FIN sequences (a FIN answered by a close()
// in the same wake-up carries the ACK: one segment, as the oracle shows for `nc -z`), RST for a
// closed port, SYN retransmissions (1 s, doubling, tcp_syn_retries), and ICMP errors that abort
// a connect. No congestion control, no loss other than drops on the way (which time out).
import type { Ipv4 } from './addr.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { Device } from './device.ts';
import { IPPROTO, type Skb, type TcpFlags } from './skb.ts';
import type { SocketEvents, TcpConn, TcpListener } from './socket.ts';
import { newPacket } from './packet.ts';
import { ipLocalOut, pathMtu, routeOutput } from './ipv4.ts';

const NOFLAGS: TcpFlags = { fin: false, syn: false, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false };

// ---------------------------------------------------------------------------------------------
// Receive window (kernel 6.18: tcp_select_initial_window, tcp_init_buffer_space,
// __tcp_select_window / tcp_select_window), for sockets with default buffers (nc, curl, wget and
// the python servers the oracle runs set no SO_RCVBUF):
// - sk_rcvbuf = tcp_rmem[1] (131072); the space a window may offer is tcp_win_from_space =
//   rcvbuf · scaling_ratio / 256 with the initial ratio 128 (50 %): 65536.
// - The MSS a socket advertises is the route's device MTU − 40 (veth 1500 → 1460; lo 65536 →
//   65495, capped at 65535 − 40). The SYN offers that space rounded down to a multiple of the
//   MSS (64240 on veth, 65495 on lo); the SYN-ACK uses MSS − 12 when timestamps are on (65160,
//   65483). SYN windows are never scaled.
// - wscale = ilog2(max(space, tcp_rmem[2], rmem_max)) − 15, clamped to 0…14: 10 with this
//   kernel's defaults (tcp_rmem[2] = 32 MiB).
// - Once established, window_clamp = space − advmss (tcp_app_win's reservation of one segment;
//   advmss is MSS − 12 with timestamps: 64088 on veth; on lo 2·advmss > space and the clamp stays
//   65536) and rcv_ssthresh = min(initial window, window_clamp).
// - Every later segment offers ALIGN(min(free space, rcv_ssthresh), 2^wscale) — 63 (64512 B) from
//   a veth client — but never less than what the previous offer still leaves open
//   (rcv_wup + rcv_wnd − rcv_nxt, rounded up to 2^wscale): a server that offered 65160 in its
//   SYN-ACK keeps offering 64 (65536 B) until more than 1024 bytes arrive between two of its ACKs.
// - Data that arrives (tcp_event_data_recv, see dataReceived): a segment of rcv_mss (536) bytes or
//   more re-measures scaling_ratio as len·256/truesize, which moves window_clamp (a smaller ratio
//   shrinks it, a larger one lets rcv_ssthresh grow back to rcv_wnd); segments of 128 bytes or
//   more grow rcv_ssthresh by max(2·advmss, 2·len) within min(clamp, free space). The free space
//   counts what the application has not read when the quick ACK leaves (the truesize of the
//   segment just queued). Measured: after one write of 1000…5000 bytes a veth server offers
//   67…74 and a lo server 69…105, as the kernel does.
// Limits: the truesize of a received segment is fitted (832 + len, the sender's skb head plus its
// page fragments), checked up to 5000-byte writes over veth and lo; the application reads
// everything it is given at once; ACKs are all quick ACKs (no delayed-ACK coalescing, so the
// kernel's window updates after 16 segments of a long transfer are not modelled); receive
// buffer autotuning (tcp_rcv_space_adjust, a copy of more than ~14 KB in one RTT) is not modelled.
const TCP_RMEM_DEFAULT = [4096, 131072, 33554432];
const RMEM_MAX_DEFAULT = 4194304;
const TCP_DEFAULT_SCALING_RATIO = 128;
const TCP_MAX_WSCALE = 14;
const TCPOLEN_TSTAMP_ALIGNED = 12;
const TCP_MSS_DEFAULT = 536;

function sysctlInts(ns: Netns, key: string): number[] | undefined {
  const v = ns.sysctl.get(key);
  if (v === undefined) return undefined;
  const n = v.trim().split(/\s+/).map(Number);
  return n.every((x) => Number.isFinite(x)) ? n : undefined;
}

function tcpRmem(ns: Netns): number[] {
  const v = sysctlInts(ns, 'net.ipv4.tcp_rmem');
  return v && v.length === 3 ? v : TCP_RMEM_DEFAULT;
}

/** tcp_full_space of a socket with the default receive buffer. */
function fullSpace(ns: Netns): number {
  return Math.floor((tcpRmem(ns)[1] * TCP_DEFAULT_SCALING_RATIO) / 256);
}

/**
 * dst_metric_advmss (ipv4_default_advmss): the route's MTU (ipv4_mtu: a learned path MTU, else the
 * route's `mtu` metric, else the device's) − 40, at least ip_rt_min_advmss (256), at most 65535 − 40.
 */
function routeAdvmss(kernel: Kernel, ns: Netns, daddr: Ipv4, oif?: string): number {
  const rt = routeOutput(ns, daddr, { oif });
  const mtu = rt.ok ? pathMtu(kernel, ns, rt.dev, daddr, rt.route) : 1500;
  return Math.min(Math.max(mtu - 40, 256), 65535 - 40);
}

/** tcp_select_initial_window: the SYN's window, the window scale and the clamp. */
function initialWindow(ns: Netns, mss: number, wscaleOk: boolean): { rcvWnd: number; wscale: number; clamp: number } {
  let clamp = 65535 * 2 ** TCP_MAX_WSCALE;
  let space = Math.min(clamp, fullSpace(ns));
  if (space > mss) space = Math.floor(space / mss) * mss;
  const rcvWnd = space;
  let wscale = 0;
  if (wscaleOk) {
    const rmemMax = sysctlInts(ns, 'net.core.rmem_max')?.[0] ?? RMEM_MAX_DEFAULT;
    const s = Math.min(Math.max(space, tcpRmem(ns)[2], rmemMax), clamp);
    wscale = Math.min(Math.max(Math.floor(Math.log2(s)) - 15, 0), TCP_MAX_WSCALE);
  }
  clamp = Math.min(65535 * 2 ** wscale, clamp);
  return { rcvWnd, wscale, clamp };
}

function windowScalingOn(ns: Netns): boolean {
  return ns.sysctl.get('net.ipv4.tcp_window_scaling') !== '0';
}

export type ConnectErrno = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES' | 'EINVAL' | 'EADDRINUSE';

/** Extra per-connection state kept beside TcpConn. */
interface TcpPriv {
  ipId: number;
  ackPending: boolean;
  finSent: boolean;
  timers: number;
  oif?: string;
  /** Sent and not yet acknowledged (data, FIN), oldest first: what the retransmission timer resends. */
  unacked: Array<{ seq: number; end: number; flags: Partial<TcpFlags>; data?: string; dataLen?: number }>;
  rto: number;
  rtxGen: number;
  rtxArmed: boolean;
  retries: number;
  /** Receive window state (tcp_sock): rcv_wnd, rcv_wup, rcv_ssthresh, window_clamp, rcv_wscale. */
  rcvWnd: number;
  rcvWup: number;
  rcvSsthresh: number;
  windowClamp: number;
  rcvWscale: number;
  /** The MSS this end advertises (the route's device MTU − 40). */
  advmss: number;
  /** Whether the peer's SYN (or SYN-ACK) carried the timestamp option. */
  tstamp: boolean;
  /** Window scaling in use: on in sysctl (and, for an accepted connection, offered by the SYN). */
  wscaleOk: boolean;
  /** skb->len / skb->truesize estimate (·256), re-measured from segments of rcv_mss or more. */
  scalingRatio: number;
  /** icsk_ack.rcv_mss: the peer's segment size as estimated from what arrived. */
  rcvMss: number;
  /** Truesize of received data the application has not read yet (sk_rmem_alloc). */
  rmemAlloc: number;
  /** sk_rcvbuf: tcp_rmem[1] when the socket was made (later sysctl writes do not change it). */
  rcvbuf: number;
}

/**
 * Retransmission timing measured on the oracle (a dropped FIN): a tail loss probe after ~208 ms
 * (2·srtt + the 200 ms delayed-ACK allowance), then the RTO (~208 ms, TCP_RTO_MIN + srtt), then
 * doubling: intervals 208, 208, 416, 832 ms…
 */
const RTO_BASE = 208e6;
const RTO_MAX = 120e9;
const TCP_RETRIES2 = 15;

function seqBefore(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

function newPriv(kernel: Kernel, ns: Netns, win: { rcvWnd: number; wscale: number; clamp: number; advmss: number; wscaleOk: boolean }, oif?: string): TcpPriv {
  return {
    ipId: kernel.prng.u32() & 0xffff, ackPending: false, finSent: false, timers: 0, oif, unacked: [], rto: RTO_BASE, rtxGen: 0, rtxArmed: false, retries: 0,
    rcvWnd: win.rcvWnd, rcvWup: 0, rcvSsthresh: win.rcvWnd, windowClamp: win.clamp, rcvWscale: win.wscale, advmss: win.advmss, tstamp: true, wscaleOk: win.wscaleOk,
    scalingRatio: TCP_DEFAULT_SCALING_RATIO, rcvMss: TCP_MSS_DEFAULT, rmemAlloc: 0, rcvbuf: tcpRmem(ns)[1],
  };
}

/** tcp_win_from_space with the connection's current scaling ratio. */
function winFromSpace(p: TcpPriv, space: number): number {
  return Math.floor((Math.max(0, space) * p.scalingRatio) / 256);
}


// What a received segment costs in receive memory: the sender's skb head (SKB_TRUESIZE of a
// 256-byte head: 832) plus the payload in page fragments. Fitted on the oracle: with it the
// windows after 1000…5000-byte writes over lo (69, 75, 80, 89, 98, 105) and veth (67, 67, 67, 68,
// 70, 74; none for 537…800 bytes) come out as captured.
const SKB_HEAD_TRUESIZE = 832;
const SOCK_MIN_RCVBUF_HALF = 2304;

/** tcp_set_window_clamp. */
function setWindowClamp(p: TcpPriv, val: number): void {
  const clamp = Math.max(SOCK_MIN_RCVBUF_HALF, val);
  if (clamp === p.windowClamp) return;
  const old = p.windowClamp;
  p.windowClamp = clamp;
  if (clamp < old) p.rcvSsthresh = Math.min(p.rcvSsthresh, clamp);
  else p.rcvSsthresh = Math.max(Math.min(p.rcvWnd, clamp), p.rcvSsthresh);
}

/**
 * tcp_event_data_recv for a segment of LEN payload bytes: tcp_measure_rcv_mss (a segment of
 * rcv_mss or more re-measures scaling_ratio from its truesize, which moves window_clamp) and
 * tcp_grow_window (segments of 128 bytes or more raise rcv_ssthresh by max(2·advmss, 2·len),
 * within the room the clamp and the free space leave).
 */
function dataReceived(p: TcpPriv, len: number): void {
  const advmss = p.advmss - (p.tstamp ? TCPOLEN_TSTAMP_ALIGNED : 0);
  const truesize = SKB_HEAD_TRUESIZE + len;
  p.rmemAlloc += truesize;
  // A write larger than the MSS arrives as one GSO packet: its gso_size is what is measured.
  const segLen = Math.min(len, advmss);
  if (segLen >= p.rcvMss) {
    if (segLen !== p.rcvMss) {
      const ratio = Math.floor((len * 256) / truesize) || 1;
      if (ratio !== p.scalingRatio) {
        p.scalingRatio = ratio;
        setWindowClamp(p, winFromSpace(p, p.rcvbuf));
        if (p.windowClamp < p.rcvSsthresh) p.rcvSsthresh = p.windowClamp;
      }
    }
    p.rcvMss = Math.min(segLen, advmss);
  }
  if (len >= 128) {
    const room = Math.min(p.windowClamp, winFromSpace(p, p.rcvbuf - p.rmemAlloc)) - p.rcvSsthresh;
    if (room > 0) {
      // truesize_adjust leaves the payload's own pages: win_from_space(them) <= len, so 2·advmss.
      const incr = Math.max(2 * advmss, 2 * len);
      p.rcvSsthresh += Math.min(room, incr);
    }
  }
}

/** tcp_init_buffer_space, when the connection is established: window_clamp and rcv_ssthresh. */
function initBufferSpace(c: TcpConn, p: TcpPriv): void {
  const appWin = Number(c.ns.sysctl.get('net.ipv4.tcp_app_win') ?? '31');
  const advmss = p.advmss - (p.tstamp ? TCPOLEN_TSTAMP_ALIGNED : 0);
  const maxwin = winFromSpace(p, p.rcvbuf);
  if (p.windowClamp >= maxwin) {
    p.windowClamp = maxwin;
    if (appWin && maxwin > 4 * advmss) p.windowClamp = Math.max(maxwin - Math.floor(maxwin / 2 ** appWin), 4 * advmss);
  }
  if (appWin && p.windowClamp > 2 * advmss && p.windowClamp + advmss > maxwin) p.windowClamp = Math.max(2 * advmss, maxwin - advmss);
  p.rcvSsthresh = Math.min(p.rcvSsthresh, p.windowClamp);
}

/** tcp_select_window: the window field of a non-SYN segment (scaled), updating rcv_wnd/rcv_wup. */
function selectWindow(c: TcpConn, p: TcpPriv): number {
  const unit = 2 ** p.rcvWscale;
  const align = (x: number): number => Math.ceil(x / unit) * unit;
  const cur = Math.max(0, (p.rcvWup + p.rcvWnd - c.rcvNxt) | 0);
  const allowed = winFromSpace(p, p.rcvbuf);
  const full = Math.min(p.windowClamp, allowed);
  let free = winFromSpace(p, p.rcvbuf - p.rmemAlloc);
  const mss = Math.min(p.rcvMss, full);
  let zero = false;
  if (free < full >> 1) {
    // Memory is getting short: offer what is free, rounded down to the scale, or nothing.
    free = Math.floor(free / unit) * unit;
    zero = free < allowed >> 4 || free < mss;
  }
  if (free > p.rcvSsthresh) free = p.rcvSsthresh;
  let window: number;
  if (zero) window = 0;
  else if (p.rcvWscale) window = align(free);
  else {
    window = p.rcvWnd;
    if (window <= free - mss || window > free) window = Math.floor(free / mss) * mss;
    else if (mss === full && free > window + (full >> 1)) window = free;
  }
  // Never shrink the offered window (net.ipv4.tcp_shrink_window = 0).
  if (window < cur) window = align(cur);
  p.rcvWnd = window;
  p.rcvWup = c.rcvNxt;
  return Math.floor(Math.min(window, 65535 * unit) / unit);
}
const priv = new WeakMap<TcpConn, TcpPriv>();

function tsval(kernel: Kernel, c: TcpConn): number {
  return (c.tsOffset + Math.floor(kernel.now / 1e6)) >>> 0;
}

function flags(f: Partial<TcpFlags>): TcpFlags {
  return { ...NOFLAGS, ...f };
}

function sendSegment(kernel: Kernel, c: TcpConn, f: Partial<TcpFlags>, opts: { data?: string; dataLen?: number; synOptions?: boolean; ipId?: number; seq?: number } = {}): Skb {
  const p = priv.get(c)!;
  const fl = flags(f);
  const payloadLen = opts.data !== undefined ? Buffer.byteLength(opts.data) : opts.dataLen ?? 0;
  // A SYN offers wscale when window scaling is on (a SYN-ACK only when the SYN offered it too).
  const offerWscale = opts.synOptions && p.wscaleOk;
  const options = opts.synOptions
    ? [`mss ${p.advmss}`, 'sackOK', `TS val ${tsval(kernel, c)} ecr ${fl.ack ? c.tsRecent : 0}`, ...(offerWscale ? ['nop', `wscale ${p.rcvWscale}`] : [])]
    : ['nop', 'nop', `TS val ${tsval(kernel, c)} ecr ${c.tsRecent}`];
  const window = fl.syn ? Math.min(p.rcvWnd, 65535) : selectWindow(c, p);
  const skb = newPacket(
    kernel,
    c.ns,
    {
      saddr: c.laddr,
      daddr: c.raddr,
      protocol: IPPROTO.TCP,
      df: true,
      id: opts.ipId ?? (p.ipId++ & 0xffff),
      tcp: {
        sport: c.lport,
        dport: c.rport,
        seq: (opts.seq ?? c.sndNxt) >>> 0,
        ackSeq: fl.ack ? c.rcvNxt >>> 0 : 0,
        flags: fl,
        window,
        doff: opts.synOptions ? (offerWscale ? 40 : 36) : 32,
        options,
      },
      payload: opts.data,
      payloadLen,
    },
    'socket',
  );
  // The SYN-ACK belongs to a request sock, not a full socket with an owner: LOG --log-uid prints
  // no UID for it. (The ACK of the peer's FIN that moves a socket to TIME_WAIT is still the full
  // socket's.)
  if (fl.syn && fl.ack) skb.sk = undefined;
  // tcp_sendmsg builds one GSO packet of the whole write, cut by the device into MSS-sized pieces
  // (tcp_current_mss: the MSS less the timestamp option) only where a device cannot take it.
  const mssNow = p.advmss - (p.tstamp ? TCPOLEN_TSTAMP_ALIGNED : 0);
  if (payloadLen > mssNow) skb.gsoSize = mssNow;
  const seqStart = c.sndNxt;
  if (opts.seq === undefined) c.sndNxt = (c.sndNxt + payloadLen + (fl.syn ? 1 : 0) + (fl.fin ? 1 : 0)) >>> 0;
  if (fl.ack) p.ackPending = false;
  if (opts.seq === undefined && !fl.syn && !fl.rst && (payloadLen > 0 || fl.fin)) {
    p.unacked.push({ seq: seqStart, end: c.sndNxt, flags: f, data: opts.data, dataLen: opts.dataLen });
    if (!p.rtxArmed) armRetransmit(kernel, c);
  }
  ipLocalOut(kernel, c.ns, skb, p.oif);
  return skb;
}

function armRetransmit(kernel: Kernel, c: TcpConn): void {
  const p = priv.get(c)!;
  p.rtxArmed = true;
  const gen = ++p.rtxGen;
  kernel.schedule(kernel.now + p.rto, () => {
    if (p.rtxGen !== gen || !p.rtxArmed) return;
    p.rtxArmed = false;
    if (!p.unacked.length || c.state === 'CLOSED' || c.state === 'TIME_WAIT') return;
    if (p.retries >= TCP_RETRIES2) {
      c.state = 'CLOSED';
      c.ns.sockets.removeConn(c);
      c.events.onError?.(c, 'timeout');
      return;
    }
    p.retries++;
    // The first expiry is the tail loss probe: the RTO that follows keeps the base value.
    if (p.retries > 1) p.rto = Math.min(p.rto * 2, RTO_MAX);
    const seg = p.unacked[0];
    sendSegment(kernel, c, { ...seg.flags, ack: true }, { data: seg.data, dataLen: seg.dataLen, seq: seg.seq });
    armRetransmit(kernel, c);
  });
}

/** An ACK arrived: forget what it covers; stop or restart the timer. */
function ackArrived(c: TcpConn, ackSeq: number, kernel: Kernel): void {
  const p = priv.get(c)!;
  const before = p.unacked.length;
  while (p.unacked.length && !seqBefore(ackSeq, p.unacked[0].end)) p.unacked.shift();
  if (p.unacked.length === before) return;
  p.retries = 0;
  p.rto = RTO_BASE;
  p.rtxArmed = false;
  p.rtxGen++;
  if (p.unacked.length) armRetransmit(kernel, c);
}

/**
 * connect(2): picks the route, the source address and an ephemeral port, sends the SYN and
 * returns the connection (state SYN_SENT); EVENTS hear the outcome as virtual time runs.
 */
export function tcpConnect(kernel: Kernel, ns: Netns, daddr: Ipv4, dport: number, events: SocketEvents, opts: { saddr?: Ipv4; sport?: number; oif?: string } = {}): TcpConn | ConnectErrno {
  const rt = routeOutput(ns, daddr, { oif: opts.oif, saddr: opts.saddr });
  if (!rt.ok) return rt.errno;
  const lport = opts.sport ?? ns.sockets.ephemeralPort('tcp');
  if (ns.sockets.findConn(rt.saddr, lport, daddr, dport)) return 'EADDRINUSE';
  const isn = kernel.prng.u32();
  const c: TcpConn = {
    id: ns.sockets.newConnId(),
    ns,
    laddr: rt.saddr,
    lport,
    raddr: daddr,
    rport: dport,
    state: 'SYN_SENT',
    sndNxt: isn,
    sndUna: isn,
    rcvNxt: 0,
    tsOffset: kernel.prng.u32(),
    tsRecent: 0,
    events,
    synRetries: 0,
    received: '',
  };
  // tcp_connect_init: the SYN's window from the advertised MSS (no timestamp seen yet).
  const advmss = routeAdvmss(kernel, ns, daddr, opts.oif);
  const wscaleOk = windowScalingOn(ns);
  priv.set(c, newPriv(kernel, ns, { ...initialWindow(ns, advmss, wscaleOk), advmss, wscaleOk }, opts.oif));
  ns.sockets.addConn(c);
  sendSyn(kernel, c);
  return c;
}

function sendSyn(kernel: Kernel, c: TcpConn): void {
  c.sndNxt = c.sndUna;
  sendSegment(kernel, c, { syn: true }, { synOptions: true });
  // tcp_syn_linear_timeouts (default 4): the first retransmissions keep the 1 s RTO, then it
  // doubles; they add to tcp_syn_retries (measured: 11 SYNs, curl gives up after ~131 s).
  const linear = Number(c.ns.sysctl.get('net.ipv4.tcp_syn_linear_timeouts') ?? '4');
  const maxRetries = Number(c.ns.sysctl.get('net.ipv4.tcp_syn_retries') ?? '6') + linear;
  // TCP_TIMEOUT_INIT (1 s), doubling; the timer lands a jiffy late (HZ=250), so a client's own
  // 1 s timeout (curl -m 1, nc -w 1) fires before the first retransmission, as on the oracle.
  const rto = 1e9 * 2 ** Math.max(0, c.synRetries - linear) + 4e6;
  const gen = ++priv.get(c)!.timers;
  kernel.schedule(kernel.now + rto, () => {
    if (c.state !== 'SYN_SENT' || priv.get(c)!.timers !== gen) return;
    if (c.synRetries >= maxRetries) {
      fail(kernel, c, 'timeout');
      return;
    }
    c.synRetries++;
    sendSyn(kernel, c);
  });
}

function fail(kernel: Kernel, c: TcpConn, why: 'refused' | 'unreachable' | 'timeout', icmp?: { type: number; code: number }): void {
  c.state = 'CLOSED';
  priv.get(c)!.timers++;
  c.ns.sockets.removeConn(c);
  c.events.onError?.(c, why, icmp);
  void kernel;
}

/** listen(2) on LADDR:PORT (0 = any address). Returns undefined when the port is in use. */
export function tcpListen(ns: Netns, laddr: Ipv4, port: number, onAccept: (conn: TcpConn) => SocketEvents): TcpListener | undefined {
  const l: TcpListener = { laddr, lport: port, onAccept };
  return ns.sockets.listenTcp(l) ? l : undefined;
}

export function tcpUnlisten(ns: Netns, l: TcpListener): void {
  ns.sockets.unlistenTcp(l);
}

/** write(2) on an established connection: one segment per call (sizes are small here). */
export function tcpSend(kernel: Kernel, c: TcpConn, data: string | { len: number }): void {
  if (c.state !== 'ESTABLISHED' && c.state !== 'CLOSE_WAIT') return;
  if (typeof data === 'string') sendSegment(kernel, c, { psh: true, ack: true }, { data });
  else sendSegment(kernel, c, { psh: true, ack: true }, { dataLen: data.len });
}

/** close(2): FIN (carrying any pending ACK). */
export function tcpClose(kernel: Kernel, c: TcpConn): void {
  const p = priv.get(c);
  if (!p || p.finSent) return;
  switch (c.state) {
    case 'SYN_SENT':
      c.state = 'CLOSED';
      p.timers++;
      c.ns.sockets.removeConn(c);
      return;
    case 'ESTABLISHED':
      p.finSent = true;
      c.state = 'FIN_WAIT1';
      sendSegment(kernel, c, { fin: true, ack: true });
      return;
    case 'CLOSE_WAIT':
      p.finSent = true;
      c.state = 'LAST_ACK';
      sendSegment(kernel, c, { fin: true, ack: true });
      return;
    default:
      return;
  }
}

/** Abortive close (SO_LINGER 0): RST. */
export function tcpAbort(kernel: Kernel, c: TcpConn): void {
  if (c.state === 'CLOSED') return;
  if (c.state !== 'SYN_SENT') sendSegment(kernel, c, { rst: true, ack: true });
  c.state = 'CLOSED';
  priv.get(c)!.timers++;
  c.ns.sockets.removeConn(c);
}

function parseTsval(options: string[]): number | undefined {
  for (const o of options) {
    const m = /^TS val (\d+)/.exec(o);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** tcp_v4_rcv for a packet delivered locally. */
export function tcpRcv(kernel: Kernel, ns: Netns, _dev: Device, skb: Skb): void {
  const t = skb.tcp!;
  const c = ns.sockets.findConn(skb.ip.daddr, t.dport, skb.ip.saddr, t.sport);
  if (c) {
    if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: `tcp ${c.state}` });
    segmentArrived(kernel, c, skb);
    return;
  }
  const l = t.flags.syn && !t.flags.ack && !t.flags.rst ? ns.sockets.findListener(skb.ip.daddr, t.dport) : undefined;
  if (l) {
    if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: `tcp listener ${t.dport}` });
    const isn = kernel.prng.u32();
    const nc: TcpConn = {
      id: ns.sockets.newConnId(),
      ns,
      laddr: skb.ip.daddr,
      lport: t.dport,
      raddr: skb.ip.saddr,
      rport: t.sport,
      state: 'SYN_RECV',
      sndNxt: isn,
      sndUna: isn,
      rcvNxt: (t.seq + 1) >>> 0,
      tsOffset: kernel.prng.u32(),
      tsRecent: parseTsval(t.options) ?? 0,
      events: {},
      listener: l,
      synRetries: 0,
      received: '',
    };
    // tcp_openreq_init_rwin: the SYN-ACK's window from the MSS minus the timestamp option.
    const tstamp = t.options.some((o) => o.startsWith('TS val'));
    const wscaleOk = windowScalingOn(ns) && t.options.some((o) => o.startsWith('wscale'));
    const advmss = routeAdvmss(kernel, ns, skb.ip.saddr);
    const win = initialWindow(ns, advmss - (tstamp ? TCPOLEN_TSTAMP_ALIGNED : 0), wscaleOk);
    const np = newPriv(kernel, ns, { ...win, advmss, wscaleOk });
    np.tstamp = tstamp;
    np.rcvWup = nc.rcvNxt;
    priv.set(nc, np);
    ns.sockets.addConn(nc);
    // The SYN-ACK leaves with IP id 0 (ip_build_and_send_pkt with DF).
    sendSegment(kernel, nc, { syn: true, ack: true }, { synOptions: true, ipId: 0 });
    return;
  }
  if (t.flags.rst) return;
  if (kernel.tracing) kernel.emit({ type: 'drop', t: kernel.now, netns: ns.name, pkt: skb.id, reason: `no TCP socket on port ${t.dport}` });
  sendReset(kernel, ns, skb);
}

/** tcp_v4_send_reset: RST (seq = their ack) or RST,ACK (ack = their seq + length). */
function sendReset(kernel: Kernel, ns: Netns, skb: Skb): void {
  const t = skb.tcp!;
  const segLen = skb.payloadLen + (t.flags.syn ? 1 : 0) + (t.flags.fin ? 1 : 0);
  const rst = newPacket(
    kernel,
    ns,
    {
      saddr: skb.ip.daddr,
      daddr: skb.ip.saddr,
      protocol: IPPROTO.TCP,
      df: true,
      id: 0,
      tcp: {
        sport: t.dport,
        dport: t.sport,
        seq: t.flags.ack ? t.ackSeq : 0,
        ackSeq: t.flags.ack ? 0 : (t.seq + segLen) >>> 0,
        flags: flags(t.flags.ack ? { rst: true } : { rst: true, ack: true }),
        window: 0,
        doff: 20,
        options: [],
      },
      payloadLen: 0,
    },
    'kernel-reply',
    skb.id,
  );
  ipLocalOut(kernel, ns, rst);
}

function segmentArrived(kernel: Kernel, c: TcpConn, skb: Skb): void {
  const t = skb.tcp!;
  const p = priv.get(c)!;
  const ts = parseTsval(t.options);
  if (ts !== undefined) c.tsRecent = ts;
  if (t.flags.rst) {
    if (c.state === 'SYN_SENT') {
      if (t.flags.ack) fail(kernel, c, 'refused');
      return;
    }
    c.state = 'CLOSED';
    p.timers++;
    c.ns.sockets.removeConn(c);
    c.events.onError?.(c, 'refused');
    c.events.onClosed?.(c);
    return;
  }
  if (c.state === 'SYN_SENT') {
    if (t.flags.syn && t.flags.ack) {
      c.state = 'ESTABLISHED';
      p.timers++;
      c.rcvNxt = (t.seq + 1) >>> 0;
      c.sndUna = t.ackSeq;
      p.rcvWup = c.rcvNxt;
      p.tstamp = t.options.some((o) => o.startsWith('TS val'));
      // A SYN-ACK without wscale turns scaling off on our side too (tcp_rcv_synsent_state_process).
      if (!t.options.some((o) => o.startsWith('wscale'))) {
        p.rcvWscale = 0;
        p.windowClamp = Math.min(p.windowClamp, 65535);
      }
      initBufferSpace(c, p);
      p.ackPending = true;
      // The handshake's ACK goes out before the application runs (tcp_send_ack in tcp_rcv_synsent_state_process).
      sendSegment(kernel, c, { ack: true });
      c.events.onConnected?.(c);
    }
    return;
  }
  if (c.state === 'SYN_RECV') {
    if (t.flags.syn && !t.flags.ack) {
      // Retransmitted SYN: answer again.
      c.sndNxt = c.sndUna;
      sendSegment(kernel, c, { syn: true, ack: true }, { synOptions: true, ipId: 0 });
      return;
    }
    if (!t.flags.ack) return;
    c.state = 'ESTABLISHED';
    c.sndUna = t.ackSeq;
    initBufferSpace(c, p);
    c.events = c.listener!.onAccept(c);
    c.events.onConnected?.(c);
  }
  if (t.flags.ack) {
    c.sndUna = t.ackSeq;
    ackArrived(c, t.ackSeq, kernel);
  }
  // A retransmission of what we already have (data or FIN): acknowledge again, deliver nothing.
  const segLen = skb.payloadLen + (t.flags.fin ? 1 : 0);
  if (segLen > 0 && seqBefore(t.seq, c.rcvNxt)) {
    // With our own FIN still unacknowledged (LAST_ACK, CLOSING) the answer carries it again.
    const finOut = p.unacked.find((u) => u.flags.fin);
    if (finOut && (c.state === 'LAST_ACK' || c.state === 'CLOSING')) sendSegment(kernel, c, { fin: true, ack: true }, { seq: finOut.seq });
    else if (c.state !== 'CLOSED') sendSegment(kernel, c, { ack: true });
    return;
  }
  // Our FIN acknowledged?
  if (t.flags.ack && p.finSent && t.ackSeq === c.sndNxt) {
    if (c.state === 'FIN_WAIT1') c.state = 'FIN_WAIT2';
    else if (c.state === 'CLOSING') enterTimeWait(kernel, c);
    else if (c.state === 'LAST_ACK') {
      c.state = 'CLOSED';
      c.ns.sockets.removeConn(c);
      c.events.onClosed?.(c);
      return;
    }
  }
  let needAck = false;
  if (skb.payloadLen > 0 && (c.state === 'ESTABLISHED' || c.state === 'FIN_WAIT1' || c.state === 'FIN_WAIT2')) {
    c.rcvNxt = (c.rcvNxt + skb.payloadLen) >>> 0;
    dataReceived(p, skb.payloadLen);
    // Quick ACK (the first segments of a connection are acknowledged at once, before the
    // application reads them: the oracle shows the server's pure ACK ahead of its response).
    if (!t.flags.fin) sendSegment(kernel, c, { ack: true });
    else needAck = true;
    const data = skb.payload ?? '';
    c.received += data;
    c.events.onData?.(c, data);
    // The application reads it all at once (nc, curl and the servers read 16–64 KiB at a time).
    p.rmemAlloc = 0;
  }
  if (t.flags.fin) {
    c.rcvNxt = (c.rcvNxt + 1) >>> 0;
    needAck = true;
    p.ackPending = true;
    switch (c.state) {
      case 'ESTABLISHED':
        c.state = 'CLOSE_WAIT';
        c.events.onPeerClosed?.(c);
        break;
      // A half-closed socket (shutdown(SHUT_WR), as docker-proxy does) still reads the peer's EOF.
      case 'FIN_WAIT1':
        c.state = 'CLOSING';
        if (t.flags.ack && t.ackSeq === c.sndNxt) enterTimeWait(kernel, c);
        c.events.onPeerClosed?.(c);
        break;
      case 'FIN_WAIT2':
        enterTimeWait(kernel, c);
        c.events.onPeerClosed?.(c);
        break;
      default:
        break;
    }
  }
  if (needAck && p.ackPending && c.state !== 'CLOSED') sendSegment(kernel, c, { ack: true });
}

function enterTimeWait(kernel: Kernel, c: TcpConn): void {
  c.state = 'TIME_WAIT';
  c.events.onClosed?.(c);
  kernel.schedule(kernel.now + 60e9, () => {
    if (c.state === 'TIME_WAIT') {
      c.state = 'CLOSED';
      c.ns.sockets.removeConn(c);
    }
  });
}

/** tcp_v4_err: ICMP errors abort a connection still in SYN_SENT/SYN_RECV; later ones are soft. */
export function tcpErr(kernel: Kernel, ns: Netns, icmpSkb: Skb): void {
  const inner = icmpSkb.icmp!.inner!;
  const c = ns.sockets.findConn(inner.ip.saddr, inner.sport ?? 0, inner.ip.daddr, inner.dport ?? 0);
  if (!c) return;
  const e = { type: icmpSkb.icmp!.type, code: icmpSkb.icmp!.code };
  if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: icmpSkb.id, to: `tcp ${c.state} (error)` });
  if (c.state === 'SYN_SENT' || c.state === 'SYN_RECV') {
    if (e.type === 3 || e.type === 11) fail(kernel, c, e.type === 3 && e.code === 3 ? 'refused' : 'unreachable', e);
    return;
  }
  c.softError = e;
}
