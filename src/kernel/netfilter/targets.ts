// The xt_* targets other than the standard verdicts (net/netfilter/xt_*.c, ipt_*.c).
import type { Skb } from '../skb.ts';
import { IPPROTO } from '../skb.ts';
import type { Hook, TableName, XtTarget } from './types.ts';
import type { PktCtx } from './matches.ts';
import { natSetup, type NatRange } from '../conntrack/nat.ts';
import { nextRandom } from './state.ts';
import { formatLogLine, logAllowed } from './log.ts';
import { nfCtAttach } from './hook.ts';

export type TargetFn = (p: PktCtx, hook: Hook) => 'ACCEPT' | 'DROP' | 'CONTINUE';

const REJECT_CODES: Record<string, number> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-proto-unreachable': 2,
  'icmp-port-unreachable': 3,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
};

function nat(p: PktCtx, manip: 'SRC' | 'DST', range: NatRange): 'ACCEPT' | 'DROP' {
  const ct = p.ct;
  if (!ct) return 'ACCEPT';
  const nf = p.ns.nf;
  natSetup(nf.conntrack, ct, manip, range, p.kernel.now, () => nextRandom(nf) & 0xffff);
  return 'ACCEPT';
}

export function compileTarget(t: XtTarget, table: TableName): TargetFn {
  void table;
  switch (t.name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
    case 'JUMP':
    case 'NONE':
      throw new Error('standard targets are handled by doTable');
    case 'REJECT': {
      const w = t.info.with;
      return (p, hook) => {
        sendReject(p, hook, w);
        return 'DROP';
      };
    }
    case 'LOG': {
      const info = t.info;
      return (p, hook) => {
        if (logAllowed(p)) p.kernel.log(formatLogLine(p, hook, info.prefix, info.flags), p.ns.name, p.skb.id);
        return 'CONTINUE';
      };
    }
    case 'TRACE':
      return (p) => {
        p.skb.nfTrace = true;
        return 'CONTINUE';
      };
    case 'MASQUERADE': {
      const i = t.info;
      return (p) => {
        const out = p.outdev;
        const addr = out === undefined ? undefined : p.ns.selectSourceAddress(out, p.skb.ip.daddr);
        if (addr === undefined || addr === 0) return 'DROP';
        return nat(p, 'SRC', { minAddr: addr, maxAddr: addr, ports: i.ports, random: i.random || i.fullyRandom });
      };
    }
    case 'SNAT': {
      const i = t.info;
      // Without NF_NAT_RANGE_MAP_IPS (--to-source :PORT) the address stays as it is.
      if (i.mapIps === false) return (p) => nat(p, 'SRC', { minAddr: p.skb.ip.saddr, maxAddr: p.skb.ip.saddr, ports: i.ports, random: i.random, persistent: i.persistent });
      return (p) => nat(p, 'SRC', { minAddr: i.from, maxAddr: i.to, ports: i.ports, random: i.random, persistent: i.persistent });
    }
    case 'DNAT': {
      const i = t.info;
      if (i.mapIps === false) return (p) => nat(p, 'DST', { minAddr: p.skb.ip.daddr, maxAddr: p.skb.ip.daddr, ports: i.ports, random: i.random, persistent: i.persistent });
      return (p) => nat(p, 'DST', { minAddr: i.from, maxAddr: i.to, ports: i.ports, random: i.random, persistent: i.persistent });
    }
    case 'REDIRECT': {
      const i = t.info;
      return (p, hook) => {
        // nf_nat_redirect_ipv4: 127.0.0.1 for locally generated packets, else the first address of the in-device
        const addr = hook === 'OUTPUT' ? 0x7f000001 : p.indev !== undefined ? p.ns.primaryAddress(p.indev) : undefined;
        if (addr === undefined) return 'DROP';
        return nat(p, 'DST', { minAddr: addr, maxAddr: addr, ports: i.ports, random: i.random });
      };
    }
    case 'MARK': {
      const i = t.info;
      return (p) => {
        const m = p.skb.mark >>> 0;
        switch (i.op) {
          case 'set':
            p.skb.mark = ((m & ~i.mask) | i.mark) >>> 0;
            break;
          case 'xset':
            p.skb.mark = ((m & ~i.mask) ^ i.mark) >>> 0;
            break;
          case 'and':
            p.skb.mark = (m & i.mark) >>> 0;
            break;
          case 'or':
            p.skb.mark = (m | i.mark) >>> 0;
            break;
          case 'xor':
            p.skb.mark = (m ^ i.mark) >>> 0;
            break;
        }
        return 'CONTINUE';
      };
    }
    case 'CONNMARK': {
      const i = t.info;
      return (p) => {
        const ct = p.ct;
        if (!ct) return 'CONTINUE';
        if (i.mode === 'set') ct.mark = ((ct.mark & ~i.mask) ^ i.mark) >>> 0;
        else if (i.mode === 'save') ct.mark = ((ct.mark & ~i.ctmask) ^ (p.skb.mark & i.nfmask)) >>> 0;
        else p.skb.mark = ((p.skb.mark & ~i.nfmask) ^ (ct.mark & i.ctmask)) >>> 0;
        return 'CONTINUE';
      };
    }
    case 'CT':
      if (!t.info.notrack) return () => 'CONTINUE';
      return (p) => {
        p.skb.ct = { entryId: 0, info: 'UNTRACKED', untracked: true };
        return 'CONTINUE';
      };
    case 'NOTRACK':
      return (p) => {
        p.skb.ct = { entryId: 0, info: 'UNTRACKED', untracked: true };
        return 'CONTINUE';
      };
    case 'CHECKSUM':
      return () => 'CONTINUE';
  }
  throw new Error(`unknown target ${(t as { name: string }).name}`);
}

