import { describe, expect, test } from 'vitest';
import { nfHookIpv4 } from '../../../src/kernel/netfilter/index.ts';
import { CT_STATE_BITS } from '../../../src/kernel/netfilter/types.ts';
import { formatEntry } from '../../../src/userland/conntrack.ts';
import type { Skb } from '../../../src/kernel/skb.ts';
import { counters, forward, icmpEcho, ip, load, rule, table, tcp, udp, world } from '../netfilter/helpers.ts';

const SEC = 1e9;
const masq = () => rule({ name: 'MASQUERADE', info: { random: false, fullyRandom: false } }, { src: ip('10.0.1.0'), smsk: ip('255.255.255.0'), outiface: 'rb' });
const estab = () => rule({ name: 'ACCEPT' }, {}, [{ name: 'conntrack', info: { state: { mask: CT_STATE_BITS.RELATED | CT_STATE_BITS.ESTABLISHED, invert: false } } }]);

function router() {
  const w = world();
  const filter = table('filter', { FORWARD: [estab(), rule({ name: 'ACCEPT' }, { iniface: 'ra' })] }, { FORWARD: 'DROP' });
  const nat = table('nat', { POSTROUTING: [masq()] });
  load(w, filter, nat);
  return { w, filter, nat };
}

function reply(w: ReturnType<typeof world>, skb: Skb): string {
  return forward(w, skb, 'rb', 'ra');
}

