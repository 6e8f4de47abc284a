// IPv4 fragmentation (net/ipv4/ip_output.c: ip_fragment, ip_do_fragment) and reassembly
// (net/ipv4/ip_fragment.c: ip_defrag, ip_frag_reasm).
//
// Where the kernel fragments and reassembles, and so what netfilter counts:
// - A locally sent datagram walks OUTPUT and POSTROUTING whole (ip_append_data queues its
//   fragments on one skb); ip_finish_output cuts it after POSTROUTING.
// - A forwarded fragment walks PREROUTING, FORWARD and POSTROUTING alone, unless conntrack is in
//   use in the namespace: nf_defrag_ipv4 (PREROUTING/OUTPUT, priority -400) reassembles first, and
//   the datagram is cut again on output with its fragments' sizes (IPCB(skb)->frag_max_size).
// - Local delivery always reassembles before INPUT (ip_local_deliver).
// The model carries no bytes: a fragment carries the whole datagram's transport part (fragOf) and
// reassembly rebuilds the datagram when every byte of it has arrived.
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';
import type { Skb } from './skb.ts';
import { snapshot } from './packet.ts';
import { icmpSend, ICMP } from './icmp.ts';

export function isFragment(skb: Skb): boolean {
  return (skb.ip.fragOff ?? 0) !== 0 || skb.ip.mf === true;
}

/** Transport header length inside the first fragment. */
function l4Len(skb: Skb): number {
  if (skb.tcp) return skb.tcp.doff;
  if (skb.udp || skb.icmp) return 8;
  return 0;
}

/**
 * The IP total lengths ip_do_fragment gives SKB for MTU: the reassembled datagram's own
 * fragments when they all fit (the frag_list fast path), else (mtu - header) rounded down to 8.
 */
export function fragmentLengths(skb: Skb, mtu: number): number[] {
  const hlen = skb.ip.ihl;
  if (skb.fragMaxSize !== undefined && skb.fragMaxSize < mtu) mtu = skb.fragMaxSize;
  if (skb.fragSizes && skb.fragSizes.every((l) => l <= mtu)) return [...skb.fragSizes];
  const data = skb.len - hlen;
  const step = (mtu - hlen) & ~7;
  const out: number[] = [];
  for (let off = 0; off < data; off += step) out.push(hlen + Math.min(step, data - off));
  return out;
}

/**
 * ip_do_fragment: SKB cut for MTU. The first fragment keeps the packet's id in the run record;
 * the others are new packets (their parent is SKB). Each copies the metadata (ip_copy_metadata:
 * mark, conntrack, socket).
 */
export function ipFragment(kernel: Kernel, ns: Netns, skb: Skb, mtu: number): Skb[] {
  const lens = fragmentLengths(skb, mtu);
  const hlen = skb.ip.ihl;
  const baseOff = skb.ip.fragOff ?? 0;
  const lastMf = skb.ip.mf === true;
  const of = skb.fragOf ?? { len: skb.len, tcp: skb.tcp, udp: skb.udp, icmp: skb.icmp, payloadLen: skb.payloadLen, payload: skb.payload, pkt: skb.id };
  const frags: Skb[] = [];
  let off = 0;
  lens.forEach((len, i) => {
    const dataLen = len - hlen;
    const first = i === 0;
    const withL4 = first && baseOff === 0;
    const more = i < lens.length - 1 || lastMf;
    const f: Skb = {
      id: first ? skb.id : kernel.newSkbId(),
      len,
      ip: { ...skb.ip, fragOff: baseOff + off, mf: more },
      payloadLen: withL4 ? dataLen - l4Len(skb) : dataLen,
      mark: skb.mark,
      fragOf: of,
    };
    if (withL4) {
      if (skb.tcp) f.tcp = skb.tcp;
      if (skb.udp) f.udp = { ...skb.udp, len: 8 + of.payloadLen };
      if (skb.icmp) f.icmp = skb.icmp;
    }
    if (skb.eth) f.eth = { ...skb.eth };
    if (skb.ct) f.ct = { ...skb.ct };
    if (skb.sk) f.sk = skb.sk;
    if (skb.nfTrace) f.nfTrace = skb.nfTrace;
    if (!f.ip.mf) delete f.ip.mf;
    if (!first && kernel.recording) kernel.packets.push({ id: f.id, command: kernel.currentCommand, netns: ns.name, origin: 'other', parent: skb.id, created: snapshot(f), time: kernel.now });
    frags.push(f);
    off += dataLen;
  });
  return frags;
}

