// busybox ping (the applet of the busybox and alpine images; measured with Debian's busybox
// 1.35.0 on 6.18): ICMP echo through the simulated stack, printed as busybox prints it.
// Supported: -c CNT, -i SECS, -W SEC, -w SEC, -s SIZE, -t TTL, -q, -I IFACE|IP, -4.
// Differences from iputils that show on a page: the first echo has sequence 0; no `icmp_seq=`,
// `bytes of data` or mdev; the loss is an integer; ICMP errors are ignored (the raw socket sees
// them, the applet drops every reply that is not an echo reply); -W is how long to wait after the
// last probe when nothing answered yet (with answers: two round trips, at least 1 s); -w is
// checked only when a probe is due, so it never shortens that last wait.
import { formatIpv4, parseIpv4, type Ipv4 } from '../kernel/addr.ts';
import type { Netns } from '../kernel/netns.ts';
import { IPPROTO, type Skb } from '../kernel/skb.ts';
import { newPacket } from '../kernel/packet.ts';
import { ipLocalOut, routeOutput } from '../kernel/ipv4.ts';
import { resolveName } from '../kernel/dns.ts';
import { ScriptError, type ToolContext, ToolExit, strerror } from './tool.ts';

const USAGE = `BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.

Usage: ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

\t-4,-6\t\tForce IP or IPv6 name resolution
\t-c CNT\t\tSend only CNT pings
\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)
\t-i SECS\t\tInterval
\t-A\t\tPing as soon as reply is received
\t-t TTL\t\tSet TTL
\t-I IFACE/IP\tSource interface or IP address
\t-W SEC\t\tSeconds to wait for the first response (default 10)
\t\t\t(after all -c CNT packets are sent)
\t-w SEC\t\tSeconds until ping exits (default:infinite)
\t\t\t(can exit earlier with -c CNT)
\t-q\t\tQuiet, only display output at start/finish
\t-p HEXBYTE\tPayload pattern
`;

const SUPPORTED = '-c CNT -i SECS -W SEC -w SEC -s SIZE -t TTL -q -I IFACE|IP -4';


interface Options {
  count: number;
  interval: number;
  timeout: number;
  deadline?: number;
  size: number;
  quiet: boolean;
  ttl?: number;
  iface?: string;
  source?: Ipv4;
  target: string;
}

/** xatou/xatoi_positive: digits only, else "invalid number 'X'". */
function number(v: string, ctx: ToolContext): number {
  if (!/^\d+$/.test(v)) {
    ctx.err(`ping: invalid number '${v}'\n`);
    throw new ToolExit(1);
  }
  return Number(v);
}

/** The seconds of -i/-W/-w: a decimal (parse_duration_str accepts fractions). */
function seconds(v: string, ctx: ToolContext): number {
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(v)) {
    ctx.err(`ping: invalid number '${v}'\n`);
    throw new ToolExit(1);
  }
  return Number(v);
}

function parse(argv: string[], ctx: ToolContext): Options {
  const o: Options = { count: 0, interval: 1, timeout: 10, size: 56, quiet: false, target: '' };
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      if (o.target) throw new ScriptError(`busybox ping: one destination only (got \`${o.target}\` and \`${a}\`)`, ctx.pos);
      o.target = a;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const flag = a[j];
      if ('ciWwstI'.includes(flag)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) {
          ctx.err(`ping: option requires an argument -- '${flag}'\n${USAGE}`);
          throw new ToolExit(1);
        }
        if (flag === 'c') o.count = number(v, ctx);
        else if (flag === 'i') o.interval = seconds(v, ctx);
        else if (flag === 'W') o.timeout = number(v, ctx);
        else if (flag === 'w') o.deadline = number(v, ctx);
        else if (flag === 's') o.size = number(v, ctx);
        else if (flag === 't') o.ttl = number(v, ctx);
        else {
          const addr = parseIpv4(v);
          if (addr !== undefined) o.source = addr;
          else o.iface = v;
        }
        break;
      }
      if (flag === 'q') o.quiet = true;
      else if (flag !== '4') throw new ScriptError(`busybox ping: unsupported option -${flag} (supported: ${SUPPORTED})`, ctx.pos);
    }
  }
  if (!o.target) {
    ctx.err(USAGE);
    throw new ToolExit(1);
  }
  // Without either, the applet pings until interrupted: a scenario would never end.
  if (o.count === 0 && o.deadline === undefined) throw new ScriptError('busybox ping: give -c CNT or -w SEC (without them ping runs until interrupted)', ctx.pos);
  return o;
}

export function busyboxPing(argv: string[], ctx: ToolContext): number {
  try {
    return run(argv, ctx);
  } catch (e) {
    if (e instanceof ToolExit) return e.code;
    throw e;
  } finally {
    ctx.kernel.flush();
  }
}