describe('conntrack entries as conntrack -L prints them (lines captured from conntrack v1.4.7, kernel 6.18)', () => {
  test('nc -z through MASQUERADE: TIME_WAIT, ASSURED', () => {
    const { w } = router();
    const c = (f: Parameters<typeof tcp>[4]) => tcp('10.0.1.2', 43722, '10.0.2.2', 80, f);
    const s = (f: Parameters<typeof tcp>[4]) => tcp('10.0.2.2', 80, '10.0.2.1', 43722, f);
    expect(forward(w, c({ syn: true }), 'ra', 'rb')).toBe('ACCEPT');
    expect(reply(w, s({ syn: true, ack: true }))).toBe('ACCEPT');
    expect(forward(w, c({ ack: true }), 'ra', 'rb')).toBe('ACCEPT');
    expect(forward(w, c({ fin: true, ack: true }), 'ra', 'rb')).toBe('ACCEPT');
    expect(reply(w, s({ fin: true, ack: true }))).toBe('ACCEPT');
    expect(forward(w, c({ ack: true }), 'ra', 'rb')).toBe('ACCEPT');
    w.kernel.now += 1.5 * SEC;
    const [e] = w.ns.nf.conntrack.list(w.kernel.now);
    expect(formatEntry(e, w.kernel.now)).toBe('tcp      6 118 TIME_WAIT src=10.0.1.2 dst=10.0.2.2 sport=43722 dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=43722 [ASSURED] mark=0 use=1');
  });

  test('connection refused (RST as the only reply): the entry is deleted at once', () => {
    const { w } = router();
    forward(w, tcp('10.0.1.2', 40000, '10.0.2.2', 81, { syn: true }), 'ra', 'rb');
    reply(w, tcp('10.0.2.2', 81, '10.0.2.1', 40000, { rst: true, ack: true }, 40));
    expect(w.ns.nf.conntrack.list(w.kernel.now)).toHaveLength(0);
  });

  test('unreplied UDP and answered ping', () => {
    const { w } = router();
    forward(w, udp('10.0.1.2', 35979, '10.0.2.2', 53), 'ra', 'rb');
    forward(w, icmpEcho('10.0.1.2', '10.0.2.2', 8, 457), 'ra', 'rb');
    reply(w, icmpEcho('10.0.2.2', '10.0.2.1', 0, 457));
    w.kernel.now += 1.5 * SEC;
    expect(w.ns.nf.conntrack.list(w.kernel.now).map((e) => formatEntry(e, w.kernel.now))).toEqual([
      'udp      17 28 src=10.0.1.2 dst=10.0.2.2 sport=35979 dport=53 [UNREPLIED] src=10.0.2.2 dst=10.0.2.1 sport=53 dport=35979 mark=0 use=1',
      'icmp     1 28 src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=457 src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=457 mark=0 use=1',
    ]);
    w.kernel.now += 29 * SEC;
    expect(w.ns.nf.conntrack.list(w.kernel.now)).toHaveLength(0);
  });

  test('UDP stream: a packet more than 2 s after creation, after a reply, gives 120 s and ASSURED', () => {
    const { w } = router();
    forward(w, udp('10.0.1.2', 5000, '10.0.2.2', 53), 'ra', 'rb');
    reply(w, udp('10.0.2.2', 53, '10.0.2.1', 5000));
    w.kernel.now += 3 * SEC;
    forward(w, udp('10.0.1.2', 5000, '10.0.2.2', 53), 'ra', 'rb');
    const [e] = w.ns.nf.conntrack.list(w.kernel.now);
    expect(formatEntry(e, w.kernel.now)).toMatch(/^udp {6}17 119 .* \[ASSURED\] mark=0 use=1$/);
  });

  test('a first packet dropped before confirmation leaves no entry; the next one is NEW again', () => {
    const w = world();
    const filter = table('filter', { FORWARD: [rule({ name: 'DROP' }, { proto: 1 }, [{ name: 'limit', info: { avg: 1, unit: 'hour', burst: 1 } }]), rule({ name: 'ACCEPT' }, {}, [{ name: 'state', info: { mask: CT_STATE_BITS.NEW, invert: false } }])] });
    const nat = table('nat', { POSTROUTING: [masq()] });
    load(w, filter, nat);
    expect(forward(w, icmpEcho('10.0.1.2', '10.0.2.2', 8, 9, 1), 'ra', 'rb')).toBe('DROP@FORWARD');
    expect(w.ns.nf.conntrack.list(w.kernel.now)).toHaveLength(0);
    expect(forward(w, icmpEcho('10.0.1.2', '10.0.2.2', 8, 9, 2), 'ra', 'rb')).toBe('ACCEPT');
    expect(counters(filter, 'FORWARD')).toBe('policy 0:0 1:84 1:84');
    // the nat table saw both first packets (the dropped one's binding died with its entry)
    expect(counters(nat, 'POSTROUTING')).toBe('policy 0:0 1:84');
    expect(w.ns.nf.conntrack.list(w.kernel.now)).toHaveLength(1);
  });

  test('later unreplied packets are NEW but skip the nat table', () => {
    const { w, nat } = router();
    for (let i = 1; i <= 3; i++) forward(w, icmpEcho('10.0.1.2', '10.0.2.2', 8, 5, i), 'ra', 'rb');
    expect(counters(nat, 'POSTROUTING')).toBe('policy 0:0 1:84');
    const skipped = w.kernel.events.filter((e) => e.type === 'table' && e.table === 'nat' && e.hook === 'POSTROUTING' && e.skipped);
    expect(skipped).toHaveLength(2);
  });

  test('an ICMP error is RELATED and its inner header is rewritten back', () => {
    const { w } = router();
    const out = udp('10.0.1.2', 7000, '10.0.2.2', 9);
    forward(w, out, 'ra', 'rb');
    const err: Skb = {
      id: 99, len: 56, payloadLen: 28, mark: 0,
      ip: { saddr: ip('10.0.2.2'), daddr: ip('10.0.2.1'), protocol: 1, ttl: 64, tos: 0xc0, id: 5, df: false, ihl: 20 },
      icmp: { type: 3, code: 3, inner: { ip: { ...out.ip }, len: out.len, sport: 7000, dport: 9 } },
    };
    expect(reply(w, err)).toBe('ACCEPT');
    expect(err.ct?.info).toBe('RELATED_REPLY');
    expect(err.ip.daddr).toBe(ip('10.0.1.2'));
    expect(err.icmp!.inner!.ip.saddr).toBe(ip('10.0.1.2'));
  });

  test('SNAT port clash: the second flow from another host gets a different, deterministic port', () => {
    const { w } = router();
    forward(w, udp('10.0.1.2', 5000, '10.0.2.2', 53), 'ra', 'rb');
    const second = udp('10.0.1.3', 5000, '10.0.2.2', 53);
    forward(w, second, 'ra', 'rb');
    expect(second.ip.saddr).toBe(ip('10.0.2.1'));
    expect(second.udp!.sport).not.toBe(5000);
    expect(second.udp!.sport).toBeGreaterThanOrEqual(1024);
  });

  test('NOTRACK in raw: untracked, the nat table is not consulted', () => {
    const w = world();
    load(w, table('raw', { PREROUTING: [rule({ name: 'CT', info: { notrack: true } })] }), table('nat', { POSTROUTING: [masq()] }), table('filter', { FORWARD: [rule({ name: 'ACCEPT' }, {}, [{ name: 'state', info: { mask: CT_STATE_BITS.UNTRACKED, invert: false } }])] }, { FORWARD: 'DROP' }));
    const p = icmpEcho('10.0.1.2', '10.0.2.2');
    expect(forward(w, p, 'ra', 'rb')).toBe('ACCEPT');
    expect(p.ip.saddr).toBe(ip('10.0.1.2'));
    expect(w.ns.nf.conntrack.list(0)).toHaveLength(0);
  });

  test('REJECT tcp-reset walks OUTPUT/POSTROUTING; the rejected SYN leaves no entry', () => {
    const w = world();
    const filter = table('filter', { FORWARD: [rule({ name: 'REJECT', info: { with: 'tcp-reset' } }, { proto: 6 })], OUTPUT: [rule({ name: 'ACCEPT' }, { proto: 6 })] });
    load(w, filter, table('nat', { POSTROUTING: [masq()] }));
    expect(forward(w, tcp('10.0.1.2', 1234, '10.0.2.2', 80, { syn: true }), 'ra', 'rb')).toBe('DROP@FORWARD');
    expect(w.kernel.sent).toHaveLength(1);
    const rst = w.kernel.sent[0];
    expect([rst.len, rst.tcp!.flags.rst, rst.tcp!.flags.ack, rst.tcp!.ackSeq, rst.ip.saddr]).toEqual([40, true, true, 101, ip('10.0.2.2')]);
    expect(counters(filter, 'OUTPUT')).toBe('policy 0:0 1:40');
    expect(w.ns.nf.conntrack.list(0)).toHaveLength(0);
  });
});

