// The pure parts of the content test's kernel side (test/kernel/lib/content.ts): how a kernel
// run's output is cut and normalised before a page's stated output is matched against it.
import { describe, expect, test } from 'vitest';
import { addListenWaits, chanceMask, consoleBlocks, mergeStreams, normalizeKernel, splitKernelOutput } from './lib/content.ts';

const CT = (timeout: number, sport: number) => `tcp      6 ${timeout} TIME_WAIT src=172.17.0.2 dst=93.184.216.34 sport=${sport} dport=80 src=93.184.216.34 dst=192.168.1.180 sport=80 dport=${sport} [ASSURED] mark=0 use=1`;
const COUNT = (n: number) => `conntrack v1.4.7 (conntrack-tools): ${n} flow entries have been shown.`;

describe('normalizeKernel: chance fields take the simulator\'s values, nothing else changes', () => {
  test.each([
    ['conntrack timeout and ephemeral port', CT(117, 56646), CT(119, 40000), CT(119, 40000)],
    ['ping rtt', '64 bytes from 10.0.1.1: icmp_seq=1 ttl=64 time=0.037 ms', '64 bytes from 10.0.1.1: icmp_seq=1 ttl=64 time=0.051 ms', '64 bytes from 10.0.1.1: icmp_seq=1 ttl=64 time=0.051 ms'],
    ['iptables-save date', '# Completed on Sun Nov 22 02:04:26 2026', '# Completed on Thu Jan  1 00:00:00 1970', '# Completed on Thu Jan  1 00:00:00 1970'],
    ['a counter is not chance', '[4:238] -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', '[4:239] -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', '[4:238] -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'],
    ['a state is not chance', CT(117, 56646), CT(119, 40000).replace('TIME_WAIT', 'CLOSE'), CT(117, 56646)],
    ['a well-known port is not chance', CT(117, 53), CT(117, 80), CT(117, 53)],
    ['a MAC the script assigns is not chance', '3: docker0: link/ether 02:42:9f:49:dd:a3 brd ff:ff:ff:ff:ff:ff', '3: docker0: link/ether 02:42:9f:49:dd:a4 brd ff:ff:ff:ff:ff:ff', '3: docker0: link/ether 02:42:9f:49:dd:a3 brd ff:ff:ff:ff:ff:ff'],
    ['a MAC the kernel chose is chance', '2: eth0@if3: link/ether 62:f1:a1:82:b1:d6 brd ff:ff:ff:ff:ff:ff', '2: eth0@if3: link/ether fe:f1:5d:aa:25:fa brd ff:ff:ff:ff:ff:ff', '2: eth0@if3: link/ether fe:f1:5d:aa:25:fa brd ff:ff:ff:ff:ff:ff'],
  ])('%s', (_name, kernel, sim, expected) => {
    expect(normalizeKernel(`${kernel}\n`, `${sim}\n`, new Set(['02:42:9f:49:dd:a3', '02:42:9f:49:dd:a4']))).toBe(`${expected}\n`);
  });

  test('conntrack entries in the simulator\'s order, the count line after them', () => {
    const kernel = [COUNT(2), CT(117, 50001), CT(119, 50002)].join('\n') + '\n';
    const sim = [CT(119, 40002), CT(117, 40001), COUNT(2)].join('\n') + '\n';
    expect(normalizeKernel(kernel, sim)).toBe(sim);
  });

  test('equal values stay equal: a port kept by MASQUERADE on both sides of an entry', () => {
    expect(chanceMask(CT(119, 40000))).toBe(chanceMask(CT(119, 50000)));
    expect(chanceMask(CT(119, 40000))).not.toBe(chanceMask(CT(119, 40000).replace('dport=40000', 'dport=40001')));
  });
});

describe('mergeStreams: stderr where the simulator (a terminal) shows it', () => {
  test.each([
    ['the count line after the entries', 'a\nb\n', 'count\n', 'a\nb\ncount\n', 'a\nb\ncount\n'],
    ['a warning before the tables', '*filter\nCOMMIT\n', '# Warning: legacy\n', '# Warning: legacy\n*filter\nCOMMIT\n', '# Warning: legacy\n*filter\nCOMMIT\n'],
    ['an error the simulator does not print goes last', 'a\n', 'oops\n', 'a\n', 'a\noops\n'],
  ])('%s', (_name, stdout, stderr, sim, expected) => {
    expect(mergeStreams(stdout, stderr, sim)).toBe(expected);
  });
});

