// ping (iputils 20221126): ICMP echo through the simulated stack, output as iputils prints it.
// Supported: -c COUNT, -i INTERVAL, -W TIMEOUT, -w DEADLINE, -s SIZE, -t TTL, -q, -n, -I IFACE|ADDR, -4.
// Round-trip times are virtual: each link hop takes LINK_LATENCY (20 µs), so one veth away is
// 0.040 ms; the statistics' `time` is the time of the last transmission, as iputils reports it.
import { formatIpv4, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Netns } from '../kernel/netns.ts';
import { IPPROTO, type Skb } from '../kernel/skb.ts';
import { newPacket } from '../kernel/packet.ts';
import { ipLocalOut, pathMtu, routeOutput, takeXmitDrop } from '../kernel/ipv4.ts';
import { resolveName } from '../kernel/dns.ts';
import { ScriptError, type ToolContext, type ToolTable, ToolExit, strerror } from './tool.ts';

const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  4: 'Frag needed and DF set',
  5: 'Source Route Failed',
  6: 'Destination Net Unknown',
  7: 'Destination Host Unknown',
  8: 'Source Host Isolated',
  9: 'Destination Net Prohibited',
  10: 'Destination Host Prohibited',
  11: 'Destination Net Unreachable for Type of Service',
  12: 'Destination Host Unreachable for Type of Service',
  13: 'Packet filtered',
  14: 'Precedence Violation',
  15: 'Precedence Cutoff',
};

function icmpErrorText(type: number, code: number): string {
  if (type === 3) return UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
  if (type === 11) return code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  if (type === 12) return 'Parameter problem';
  return `Bad ICMP type: ${type}`;
}

/** iputils prints times in µs with 3 decimals below 1 s… (the `time=` field). */
function fmtMs(us: number): string {
  if (us >= 100000 - 50) return `${Math.round(us / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

function fmt3(us: number): string {
  const v = Math.floor(us);
  return `${Math.floor(v / 1000)}.${String(v % 1000).padStart(3, '0')}`;
}

/** printf("%g") for the loss percentage. */
function fmtG(x: number): string {
  if (x === 0) return '0';
  return String(Number(x.toPrecision(6)));
}

function parseSeconds(opt: string, v: string | undefined, ctx: ToolContext): number {
  const n = v === undefined ? NaN : Number(v);
  if (!Number.isFinite(n) || n < 0) {
    ctx.err(`ping: invalid argument: '${v ?? ''}'\n`);
    throw new ToolExit(1);
  }
  void opt;
  return n;
}


interface Options {
  count?: number;
  interval: number;
  timeout?: number;
  deadline?: number;
  size: number;
  quiet: boolean;
  flood: boolean;
  ttl?: number;
  iface?: string;
  source?: Ipv4;
  /** -M: IP_MTU_DISCOVER (iputils sets none without -M: the socket default, want unless net.ipv4.ip_no_pmtu_disc). */
  pmtudisc?: 'do' | 'want' | 'dont';
  target: string;
}

function parse(argv: string[], ctx: ToolContext): Options {
  const o: Options = { interval: 1, size: 56, quiet: false, flood: false, target: '' };
  const args = argv.slice(1);
  const valueOf = (i: number, flag: string): string => {
    const a = args[i];
    if (a.length > 2) return a.slice(2);
    const v = args[i + 1];
    if (v === undefined) {
      ctx.err(`ping: option requires an argument -- '${flag}'\n`);
      throw new ToolExit(2);
    }
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      if (o.target) throw new ScriptError(`ping: only one destination is supported (got \`${o.target}\` and \`${a}\`)`, ctx.pos);
      o.target = a;
      continue;
    }
    const flag = a[1];
    const takes = 'ciWwsItM'.includes(flag);
    const v = takes ? valueOf(i, flag) : undefined;
    if (takes && a.length === 2) i++;
    switch (flag) {
      case 'c': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) {
          ctx.err(`ping: invalid argument: '${v}': out of range: 1 <= value <= 9223372036854775807\n`);
          throw new ToolExit(1);
        }
        o.count = n;
        break;
      }
      case 'i':
        o.interval = parseSeconds('i', v, ctx);
        break;
      case 'W':
        o.timeout = parseSeconds('W', v, ctx);
        break;
      case 'w':
        o.deadline = parseSeconds('w', v, ctx);
        break;
      case 's': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 65507) {
          ctx.err(`ping: invalid argument: '${v}': out of range: 0 <= value <= 2147483647\n`);
          throw new ToolExit(1);
        }
        o.size = n;
        break;
      }
      case 't': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 255) {
          ctx.err(`ping: invalid argument: '${v}': out of range: 1 <= value <= 255\n`);
          throw new ToolExit(1);
        }
        o.ttl = n;
        break;
      }
      case 'I': {
        const addr = parseIpv4(v!);
        if (addr !== undefined) o.source = addr;
        else o.iface = v;
        break;
      }
      case 'q':
        o.quiet = true;
        for (const extra of a.slice(2)) if (extra !== 'q' && extra !== 'n' && extra !== '4' && extra !== 'f') throw new ScriptError(`ping: unsupported option -${extra} (supported: -c -i -W -w -s -t -f -q -n -I -M -4)`, ctx.pos);
        break;
      case 'f':
        o.flood = true;
        break;
      case 'M':
        if (v !== 'do' && v !== 'want' && v !== 'dont') {
          ctx.err(`ping: invalid -M argument: ${v}\n`);
          throw new ToolExit(2);
        }
        o.pmtudisc = v;
        break;
      case 'n':
      case '4':
        break;
      default:
        throw new ScriptError(`ping: unsupported option \`${a}\` (supported: -c -i -W -w -s -t -f -q -n -I -M -4)`, ctx.pos);
    }
  }
  if (!o.target) {
    ctx.err('ping: usage error: Destination address required\n');
    throw new ToolExit(1);
  }
  return o;
}

