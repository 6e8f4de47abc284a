import { describe, expect, test } from 'vitest';
import { policyNote, ruleNote } from '../../../src/render/notes.ts';

describe('ruleNote', () => {
  test.each([
    ['-A FORWARD -j DOCKER-USER', 'Send every packet to chain DOCKER-USER. If DOCKER-USER returns them, the next rule here applies.'],
    ['-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', 'Accept packets leaving through docker0, that belong to or are related to a known connection.'],
    ['-A FORWARD -i docker0 ! -o docker0 -j ACCEPT', 'Accept packets arriving on docker0, not leaving through docker0.'],
    ['-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', 'Masquerade packets from 172.17.0.0/16, not leaving through docker0. Their source becomes the address of the interface they leave through.'],
    ['-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80', 'Destination-NAT TCP packets not arriving on docker0, to port 8080. Their destination becomes 172.17.0.2:80.'],
    ['-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', "Send packets addressed to one of this host's own addresses to chain DOCKER. If DOCKER returns them, the next rule here applies."],
    ['-A DOCKER-USER -j RETURN', 'Return every packet to the chain that sent them here.'],
    ['-A INPUT -p icmp -j DROP', 'Drop ICMP packets.'],
    ['-A INPUT -s 10.0.0.1/32 -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset', 'Reject TCP packets from 10.0.0.1, to port 22. The sender gets tcp-reset.'],
    ['-A FORWARD -m comment --comment "docker <script>" -j LOG --log-prefix "FWD: "', 'Log every packet. Comment: “docker <script>”. The kernel log line starts with “FWD: ”; the packet goes on to the next rule.'],
    ['-A FORWARD -i veth+ -g OTHER', 'Send packets arriving on an interface whose name starts with veth to chain OTHER. Unlike a jump, they do not come back here.'],
    ['-A FORWARD -o br-1', 'Count packets leaving through br-1.'],
    ['-A FORWARD -m set --match-set docker-ext-bridges-v4 dst -j DOCKER', 'Send packets whose destination is in ipset docker-ext-bridges-v4 to chain DOCKER. If DOCKER returns them, the next rule here applies.'],
    ['-A POSTROUTING -p sctp -m sctp --sport 5000 -j CHECKSUM --checksum-fill', 'Fill in the checksum of SCTP packets from port 5000.'],
    ['-A INPUT -m hashlimit --hashlimit-upto 5/sec --hashlimit-name x -j ACCEPT', 'Accept packets matching `--hashlimit-upto 5/sec`, matching `--hashlimit-name x`.'],
    ['-A FORWARD -m conntrack --ctstate INVALID -j DROP', 'Drop packets that conntrack cannot place in any connection.'],
  ])('%s', (rule, note) => {
    expect(ruleNote(rule)).toBe(note);
  });
});

describe('policyNote', () => {
  test.each([
    ['FORWARD', 'DROP', "Packets that reach the end of FORWARD are dropped (the chain's policy)."],
    ['INPUT', 'ACCEPT', "Packets that reach the end of INPUT are accepted (the chain's policy)."],
    ['DOCKER', '-', 'Packets that reach the end of DOCKER return to the chain that sent them here.'],
  ])('%s %s', (chain, policy, note) => {
    expect(policyNote(chain, policy)).toBe(note);
  });
});
