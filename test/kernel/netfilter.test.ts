// Netfilter facts measured on the real kernel, checked against the simulator: which iptables-nft
// base chains count their policy, when conntrack tracks a namespace at all, legacy vs nft policy
// counters of chains nobody created, and conntrack(8)'s outputs and errors.
//   npx vitest run --project kernel test/kernel/netfilter.test.ts
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernelAsync } from './lib/oracle.ts';
import { runOnSimulator } from './lib/simulator.ts';
import { normalizeOutput, unifiedDiff } from './lib/normalize.ts';

const reason = kernelUnavailableReason();

const ROUTER = `ip link set lo up
ip netns add a
ip netns add b
ip link add ra type veth peer name va netns a
ip link add rb type veth peer name vb netns b
ip addr add 10.0.1.1/24 dev ra
ip addr add 10.0.2.1/24 dev rb
ip link set ra up
ip link set rb up
ip -n a link set lo up
ip -n a addr add 10.0.1.2/24 dev va
ip -n a link set va up
ip -n a route add default via 10.0.1.1
ip -n b link set lo up
ip -n b addr add 10.0.2.2/24 dev vb
ip -n b link set vb up
ip -n b route add default via 10.0.2.1
sysctl -q -w net.ipv4.ip_forward=1
`;

const cases: Array<[string, string]> = [
  [
    'iptables-nft counts a base chain policy only after -P, a restore policy line or -Z',
    `ip link set lo up
iptables -A INPUT -p tcp -j ACCEPT
iptables -t mangle -A INPUT -p tcp -j ACCEPT
iptables -t mangle -Z
iptables -t raw -A OUTPUT -p tcp -j ACCEPT
iptables -t raw -P OUTPUT ACCEPT
iptables -t security -A OUTPUT -p tcp -j ACCEPT
iptables -t security -Z OUTPUT
iptables-restore --noflush <<'EOF2'
*filter
:FORWARD ACCEPT [0:0]
-A FORWARD -p tcp -j ACCEPT
COMMIT
EOF2
ping -c 2 -i 0.1 -q 127.0.0.1 > /dev/null
iptables-save -c
`,
  ],
  [
    'a nat table alone does not make conntrack track; ct-using rules do, and removing them stops it',
    `ip link set lo up
iptables-legacy -t nat -A POSTROUTING -j ACCEPT
ping -c 1 -q 127.0.0.1 > /dev/null
conntrack -C
iptables-legacy -A INPUT -m state --state NEW
ping -c 1 -q 127.0.0.1 > /dev/null
conntrack -C
iptables-legacy -D INPUT -m state --state NEW
ping -c 1 -q 127.0.0.2 > /dev/null
conntrack -C
iptables-legacy-save -c
`,
  ],
  [
    'legacy counts every policy; nft only chains it created, with counters',
    `${ROUTER}iptables-legacy -t mangle -A PREROUTING -j ACCEPT
iptables-legacy -P FORWARD DROP
iptables-legacy -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables-legacy -A FORWARD -i ra -j ACCEPT
iptables-legacy -t nat -A POSTROUTING -s 10.0.1.0/24 -o rb -j MASQUERADE
iptables -t mangle -A PREROUTING -j ACCEPT
iptables -t nat -A POSTROUTING -o rb -j ACCEPT
ip netns exec a ping -c 3 -i 0.1 -q 10.0.2.2 > /dev/null
iptables-legacy-save -c
iptables-save -c
conntrack -L
`,
  ],
  [
    'REJECT replies are RELATED to the rejected (unconfirmed) connection and walk OUTPUT',
    `${ROUTER}iptables-legacy -A FORWARD -p icmp --icmp-type echo-request -j REJECT --reject-with icmp-admin-prohibited
iptables-legacy -A FORWARD -p tcp -j REJECT --reject-with tcp-reset
iptables-legacy -A OUTPUT -m conntrack --ctstate RELATED -j ACCEPT
iptables-legacy -A OUTPUT -m conntrack --ctstate INVALID,NEW -j ACCEPT
ip netns exec a ping -c 2 -i 0.1 -W 1 -q 10.0.2.2 > /dev/null || true
ip netns exec a nc -z -w 1 10.0.2.2 80 || true
iptables-legacy-save -c
conntrack -L
`,
  ],
  [
    'conntrack -L filters, -D, -C, -F and a bad protocol',
    `${ROUTER}iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o rb -j MASQUERADE
ip netns exec b nc -l -k -p 80 > /dev/null &
sleep 1
ip netns exec a nc -z -w 1 10.0.2.2 80
echo hi | ip netns exec a nc -u -w 1 10.0.2.2 53 || true
ip netns exec a ping -c 1 -q 10.0.2.2 > /dev/null
conntrack -L -p tcp
conntrack -L -p icmp -s 10.0.1.2
conntrack -L -d 10.9.9.9
conntrack -C
conntrack -D -p icmp
conntrack -D -p icmp || echo "status $?"
conntrack -L -p foo || echo "status $?"
conntrack -F
conntrack -L
`,
  ],
];

/**
 * Conntrack dumps come in hash order on the kernel: compare them sorted. `-D`'s summary (stderr)
 * comes before its entries when stdout is a file: put it after them, as a terminal shows it.
 */
function canonical(out: string): string {
  const isEntry = (l: string) => /^(tcp|udp|icmp|unknown) /.test(l);
  const lines = normalizeOutput(out).split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/flow entries have been deleted\.$/.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && isEntry(lines[j])) j++;
    if (j > i + 1) lines.splice(j - 1, 0, ...lines.splice(i, 1));
  }
  const res: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (isEntry(lines[i])) {
      const block: string[] = [];
      while (i < lines.length && isEntry(lines[i])) block.push(lines[i++]);
      res.push(...block.sort());
    } else res.push(lines[i++]);
  }
  return res.join('\n');
}

describe.skipIf(reason !== undefined)('netfilter facts: real kernel vs simulator', () => {
  test.each(cases)('%s', async (_name, script) => {
    const k = await runOnKernelAsync(script);
    const s = runOnSimulator(script);
    const diff = unifiedDiff(`exit ${k.status}\n${canonical(k.output)}`, `exit ${s.status}\n${canonical(s.output)}`);
    expect(diff).toBe('');
  });
});