/** nf_send_unreach / nf_send_reset: the reply is a locally generated packet (ip_local_out). */
function sendReject(p: PktCtx, hook: Hook, w: string): void {
  const k = p.kernel;
  const old = p.skb;
  if (!k.ipLocalOut) return;
  if (w === 'tcp-reset') {
    const th = old.tcp;
    if (!th || th.flags.rst) return;
    const dataLen = old.len - old.ip.ihl - th.doff;
    const ack = !th.flags.ack;
    const rst: Skb = {
      id: k.newSkbId(),
      len: 40,
      ip: { saddr: old.ip.daddr, daddr: old.ip.saddr, protocol: IPPROTO.TCP, ttl: 64, tos: 0, id: 0, df: true, ihl: 20 },
      tcp: {
        sport: th.dport,
        dport: th.sport,
        seq: th.flags.ack ? th.ackSeq : 0,
        ackSeq: ack ? (th.seq + (th.flags.syn ? 1 : 0) + (th.flags.fin ? 1 : 0) + dataLen) >>> 0 : 0,
        flags: { fin: false, syn: false, rst: true, psh: false, ack, urg: false, ece: false, cwr: false },
        window: 0,
        doff: 20,
        options: [],
      },
      payloadLen: 0,
      mark: 0,
    };
    nfCtAttach(rst, old);
    const physIn = old.dev?.physIn;
    if (physIn !== undefined) {
      // bridged: straight out of the ingress port, MACs swapped (no OUTPUT, no POSTROUTING)
      if (old.eth) rst.eth = { src: old.eth.dst, dst: old.eth.src, proto: old.eth.proto };
      k.devQueueXmitName?.(p.ns, physIn, rst);
      return;
    }
    k.ipLocalOut(p.ns, rst, { origin: 'reject', parent: old.id });
    return;
  }
  const code = REJECT_CODES[w] ?? 3;
  if (old.icmp && old.icmp.type !== 0 && old.icmp.type !== 8 && old.icmp.type !== 13 && old.icmp.type !== 15 && old.icmp.type !== 17) return; // never an error about an error
  const local = p.ns.fib.addrType(old.ip.daddr) === 'LOCAL';
  const saddr = local ? old.ip.daddr : p.ns.selectSourceAddress(undefined, old.ip.saddr);
  if (saddr === undefined) return;
  const quoted = Math.min(old.len, 576 - 28);
  const err: Skb = {
    id: k.newSkbId(),
    len: 28 + quoted,
    ip: { saddr, daddr: old.ip.saddr, protocol: IPPROTO.ICMP, ttl: 64, tos: (old.ip.tos & 0x1e) | 0xc0, id: -1, df: false, ihl: 20 },
    icmp: {
      type: 3,
      code,
      inner: {
        ip: { ...old.ip },
        len: old.len,
        sport: old.tcp?.sport ?? old.udp?.sport,
        dport: old.tcp?.dport ?? old.udp?.dport,
        icmpId: old.icmp?.id,
        icmpType: old.icmp?.type,
      },
    },
    payloadLen: quoted,
    mark: 0,
  };
  void hook;
  nfCtAttach(err, old);
  k.ipLocalOut(p.ns, err, { origin: 'reject', parent: old.id });
}
