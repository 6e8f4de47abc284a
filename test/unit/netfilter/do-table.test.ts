import { describe, expect, test } from 'vitest';
import { nfHookIpv4 } from '../../../src/kernel/netfilter/index.ts';
import { validateTable } from '../../../src/kernel/netfilter/ruleset.ts';
import { CT_STATE_BITS, type Rule, type Table } from '../../../src/kernel/netfilter/types.ts';
import { counters, forward, icmpEcho, ip, load, rule, table, world } from './helpers.ts';

const J = (chain: string) => ({ name: 'JUMP' as const, chain, goto: false });
const G = (chain: string) => ({ name: 'JUMP' as const, chain, goto: true });
const A = { name: 'ACCEPT' as const };
const D = { name: 'DROP' as const };
const R = { name: 'RETURN' as const };
const N = { name: 'NONE' as const };

interface Case {
  name: string;
  chains: Record<string, Rule[]>;
  policy?: 'ACCEPT' | 'DROP';
  verdict: string;
  /** counters per chain after one 84-byte packet */
  expect: Record<string, string>;
  trace: string[];
}

const cases: Case[] = [
  {
    name: 'falls off the built-in chain: policy counted',
    chains: { FORWARD: [rule(N, { proto: 6 }), rule(N)] },
    policy: 'DROP',
    verdict: 'DROP@FORWARD',
    expect: { FORWARD: 'policy 1:84 0:0 1:84' },
    trace: ['FORWARD:rule:2', 'FORWARD:policy:3'],
  },
  {
    name: 'jump, implicit return at the end of the user chain, then ACCEPT',
    chains: { X: [rule(N)], FORWARD: [rule(J('X')), rule(A)] },
    policy: 'DROP',
    verdict: 'ACCEPT',
    expect: { FORWARD: 'policy 0:0 1:84 1:84', X: '1:84' },
    trace: ['FORWARD:rule:1', 'X:rule:1', 'X:return:2', 'FORWARD:rule:2'],
  },
  {
    name: 'explicit RETURN in a user chain resumes after the jump',
    chains: { X: [rule(R), rule(D)], FORWARD: [rule(J('X'))] },
    verdict: 'ACCEPT',
    expect: { FORWARD: 'policy 1:84 1:84', X: '1:84 0:0' },
    trace: ['FORWARD:rule:1', 'X:rule:1', 'FORWARD:policy:2'],
  },
  {
    name: 'RETURN in a built-in chain takes the policy',
    chains: { FORWARD: [rule(R), rule(A)] },
    policy: 'DROP',
    verdict: 'DROP@FORWARD',
    expect: { FORWARD: 'policy 1:84 1:84 0:0' },
    trace: ['FORWARD:rule:1', 'FORWARD:policy:3'],
  },
  {
    name: 'goto: the end of the goto chain returns to the caller of the caller',
    chains: { Y: [rule(N)], X: [rule(G('Y')), rule(D)], FORWARD: [rule(J('X')), rule(A)] },
    policy: 'DROP',
    verdict: 'ACCEPT',
    expect: { FORWARD: 'policy 0:0 1:84 1:84', X: '1:84 0:0', Y: '1:84' },
    trace: ['FORWARD:rule:1', 'X:rule:1', 'Y:rule:1', 'Y:return:2', 'FORWARD:rule:2'],
  },
  {
    name: 'goto from a built-in chain: end of the goto chain is the policy',
    chains: { Y: [], FORWARD: [rule(G('Y')), rule(D)] },
    verdict: 'ACCEPT',
    expect: { FORWARD: 'policy 1:84 1:84 0:0', Y: '' },
    trace: ['FORWARD:rule:1', 'Y:return:1', 'FORWARD:policy:3'],
  },
  {
    name: 'negated source, interface wildcard',
    chains: { FORWARD: [rule(D, { src: ip('10.0.1.0'), smsk: ip('255.255.255.0'), invSrc: true }), rule(D, { iniface: 'r+', outiface: 'ra', invOut: true })] },
    verdict: 'DROP@FORWARD',
    expect: { FORWARD: 'policy 0:0 0:0 1:84' },
    trace: ['FORWARD:rule:2'],
  },
];

describe('ipt_do_table', () => {
  test.each(cases)('$name', (c) => {
    const w = world();
    const t = table('filter', c.chains, c.policy ? { FORWARD: c.policy } : {});
    load(w, t);
    expect(forward(w, icmpEcho('10.0.1.2', '10.0.2.2'), 'ra', 'rb')).toBe(c.verdict);
    for (const [chain, exp] of Object.entries(c.expect)) expect(counters(t, chain)).toBe(exp);
    const trace = w.kernel.events.filter((e) => e.type === 'rule').map((e) => (e.type === 'rule' ? `${e.chain}:${e.kind}:${e.ruleNum}` : ''));
    expect(trace).toEqual(c.trace);
  });

  test.each([
    ['loop', { X: [rule(J('Y'))], Y: [rule(J('X'))], FORWARD: [rule(J('X'))] }, 'Too many levels of symbolic links'],
    ['self loop', { X: [rule(G('X'))], FORWARD: [rule(J('X'))] }, 'Too many levels of symbolic links'],
    ['missing target', { FORWARD: [rule(J('NOPE'))] }, 'No chain/target/match by that name.'],
  ] as Array<[string, Record<string, Rule[]>, string]>)('validation refuses a %s', (_n, chains, msg) => {
    expect(validateTable(table('filter', chains))?.message).toBe(msg);
  });
});