interface FragQueue {
  frags: Skb[];
  /** Data bytes received. */
  received: number;
  /** Data length of the datagram, known once the last fragment (MF clear) arrived. */
  total?: number;
}

/** ipq per namespace, keyed by (saddr, daddr, id, protocol) and the defrag user. */
const queues = new WeakMap<Netns, Map<string, FragQueue>>();

/** net.ipv4.ipfrag_time: an incomplete datagram is forgotten after 30 s. */
const IPFRAG_TIME = 30e9;

/**
 * ip_defrag: queues fragment SKB; returns the reassembled datagram when it is complete, else
 * undefined (the fragment is held). USER separates conntrack's queue from local delivery's.
 */
export function ipDefrag(kernel: Kernel, ns: Netns, skb: Skb, user: 'conntrack' | 'local'): Skb | undefined {
  let m = queues.get(ns);
  if (!m) queues.set(ns, (m = new Map()));
  const key = `${user} ${skb.ip.saddr} ${skb.ip.daddr} ${skb.ip.id} ${skb.ip.protocol}`;
  let q = m.get(key);
  if (!q) {
    m.set(key, (q = { frags: [], received: 0 }));
    const mine = q;
    const map = m;
    kernel.schedule(kernel.now + IPFRAG_TIME, () => {
      if (map.get(key) !== mine) return;
      map.delete(key);
      // ip_expire: with the first fragment in, "fragment reassembly time exceeded" goes back,
      // from conntrack's queue only when the datagram was for this host (frag_expire_skip_icmp).
      const head = mine.frags.find((f) => (f.ip.fragOff ?? 0) === 0);
      if (!head || (user === 'conntrack' && ns.fib.addrType(head.ip.daddr) !== 'LOCAL')) return;
      icmpSend(kernel, ns, head, ICMP.TIME_EXCEEDED, 1);
    });
  }
  const off = skb.ip.fragOff ?? 0;
  const dataLen = skb.len - skb.ip.ihl;
  if (q.frags.some((f) => (f.ip.fragOff ?? 0) === off)) return undefined; // duplicate
  q.frags.push(skb);
  q.received += dataLen;
  if (!skb.ip.mf) q.total = off + dataLen;
  if (kernel.tracing) kernel.emit({ type: 'deliver', t: kernel.now, netns: ns.name, pkt: skb.id, to: `kernel: ip_defrag (${user === 'conntrack' ? 'nf_defrag_ipv4' : 'local delivery'})` });
  if (q.total === undefined || q.received < q.total) return undefined;
  m.delete(key);
  const frags = q.frags.sort((a, b) => (a.ip.fragOff ?? 0) - (b.ip.fragOff ?? 0));
  const head = frags[0]!;
  const of = head.fragOf!;
  const ip = { ...head.ip };
  delete ip.fragOff;
  delete ip.mf;
  const whole: Skb = {
    id: head.id,
    len: of.len,
    ip,
    payloadLen: of.payloadLen,
    mark: head.mark,
    fragMaxSize: Math.max(...frags.map((f) => f.len)),
    fragSizes: frags.map((f) => f.len),
  };
  if (of.tcp) whole.tcp = of.tcp;
  if (of.udp) whole.udp = of.udp;
  if (of.icmp) whole.icmp = of.icmp;
  if (of.payload !== undefined) whole.payload = of.payload;
  if (head.dev) whole.dev = head.dev;
  if (head.ct) whole.ct = head.ct;
  if (head.eth) whole.eth = head.eth;
  return whole;
}
