// Traffic tools on the simulated stack: packet counts and bytes per hook as a match-all iptables
// rule counts them, and the tools' messages. The expected counters were measured on the real
// kernel with the same topology (test/kernel/stack.test.ts re-measures them when root).
import { describe, expect, test } from 'vitest';
import type { Kernel } from '../../../src/kernel/index.ts';
import { registerDnsServer } from '../../../src/kernel/dns.ts';
import { listenHttp } from '../../../src/kernel/http.ts';
import { ping } from '../../../src/userland/ping.ts';
import { nc } from '../../../src/userland/nc.ts';
import { curl } from '../../../src/userland/curl.ts';
import type { Tool } from '../../../src/userland/tool.ts';
import { bridged, hookCount, routed, runTool, twoNs } from './harness.ts';

const TOOLS: Record<string, Tool> = { ping, nc, curl };

interface Step {
  ns: string;
  argv: string[];
  stdin?: string;
  background?: boolean;
}

interface Case {
  name: string;
  world: () => Kernel;
  setup?: (k: Kernel) => void;
  steps: Step[];
  /** Output of the last step (stdout+stderr) and its exit status. */
  output?: string;
  code: number;
  /** [netns, hook] → [packets, bytes] counted during the steps. */
  counters: Array<[string, string, number, number]>;
}

function httpHello(k: Kernel): void {
  listenHttp(k, k.requireNetns('b'), 0, 80, () => ({ status: 200, headers: [['Content-Length', '12'], ['Content-Type', 'text/plain']], body: 'hello world\n' }));
}

