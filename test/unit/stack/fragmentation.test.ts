// IPv4 fragmentation, reassembly and path MTU as the kernel does them. The capture below ran on
// the oracle machine (kernel 6.18, tcpdump 4.99): fixtures/tcpdump-frag.sh gave
// fixtures/tcpdump-frag.kernel.txt (a 3028-byte ping refragmented by a router towards MTU 1400, a
// DF ping answered with frag-needed, the next ping fragmented by the sender itself);
// fixtures/udp-frag.sh likewise (nc -u with 3.9 kB and 1.1 kB of data). The counters
// of the same traffic are in the differential scenarios 058-060.
// Regenerate: bash test/kernel/lib/run-in-netns.sh test/unit/stack/fixtures/NAME.sh > test/unit/stack/fixtures/NAME.kernel.txt
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';
import { Kernel } from '../../../src/kernel/index.ts';
import { newPacket } from '../../../src/kernel/packet.ts';
import { fragmentLengths, ipDefrag, ipFragment } from '../../../src/kernel/frag.ts';
import type { Skb } from '../../../src/kernel/skb.ts';

const here = new URL('./fixtures/', import.meta.url);
const normalise = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !/^# (Generated|Completed) /.test(l))
    .map((l) =>
      l
        .replace(/^\d\d:\d\d:\d\d\.\d{6} /, 'TIME ')
        .replace(/\bid \d+,/g, 'id ID,')
        .replace(/(172\.17\.0\.2)\.\d{5} >/, '$1.PORT >'),
    )
    .join('\n');

test.each([
  ['tcpdump-frag', 'tcpdump shows fragments as on the kernel (first: transport header; later: ip-proto-N / icmp; -v: offset and flags [+])'],
  ['udp-frag', 'a UDP datagram over the MTU leaves in fragments without DF (first: the whole UDP length), counted per fragment when forwarded, whole at both ends'],
])('%s: %s', (name) => {
  const session = createSession({ file: `${name}.sh` });
  const run = session.run(readFileSync(new URL(`${name}.sh`, here), 'utf8'));
  expect(run.exitCode).toBe(0);
  expect(normalise(run.output)).toBe(normalise(readFileSync(new URL(`${name}.kernel.txt`, here), 'utf8')));
});

function echo(k: Kernel, payloadLen: number): Skb {
  const ns = k.addNetns(`n${k.newSkbId()}`);
  return newPacket(k, ns, { saddr: 0x0a000001, daddr: 0x0a000002, protocol: 1, id: 7, icmp: { type: 8, code: 0, id: 1, seq: 1 }, payloadLen }, 'socket');
}

describe('ip_do_fragment sizes (IP total lengths)', () => {
  test.each([
    ['3028 bytes, MTU 1500', 3000, 1500, [1500, 1500, 68]],
    ['1478 bytes, MTU 1400 (data per fragment rounded down to 8)', 1450, 1400, [1396, 102]],
    ['5028 bytes, MTU 1400', 5000, 1400, [1396, 1396, 1396, 900]],
    ['exactly the MTU: one piece', 1472, 1500, [1500]],
    ['MTU 576', 1000, 576, [572, 476]],
  ])('%s', (_what, payload, mtu, lens) => {
    const k = new Kernel();
    expect(fragmentLengths(echo(k, payload), mtu)).toEqual(lens);
  });
});

describe('reassembly gives back the datagram; output cuts it again as it came', () => {
  test.each([
    ['in order', [0, 1, 2]],
    ['last first', [2, 0, 1]],
    ['reversed', [2, 1, 0]],
  ])('%s', (_what, order) => {
    const k = new Kernel();
    const skb = echo(k, 3000);
    const ns = k.addNetns('r');
    const frags = ipFragment(k, ns, skb, 1500);
    expect(frags.map((f) => [f.len, f.ip.fragOff, f.ip.mf ?? false, f.icmp?.type])).toEqual([
      [1500, 0, true, 8],
      [1500, 1480, true, undefined],
      [68, 2960, false, undefined],
    ]);
    let whole: Skb | undefined;
    for (const i of order) whole = ipDefrag(k, ns, frags[i]!, 'local') ?? whole;
    expect(whole).toMatchObject({ len: 3028, payloadLen: 3000, icmp: { type: 8, seq: 1 }, fragMaxSize: 1500, fragSizes: [1500, 1500, 68] });
    expect(whole!.ip.fragOff).toBeUndefined();
    // frag_max_size keeps the original geometry even towards a larger MTU
    expect(fragmentLengths(whole!, 9000)).toEqual([1500, 1500, 68]);
    // and a smaller MTU cuts by it
    expect(fragmentLengths(whole!, 1400)).toEqual([1396, 1396, 276]);
  });
});

// LOG of fragments, from nf_log_dump_ipv4 (net/netfilter/nf_log_syslog.c): `MF ` and `FRAG:N ` (the
// offset in 8-byte units) after ID/DF, and for a later fragment only `PROTO=NAME `. (Not captured on
// the kernel: a namespace's LOG lines reach dmesg only with the machine-wide nf_log_all_netns.)
describe('LOG prints fragments as nf_log_dump_ipv4 does', () => {
  const topology = readFileSync(new URL('tcpdump-frag.sh', here), 'utf8').split('\n').filter((l) => /^(ip |sysctl)/.test(l) && !/mtu/.test(l)).join('\n');
  const session = createSession({ file: 'log-frag.sh' });
  const run = session.run(`${topology}\niptables -A FORWARD -p icmp -o up0 -j LOG --log-prefix "F: "\nip netns exec c1 ping -c 1 -s 3000 10.0.0.2\ndmesg\n`);
  const lines = run.output.split('\n').filter((l) => l.includes('F: ')).map((l) => l.replace(/^.*? ID=\d+ /, 'ID ').replace(/ ID=\d+ SEQ/, ' ID=X SEQ'));
  test.each([
    ['first fragment: MF, then the ICMP header', 0, 'ID MF PROTO=ICMP TYPE=8 CODE=0 ID=X SEQ=1 '],
    ['middle fragment: MF FRAG:185 (1480 / 8), protocol only', 1, 'ID MF FRAG:185 PROTO=ICMP '],
    ['last fragment: FRAG:370, no MF', 2, 'ID FRAG:370 PROTO=ICMP '],
  ])('%s', (_what, i, line) => {
    expect(lines).toHaveLength(3);
    expect(lines[i]).toBe(line);
  });
});
