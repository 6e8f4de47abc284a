// The kernel model's public API (the "syscalls" userland and the other parts use).
//
//   const k = new Kernel({ seed });            // the host namespace '' exists, lo up (as the oracle harness does)
//   const ns = k.addNetns('a');                // `ip netns add a`; k.namespaces, k.requireNetns
//   const [va, vb] = k.addVeth(ns, 'va', 'vb', k.requireNetns('b'));   // peer gets the lower ifindex
//   const br = k.addBridge(host, 'br0'); k.setMaster(dev, br); k.setLinkUp(dev); k.setLinkNetns(dev, ns)
//   ns.addAddress(dev, addr, prefix)           // local entry now; broadcast + connected route when up
//   ns.addRoute({ dst, prefix, via, dev, metric, table }) / ns.delRoute(…)  → RTNETLINK message | undefined
//   ns.listRoutes(RT_TABLE.main|local)         // `ip route show [table local]` order
//   ns.fib.lookup(dst) / ns.fib.addrType(addr, dev?) / ns.selectSourceAddress(dev, dst) / ns.primaryAddress(dev)
//   ns.setSysctl(key, value) / ns.sysctl.get(key)   // kernel defaults of a new netns; ip_forward side effects
//   k.ipLocalOut(ns, skb)                      // send a built packet (REJECT's replies)
//   k.advance(ns) / k.runUntil(done, deadline) / k.flush() / k.settle()   // virtual time (nanoseconds)
//   k.devQueueXmitName(ns, dev, skb)           // straight out of a device (bridged REJECT's RST)
//   tcpConnect / tcpListen / tcpSend / tcpClose, udpSendto, ns.sockets (UDP binds, ping sockets)
//   icmpSend(k, ns, offending, type, code)     // an ICMP error with the kernel's rules and rate limit
//   listenHttp(k, ns, addr, port, handler)     // an HTTP/1.1 server (nginx-like) for scenario worlds
//   registerDnsServer / resolveName            // a DNS server answering real UDP queries on port 53
//
// Decisions: ARP is modelled as frames (request broadcast, reply unicast; 28 bytes as ebtables
// counts them) so bridges learn MACs and ebtables/tcpdump see them; the first packet to a new
// neighbour waits for the answer; 3 unanswered requests (1 s apart) → ICMP host unreachable for
// the waiting packets after 3 s. Neighbour entries never age (no STALE/PROBE). Every link hop (veth,
// loopback) takes LINK_LATENCY (20 µs) of virtual time, so a ping across one veth has rtt 0.040 ms.
// The first echo to a new neighbour waits for ARP (0.080 ms across one veth). TCP: Linux's SYN
// options, quick ACKs, FIN answered by FIN in one segment when the application closes at once,
// SYN retransmissions 1 s doubling (+4 ms), data/FIN retransmissions 208 ms (tail loss probe),
// 208 ms, then doubling. ICMP errors: icmp_send's rules and the inet_peer token bucket shared
// with ip_error. IGMP reports of a new bridge are not modelled (the oracle README treats them
// as kernel noise).
// Importing netfilter binds its hooks into the stack (nfadapter.ts) before any Kernel exists.
import './netfilter/index.ts';
import './netfilter/ebtables.ts';
export { Kernel, INIT_NETNS, LINK_LATENCY, type KernelOptions } from './kernel.ts';
export { Netns, LinkError } from './netns.ts';
export { Device, DEVICE_KINDS, type DeviceKind, type IfAddr, type Scope } from './device.ts';
export { Fib, RT_TABLE, ROUTE_TYPES, type Route, type RouteType, type FibResult } from './route.ts';
export { type BridgeState, type BridgePort, type FdbEntry, BRIDGE_AGEING_DEFAULT } from './bridge.ts';
export { bindNetfilter, type NetfilterBinding, type Verdict, type BridgeHook } from './nfadapter.ts';
export { routeOutput, ipLocalOut, resolveNeigh, type RouteOutputResult } from './ipv4.ts';
export { icmpSend, ICMP } from './icmp.ts';
export { udpSendto } from './udp.ts';
export { tcpConnect, tcpListen, tcpUnlisten, tcpSend, tcpClose, tcpAbort, type ConnectErrno } from './tcp.ts';
export { SocketTable, type TcpConn, type TcpListener, type UdpSocket, type PingSocket, type SocketEvents, type TcpState } from './socket.ts';
export { newPacket, snapshot, cloneSkb } from './packet.ts';
export { Prng } from './prng.ts';
export { registerDnsServer, resolveName, qnameLength, type DnsServer, type ResolveResult } from './dns.ts';
export { listenHttp, formatResponse, parseRequestHead, reasonPhrase, type HttpHandler, type HttpRequest, type HttpResponse, type HttpServer } from './http.ts';