/** `%u.%03u` of a time in µs. */
function ms(us: number): string {
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

function run(argv: string[], ctx: ToolContext): number {
  const kernel = ctx.kernel;
  const o = parse(argv, ctx);
  const ns: Netns = kernel.requireNetns(ctx.netns);
  const res = resolveName(kernel, ns, o.target);
  if (!res.ok) {
    ctx.err(`ping: bad address '${o.target}'\n`);
    return 1;
  }
  const dst = res.addrs[0];
  if (o.iface !== undefined && !ns.dev(o.iface)) {
    ctx.err(`ping: can't bind to interface ${o.iface}: No such device\n`);
    return 1;
  }
  if (o.source !== undefined && !ns.isLocalAddress(o.source)) {
    ctx.err(`ping: bind: Cannot assign requested address\n`);
    return 1;
  }
  ctx.out(`PING ${o.target} (${formatIpv4(dst)})${o.source !== undefined ? ` from ${formatIpv4(o.source)}` : ''}: ${o.size} data bytes\n`);

  // One socket, one identifier for the whole run (getpid() & 0xffff).
  const ident = kernel.prng.u32() & 0xffff;
  let ipId = kernel.prng.u32() & 0xffff;
  const timed = o.size >= 4; // the payload starts with the send time when it has room for it
  const sentAt: number[] = [];
  const seen: boolean[] = [];
  let transmitted = 0;
  let received = 0;
  let repeats = 0;
  let tmin = Infinity;
  let tmax = 0;
  let tsum = 0;
  const start = kernel.now;
  const deadlineT = o.deadline !== undefined ? start + o.deadline * 1e9 : Infinity;

  ns.sockets.ping.set(ident, {
    id: ident,
    onReply(skb: Skb) {
      const seq = skb.icmp!.seq!;
      const t0 = sentAt[seq];
      if (t0 === undefined) return;
      const us = Math.floor((kernel.now - t0) / 1000);
      if (timed) {
        tsum += us;
        tmin = Math.min(tmin, us);
        tmax = Math.max(tmax, us);
      }
      const dup = seen[seq] === true;
      if (dup) repeats++;
      else {
        seen[seq] = true;
        received++;
      }
      if (o.quiet) return;
      ctx.out(`${skb.payloadLen + 8} bytes from ${formatIpv4(skb.ip.saddr)}: seq=${seq} ttl=${skb.ip.ttl}${timed ? ` time=${ms(us)} ms` : ''}${dup ? ' (DUP!)' : ''}\n`);
    },
    onError() {
      // The applet reads only echo replies; errors are dropped without a word.
    },
  });

  const enough = () => o.count > 0 && received >= o.count;
  let failed: string | undefined;
  try {
    for (let seq = 0; ; seq++) {
      // sendping_tail: the deadline is looked at when a probe is due, before it is counted.
      if (kernel.now >= deadlineT) break;
      const rt = routeOutput(ns, dst, { oif: o.iface, saddr: o.source });
      if (!rt.ok) {
        failed = strerror(rt.errno);
        break;
      }
      sentAt[seq & 0xffff] = kernel.now;
      transmitted++;
      const skb = newPacket(
        kernel,
        ns,
        { saddr: o.source ?? rt.saddr, daddr: dst, protocol: IPPROTO.ICMP, df: true, ttl: o.ttl, id: ipId++ & 0xffff, icmp: { type: 8, code: 0, id: ident, seq: seq & 0xffff }, payloadLen: o.size },
        'socket',
      );
      ipLocalOut(kernel, ns, skb, o.iface);
      if (o.count > 0 && transmitted >= o.count) {
        // All sent: wait -W seconds if nothing answered yet, else about two round trips (≥ 1 s).
        const expire = received ? Math.max(1, Math.floor(tmax / (512 * 1024))) : o.timeout;
        kernel.runUntil(enough, kernel.now + expire * 1e9);
        break;
      }
      if (kernel.runUntil(enough, kernel.now + Math.round(o.interval * 1e9))) break;
    }
  } finally {
    ns.sockets.ping.delete(ident);
  }
  if (failed !== undefined) {
    ctx.err(`ping: sendto: ${failed}\n`);
    return 1;
  }
  const loss = transmitted ? Math.floor(((transmitted - received) * 100) / transmitted) : 0;
  ctx.out(`\n--- ${o.target} ping statistics ---\n${transmitted} packets transmitted, ${received} packets received, ${repeats ? `${repeats} duplicates, ` : ''}${loss}% packet loss\n`);
  if (tmin !== Infinity) {
    const avg = Math.floor(tsum / (received + repeats));
    ctx.out(`round-trip min/avg/max = ${ms(tmin)}/${ms(avg)}/${ms(tmax)} ms\n`);
  }
  return received === 0 || (o.deadline !== undefined && received < o.count) ? 1 : 0;
}


