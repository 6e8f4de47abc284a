// Addresses, routes and devices as the kernel keeps them (measured on the oracle with
// `ip route show table local|main`, `ip link`, `sysctl` in a fresh namespace).
import { describe, expect, test } from 'vitest';
import { Kernel, RT_TABLE } from '../../../src/kernel/index.ts';
import { formatIpv4 } from '../../../src/kernel/addr.ts';
import type { Netns } from '../../../src/kernel/netns.ts';

function table(ns: Netns, id: number): string[] {
  return ns.listRoutes(id).map((r) => `${r.type} ${formatIpv4(r.dst)}/${r.prefix} dev ${r.dev} ${r.proto} ${r.scope}${r.prefsrc !== undefined ? ` src ${formatIpv4(r.prefsrc)}` : ''}${r.gateway !== undefined ? ` via ${formatIpv4(r.gateway)}` : ''}`);
}

function world() {
  const k = new Kernel();
  const ns = k.addNetns('x');
  k.setLinkUp(ns.dev('lo')!);
  const [v0, v1] = k.addVeth(ns, 'v0', 'v1');
  ns.addAddress(v0, 0x0a000001, 24);
  return { k, ns, v0, v1 };
}

describe('FIB like Linux', () => {
  test.each([
    [
      'address on a down device: only the local entry',
      () => world().ns,
      RT_TABLE.local,
      ['local 10.0.0.1/32 dev v0 kernel host src 10.0.0.1', 'local 127.0.0.0/8 dev lo kernel host src 127.0.0.1', 'local 127.0.0.1/32 dev lo kernel host src 127.0.0.1', 'broadcast 127.255.255.255/32 dev lo kernel link src 127.0.0.1'],
    ],
    [
      'device up: broadcast entry',
      () => {
        const w = world();
        w.k.setLinkUp(w.v0);
        return w.ns;
      },
      RT_TABLE.local,
      ['local 10.0.0.1/32 dev v0 kernel host src 10.0.0.1', 'broadcast 10.0.0.255/32 dev v0 kernel link src 10.0.0.1', 'local 127.0.0.0/8 dev lo kernel host src 127.0.0.1', 'local 127.0.0.1/32 dev lo kernel host src 127.0.0.1', 'broadcast 127.255.255.255/32 dev lo kernel link src 127.0.0.1'],
    ],
    [
      'device up: connected route in main',
      () => {
        const w = world();
        w.k.setLinkUp(w.v0);
        return w.ns;
      },
      RT_TABLE.main,
      ['unicast 10.0.0.0/24 dev v0 kernel link src 10.0.0.1'],
    ],
    [
      'device down again: the local entry stays, the rest goes',
      () => {
        const w = world();
        w.k.setLinkUp(w.v0);
        w.k.setLinkDown(w.v0);
        return w.ns;
      },
      RT_TABLE.local,
      ['local 10.0.0.1/32 dev v0 kernel host src 10.0.0.1', 'local 127.0.0.0/8 dev lo kernel host src 127.0.0.1', 'local 127.0.0.1/32 dev lo kernel host src 127.0.0.1', 'broadcast 127.255.255.255/32 dev lo kernel link src 127.0.0.1'],
    ],
    [
      'default route via a connected gateway',
      () => {
        const w = world();
        w.k.setLinkUp(w.v0);
        expect(w.ns.addRoute({ dst: 0, prefix: 0, via: 0x0a0000fe })).toBeUndefined();
        return w.ns;
      },
      RT_TABLE.main,
      ['unicast 0.0.0.0/0 dev v0 boot global via 10.0.0.254', 'unicast 10.0.0.0/24 dev v0 kernel link src 10.0.0.1'],
    ],
  ])('%s', (_name, build, id, expected) => {
    expect(table(build(), id)).toEqual(expected);
  });

  test.each([
    ['gateway not on a connected route', { dst: 0, prefix: 0, via: 0x0b000001 }, 'RTNETLINK answers: Network is unreachable'],
    ['duplicate route', { dst: 0x0a000000, prefix: 24, dev: 'v0' }, 'RTNETLINK answers: File exists'],
    ['unknown device', { dst: 0x0b000000, prefix: 24, dev: 'nope' }, 'Cannot find device "nope"'],
  ])('ip route add errors: %s', (_name, spec, message) => {
    const w = world();
    w.k.setLinkUp(w.v0);
    expect(w.ns.addRoute(spec)).toBe(message);
  });

  test('addrType as -m addrtype sees it', () => {
    const w = world();
    w.k.setLinkUp(w.v0);
    const f = w.ns.fib;
    expect([f.addrType(0x0a000001), f.addrType(0x0a0000ff), f.addrType(0x0a000002), f.addrType(0xe0000001), f.addrType(0xffffffff), f.addrType(0x7f000001), f.addrType(0x0a000001, 'lo')]).toEqual([
      'LOCAL', 'BROADCAST', 'UNICAST', 'MULTICAST', 'BROADCAST', 'LOCAL', 'UNICAST',
    ]);
  });

  test('a veth pair in one namespace: the peer is registered first (lower ifindex)', () => {
    const w = world();
    expect([w.ns.dev('lo')!.ifindex, w.v1.ifindex, w.v0.ifindex]).toEqual([1, 2, 3]);
  });

  test('sysctl defaults of a new namespace (as read on the oracle)', () => {
    const w = world();
    expect(['net.ipv4.ip_forward', 'net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.default.rp_filter', 'net.ipv4.conf.v0.rp_filter', 'net.bridge.bridge-nf-call-iptables', 'net.ipv4.ip_local_port_range', 'net.ipv4.conf.default.forwarding'].map((k) => w.ns.sysctl.get(k))).toEqual([
      '0', '0', '0', '0', '1', '32768\t60999', '0',
    ]);
  });

  test('ip_forward=1 turns forwarding on for every device and default', () => {
    const w = world();
    w.ns.setSysctl('net.ipv4.ip_forward', '1');
    expect([w.ns.devConf('v0', 'forwarding'), w.ns.sysctl.get('net.ipv4.conf.default.forwarding'), w.ns.sysctl.get('net.ipv4.conf.all.forwarding')]).toEqual([1, '1', '1']);
  });
});
