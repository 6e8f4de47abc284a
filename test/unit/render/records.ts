// Hand-built run records for view tests: a published port (DNAT) walked by a SYN and its SYN-ACK.
import { parseIpv4 } from '../../../src/kernel/addr.ts';
import type { KernelEvent, RunRecord, SkbSnapshot } from '../../../src/scenario/record.ts';

const flags = (f: Partial<Record<'syn' | 'ack' | 'fin' | 'rst' | 'psh', boolean>>) => ({ fin: false, syn: false, rst: false, psh: false, ack: false, urg: false, ece: false, cwr: false, ...f });

export function tcp(id: number, src: string, sport: number, dst: string, dport: number, f: Parameters<typeof flags>[0]): SkbSnapshot {
  return {
    id, len: 60, payloadLen: 0, mark: 0,
    ip: { saddr: parseIpv4(src)!, daddr: parseIpv4(dst)!, protocol: 6, ttl: 64, tos: 0, id: 100 + id, df: true, ihl: 20 },
    tcp: { sport, dport, seq: 1000, ackSeq: f.ack ? 2001 : 0, flags: flags(f), window: 64240, doff: 40, options: ['mss 1460', 'sackOK', 'TS val 1 ecr 0', 'nop', 'wscale 7'] },
  };
}

export function publishedPort(): RunRecord {
  const syn = tcp(1, '192.168.1.2', 40000, '192.168.1.180', 8080, { syn: true });
  const synDnat = tcp(1, '192.168.1.2', 40000, '172.17.0.2', 80, { syn: true });
  const synAck = tcp(2, '172.17.0.2', 80, '192.168.1.2', 40000, { syn: true, ack: true });
  const synAckUndone = tcp(2, '192.168.1.180', 8080, '192.168.1.2', 40000, { syn: true, ack: true });
  const e = (pkt: number, netns: string, rest: Record<string, unknown>) => ({ t: pkt * 1000, netns, pkt, ...rest }) as KernelEvent;
  const events: KernelEvent[] = [
    e(1, 'lanhost', { type: 'dev', dir: 'tx', dev: 'eth0', snap: syn }),
    e(1, '', { type: 'dev', dir: 'rx', dev: 'eth0', snap: syn }),
    e(1, '', { type: 'hook', family: 'ipv4', hook: 'PREROUTING', in: 'eth0', snap: syn }),
    e(1, '', { type: 'ct', action: 'new', entryId: 1, ctinfo: 'NEW', summary: 'tcp 6 SYN_SENT src=192.168.1.2 dst=192.168.1.180 sport=40000 dport=8080' }),
    e(1, '', { type: 'rule', family: 'ipv4', hook: 'PREROUTING', table: 'nat', chain: 'PREROUTING', kind: 'rule', handle: 2, ruleNum: 1, verdict: 'DOCKER' }),
    e(1, '', { type: 'rule', family: 'ipv4', hook: 'PREROUTING', table: 'nat', chain: 'DOCKER', kind: 'rule', handle: 3, ruleNum: 2, verdict: 'DNAT' }),
    e(1, '', { type: 'table', family: 'ipv4', hook: 'PREROUTING', table: 'nat', verdict: 'ACCEPT' }),
    e(1, '', { type: 'nat', manip: 'DST', hook: 'PREROUTING', before: syn, after: synDnat, established: false }),
    e(1, '', { type: 'route', result: 'forward', oif: 'docker0' }),
    e(1, '', { type: 'hook', family: 'ipv4', hook: 'FORWARD', in: 'eth0', out: 'docker0', snap: synDnat }),
    e(1, '', { type: 'rule', family: 'ipv4', hook: 'FORWARD', table: 'filter', chain: 'FORWARD', kind: 'rule', handle: 4, ruleNum: 1, verdict: 'DOCKER-USER' }),
    e(1, '', { type: 'rule', family: 'ipv4', hook: 'FORWARD', table: 'filter', chain: 'DOCKER-USER', kind: 'return', ruleNum: 1, verdict: 'RETURN' }),
    e(1, '', { type: 'rule', family: 'ipv4', hook: 'FORWARD', table: 'filter', chain: 'DOCKER', kind: 'rule', handle: 5, ruleNum: 1, verdict: 'ACCEPT' }),
    e(1, '', { type: 'table', family: 'ipv4', hook: 'FORWARD', table: 'filter', verdict: 'ACCEPT' }),
    e(1, '', { type: 'hook', family: 'ipv4', hook: 'POSTROUTING', out: 'docker0', snap: synDnat }),
    e(1, '', { type: 'table', family: 'ipv4', hook: 'POSTROUTING', table: 'nat', verdict: 'ACCEPT' }),
    e(1, '', { type: 'ct', action: 'confirm', entryId: 1, summary: '' }),
    e(1, '', { type: 'bridge', bridge: 'docker0', action: 'forward', outPorts: ['veth1a2b'] }),
    e(1, '', { type: 'dev', dir: 'tx', dev: 'veth1a2b', snap: synDnat }),
    e(1, 'c1', { type: 'dev', dir: 'rx', dev: 'eth0', snap: synDnat }),
    e(1, 'c1', { type: 'log', line: 'IN=eth0 OUT= SRC=192.168.1.2 DST=172.17.0.2 LEN=60 <script>' }),
    e(1, 'c1', { type: 'deliver', to: 'nginx (tcp 0.0.0.0:80)' }),
    e(2, 'c1', { type: 'dev', dir: 'tx', dev: 'eth0', snap: synAck }),
    e(2, '', { type: 'dev', dir: 'rx', dev: 'veth1a2b', snap: synAck }),
    e(2, '', { type: 'hook', family: 'ipv4', hook: 'PREROUTING', in: 'docker0', snap: synAck }),
    e(2, '', { type: 'ct', action: 'seen', entryId: 1, ctinfo: 'ESTABLISHED_REPLY', summary: '' }),
    e(2, '', { type: 'table', family: 'ipv4', hook: 'PREROUTING', table: 'nat', skipped: 'nat is only consulted for the first packet of a connection' }),
    e(2, '', { type: 'route', result: 'forward', oif: 'eth0' }),
    e(2, '', { type: 'hook', family: 'ipv4', hook: 'FORWARD', in: 'docker0', out: 'eth0', snap: synAck }),
    e(2, '', { type: 'rule', family: 'ipv4', hook: 'FORWARD', table: 'filter', chain: 'FORWARD', kind: 'rule', handle: 6, ruleNum: 2, verdict: 'ACCEPT' }),
    e(2, '', { type: 'table', family: 'ipv4', hook: 'FORWARD', table: 'filter', verdict: 'ACCEPT' }),
    e(2, '', { type: 'hook', family: 'ipv4', hook: 'POSTROUTING', out: 'eth0', snap: synAck }),
    e(2, '', { type: 'nat', manip: 'SRC', hook: 'POSTROUTING', before: synAck, after: synAckUndone, established: true }),
    e(2, '', { type: 'dev', dir: 'tx', dev: 'eth0', snap: synAckUndone }),
    e(2, 'lanhost', { type: 'dev', dir: 'rx', dev: 'eth0', snap: synAckUndone }),
    e(2, 'lanhost', { type: 'deliver', to: 'curl' }),
    e(3, 'lanhost', { type: 'drop', reason: 'no route to host' }),
  ];
  return {
    format: 'packetwalk-run/1',
    file: 'test.md',
    commands: [],
    packets: [
      { id: 1, command: 0, netns: 'lanhost', origin: 'socket', created: syn, time: 1000 },
      { id: 2, command: 0, netns: 'c1', origin: 'socket', created: synAck, time: 2000 },
      { id: 3, command: 0, netns: 'lanhost', origin: 'socket', created: tcp(3, '192.168.1.2', 40001, '10.9.9.9', 80, { syn: true }), time: 3000 },
    ],
    events,
    output: '',
    exitCode: 0,
  };
}
