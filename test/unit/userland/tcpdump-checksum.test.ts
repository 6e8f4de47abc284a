// tcpdump -v's TCP checksums: the values are the real tool's, read off captures on this machine
// (6.18, tcpdump 4.99; veth, lo). `stored` is what the checksum field held (the pseudo-header sum
// of an offloaded segment), `real` what tcpdump computed (`incorrect -> 0x…`, or `correct`).
import { describe, expect, test } from 'vitest';
import { parseIpv4 } from '../../../src/kernel/addr.ts';
import type { SkbSnapshot } from '../../../src/scenario/record.ts';
import { formatPacket, pseudoHeaderSum, tcpChecksum } from '../../../src/userland/tcpdump.ts';

interface Seg {
  src: string;
  dst: string;
  flags: string;
  seq: number;
  ack: number;
  win: number;
  options: string[];
  payload?: string;
}
const FLAG = { S: 'syn', F: 'fin', R: 'rst', P: 'psh', '.': 'ack' } as const;

function snap(s: Seg, id = 1): SkbSnapshot {
  const [saddr, sport] = s.src.split(':');
  const [daddr, dport] = s.dst.split(':');
  const doff = 20 + (s.options.length ? (s.options.join(',').includes('mss') ? 20 : 12) : 0);
  const payloadLen = s.payload === undefined ? 0 : new TextEncoder().encode(s.payload).length;
  const flags = { fin: false, syn: false, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false };
  for (const c of s.flags) flags[FLAG[c as keyof typeof FLAG]] = true;
  return {
    id, len: 20 + doff + payloadLen, payloadLen, payload: s.payload, mark: 0,
    ip: { saddr: parseIpv4(saddr!)!, daddr: parseIpv4(daddr!)!, protocol: 6, ttl: 64, tos: 0, id: 0, df: true, ihl: 20 },
    tcp: { sport: Number(sport), dport: Number(dport), seq: s.seq, ackSeq: s.ack, flags, window: s.win, doff, options: s.options },
  } as SkbSnapshot;
}

const SYN_OPTS = (val: number, ecr: number): string[] => ['mss 1460', 'sackOK', `TS val ${val} ecr ${ecr}`, 'nop', 'wscale 10'];
const TS = (val: number, ecr: number): string[] => ['nop', 'nop', `TS val ${val} ecr ${ecr}`];

const cases: Array<[string, Seg, number, number]> = [
  ['veth SYN', { src: '10.0.0.1:45336', dst: '10.0.0.2:8080', flags: 'S', seq: 1637890845, ack: 0, win: 64240, options: SYN_OPTS(3395411684, 0) }, 0x1431, 0x225d],
  ['veth SYN-ACK', { src: '10.0.0.2:8080', dst: '10.0.0.1:45336', flags: 'S.', seq: 1559506910, ack: 1637890846, win: 65160, options: SYN_OPTS(999879687, 3395411684) }, 0x1431, 0x6241],
  ['veth data "hello\\n"', { src: '10.0.0.1:45336', dst: '10.0.0.2:8080', flags: 'P.', seq: 1637890846, ack: 1559506911, win: 63, options: TS(3395411684, 999879687), payload: 'hello\n' }, 0x142f, 0x4b70],
  ['veth FIN', { src: '10.0.0.2:8080', dst: '10.0.0.1:45336', flags: 'F.', seq: 1559506911, ack: 1637890853, win: 64, options: TS(999880687, 3395412684) }, 0x1429, 0x8781],
  ['lo data "yo\\n"', { src: '127.0.0.1:44628', dst: '127.0.0.1:90', flags: 'P.', seq: 2572172195, ack: 138955187, win: 64, options: TS(563848226, 2309027179), payload: 'yo\n' }, 0xfe2b, 0xda98],
  ['kernel RST for a closed port', { src: '10.0.0.2:82', dst: '10.0.0.1:41554', flags: 'R.', seq: 0, ack: 1052592832, win: 0, options: [] }, 0x6fac, 0x6fac],
];

describe('tcpdump -v: TCP checksums equal the real tool\'s', () => {
  test.each(cases)('%s', (_name, seg, stored, real) => {
    const s = snap(seg);
    // The kernel's RST holds its real checksum; the others the pseudo-header sum.
    expect(seg.flags === 'R.' ? tcpChecksum(s) : pseudoHeaderSum(s)).toBe(stored);
    expect(tcpChecksum(s)).toBe(real);
  });

  const o = { numeric: true, ether: false, quiet: false, verbose: 1, noTime: true, absoluteSeq: true };
  test('an offloaded segment prints (incorrect -> real)', () => {
    const line = formatPacket(0, snap(cases[0]![1]), o, new Map(), () => 'socket');
    expect(line.split('\n')[1]).toBe('    10.0.0.1.45336 > 10.0.0.2.8080: Flags [S], cksum 0x1431 (incorrect -> 0x225d), seq 1637890845, win 64240, options [mss 1460,sackOK,TS val 3395411684 ecr 0,nop,wscale 10], length 0');
  });
  test('the kernel\'s own RST prints (correct)', () => {
    const line = formatPacket(0, snap(cases[5]![1]), o, new Map(), () => 'kernel-reply');
    expect(line.split('\n')[1]).toBe('    10.0.0.2.82 > 10.0.0.1.41554: Flags [R.], cksum 0x6fac (correct), seq 0, ack 1052592832, win 0, length 0');
  });
});
