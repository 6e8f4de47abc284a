import { describe, expect, test } from 'vitest';
import type { Skb } from '../../../src/kernel/skb.ts';
import { forward, icmpEcho, load, rule, table, tcp, udp, world } from './helpers.ts';

// Lines captured from dmesg on kernel 6.18 (nf_log_syslog), LOG rules in netns, nf_log_all_netns=1.
const MAC_IN = 'd2:f9:44:99:eb:6c:72:69:ae:31:f4:19';

function logged(skb: Skb, indev: string | undefined, outdev: string | undefined, prefix: string, tcpSeq = false, ns = ''): string[] {
  const w = world({ name: ns });
  load(w, table('filter', { FORWARD: [rule({ name: 'LOG', info: { prefix, level: 4, flags: { tcpSeq, tcpOpt: false, ipOpt: false, uid: false, macDecode: false } } })] }));
  if (indev) skb.eth = { dst: MAC_IN.slice(0, 17), src: MAC_IN.slice(18), proto: 0x0800 };
  forward(w, skb, indev ?? 'ra', outdev ?? 'rb');
  return w.kernel.logs;
}

describe('LOG lines (nf_log_syslog layout)', () => {
  test.each([
    [
      'forwarded echo request',
      () => ({ ...icmpEcho('10.0.1.2', '10.0.2.2', 8, 18349, 1), ip: { saddr: 0x0a000102, daddr: 0x0a000202, protocol: 1, ttl: 63, tos: 0, id: 62176, df: true, ihl: 20 } }),
      'PWX-FWD IN=ra OUT=rb MAC=d2:f9:44:99:eb:6c:72:69:ae:31:f4:19:08:00 SRC=10.0.1.2 DST=10.0.2.2 LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID=62176 DF PROTO=ICMP TYPE=8 CODE=0 ID=18349 SEQ=1 ',
    ],
    [
      'forwarded SYN',
      () => {
        const s = tcp('10.0.1.2', 53870, '10.0.2.2', 80, { syn: true });
        s.ip.ttl = 63;
        s.ip.id = 26625;
        return s;
      },
      'PWX-FWD IN=ra OUT=rb MAC=d2:f9:44:99:eb:6c:72:69:ae:31:f4:19:08:00 SRC=10.0.1.2 DST=10.0.2.2 LEN=60 TOS=0x00 PREC=0x00 TTL=63 ID=26625 DF PROTO=TCP SPT=53870 DPT=80 WINDOW=64240 RES=0x00 SYN URGP=0 ',
    ],
    [
      'forwarded UDP',
      () => {
        const s = udp('10.0.1.2', 45335, '10.0.2.2', 9, 3);
        s.ip.ttl = 63;
        s.ip.id = 59898;
        return s;
      },
      'PWX-FWD IN=ra OUT=rb MAC=d2:f9:44:99:eb:6c:72:69:ae:31:f4:19:08:00 SRC=10.0.1.2 DST=10.0.2.2 LEN=31 TOS=0x00 PREC=0x00 TTL=63 ID=59898 DF PROTO=UDP SPT=45335 DPT=9 LEN=11 ',
    ],
    [
      'ICMP port unreachable with the quoted packet',
      (): Skb => ({
        id: 7, len: 59, payloadLen: 31, mark: 0,
        ip: { saddr: 0x0a000101, daddr: 0x0a000102, protocol: 1, ttl: 64, tos: 0xc0, id: 35285, df: false, ihl: 20 },
        icmp: { type: 3, code: 3, inner: { ip: { saddr: 0x0a000102, daddr: 0x0a000202, protocol: 17, ttl: 63, tos: 0, id: 59898, df: true, ihl: 20 }, len: 31, sport: 45335, dport: 9 } },
      }),
      'PWX-FWD IN=ra OUT=rb MAC=d2:f9:44:99:eb:6c:72:69:ae:31:f4:19:08:00 SRC=10.0.1.1 DST=10.0.1.2 LEN=59 TOS=0x00 PREC=0xC0 TTL=64 ID=35285 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.1.2 DST=10.0.2.2 LEN=31 TOS=0x00 PREC=0x00 TTL=63 ID=59898 DF PROTO=UDP SPT=45335 DPT=9 LEN=11 ] ',
    ],
  ])('%s', (_n, mk, line) => {
    expect(logged(mk() as Skb, 'ra', 'rb', 'PWX-FWD ')).toEqual([line]);
  });

  test('--log-tcp-sequence adds SEQ= ACK=', () => {
    const s = tcp('10.0.1.2', 53870, '10.0.2.2', 80, { ack: true }, 52);
    s.tcp!.seq = 1867306957;
    s.tcp!.ackSeq = 3010948797;
    s.tcp!.window = 63;
    expect(logged(s, 'ra', 'rb', 'P ', true)[0]).toContain('DPT=80 SEQ=1867306957 ACK=3010948797 WINDOW=63 RES=0x00 ACK URGP=0 ');
  });

  test('a non-initial namespace logs nothing unless nf_log_all_netns=1 in the initial one', () => {
    expect(logged(icmpEcho('10.0.1.2', '10.0.2.2'), 'ra', 'rb', 'P ', false, 'r')).toEqual([]);
  });
});

