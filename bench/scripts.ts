// The scenario scripts the benchmark runs, identically in the simulator and on the real kernel
// (network namespaces). Plain shell of the scenario-script contract (../../shared/DESIGN.md).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Seed 000's first experiment (40 pings through Docker 20.10's rules): the differential scenario. */
export const SEED000_SCRIPT = readFileSync(join(root, 'test/kernel/scenarios/000-seed000-ping-114.sh'), 'utf8');

/** Container c1 172.17.0.2 on docker0; the host's uplink eth0 192.168.1.10; internet host 198.51.100.7 (netns inet). */
export const TOPOLOGY = [
  'ip netns add c1',
  'ip netns add inet',
  'ip link add docker0 type bridge',
  'ip addr add 172.17.0.1/16 dev docker0',
  'ip link set docker0 up',
  'ip link add veth1 type veth peer name eth0 netns c1',
  'ip link set veth1 master docker0',
  'ip link set veth1 up',
  'ip -n c1 link set lo up',
  'ip -n c1 addr add 172.17.0.2/16 dev eth0',
  'ip -n c1 link set eth0 up',
  'ip -n c1 route add default via 172.17.0.1',
  'ip link add eth0 type veth peer name eth0 netns inet',
  'ip addr add 192.168.1.10/24 dev eth0',
  'ip link set eth0 up',
  'ip -n inet link set lo up',
  'ip -n inet addr add 192.168.1.1/24 dev eth0',
  'ip -n inet addr add 198.51.100.7/32 dev lo',
  'ip -n inet link set eth0 up',
  'ip route add default via 192.168.1.1',
  'sysctl -w net.ipv4.ip_forward=1',
].join('\n') + '\n';

/** Docker 29's default rules for docker0 (layout L8, /work/shared/reference/docker-rules/dumps/L8_a.txt), FORWARD policy DROP. */
export const DOCKER29_RULESET = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD DROP [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':DOCKER - [0:0]',
  ':DOCKER-BRIDGE - [0:0]',
  ':DOCKER-CT - [0:0]',
  ':DOCKER-FORWARD - [0:0]',
  ':DOCKER-INTERNAL - [0:0]',
  ':DOCKER-USER - [0:0]',
  '-A FORWARD -j DOCKER-USER',
  '-A FORWARD -j DOCKER-FORWARD',
  '-A DOCKER ! -i docker0 -o docker0 -j DROP',
  '-A DOCKER-BRIDGE -o docker0 -j DOCKER',
  '-A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A DOCKER-FORWARD -j DOCKER-CT',
  '-A DOCKER-FORWARD -j DOCKER-INTERNAL',
  '-A DOCKER-FORWARD -j DOCKER-BRIDGE',
  '-A DOCKER-FORWARD -i docker0 -j ACCEPT',
  'COMMIT',
  '*nat',
  ':PREROUTING ACCEPT [0:0]',
  ':INPUT ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':POSTROUTING ACCEPT [0:0]',
  ':DOCKER - [0:0]',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  'COMMIT',
].join('\n') + '\n';

/**
 * A filter table whose FORWARD chain holds `n` rules that no packet of the benchmark matches
 * (`-s 10.x.y.z/32 -j DROP`), so every forwarded packet scans all of them before the final ACCEPT;
 * plus the MASQUERADE that lets the internet host answer.
 */
export function bigRuleset(n: number): string {
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < n; i++) lines.push(`-A FORWARD -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -j DROP`);
  lines.push('-A FORWARD -j ACCEPT', 'COMMIT');
  lines.push('*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]');
  lines.push('-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE', 'COMMIT');
  return lines.join('\n') + '\n';
}

/** `iptables-restore` (or another restore command) fed RULESET through a heredoc. */
export function restore(ruleset: string, command = 'iptables-restore'): string {
  return `${command} <<'RULES'\n${ruleset}RULES\n`;
}

/** c1 pings the internet host COUNT times: flood (`ping -f`, root on the kernel) or at 2 ms intervals. */
export function pingCommand(count: number, flood: boolean): string {
  return flood
    ? `ip netns exec c1 ping -f -q -c ${count} 198.51.100.7`
    : `ip netns exec c1 ping -q -i 0.002 -c ${count} 198.51.100.7`;
}

/** The packet counter of RULE (e.g. `-A FORWARD -j DOCKER-USER`) in `iptables-save -c` output. */
export function ruleCounter(saveOutput: string, rule: string): number {
  for (const line of saveOutput.split('\n')) {
    const m = /^\[(\d+):(\d+)\] (.*)$/.exec(line);
    if (m && m[3] === rule) return Number(m[1]);
  }
  throw new Error(`no counter for \`${rule}\` in the iptables-save output:\n${saveOutput.slice(0, 1500)}`);
}

/** A Markdown page with N scenario blocks of ~100 forwarded packets (50 pings), each with a console block and a rule table. */
export function benchPage(n: number): string {
  const parts = ['---', 'title: bench', '---', '', '# Benchmark page', ''];
  for (let i = 1; i <= n; i++) {
    parts.push(
      `## Scenario ${i}`, '',
      `:::scenario{#s${i}}`, '```sh',
      TOPOLOGY.trimEnd(), restore(DOCKER29_RULESET).trimEnd(),
      'ip netns exec c1 ping -c 50 -i 0.2 198.51.100.7',
      '```', ':::', '',
      `\`\`\`console scenario=s${i}`, '$ iptables-save -c -t filter', '```', '',
      `::rules{scenario=s${i} table=filter}`, '',
    );
  }
  return parts.join('\n');
}
