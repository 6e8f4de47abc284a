// The LOG target's line and legacy TRACE lines, as nf_log_syslog.c prints them (dmesg without
// the timestamp). Fields end with a space, as the kernel writes them.
import { formatIpv4 } from '../addr.ts';
import type { IcmpInner, Skb } from '../skb.ts';
import type { Hook } from './types.ts';
import type { PktCtx } from './matches.ts';

export interface LogFlags {
  tcpSeq: boolean;
  tcpOpt: boolean;
  ipOpt: boolean;
  uid: boolean;
  macDecode: boolean;
}

/** nf_log_packet refuses non-initial namespaces unless init_net's nf_log_all_netns is 1. */
export function logAllowed(p: PktCtx): boolean {
  if (p.ns.name === '') return true;
  const init = p.kernel.netns?.('');
  return init?.sysctl.get('net.netfilter.nf_log_all_netns') === '1';
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function macHeader(skb: Skb): string {
  const e = skb.eth;
  if (!e) return 'MAC= ';
  return `MAC=${e.dst}:${e.src}:${hex2(e.proto >> 8)}:${hex2(e.proto & 255)} `;
}

function tcpFlagsText(f: NonNullable<Skb['tcp']>['flags']): string {
  return (f.cwr ? 'CWR ' : '') + (f.ece ? 'ECE ' : '') + (f.urg ? 'URG ' : '') + (f.ack ? 'ACK ' : '') + (f.psh ? 'PSH ' : '') + (f.rst ? 'RST ' : '') + (f.syn ? 'SYN ' : '') + (f.fin ? 'FIN ' : '');
}

function ipPart(ip: Skb['ip'], len: number): string {
  return `SRC=${formatIpv4(ip.saddr)} DST=${formatIpv4(ip.daddr)} LEN=${len} TOS=0x${hex2(ip.tos & 0x1e).toUpperCase()} PREC=0x${hex2(ip.tos & 0xe0).toUpperCase()} TTL=${ip.ttl} ID=${ip.id < 0 ? 0 : ip.id} ${ip.df ? 'DF ' : ''}${ip.mf ? 'MF ' : ''}${ip.fragOff ? `FRAG:${ip.fragOff >> 3} ` : ''}`;
}

/** The TCP options' bytes, from the tcpdump-style names the stack keeps (mss, sackOK, TS, nop, wscale, eol). */
export function tcpOptionBytes(options: string[]): number[] {
  const out: number[] = [];
  const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  for (const o of options) {
    const w = o.split(' ');
    if (w[0] === 'mss') out.push(2, 4, (Number(w[1]) >> 8) & 255, Number(w[1]) & 255);
    else if (w[0] === 'sackOK') out.push(4, 2);
    else if (w[0] === 'TS') out.push(8, 10, ...u32(Number(w[2])), ...u32(Number(w[4])));
    else if (w[0] === 'nop') out.push(1);
    else if (w[0] === 'wscale') out.push(3, 3, Number(w[1]) & 255);
    else if (w[0] === 'eol') out.push(0);
  }
  return out;
}

/** dump_ipv4_packet */
export function dumpIpv4(skb: Skb, flags: Pick<LogFlags, 'tcpSeq'> & { tcpOpt?: boolean; uid?: boolean }): string {
  let s = ipPart(skb.ip, skb.len);
  if (skb.ip.fragOff) {
    // A later fragment: the protocol's name only (its header is in the first fragment).
    const p = skb.ip.protocol;
    s += `PROTO=${p === 6 ? 'TCP' : p === 17 ? 'UDP' : p === 1 ? 'ICMP' : p} `;
  } else if (skb.tcp) {
    const t = skb.tcp;
    s += `PROTO=TCP SPT=${t.sport} DPT=${t.dport} `;
    if (flags.tcpSeq) s += `SEQ=${t.seq >>> 0} ACK=${t.ackSeq >>> 0} `;
    s += `WINDOW=${t.window} RES=0x00 ${tcpFlagsText(t.flags)}URGP=0 `;
    if (flags.tcpOpt && t.doff > 20) {
      const bytes = tcpOptionBytes(t.options);
      while (bytes.length < t.doff - 20) bytes.push(0);
      s += `OPT (${bytes.map((b) => hex2(b).toUpperCase()).join('')}) `;
    }
  } else if (skb.udp) {
    s += `PROTO=UDP SPT=${skb.udp.sport} DPT=${skb.udp.dport} LEN=${skb.len - skb.ip.ihl} `;
  } else if (skb.icmp) {
    const c = skb.icmp;
    s += `PROTO=ICMP TYPE=${c.type} CODE=${c.code} `;
    if (c.type === 0 || c.type === 8) s += `ID=${c.id ?? 0} SEQ=${c.seq ?? 0} `;
    else if ((c.type === 3 || c.type === 4 || c.type === 11) && c.inner) s += `[${dumpInner(c.inner, skb.len - 28)}] `;
    if (c.type === 3 && c.code === 4) s += `MTU=${c.mtu ?? 0} `;
  } else {
    s += `PROTO=${skb.ip.protocol} `;
  }
  if (flags.uid && skb.sk) s += `UID=${skb.sk.uid} GID=${skb.sk.gid} `;
  if (skb.mark) s += `MARK=0x${(skb.mark >>> 0).toString(16)} `;
  return s;
}

function dumpInner(inner: IcmpInner, quoted: number): string {
  // the inner packet's LEN is its own header's total length; the quoted bytes decide what is complete
  void quoted;
  const ip = inner.ip;
  const totLen = inner.len;
  let s = ipPart(ip, totLen ?? 0);
  if (ip.protocol === 6 && inner.sport !== undefined) s += `PROTO=TCP SPT=${inner.sport} DPT=${inner.dport} `;
  else if (ip.protocol === 17 && inner.sport !== undefined) s += `PROTO=UDP SPT=${inner.sport} DPT=${inner.dport} LEN=${(totLen ?? 28) - ip.ihl} `;
  else if (ip.protocol === 1) s += `PROTO=ICMP TYPE=${inner.icmpType ?? 8} CODE=0 ID=${inner.icmpId ?? 0} SEQ=0 `;
  else s += `PROTO=${ip.protocol} `;
  return s;
}

/** The common part: IN= OUT= [PHYSIN= PHYSOUT=] [MAC=] then the packet. */
export function formatLogLine(p: PktCtx, hook: Hook, prefix: string, flags: LogFlags): string {
  const skb = p.skb;
  let s = `${prefix}IN=${p.indev ?? ''} OUT=${p.outdev ?? ''} `;
  const d = skb.dev;
  if (d?.physIn !== undefined && d.physIn !== p.indev) s += `PHYSIN=${d.physIn} `;
  if (d?.physOut !== undefined && d.physOut !== p.outdev) s += `PHYSOUT=${d.physOut} `;
  if (p.indev !== undefined) {
    // dump_mac_header: --log-macdecode spells Ethernet out, otherwise the raw header in hex
    if (flags.macDecode && skb.eth) s += `MACSRC=${skb.eth.src} MACDST=${skb.eth.dst} MACPROTO=${skb.eth.proto.toString(16).padStart(4, '0')} `;
    else s += macHeader(skb);
  }
  void hook;
  return s + dumpIpv4(skb, flags);
}

/** Legacy TRACE: `TRACE: table:chain:type:num ` + the packet, logged at level 4 with all flags. */
export function formatTraceLine(p: PktCtx, table: string, chain: string, kind: string, num: number): string {
  return formatLogLine(p, 'PREROUTING', `TRACE: ${table}:${chain}:${kind}:${num} `, { tcpSeq: true, tcpOpt: true, ipOpt: true, uid: true, macDecode: false });
}