describe('splitKernelOutput', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  test.each([
    ['a complete run', 'world\n@@PW@@ script\nhello\n@@PW@@ script-end\n@@PW@@ op 0\n@@PW@@ stdout\nout\n@@PW@@ stderr\nerr\n@@PW@@ rc 3\n', { script: 'hello\n', scriptDone: true, ops: [{ stdout: 'out\n', stderr: 'err\n', rc: 3 }] }],
    ['a run that stopped in the script', '@@PW@@ script\nhello\nboom\n', { script: 'hello\nboom\n', scriptDone: false, ops: [undefined] }],
  ])('%s', (_name, text, expected) => {
    const r = splitKernelOutput(`@@PW@@ base64\n${b64(text)}\n@@PW@@ exit 0\n`, 0, 1);
    expect({ script: r.script, scriptDone: r.scriptDone, ops: r.ops }).toEqual(expected);
  });

  test('captures', () => {
    const text = '@@PW@@ script\n@@PW@@ script-end\n@@PW@@ bg tcpdump -i eth0 -n icmp\nline 1\n\n@@PW@@ bg xtables-monitor --trace\nPACKET: x\n';
    const r = splitKernelOutput(`@@PW@@ base64\n${b64(text)}\n@@PW@@ exit 0\n`, 0, 0);
    expect(r.captures).toEqual([{ command: 'tcpdump -i eth0 -n icmp', output: 'line 1\n\n' }, { command: 'xtables-monitor --trace', output: 'PACKET: x\n' }]);
  });
});

describe('addListenWaits: the kernel run waits where the simulator needs no time', () => {
  test.each([
    ['docker-proxy', 'docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80 >/dev/null 2>&1 &', "waitlisten '' t 8080"],
    ['an image\'s server', "ip netns exec web nginx -g 'daemon off;' >/dev/null 2>&1 &", 'waitlisten web t 80'],
    ['the world\'s DNS', 'ip netns exec internet serve dns --port 53 a=1.2.3.4 &', 'waitlisten internet u 53\nwaitlisten internet t 53'],
    ['a new namespace reports no IGMP', 'ip netns add c1 >/dev/null', 'ip netns exec c1 sysctl -q -w net.ipv4.igmp_link_local_mcast_reports=0'],
  ])('%s', (_name, line, added) => {
    expect(addListenWaits(line)).toBe(`${line}\n${added}`);
  });
});

test('consoleBlocks: a console block inside a longer fence is an example, not a block', () => {
  const text = ['````md', '```console scenario=a', '$ x', '1', '```', '````', '', '```console scenario=b', '$ y', '...', '2', '$ z', '```'].join('\n');
  expect(consoleBlocks(text)).toEqual([{ line: 8, scenario: 'b', commands: [{ line: 9, expected: ['...', '2'] }, { line: 12, expected: [] }] }]);
});

test.each([
  ['a veth MAC the kernel chose', 'PACKET: 2 19e03b9b IN=veth-c MACSRC=2a:79:72:bf:9a:ac MACDST=7e:70:92:8:1c:c3 MACPROTO=0800 SRC=10.0.1.2', 'PACKET: 2 8eac5155 IN=veth-c MACSRC=e2:7:a6:89:2f:6d MACDST=5a:ee:bf:bf:b2:ef MACPROTO=0800 SRC=10.0.1.2', true],
  ['a container MAC the script assigns', 'PACKET: 2 19e03b9b IN=docker0 MACSRC=2:42:ac:11:0:2 MACDST=2:42:9f:49:dd:a3 MACPROTO=0800', 'PACKET: 2 8eac5155 IN=docker0 MACSRC=2:42:ac:11:0:3 MACDST=2:42:9f:49:dd:a3 MACPROTO=0800', false],
])('chanceMask: xtables-monitor MACs, %s', (_name, kernel, sim, equal) => {
  const fixed = new Set(['02:42:ac:11:00:02', '02:42:ac:11:00:03', '02:42:9f:49:dd:a3']);
  expect(chanceMask(kernel, fixed) === chanceMask(sim, fixed)).toBe(equal);
});
