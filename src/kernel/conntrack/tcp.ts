// TCP connection tracking (nf_conntrack_proto_tcp.c): the state transition table and the
// per-state timeouts. Window tracking is not modelled (the stack only sends in-window segments).
import type { TcpFlags, TcpHeader } from '../skb.ts';
import type { Conntrack, Dir, DEFAULT_TIMEOUTS } from './core.ts';

export const TCP_STATES = ['NONE', 'SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'SYN_SENT2'] as const;
export type TcpState = (typeof TCP_STATES)[number];
/** tcp_conntrack_names as /proc and conntrack print them. */
export const TCP_STATE_NAMES: Record<TcpState, string> = {
  NONE: 'NONE', SYN_SENT: 'SYN_SENT', SYN_RECV: 'SYN_RECV', ESTABLISHED: 'ESTABLISHED', FIN_WAIT: 'FIN_WAIT',
  CLOSE_WAIT: 'CLOSE_WAIT', LAST_ACK: 'LAST_ACK', TIME_WAIT: 'TIME_WAIT', CLOSE: 'CLOSE', SYN_SENT2: 'SYN_SENT2',
};

export interface TcpCtState {
  state: TcpState;
}

const sNO = 0, sSS = 1, sSR = 2, sES = 3, sFW = 4, sCW = 5, sLA = 6, sTW = 7, sCL = 8, sS2 = 9, sIV = 10, sIG = 11;
// tcp_conntracks[dir][index][state]; index: syn, synack, fin, ack, rst, none
const TABLE: number[][][] = [
  [
    [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    [sIV, sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];

function index(f: TcpFlags): number {
  if (f.rst) return 4;
  if (f.syn) return f.ack ? 1 : 0;
  if (f.fin) return 2;
  if (f.ack) return 3;
  return 5;
}

const TIMEOUT_KEY: Record<TcpState, keyof typeof DEFAULT_TIMEOUTS> = {
  NONE: 'tcp_close', SYN_SENT: 'tcp_syn_sent', SYN_RECV: 'tcp_syn_recv', ESTABLISHED: 'tcp_established',
  FIN_WAIT: 'tcp_fin_wait', CLOSE_WAIT: 'tcp_close_wait', LAST_ACK: 'tcp_last_ack', TIME_WAIT: 'tcp_time_wait',
  CLOSE: 'tcp_close', SYN_SENT2: 'tcp_syn_sent',
};

/** tcp_new: NONE -> the state the first packet leads to (SYN: SYN_SENT; tcp_loose pickup: ESTABLISHED). */
export function tcpNew(flags: TcpFlags): TcpCtState | undefined {
  const n = TABLE[0][index(flags)][sNO];
  if (n >= sIV) return undefined;
  return { state: 'NONE' };
}

/**
 * nf_conntrack_tcp_packet: moves the state, sets ASSURED and the timeout. Returns 'invalid' for
 * a packet the table refuses (the kernel returns -NF_ACCEPT: the packet goes on, untracked as
 * INVALID), 'kill' when the entry is deleted at once (an RST as the only reply), else 'ok'.
 */
export function tcpPacket(ct: Conntrack, dir: Dir, th: TcpHeader, now: number, timeout: (k: keyof typeof DEFAULT_TIMEOUTS) => number): 'ok' | 'invalid' | 'kill' {
  const st = ct.tcp!;
  const old = TCP_STATES.indexOf(st.state);
  const idx = index(th.flags);
  const next = TABLE[dir][idx][old];
  if (next === sIV) return 'invalid';
  if (next === sIG) return 'ok'; // ignored: no state change, no refresh
  st.state = TCP_STATES[next];
  ct.timeoutAt = now + timeout(TIMEOUT_KEY[st.state]);
  if (!ct.seenReply) {
    if (th.flags.rst) return 'kill';
  } else if (!ct.assured && (old === sSR || old === sES) && next === sES) {
    ct.assured = true;
  }
  return 'ok';
}
