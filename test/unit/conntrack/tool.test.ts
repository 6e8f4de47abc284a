import { describe, expect, test } from 'vitest';
import { conntrack } from '../../../src/userland/conntrack.ts';
import type { ToolContext } from '../../../src/userland/tool.ts';
import { CT_STATE_BITS } from '../../../src/kernel/netfilter/types.ts';
import { forward, icmpEcho, ip, load, rule, table, tcp, udp, world } from '../netfilter/helpers.ts';

// Outputs captured from conntrack v1.4.7 on kernel 6.18 (a router masquerading 10.0.1.0/24).
function setup() {
  const w = world({ name: 'r' });
  load(w, table('nat', { POSTROUTING: [rule({ name: 'MASQUERADE', info: { random: false, fullyRandom: false } }, { src: ip('10.0.1.0'), smsk: ip('255.255.255.0'), outiface: 'rb' })] }), table('filter', { FORWARD: [rule({ name: 'ACCEPT' }, {}, [{ name: 'state', info: { mask: CT_STATE_BITS.NEW | CT_STATE_BITS.ESTABLISHED, invert: false } }])] }));
  forward(w, icmpEcho('10.0.1.2', '10.0.2.2', 8, 457), 'ra', 'rb');
  forward(w, icmpEcho('10.0.2.2', '10.0.2.1', 0, 457), 'rb', 'ra');
  const c = (f: Parameters<typeof tcp>[4]) => forward(w, tcp('10.0.1.2', 43722, '10.0.2.2', 80, f), 'ra', 'rb');
  const s = (f: Parameters<typeof tcp>[4]) => forward(w, tcp('10.0.2.2', 80, '10.0.2.1', 43722, f), 'rb', 'ra');
  c({ syn: true }), s({ syn: true, ack: true }), c({ ack: true }), c({ fin: true, ack: true }), s({ fin: true, ack: true }), c({ ack: true });
  forward(w, udp('10.0.1.2', 35979, '10.0.2.2', 53, 3), 'ra', 'rb');
  w.kernel.now += 1.5e9;
  return w;
}

function run(w: ReturnType<typeof setup>, args: string[]): { out: string; status: number } {
  let out = '';
  const ctx = { kernel: w.kernel, netns: 'r', stdin: '', out: (t: string) => (out += t), err: (t: string) => (out += t), background: false, pos: { file: 't', line: 1, column: 1 }, env: {}, run: () => 0 } as unknown as ToolContext;
  (w.kernel as unknown as { netns: (n: string) => unknown }).netns = (n: string) => (n === 'r' ? w.ns : undefined);
  const status = conntrack(['conntrack', ...args], ctx);
  return { out, status };
}

const ICMP = 'icmp     1 28 src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=457 src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=457 mark=0 use=1\n';
const TCP = 'tcp      6 118 TIME_WAIT src=10.0.1.2 dst=10.0.2.2 sport=43722 dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=43722 [ASSURED] mark=0 use=1\n';
const UDP = 'udp      17 28 src=10.0.1.2 dst=10.0.2.2 sport=35979 dport=53 [UNREPLIED] src=10.0.2.2 dst=10.0.2.1 sport=53 dport=35979 mark=0 use=1\n';
const V = 'conntrack v1.4.7 (conntrack-tools): ';

describe('conntrack(8)', () => {
  test.each([
    [['-L'], ICMP + TCP + UDP + `${V}3 flow entries have been shown.\n`, 0],
    [['-L', '-p', 'tcp'], TCP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-o', 'extended', '-p', 'icmp'], 'ipv4     2 ' + ICMP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-f', 'ipv4', '-p', 'icmp'], ICMP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-p', 'icmp', '-s', '10.0.1.2'], ICMP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-d', '10.9.9.9'], `${V}0 flow entries have been shown.\n`, 0],
    [['-C'], '3\n', 0],
    [['-D', '-p', 'icmp'], ICMP + `${V}1 flow entries have been deleted.\n`, 0],
    [['-D', '-p', 'sctp'], `${V}0 flow entries have been deleted.\n`, 1],
    [['-L', '-p', 'foo'], `${V}\`foo' unsupported protocol\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2],
    [['-F'], `${V}connection tracking table has been emptied.\n`, 0],
    // NAT filters: libnetfilter_conntrack's IS_SNAT/SPAT/DNAT/DPAT over the *_NAT_DONE status bits
    // (a null binding sets them too); an ICMP flow's id and type/code always differ between the
    // tuples, so a masqueraded ping is also "destination-NATed" (scenario 051 on the kernel)
    [['-L', '--dst-nat'], ICMP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-g', '-n'], ICMP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '--src-nat', '10.0.2.1', '-p', 'tcp'], TCP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '--src-nat', '10.0.2.1:43722'], `${V}0 flow entries have been shown.\n`, 0],
    [['-L', '--src-nat', '10.9.9.9'], `${V}0 flow entries have been shown.\n`, 0],
    [['-L', '-j'], ICMP + TCP + UDP + `${V}3 flow entries have been shown.\n`, 0],
    // a protocol's options exist only after its -p (getopt: "unknown option"); ADDR/LEN; reply ports; ICMP fields
    [['-L', '--sport', '43722'], `${V}unknown option \`--sport'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2],
    [['-L', '-p', 'udp', '--state', 'ESTABLISHED'], `${V}unknown option \`--state'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2],
    [['-L', '-s', '10.0.1.0/24'], ICMP + TCP + UDP + `${V}3 flow entries have been shown.\n`, 0],
    [['-L', '-r', '10.0.2.0/24', '-p', 'udp'], UDP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-p', 'tcp', '--reply-port-src', '80'], TCP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '-p', 'icmp', '--icmp-type', '8', '--icmp-id', '457'], ICMP + `${V}1 flow entries have been shown.\n`, 0],
    [['-L', '--dst-nat', ':80'], `${V}Invalid IP address \`'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`, 2],
  ] as Array<[string[], string, number]>)('conntrack %j', (args, out, status) => {
    const w = setup();
    expect(run(w, args)).toEqual({ out, status });
  });

  test('-F empties the table', () => {
    const w = setup();
    run(w, ['-F']);
    expect(run(w, ['-L']).out).toBe(`${V}0 flow entries have been shown.\n`);
  });
});
