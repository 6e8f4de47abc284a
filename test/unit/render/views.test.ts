// The Mermaid and trace views over a hand-built record (a published port: SYN, DNAT, SYN-ACK).
// Goldens in golden/ are rewritten with UPDATE=1; the tables below pin the facts that matter.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ctTimeline } from '../../../src/render/ct-timeline.ts';
import { hookWalk } from '../../../src/render/hook-walk.ts';
import { parseSave } from '../../../src/render/iptables-text.ts';
import { mermaidLabel, mermaidMessage } from '../../../src/render/mermaid.ts';
import { traceLines } from '../../../src/render/trace.ts';
import { createSession } from '../../../src/scenario/index.ts';
import { publishedPort } from './records.ts';

function golden(name: string, text: string) {
  const path = join(import.meta.dirname, 'golden', name);
  if (process.env.UPDATE || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

const record = publishedPort();
const walk = hookWalk(record, 1, { detail: 'full' });
const compact = hookWalk(record, 1);
const timeline = ctTimeline(record);

describe('hookWalk, detail full', () => {
  test('golden', () => golden('walk-published-port.mmd', walk));
  test.each([
    ['starts as a flowchart', /^flowchart TB\n/],
    ['titles the packet', /subgraph p\["packet 1: TCP #91;S#93; 192\.168\.1\.2:40000 → 192\.168\.1\.180:8080"\]/],
    ['the DNAT rewrite is on an edge', /-->\|"DNAT 192\.168\.1\.180:8080 → 172\.17\.0\.2:80"\|/],
    ['nat rules with verdicts', /\["nat: ACCEPT<br\/>PREROUTING rule 1 → DOCKER<br\/>DOCKER rule 2 → DNAT"\]/],
    ['a user chain return', /DOCKER-USER returns/],
    ['routing decision', /\{"route: forward dev docker0"\}/],
    ['the bridge', /\[\/"bridge docker0: forward to veth1a2b"\/\]/],
    ['the namespace change', /\(\["c1: in on eth0"\]\)/],
    ['delivery', /\(\("delivered to nginx \(tcp 0\.0\.0\.0:80\)"\)\)/],
    ['the reply is drawn', /subgraph r\["reply, packet 2: TCP #91;S\.#93; 172\.17\.0\.2:80 → 192\.168\.1\.2:40000"\]/],
    ['a skipped table, with why', /\["nat skipped<br\/>nat is only consulted for the first packet of a connection"\]\n\s+class r_\d+ skipped/],
    ['the reply de-NAT on an edge', /-->\|"SNAT 172\.17\.0\.2:80 → 192\.168\.1\.180:8080"\|/],
    ['reply linked to request', /p_\d+ -\.->\|"answered by"\| r_0/],
  ])('%s', (_name, re) => {
    expect(walk).toMatch(re);
  });
  test('netns limits the walk to some namespaces', () => {
    const hostOnly = hookWalk(record, 1, { netns: [''], detail: 'full' });
    expect(hostOnly).not.toMatch(/c1: |lanhost: /);
    expect(hostOnly).toMatch(/\(\["host: in on eth0"\]\)/);
  });
  test('reply=false draws one packet', () => {
    expect(hookWalk(record, 1, { reply: false, detail: 'full' })).not.toMatch(/subgraph r/);
  });
  test('a drop ends the walk', () => {
    expect(hookWalk(record, 3, { detail: 'full' })).toMatch(/\(\("lanhost: dropped: no route to host"\)\)\n\s+class p_0 drop/);
  });
  test('unknown packet', () => {
    expect(() => hookWalk(record, 9, { detail: 'full' })).toThrow(RangeError);
  });
});

describe('hookWalk, detail compact (the default)', () => {
  test('golden', () => golden('walk-published-port-compact.mmd', compact));
  test.each([
    ['packet and reply side by side, each top to bottom', /^flowchart LR\n  subgraph p\[[^\n]*\n    direction TB\n/],
    ['a namespace netfilter did not touch is one node', /p_0\("lanhost: out of eth0"\)/],
    ['…listing its hops and its end', /\("c1: in on eth0<br\/>delivered to nginx \(tcp 0\.0\.0\.0:80\)"\)\n\s+class p_\d+ deliver/],
    ['device hops fold into the edge, naming the namespace entered', /p_0 -->\|"host: in on eth0"\| p_1\n/],
    ['a hook where a table is met keeps its node', /p_1\{\{"PREROUTING \(in eth0\)"\}\}/],
    ['conntrack on the edge between hook and table', /p_1 -->\|"ct #35;1 new"\| p_2\n/],
    ['nat rules with verdicts', /\["nat: ACCEPT<br\/>PREROUTING rule 1 → DOCKER<br\/>DOCKER rule 2 → DNAT"\]/],
    ['the DNAT rewrite is on an edge', /-->\|"DNAT 192\.168\.1\.180:8080 → 172\.17\.0\.2:80"\|/],
    ['a table met with no rule fired', /\["nat: ACCEPT"\]/],
    ['routing decision', /\{"route: forward dev docker0"\}/],
    ['the bridge', /\[\/"bridge docker0: forward to veth1a2b"\/\]/],
    ['a skipped table, with why', /\["nat skipped<br\/>nat is only consulted for the first packet of a connection"\]\n\s+class r_\d+ skipped/],
    ['a hook with no table is named on the edge, before the NAT it applied', /-->\|"POSTROUTING<br\/>SNAT 172\.17\.0\.2:80 → 192\.168\.1\.180:8080<br\/>out of eth0"\|/],
    ['the addresses on their own title line (narrow columns)', /subgraph p\["packet 1: TCP #91;S#93;<br\/>192\.168\.1\.2:40000 → 192\.168\.1\.180:8080"\]/],
    ['the reply titled as such', /subgraph r\["reply, packet 2: TCP #91;S\.#93;<br\/>172\.17\.0\.2:80 → 192\.168\.1\.2:40000"\]/],
    ['reply linked to request, subgraph to subgraph', /\n  p -\.-> r\n/],
  ])('%s', (_name, re) => {
    expect(compact).toMatch(re);
  });
  test('folds: fewer nodes than the full walk', () => {
    const count = (s: string) => s.split('\n').filter((l) => /^\s+[pr]_\d+[[({]/.test(l)).length;
    expect([count(compact), count(walk)]).toEqual([17, 24]);
  });
  test('netns: a walk starting in the middle starts on its first hop, not on an edge', () => {
    const hostOnly = hookWalk(record, 1, { netns: [''] });
    expect(hostOnly).toMatch(/p_0\(\["host: in on eth0"\]\)\n\s+p_1\{\{"PREROUTING \(in eth0\)"\}\}/);
    expect(hostOnly).toMatch(/p_0 --> p_1\n/);
    expect(hostOnly).toMatch(/r_\d+\(\["out of eth0"\]\)/);
    expect(hostOnly).not.toMatch(/c1: |lanhost: /);
  });
  test('a drop in an untouched namespace ends the walk', () => {
    expect(hookWalk(record, 3)).toMatch(/\(\("lanhost: dropped: no route to host"\)\)\n\s+class p_0 drop/);
  });
  test('reply=false draws one packet', () => {
    expect(hookWalk(record, 1, { reply: false })).not.toMatch(/subgraph r|p -\.-> r/);
  });
});

describe('ctTimeline', () => {
  test('golden', () => golden('timeline-published-port.mmd', timeline));
  test.each([
    ['participants in order of appearance', /participant n0 as lanhost\n {2}participant n1 as host\n {2}participant n2 as c1/],
    ['first hop names the packet and its state', /n0->>n1: #35;1 TCP #91;S#93; 192\.168\.1\.2:40000 → 192\.168\.1\.180:8080\n/],
    ['entry creation', /Note over n1: ct #35;1 created \(unconfirmed\): tcp 6 SYN_SENT/],
    ['NAT note', /Note over n1: #35;1 DNAT 192\.168\.1\.180:8080 → 172\.17\.0\.2:80\n/],
    ['confirmation', /Note over n1: ct #35;1 confirmed/],
    ['hop after NAT shows rewritten addresses and ct state', /n1->>n2: #35;1 192\.168\.1\.2:40000 → 172\.17\.0\.2:80 #91;NEW#93;/],
    ['reply state, addresses after de-NAT', /n1->>n0: #35;2 192\.168\.1\.180:8080 → 192\.168\.1\.2:40000 #91;ESTABLISHED_REPLY#93;/],
    ['existing binding', /SNAT 172\.17\.0\.2:80 → 192\.168\.1\.180:8080 \(existing binding\)/],
    ['a drop', /n0-xn0: #35;3 .* dropped: no route to host/],
  ])('%s', (_name, re) => {
    expect(timeline).toMatch(re);
  });
  test('packets filter', () => {
    expect(ctTimeline(record, { packets: (id) => id === 2 })).not.toMatch(/#35;1 /);
  });
});

describe('traceLines', () => {
  const rules = parseSave('*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n[1:60] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n[0:0] -A DOCKER -i docker0 -j RETURN\n[1:60] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\nCOMMIT\n');
  test.each([
    ['log', { format: 'log' as const }, 'IN=eth0 OUT= SRC=192.168.1.2 DST=172.17.0.2 LEN=60 <script>\n'],
    ['log with timestamps', { format: 'log' as const, timestamps: true }, '[    0.000001] IN=eth0 OUT= SRC=192.168.1.2 DST=172.17.0.2 LEN=60 <script>\n'],
    ['tcpdump on the host eth0 (after de-NAT)', { format: 'tcpdump' as const, interface: 'eth0' }, 'IP 192.168.1.2.40000 > 192.168.1.180.8080: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\nIP 192.168.1.180.8080 > 192.168.1.2.40000: Flags [S.], seq 1000, ack 2001, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n'],
    ['tcpdump in the container (after DNAT)', { format: 'tcpdump' as const, interface: 'eth0', netns: 'c1', packet: 1 }, 'IP 192.168.1.2.40000 > 172.17.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0\n'],
  ])('%s', (_name, options, text) => {
    expect(traceLines(record, options)).toBe(text);
  });
  test('xtables-monitor: PACKET line per table, TRACE lines with the rule text', () => {
    const out = traceLines(record, { format: 'xtables-monitor', packet: 1, rules: [rules[0]] }).split('\n');
    expect(out[0]).toMatch(/^PACKET: 2 [0-9a-f]{8} IN=eth0 SRC=192\.168\.1\.2 DST=192\.168\.1\.180 LEN=60 TOS=0x0 TTL=64 ID=101 DF SPORT=40000 DPORT=8080 SYN $/);
    expect(out[1]).toMatch(/^ TRACE: 2 [0-9a-f]{8} nat:PREROUTING:rule:0x2:JUMP:DOCKER {2}-4 -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER$/);
    expect(out[2]).toMatch(/^ TRACE: 2 [0-9a-f]{8} nat:DOCKER:rule:0x3:ACCEPT {2}-4 -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172\.17\.0\.2:80$/);
    expect(out).toHaveLength(4); // filter is not in `rules`: not an nft table here, so not traced
  });
  test('xtables-monitor without the rules: every table, the rule text cut to `-A CHAIN`, no line for an implicit return (as the tool)', () => {
    const out = traceLines(record, { format: 'xtables-monitor', packet: 1 }).split('\n');
    expect(out[2]).toMatch(/^ TRACE: 2 [0-9a-f]{8} nat:DOCKER:rule:0x3:ACCEPT {2}-4 -t nat -A DOCKER$/);
    expect(out[3]).toMatch(/^PACKET: 2 [0-9a-f]{8} IN=eth0 OUT=docker0 SRC=192\.168\.1\.2 DST=172\.17\.0\.2 /);
    expect(out[4]).toMatch(/ filter:FORWARD:rule:0x4:JUMP:DOCKER-USER {2}-4 -t filter -A FORWARD$/);
    expect(out[5]).toMatch(/ filter:DOCKER:rule:0x5:ACCEPT {2}-4 -t filter -A DOCKER$/);
    expect(out.join('\n')).not.toMatch(/:return:/);
  });
  test('tcpdump with timestamps uses tcpdump\'s clock (virtual time 0 = 12:00:00)', () => {
    expect(traceLines(record, { format: 'tcpdump', interface: 'eth0', netns: 'c1', packet: 1, timestamps: true })).toMatch(/^12:00:00\.000001 IP 192\.168\.1\.2\.40000 > 172\.17\.0\.2\.80: Flags \[S\]/);
  });
});

describe('mermaid escaping', () => {
  test.each([
    ['<script>alert("x")</script>', '#lt;script#gt;alert(#quot;x#quot;)#lt;/script#gt;'],
    ['a|b [c] {d}; #e & `f`', 'a#124;b #91;c#93; #123;d#125;#59; #35;e #amp; #96;f#96;'],
    ['two\nlines', 'two lines'],
  ])('%j', (text, label) => {
    expect(mermaidLabel(text)).toBe(label);
  });
  test('messages keep colons (only the first one is syntax)', () => {
    expect(mermaidMessage('ct #1: new')).toBe('ct #35;1: new');
  });
});

describe('ARP frames are named as tcpdump names them (a simulator run: a pings b, ARP first)', () => {
  const session = createSession({ file: 'arp.sh' });
  session.run('ip netns add a\nip netns add b\nip link add va type veth peer name vb\nip link set va netns a\nip link set vb netns b\nip -n a addr add 10.0.0.1/24 dev va\nip -n b addr add 10.0.0.2/24 dev vb\nip -n a link set va up\nip -n b link set vb up\nip netns exec a ping -c 1 10.0.0.2\n');
  const arp = session.record();
  const request = arp.packets.find((p) => p.created.arp?.op === 1)!;
  const reply = arp.packets.find((p) => p.created.arp?.op === 2)!;
  const mac = reply.created.arp!.sha;
  test.each([
    ['timeline: the request', () => ctTimeline(arp), new RegExp(`n0->>n1: #35;${request.id} ARP who-has 10\\.0\\.0\\.2 tell 10\\.0\\.0\\.1\\n`)],
    ['timeline: the reply', () => ctTimeline(arp), new RegExp(`n1->>n0: #35;${reply.id} ARP reply 10\\.0\\.0\\.2 is-at ${mac}\\n`)],
    ['walk title of the request', () => hookWalk(arp, request.id), new RegExp(`subgraph p\\["packet ${request.id}: ARP who-has 10\\.0\\.0\\.2 tell 10\\.0\\.0\\.1"\\]`)],
    ['the reply is drawn beside the request it answers', () => hookWalk(arp, request.id), new RegExp(`subgraph r\\["reply, packet ${reply.id}: ARP reply 10\\.0\\.0\\.2 is-at ${mac}"\\]`)],
    ['the request ends in the kernel, which answers it', () => hookWalk(arp, request.id, { detail: 'full' }), /\(\("delivered to kernel \(ARP\), which answers with an ARP reply"\)\)/],
    ['the reply ends in the kernel, which learns the sender', () => hookWalk(arp, reply.id, { detail: 'full' }), /\(\("delivered to kernel \(ARP\), which learns the sender"\)\)/],
    ['an echo request ends in the kernel, which answers it', () => hookWalk(arp, 1, { detail: 'full' }), /\(\("delivered to kernel \(ICMP\), which answers with an echo reply"\)\)/],
  ])('%s', (_name, view, re) => {
    expect(view()).toMatch(re);
  });
  test('no frame is labelled by its (absent) IP protocol', () => {
    expect(ctTimeline(arp) + hookWalk(arp, request.id) + hookWalk(arp, reply.id)).not.toMatch(/proto 0/);
  });
});
