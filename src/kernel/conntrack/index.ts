// Connection tracking and NAT bindings. Code lives beside this file.
export { ConntrackTable, conntrackIn, invertTuple, tupleKey, ctSummary, protoName, DEFAULT_TIMEOUTS, SEC, type Conntrack, type Tuple, type Dir } from './core.ts';
export { TCP_STATE_NAMES, type TcpState } from './tcp.ts';
export { natSetup, natPacket, natApplies, type NatRange, type ManipType } from './nat.ts';