describe('hook order', () => {
  test('raw, conntrack, mangle, nat, filter in PREROUTING/FORWARD/POSTROUTING', () => {
    const w = world();
    const A = { name: 'ACCEPT' as const };
    load(w, table('raw', { PREROUTING: [rule(A)] }), table('mangle', { PREROUTING: [rule(A)], FORWARD: [rule(A)], POSTROUTING: [rule(A)] }), table('nat', { PREROUTING: [], POSTROUTING: [masq()] }), table('filter', { FORWARD: [estab(), rule(A)] }));
    forward(w, icmpEcho('10.0.1.2', '10.0.2.2'), 'ra', 'rb');
    const seq = w.kernel.events.filter((e) => e.type === 'table' || e.type === 'ct' || e.type === 'nat').map((e) => (e.type === 'table' ? `${e.hook}:${e.table}` : e.type === 'ct' ? `ct:${e.action}` : `nat:${e.manip}`));
    expect(seq).toEqual(['PREROUTING:raw', 'ct:new', 'PREROUTING:mangle', 'PREROUTING:nat', 'FORWARD:mangle', 'FORWARD:filter', 'POSTROUTING:mangle', 'POSTROUTING:nat', 'nat:SRC', 'ct:confirm']);
    void nfHookIpv4;
  });
});

describe('address ranges: find_best_ips_proto hashes source and destination (values captured from kernel 6.18)', () => {
  test.each([
    ['10.0.2.3', '10.0.2.108'], ['10.0.2.4', '10.0.2.119'], ['10.0.2.5', '10.0.2.161'],
    ['10.0.2.6', '10.0.2.177'], ['10.0.2.7', '10.0.2.107'], ['10.0.2.8', '10.0.2.104'],
  ])('SNAT --to-source 10.0.2.100-10.0.2.200, ping 10.0.1.2 -> %s uses %s', (dst, chosen) => {
    const w = world();
    load(w, table('nat', { POSTROUTING: [rule({ name: 'SNAT', info: { from: ip('10.0.2.100'), to: ip('10.0.2.200'), random: false, persistent: false } }, { outiface: 'rb' })] }));
    const p = icmpEcho('10.0.1.2', dst);
    forward(w, p, 'ra', 'rb');
    expect(p.ip.saddr).toBe(ip(chosen));
  });

  test.each([
    ['10.0.9.1', '10.0.2.70', '10.0.2.138'], ['10.0.9.2', '10.0.2.10', '10.0.2.158'], ['10.0.9.3', '10.0.2.60', '10.0.2.153'],
  ])('DNAT --to-destination 10.0.2.10-10.0.2.90 then SNAT: %s -> %s from %s', (dst, dnat, snat) => {
    const w = world();
    load(w, table('nat', {
      PREROUTING: [rule({ name: 'DNAT', info: { from: ip('10.0.2.10'), to: ip('10.0.2.90'), random: false, persistent: false } }, { dst: ip('10.0.9.0'), dmsk: ip('255.255.255.0') })],
      POSTROUTING: [rule({ name: 'SNAT', info: { from: ip('10.0.2.100'), to: ip('10.0.2.200'), random: false, persistent: false } }, { outiface: 'rb' })],
    }));
    const p = icmpEcho('10.0.1.2', dst);
    forward(w, p, 'ra', 'rb');
    expect([p.ip.daddr, p.ip.saddr]).toEqual([ip(dnat), ip(snat)]);
  });
});
