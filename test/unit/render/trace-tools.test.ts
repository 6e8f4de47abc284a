// The `::trace` view prints what packetwalk's own tool prints for the same packets: the view and
// `xtables-monitor --trace` / `tcpdump` share their formatters, and these cases run a scenario
// with the tool in the background and compare its lines with the view's, line for line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseSave } from '../../../src/render/iptables-text.ts';
import { traceLines, type TraceOptions } from '../../../src/render/trace.ts';
import { createSession } from '../../../src/scenario/index.ts';

/** Two hosts and a router `r` between them: the set-up of test/golden/xtables-monitor/trace-forward-tcp.sh, up to ip_forward. */
const GOLDEN = readFileSync(fileURLToPath(new URL('../../golden/xtables-monitor/trace-forward-tcp.sh', import.meta.url)), 'utf8').split('\n');
const ROUTED = `${GOLDEN.slice(0, GOLDEN.findIndex((l) => l.includes('ip_forward=1')) + 1).join('\n')}\n`;

function run(script: string, save?: string) {
  const session = createSession({ file: 'trace.sh', seed: 1 });
  const out = session.run(script).output;
  const rules = save === undefined ? undefined : parseSave(session.runCommand(save, '').output);
  session.end();
  const record = session.record();
  return { record, output: record.output, rules, ran: out };
}

const toolLines = (output: string, re: RegExp) => output.split('\n').filter((l) => re.test(l));

describe('::trace format=xtables-monitor equals `xtables-monitor --trace` for the traced packets', () => {
  test.each([
    {
      name: 'forwarded TCP: MARK, jump, RETURN, goto, LOG, policy DROP; MAC fields for a packet that came in on a link',
      script: `${ROUTED}ip netns exec r iptables -t raw -A PREROUTING -p tcp -j TRACE
ip netns exec r iptables -t mangle -A FORWARD -j MARK --set-mark 1
ip netns exec r iptables -N CHK
ip netns exec r iptables -A CHK -p tcp
ip netns exec r iptables -A CHK -j RETURN
ip netns exec r iptables -N G
ip netns exec r iptables -A G -j LOG --log-prefix "g "
ip netns exec r iptables -A FORWARD -j CHK
ip netns exec r iptables -A FORWARD -p tcp -g G
ip netns exec r iptables -P FORWARD DROP
ip netns exec r xtables-monitor --trace &
ip netns exec a nc -z -w 1 10.0.1.2 80 || true
`,
      mac: true,
    },
    {
      name: 'ping answered by the router: INPUT and OUTPUT walks, the reply leaving without a MAC header',
      script: `${ROUTED}ip netns exec r iptables -t raw -A PREROUTING -p icmp -j TRACE
ip netns exec r iptables -t raw -A OUTPUT -p icmp -j TRACE
ip netns exec r iptables -A INPUT -p icmp -j ACCEPT
ip netns exec r iptables -A OUTPUT -p icmp
ip netns exec r xtables-monitor --trace &
ip netns exec a ping -c 2 10.0.0.254
`,
      mac: true,
    },
  ])('$name', ({ script, mac }) => {
    const { output, record, rules } = run(script, 'ip netns exec r iptables-save');
    const tool = toolLines(output, /^(PACKET|\sTRACE):/);
    expect(tool.length).toBeGreaterThan(4);
    const ids = new Set(tool.map((l) => l.split(' ')[2]));
    const view = traceLines(record, { format: 'xtables-monitor', seed: 1, rules })
      .split('\n')
      .filter((l) => l && ids.has(l.split(' ')[2]));
    expect(view).toEqual(tool);
    if (mac) expect(view.find((l) => l.startsWith('PACKET') && l.includes('IN=ra'))).toMatch(/ IN=ra (OUT=rb )?MACSRC=[0-9a-f:]+ MACDST=[0-9a-f:]+ MACPROTO=0800 SRC=/);
  });

  test('NAT targets accept and REJECT drops, as the kernel prints them (nat:PREROUTING:rule:0x2:ACCEPT, measured on 6.18)', () => {
    const { record, rules } = run(`${ROUTED}ip netns exec r iptables -t nat -A PREROUTING -p tcp --dport 81 -j DNAT --to-destination 10.0.0.254:82
ip netns exec r iptables -A INPUT -p tcp --dport 82 -j REJECT --reject-with tcp-reset
ip netns exec a nc -z -w 1 10.0.0.254 81 || true
`, 'ip netns exec r iptables-save');
    const view = traceLines(record, { format: 'xtables-monitor', seed: 1, rules }).split('\n');
    expect(view).toContainEqual(expect.stringMatching(/^ TRACE: 2 [0-9a-f]{8} nat:PREROUTING:rule:0x2:ACCEPT {2}-4 -t nat -A PREROUTING -p tcp -m tcp --dport 81 -j DNAT --to-destination 10\.0\.0\.254:82$/));
    expect(view).toContainEqual(expect.stringMatching(/^ TRACE: 2 [0-9a-f]{8} filter:INPUT:rule:0x2:DROP {2}-4 -t filter -A INPUT -p tcp -m tcp --dport 82 -j REJECT --reject-with tcp-reset$/));
    // the table after nat at the same hook sees the rewritten destination (filter INPUT: DPORT=82)
    const i = view.findIndex((l) => l.includes('filter:INPUT:rule'));
    expect(view[i - 1]).toMatch(/^PACKET: .* DPORT=82 /);
  });
});

describe('::trace format=tcpdump equals `tcpdump -n -i IF` for the same capture', () => {
  test.each<{ name: string; script: string; options: Pick<TraceOptions, 'interface' | 'netns' | 'filter'>; lines: number }>([
    { name: 'loopback: each packet once (ping 127.0.0.1: request and reply)', script: 'ip link set lo up\ntcpdump -n -i lo &\nping -c 1 127.0.0.1\n', options: { interface: 'lo' }, lines: 2 },
    { name: 'loopback in a namespace, TCP', script: `${ROUTED}ip netns exec r nc -l -k -p 80 &\nip netns exec r tcpdump -n -i lo &\nip netns exec r nc -z -w 1 10.0.0.254 80\n`, options: { interface: 'lo', netns: 'r' }, lines: 6 },
    { name: 'a veth: what it sends and what it receives, ARP included', script: `${ROUTED}ip netns exec r tcpdump -n -i ra &\nip netns exec a ping -c 2 10.0.1.2\n`, options: { interface: 'ra', netns: 'r' }, lines: 6 },
    { name: 'a capture filter: the view keeps what `tcpdump icmp` keeps (no ARP)', script: `${ROUTED}ip netns exec r tcpdump -n -i ra icmp &\nip netns exec a ping -c 2 10.0.1.2\n`, options: { interface: 'ra', netns: 'r', filter: 'icmp' }, lines: 4 },
    { name: 'a capture filter with a port: the SYN to port 80 only (not the RST from it, not the ping)', script: `${ROUTED}ip netns exec r tcpdump -n -i ra 'tcp and dst port 80' &\nip netns exec a nc -z -w 1 10.0.1.2 80 || true\nip netns exec a ping -c 1 10.0.1.2\n`, options: { interface: 'ra', netns: 'r', filter: 'tcp and dst port 80' }, lines: 1 },
  ])('$name', ({ script, options, lines }) => {
    const { output, record } = run(script);
    const tool = toolLines(output, /^\d\d:\d\d:\d\d\.\d{6} /);
    const view = traceLines(record, { format: 'tcpdump', timestamps: true, ...options }).split('\n').filter(Boolean);
    expect(view).toEqual(tool);
    expect(view).toHaveLength(lines);
  });
});