export const CASES: Case[] = [
  {
    name: 'nc -z to a listening nc -l -k: SYN, SYN-ACK, ACK, FIN, FIN-ACK, ACK',
    world: twoNs,
    steps: [{ ns: 'b', argv: ['nc', '-l', '-k', '-p', '80'], background: true }, { ns: 'a', argv: ['nc', '-z', '-v', '10.0.0.2', '80'] }],
    output: 'Connection to 10.0.0.2 80 port [tcp/http] succeeded!\n',
    code: 0,
    counters: [['b', 'INPUT', 4, 216], ['b', 'OUTPUT', 2, 112]],
  },
  {
    name: 'nc -z -v to a closed port: RST',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['nc', '-z', '-v', '10.0.0.2', '81'] }],
    output: 'nc: connect to 10.0.0.2 port 81 (tcp) failed: Connection refused\n',
    code: 1,
    counters: [['b', 'INPUT', 1, 60], ['b', 'OUTPUT', 1, 40]],
  },
  {
    name: 'nc -z without -v says nothing on failure',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['nc', '-z', '-w', '1', '10.0.0.2', '81'] }],
    output: '',
    code: 1,
    counters: [['b', 'INPUT', 1, 60], ['b', 'OUTPUT', 1, 40]],
  },
  {
    name: 'nc -u to a closed port: datagram and ICMP port unreachable',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['nc', '-u', '-w', '1', '10.0.0.2', '53'], stdin: 'hello\n' }],
    output: '',
    code: 0,
    counters: [['b', 'INPUT', 1, 34], ['b', 'OUTPUT', 1, 62]],
  },
  {
    name: 'nc -zu to a closed port fails silently after one probe',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['nc', '-zvu', '10.0.0.2', '53'] }],
    output: '',
    code: 1,
    counters: [['b', 'INPUT', 1, 29], ['b', 'OUTPUT', 1, 57]],
  },
  {
    name: 'nc -zu to a UDP listener: five probes',
    world: twoNs,
    steps: [{ ns: 'b', argv: ['nc', '-l', '-u', '-k', '-p', '53'], background: true }, { ns: 'a', argv: ['nc', '-zvu', '10.0.0.2', '53'] }],
    output: 'Connection to 10.0.0.2 53 port [udp/domain] succeeded!\n',
    code: 0,
    counters: [['b', 'INPUT', 5, 145], ['b', 'OUTPUT', 0, 0]],
  },
  {
    name: 'nc -zv through a router without a route: ICMP net unreachable',
    world: routed,
    steps: [{ ns: 'a', argv: ['nc', '-zv', '10.0.3.2', '82'] }],
    output: 'nc: connect to 10.0.3.2 port 82 (tcp) failed: Network is unreachable\n',
    code: 1,
    counters: [['r', 'FORWARD', 0, 0], ['r', 'OUTPUT', 1, 88]],
  },
  {
    name: 'ping 2 echoes',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['ping', '-c', '2', '-i', '0.2', '10.0.0.2'] }],
    output:
      'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.040 ms\n64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.040 ms\n\n--- 10.0.0.2 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 200ms\nrtt min/avg/max/mdev = 0.040/0.040/0.040/0.000 ms\n',
    code: 0,
    counters: [['b', 'INPUT', 2, 168], ['b', 'OUTPUT', 2, 168]],
  },
  {
    name: 'ping -s 100: 128-byte packets',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['ping', '-c', '1', '-s', '100', '10.0.0.2'] }],
    output:
      'PING 10.0.0.2 (10.0.0.2) 100(128) bytes of data.\n108 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.040 ms\n\n--- 10.0.0.2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.040/0.040/0.040/0.000 ms\n',
    code: 0,
    counters: [['b', 'INPUT', 1, 128], ['b', 'OUTPUT', 1, 128]],
  },
  {
    name: 'ping without a route',
    world: twoNs,
    steps: [{ ns: 'a', argv: ['ping', '-c', '1', '10.9.0.3'] }],
    output: 'ping: connect: Network is unreachable\n',
    code: 2,
    counters: [['a', 'OUTPUT', 0, 0]],
  },
  {
    name: 'ping an address nobody owns on the link: Destination Host Unreachable after 3 s',
    world: routed,
    steps: [{ ns: 'a', argv: ['ping', '-c', '1', '10.0.1.9'] }],
    output:
      'PING 10.0.1.9 (10.0.1.9) 56(84) bytes of data.\nFrom 10.0.1.2 icmp_seq=1 Destination Host Unreachable\n\n--- 10.0.1.9 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n',
    code: 1,
    counters: [['r', 'INPUT', 0, 0]],
  },
  {
    name: 'ping through a router without a route: Destination Net Unreachable',
    world: routed,
    steps: [{ ns: 'a', argv: ['ping', '-c', '2', '10.0.3.9'] }],
    output:
      'PING 10.0.3.9 (10.0.3.9) 56(84) bytes of data.\nFrom 10.0.1.1 icmp_seq=1 Destination Net Unreachable\nFrom 10.0.1.1 icmp_seq=2 Destination Net Unreachable\n\n--- 10.0.3.9 ping statistics ---\n2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms\n\n',
    code: 1,
    counters: [['r', 'PREROUTING', 2, 168], ['r', 'FORWARD', 0, 0], ['r', 'OUTPUT', 2, 224]],
  },
  {
    name: 'ping across a router: TTL 63',
    world: routed,
    steps: [{ ns: 'a', argv: ['ping', '-c', '1', '10.0.2.2'] }],
    output:
      'PING 10.0.2.2 (10.0.2.2) 56(84) bytes of data.\n64 bytes from 10.0.2.2: icmp_seq=1 ttl=63 time=0.080 ms\n\n--- 10.0.2.2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.080/0.080/0.080/0.000 ms\n',
    code: 0,
    counters: [['r', 'FORWARD', 2, 168], ['r', 'POSTROUTING', 2, 168]],
  },
  {
    name: 'curl GET: 6 packets in, 4 out (ACK of the request before the response)',
    world: routed,
    setup: httpHello,
    steps: [{ ns: 'a', argv: ['curl', '-s', 'http://10.0.2.2/'] }],
    output: 'hello world\n',
    code: 0,
    counters: [['b', 'INPUT', 6, 392], ['b', 'OUTPUT', 4, 293], ['r', 'FORWARD', 10, 685]],
  },
  {
    name: 'curl to a closed port',
    world: routed,
    steps: [{ ns: 'a', argv: ['curl', '-sS', 'http://10.0.2.2:81/'] }],
    output: "curl: (7) Failed to connect to 10.0.2.2 port 81 after 0 ms: Couldn't connect to server\n",
    code: 7,
    counters: [['b', 'INPUT', 1, 60], ['b', 'OUTPUT', 1, 40]],
  },
  {
    name: 'curl -m 1 to a silent address',
    world: routed,
    steps: [{ ns: 'a', argv: ['curl', '-m', '1', '-sS', 'http://10.0.2.9:81/'] }],
    output: 'curl: (28) Connection timed out after 1001 milliseconds\n',
    code: 28,
    counters: [['r', 'FORWARD', 1, 60]],
  },
  {
    name: 'curl --connect-timeout 2 to a silent address (one SYN retransmission)',
    world: routed,
    steps: [{ ns: 'a', argv: ['curl', '--connect-timeout', '2', '-sS', 'http://10.0.2.9/'] }],
    output: 'curl: (28) Failed to connect to 10.0.2.9 port 80 after 2000 ms: Timeout was reached\n',
    code: 28,
    counters: [['r', 'FORWARD', 2, 120]],
  },
  {
    name: 'curl by name: A and AAAA queries (59 bytes each for www.baidu.com), answers, then HTTP',
    world: routed,
    setup: (k) => {
      httpHello(k);
      registerDnsServer(k, k.requireNetns('b'), 0x0a000202, { 'www.baidu.com': ['10.0.2.2'] });
      k.requireNetns('a').resolvConf = [0x0a000202];
    },
    steps: [{ ns: 'a', argv: ['curl', '-s', 'http://www.baidu.com/'] }],
    output: 'hello world\n',
    code: 0,
    counters: [['b', 'INPUT', 8, 515], ['b', 'OUTPUT', 6, 427]],
  },
  {
    name: 'bridged ping between two ports with bridge-nf-call-iptables=1 walks FORWARD',
    world: bridged,
    steps: [{ ns: 'c1', argv: ['ping', '-c', '3', '-i', '0.2', '-q', '10.0.0.3'] }],
    code: 0,
    counters: [['', 'FORWARD', 6, 504], ['', 'INPUT', 0, 0], ['', 'OUTPUT', 0, 0]],
  },
  {
    name: 'bridged ping with bridge-nf-call-iptables=0 bypasses iptables',
    world: bridged,
    setup: (k) => k.requireNetns('').setSysctl('net.bridge.bridge-nf-call-iptables', '0'),
    steps: [{ ns: 'c1', argv: ['ping', '-c', '3', '-i', '0.2', '-q', '10.0.0.3'] }],
    code: 0,
    counters: [['', 'FORWARD', 0, 0], ['', 'PREROUTING', 0, 0]],
  },
  {
    name: 'ping the bridge address from a port: INPUT and OUTPUT of the host',
    world: bridged,
    steps: [{ ns: 'c1', argv: ['ping', '-c', '2', '-i', '0.2', '-q', '10.0.0.1'] }],
    code: 0,
    counters: [['', 'INPUT', 2, 168], ['', 'OUTPUT', 2, 168], ['', 'FORWARD', 0, 0]],
  },
];

describe('traffic on the simulated stack', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const k = c.world();
    c.setup?.(k);
    const start = k.events.length;
    let last = { code: -1, out: '' };
    for (const s of c.steps) last = runTool(TOOLS[s.argv[0]], k, s.ns, s.argv, { stdin: s.stdin, background: s.background });
    if (c.output !== undefined) expect(last.out).toBe(c.output);
    expect(last.code).toBe(c.code);
    for (const [ns, hook, p, b] of c.counters) expect([ns, hook, ...hookCount(k, ns, hook, start)]).toEqual([ns, hook, p, b]);
  });
});