describe('legacy TRACE lines', () => {
  test('TRACE in raw marks the packet: every later rule, return and policy is logged', async () => {
    const { nfHookIpv4 } = await import('../../../src/kernel/netfilter/index.ts');
    const w = world();
    const trace = { name: 'TRACE' as const };
    load(
      w,
      table('raw', { PREROUTING: [rule(trace, { proto: 6 })] }),
      table('filter', { X: [], FORWARD: [rule({ name: 'JUMP', chain: 'X', goto: false }), rule({ name: 'ACCEPT' }, { proto: 6 })] }),
    );
    const s = tcp('10.0.1.2', 53870, '10.0.2.2', 80, { syn: true });
    s.tcp!.options = ['mss 1460', 'sackOK', 'TS val 1 ecr 0', 'nop', 'wscale 7'];
    s.tcp!.seq = 5;
    nfHookIpv4(w.kernel, w.ns, 'PREROUTING', s, 'ra', undefined);
    nfHookIpv4(w.kernel, w.ns, 'FORWARD', s, 'ra', 'rb');
    expect(w.kernel.logs.map((l) => l.split(' IN=')[0])).toEqual(['TRACE: raw:PREROUTING:policy:2', 'TRACE: filter:FORWARD:rule:1', 'TRACE: filter:X:return:1', 'TRACE: filter:FORWARD:rule:2']);
    expect(w.kernel.logs[1]).toContain('SPT=53870 DPT=80 SEQ=5 ACK=0 WINDOW=64240 RES=0x00 SYN URGP=0 OPT (020405B40402080A000000010000000001030307) ');
  });
});

describe('legacy TRACE lines as captured from dmesg (kernel 6.18, ping 127.0.0.1)', () => {
  test('a socket packet in OUTPUT carries UID= GID=; the policy after the TRACE rule is traced', async () => {
    const { nfHookIpv4 } = await import('../../../src/kernel/netfilter/index.ts');
    const w = world();
    load(w, table('raw', { OUTPUT: [rule({ name: 'TRACE' }, { proto: 1 })] }), table('filter', { X: [], OUTPUT: [rule({ name: 'JUMP', chain: 'X', goto: false })] }));
    const s = icmpEcho('127.0.0.1', '127.0.0.1', 8, 19758, 1);
    s.ip.id = 14984;
    s.sk = { uid: 0, gid: 0 };
    nfHookIpv4(w.kernel, w.ns, 'OUTPUT', s, undefined, 'lo');
    const tail = 'IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=14984 DF PROTO=ICMP TYPE=8 CODE=0 ID=19758 SEQ=1 UID=0 GID=0 ';
    expect(w.kernel.logs).toEqual([
      `TRACE: raw:OUTPUT:policy:2 ${tail}`,
      `TRACE: filter:OUTPUT:rule:1 ${tail}`,
      `TRACE: filter:X:return:1 ${tail}`,
      `TRACE: filter:OUTPUT:policy:2 ${tail}`,
    ]);
  });
});

test('--log-macdecode', () => {
  const w = world();
  load(w, table('filter', { FORWARD: [rule({ name: 'LOG', info: { prefix: 'M ', level: 4, flags: { tcpSeq: false, tcpOpt: false, ipOpt: false, uid: false, macDecode: true } } })] }));
  const s = icmpEcho('10.0.1.2', '10.0.2.2');
  s.eth = { dst: 'd2:f9:44:99:eb:6c', src: '72:69:ae:31:f4:19', proto: 0x0800 };
  forward(w, s, 'ra', 'rb');
  expect(w.kernel.logs[0]).toContain('IN=ra OUT=rb MACSRC=72:69:ae:31:f4:19 MACDST=d2:f9:44:99:eb:6c MACPROTO=0800 SRC=10.0.1.2 ');
});
