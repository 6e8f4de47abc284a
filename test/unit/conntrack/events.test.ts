import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

// `conntrack -E` captured on kernel 6.18 for events.sh (nc -z, ping, one UDP datagram, conntrack
// -D -p icmp); ephemeral ports and ICMP ids replaced by P and I. The kernel's DESTROY showed 29 s
// left (nc -u exits when the port unreachable arrives, not after -w 1) and a random netlink
// portid; here 1.
const KERNEL = `    [NEW] tcp      6 120 SYN_SENT src=10.0.1.2 dst=10.0.2.2 sport=P dport=80 [UNREPLIED] src=10.0.2.2 dst=10.0.2.1 sport=80 dport=P
 [UPDATE] tcp      6 60 SYN_RECV src=10.0.1.2 dst=10.0.2.2 sport=P dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=P
 [UPDATE] tcp      6 432000 ESTABLISHED src=10.0.1.2 dst=10.0.2.2 sport=P dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=P [ASSURED]
 [UPDATE] tcp      6 120 FIN_WAIT src=10.0.1.2 dst=10.0.2.2 sport=P dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=P [ASSURED]
 [UPDATE] tcp      6 30 LAST_ACK src=10.0.1.2 dst=10.0.2.2 sport=P dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=P [ASSURED]
 [UPDATE] tcp      6 120 TIME_WAIT src=10.0.1.2 dst=10.0.2.2 sport=P dport=80 src=10.0.2.2 dst=10.0.2.1 sport=80 dport=P [ASSURED]
    [NEW] icmp     1 30 src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=I [UNREPLIED] src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=I
 [UPDATE] icmp     1 30 src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=I src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=I
    [NEW] udp      17 30 src=10.0.1.2 dst=10.0.2.2 sport=P dport=53 [UNREPLIED] src=10.0.2.2 dst=10.0.2.1 sport=53 dport=P
[DESTROY] icmp     1 29 src=10.0.1.2 dst=10.0.2.2 type=8 code=0 id=I src=10.0.2.2 dst=10.0.2.1 type=0 code=0 id=I [USERSPACE] portid=1
conntrack v1.4.7 (conntrack-tools): 10 flow events have been shown.
`;

test('conntrack -E: NEW at confirmation, UPDATE on state/reply/assured changes, DESTROY', () => {
  const script = readFileSync(new URL('./events.sh', import.meta.url), 'utf8');
  const r = runOnSimulator(script, 'events.sh');
  const out = r.output.replace(/port=(\d+)/g, (m, p) => (Number(p) >= 32768 ? 'port=P' : m)).replace(/ id=\d+/g, ' id=I');
  expect(out).toBe(KERNEL);
});