export function ping(argv: string[], ctx: ToolContext): number {
  try {
    return run(argv, ctx);
  } catch (e) {
    if (e instanceof ToolExit) return e.code;
    throw e;
  } finally {
    ctx.kernel.flush();
  }
}

function run(argv: string[], ctx: ToolContext): number {
  const kernel: Kernel = ctx.kernel;
  const o = parse(argv, ctx);
  const ns: Netns = kernel.requireNetns(ctx.netns);
  if (o.iface !== undefined && !ns.dev(o.iface)) {
    ctx.err(`ping: SO_BINDTODEVICE ${o.iface}: No such device\n`);
    return 2;
  }
  const res = resolveName(kernel, ns, o.target);
  if (!res.ok) {
    ctx.err(`ping: ${o.target}: ${res.error === 'NXDOMAIN' ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`);
    return 2;
  }
  const dst = res.addrs[0];
  const rt = routeOutput(ns, dst, { oif: o.iface, saddr: o.source });
  if (!rt.ok) {
    ctx.err(`ping: connect: ${strerror(rt.errno)}\n`);
    return 2;
  }
  if (o.source !== undefined && !ns.isLocalAddress(o.source)) {
    ctx.err(`ping: bind icmp socket: Cannot assign requested address\n`);
    return 2;
  }
  const saddr = o.source ?? rt.saddr;
  const shown = formatIpv4(dst);
  // With -I, iputils names the source (and the device): "from 10.0.0.1 va:" / "from 10.0.0.1 :".
  const from = o.iface !== undefined || o.source !== undefined ? ` from ${formatIpv4(saddr)} ${o.iface ?? ''}:` : '';
  ctx.out(`PING ${o.target} (${shown})${from} ${o.size}(${o.size + 28}) bytes of data.\n`);

  const ident = kernel.prng.u32() & 0xffff;
  let ipId = kernel.prng.u32() & 0xffff;
  // by sequence number (arrays: a 50,000-entry Map or Set costs on the flood path)
  const sentAt: number[] = [];
  let transmitted = 0;
  let received = 0;
  let errors = 0;
  let rttMin = Infinity;
  let rttMax = 0;
  let rttSum = 0;
  let rttSum2 = 0;
  let ewma = 0;
  const replied: boolean[] = [];
  const start = kernel.now;
  let lastSend = start;

  ns.sockets.ping.set(ident, {
    id: ident,
    onReply(skb: Skb) {
      const seq = skb.icmp!.seq!;
      const t0 = sentAt[seq];
      if (t0 === undefined) return;
      received++;
      replied[seq] = true;
      const us = Math.floor((kernel.now - t0) / 1000);
      rttMin = Math.min(rttMin, us);
      rttMax = Math.max(rttMax, us);
      rttSum += us;
      rttSum2 += us * us;
      ewma = ewma === 0 ? us * 8 : ewma + us - Math.floor(ewma / 8);
      if (o.flood) {
        if (!o.quiet) ctx.out('\b \b');
        return;
      }
      if (!o.quiet) ctx.out(`${skb.payloadLen + 8} bytes from ${formatIpv4(skb.ip.saddr)}: icmp_seq=${seq} ttl=${skb.ip.ttl} time=${fmtMs(us)} ms\n`);
    },
    onError(skb: Skb) {
      const inner = skb.icmp!.inner!;
      if (inner.ip.daddr !== dst) return;
      errors++;
      // The quoted echo's sequence number identifies the probe.
      const seq = inner.icmpSeq ?? findSeq(skb);
      if (o.flood) {
        if (!o.quiet) ctx.out('\bE');
        return;
      }
      // iputils: "Frag needed and DF set (mtu = %u)" with the next-hop MTU the router announced.
      const mtu = skb.icmp!.type === 3 && skb.icmp!.code === 4 ? ` (mtu = ${skb.icmp!.mtu ?? 0})` : '';
      if (!o.quiet) ctx.out(`From ${formatIpv4(skb.ip.saddr)} icmp_seq=${seq} ${icmpErrorText(skb.icmp!.type, skb.icmp!.code)}${mtu}\n`);
    },
  });
  const findSeq = (skb: Skb): number => {
    const parentId = kernel.packets.find((p) => p.id === skb.id)?.parent;
    const parent = parentId !== undefined ? kernel.packets.find((p) => p.id === parentId) : undefined;
    return parent?.created.icmp?.seq ?? transmitted;
  };

  // iputils' deadline clock starts a little before the first probe: a probe sent at exactly -w
  // seconds still goes out and its reply counts (the oracle: -c 2 -w 1 gets both replies).
  const deadlineT = o.deadline !== undefined ? start + o.deadline * 1e9 + 1e6 : Infinity;
  // -f: the next probe leaves when the reply arrives, or after 10 ms without one.
  const intervalNs = o.flood ? 10e6 : Math.round(o.interval * 1e9);
  const lingerNs = (o.timeout ?? 10) * 1e9;
  const done = () => o.count !== undefined && received + errors >= o.count;
  let waitSeq = 0;
  const floodNext = () => done() || replied[waitSeq] === true;
  const pmtudisc = o.pmtudisc ?? ((ns.sysctl.get('net.ipv4.ip_no_pmtu_disc') ?? '0') === '0' ? 'want' : 'dont');
  // pinger's oom_count: sendmsg failures with ENOBUFS in a row (reset by a successful send).
  let oomCount = 0;
  const noresNs = Math.min(Math.max(Math.floor(intervalNs / 2e6), 10), 500) * 1e6;
  try {
    for (let seq = 1; ; seq++) {
      if (o.count !== undefined && seq > o.count) break;
      if (kernel.now >= deadlineT) break;
      transmitted++;
      for (let attempt = 0; ; attempt++) {
        sentAt[seq] = kernel.now;
        lastSend = kernel.now;
        const skb = newPacket(
          kernel,
          ns,
          { saddr, daddr: dst, protocol: IPPROTO.ICMP, df: true, ttl: o.ttl, id: ipId++ & 0xffff, icmp: { type: 8, code: 0, id: ident, seq }, payloadLen: o.size },
          'socket',
        );
        if (o.flood && !o.quiet && attempt === 0) ctx.out('.');
        skb.pmtudisc = pmtudisc;
        // ip_append_data with IP_PMTUDISC_DO: a datagram over the path MTU fails with EMSGSIZE;
        // iputils reads the local error from the error queue and counts it as an error.
        const now = pmtudisc === 'do' ? routeOutput(ns, dst, { oif: o.iface, saddr }) : undefined;
        const mtu = now?.ok ? pathMtu(kernel, ns, now.dev, dst, now.route) : undefined;
        if (mtu !== undefined && skb.len > mtu) {
          errors++;
          if (o.flood) {
            if (!o.quiet) ctx.out('\bE');
          } else ctx.err(`ping: local error: message too long, mtu=${mtu}\n`);
          break;
        }
        takeXmitDrop(kernel);
        ipLocalOut(kernel, ns, skb, o.iface);
        if (!takeXmitDrop(kernel)) {
          oomCount = 0;
          break;
        }
        // sendmsg failed with ENOBUFS (the device refused the frame): pinger tries the same probe
        // again at the next interval while oom_count × min(interval/2, 500 ms) < -W, then
        // reports the error and counts the probe as sent.
        oomCount++;
        if (oomCount * noresNs < lingerNs && kernel.now + intervalNs < deadlineT) {
          kernel.runUntil(() => false, kernel.now + intervalNs);
          continue;
        }
        if (o.flood) {
          if (!o.quiet) ctx.out('\bE');
        } else if (!o.quiet) ctx.err('ping: sendmsg: No buffer space available\n');
        break;
      }
      if (o.count !== undefined && seq === o.count) {
        // Last probe: wait for its answer (or an error), at most -W, never past -w.
        kernel.runUntil(done, Math.min(kernel.now + lingerNs, deadlineT));
        break;
      }
      waitSeq = seq;
      const next = o.flood ? floodNext : done;
      if (kernel.runUntil(next, Math.min(kernel.now + intervalNs, deadlineT)) && done()) break;
    }
  } finally {
    ns.sockets.ping.delete(ident);
  }
  const elapsedMs = Math.floor((lastSend - start) / 1e6);
  ctx.out(`\n--- ${o.target} ping statistics ---\n`);
  const loss = transmitted ? ((transmitted - received) * 100) / transmitted : 0;
  ctx.out(`${transmitted} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ''}${fmtG(loss)}% packet loss, time ${elapsedMs}ms\n`);
  if (received) {
    const avg = Math.floor(rttSum / received);
    const mdev = Math.floor(Math.sqrt(Math.max(0, rttSum2 / received - (rttSum / received) ** 2)));
    let line = `rtt min/avg/max/mdev = ${fmt3(rttMin)}/${fmt3(avg)}/${fmt3(rttMax)}/${fmt3(mdev)} ms`;
    if (o.flood) {
      const ipg = transmitted > 1 ? Math.floor((lastSend - start) / 1000 / (transmitted - 1)) : 0;
      line += `, ipg/ewma ${fmt3(ipg)}/${fmt3(Math.floor(ewma / 8))} ms`;
    }
    ctx.out(line + '\n');
  } else {
    ctx.out('\n');
  }
  if (!received) return 1;
  if (o.deadline !== undefined && o.count !== undefined && received < o.count) return 1;
  return 0;
}

export const tools: ToolTable = { ping };