function tables(w: ReturnType<typeof world>, backend: 'legacy' | 'nft'): Record<string, Table> {
  const mangle = table('mangle', { PREROUTING: [rule(A)] }, {}, backend);
  const filter = table('filter', { FORWARD: [rule(A, {}, [{ name: 'conntrack', info: { state: { mask: CT_STATE_BITS.RELATED | CT_STATE_BITS.ESTABLISHED, invert: false } } }]), rule(A, { iniface: 'ra' })] }, { FORWARD: 'DROP' }, backend);
  const nat = table('nat', { POSTROUTING: [rule({ name: 'MASQUERADE', info: { random: false, fullyRandom: false } }, { src: ip('10.0.1.0'), smsk: ip('255.255.255.0'), outiface: 'rb' })] }, {}, backend);
  load(w, mangle, filter, nat);
  return { mangle, filter, nat };
}

describe('a forwarded, masqueraded ping (3 requests, 3 replies), compared with the kernel', () => {
  // Measured with test/kernel/lib/run-in-netns.sh on kernel 6.18, iptables 1.8.9 (both backends).
  test.each([
    ['legacy', { mangle: { PREROUTING: 'policy 0:0 6:504', FORWARD: 'policy 6:504', POSTROUTING: 'policy 6:504' }, filter: { FORWARD: 'policy 0:0 5:420 1:84' }, nat: { PREROUTING: 'policy 1:84', POSTROUTING: 'policy 0:0 1:84' } }],
    ['nft', { mangle: { PREROUTING: 'policy 0:0 6:504', FORWARD: 'policy 0:0', POSTROUTING: 'policy 0:0' }, filter: { FORWARD: 'policy 0:0 5:420 1:84' }, nat: { PREROUTING: 'policy 0:0', POSTROUTING: 'policy 0:0 1:84' } }],
  ] as const)('%s', (backend, exp) => {
    const w = world();
    const t = tables(w, backend);
    for (let seq = 1; seq <= 3; seq++) {
      const req = icmpEcho('10.0.1.2', '10.0.2.2', 8, 77, seq);
      expect(forward(w, req, 'ra', 'rb')).toBe('ACCEPT');
      expect(req.ip.saddr).toBe(ip('10.0.2.1'));
      const rep = icmpEcho('10.0.2.2', '10.0.2.1', 0, 77, seq);
      // the reply's destination is rewritten back in PREROUTING (de-MASQUERADE)
      expect(nfHookIpv4(w.kernel, w.ns, 'PREROUTING', rep, 'rb', undefined)).toBe('ACCEPT');
      expect(rep.ip.daddr).toBe(ip('10.0.1.2'));
      expect(nfHookIpv4(w.kernel, w.ns, 'FORWARD', rep, 'rb', 'ra')).toBe('ACCEPT');
      expect(nfHookIpv4(w.kernel, w.ns, 'POSTROUTING', rep, undefined, 'ra')).toBe('ACCEPT');
      w.kernel.now += 1e9;
    }
    for (const [tn, chains] of Object.entries(exp)) for (const [c, v] of Object.entries(chains)) expect(`${tn} ${c} ${counters(t[tn], c)}`).toBe(`${tn} ${c} ${v}`);
    const entries = w.ns.nf.conntrack.list(w.kernel.now);
    expect(entries).toHaveLength(1);
    expect(entries[0].tuple[1].dst).toBe(ip('10.0.2.1'));
  });
});

describe('-m limit (xt_limit token bucket on virtual time, HZ=250)', () => {
  // Expected counts worked out by hand from xt_limit's algorithm (credits per jiffy, cost,
  // burst cap), not measured: the real kernel's timing jitter makes the borderline cases flaky.
  test.each([
    // [avg per second, burst, packet interval ms, packets] -> matched count
    [1, 3, 100, 10, 3],
    [1, 3, 500, 10, 7],
    [2, 1, 250, 8, 4],
    [10, 5, 0, 20, 5],
  ])('--limit %i/second --limit-burst %i, a packet every %i ms, %i packets: %i match', (avg, burst, every, n, matched) => {
    const w = world();
    const t = table('filter', { FORWARD: [rule({ name: 'ACCEPT' }, {}, [{ name: 'limit', info: { avg, unit: 'second', burst } }])] }, { FORWARD: 'DROP' });
    load(w, t);
    for (let k = 0; k < n; k++) {
      forward(w, icmpEcho('10.0.1.2', '10.0.2.2', 8, 1, k), 'ra', 'rb');
      w.kernel.now += every * 1e6;
    }
    expect(t.chains.get('FORWARD')!.rules[0].counters.packets).toBe(matched);
  });
});
