// The compact walk folds only empty structure: on real runs of the simulator, every fact the full
// walk draws (device hops, hooks where a table is met, tables with their rules and verdicts,
// skipped tables with why, routing and bridge decisions, NAT and conntrack on the edges, the end)
// is still in the compact walk, in the same order, and the namespaces are named in the same order.
import { describe, expect, test } from 'vitest';
import { hookWalk } from '../../../src/render/hook-walk.ts';
import { createSession } from '../../../src/scenario/index.ts';
import type { RunRecord } from '../../../src/scenario/record.ts';

interface Step { shape: string; lines: string[] }

/** The steps of one subgraph (`p` or `r`) in order: node, edge, node, edge… */
function steps(text: string, prefix: 'p' | 'r'): Step[] {
  const nodes = new Map<number, Step>();
  const edges = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    const n = new RegExp(`^\\s+${prefix}_(\\d+)(\\(\\[|\\{\\{|\\(\\(|\\[/|\\[|\\(|\\{)"(.*)"(?:\\]\\)|\\}\\}|\\)\\)|/\\]|\\]|\\)|\\})$`).exec(line);
    if (n) nodes.set(Number(n[1]), { shape: n[2], lines: n[3].split('<br/>') });
    const e = new RegExp(`^\\s+${prefix}_(\\d+) -->(?:\\|"(.*)"\\|)? ${prefix}_(\\d+)$`).exec(line);
    if (e) {
      expect(Number(e[3])).toBe(Number(e[1]) + 1);
      edges.set(Number(e[3]), e[2] ? e[2].split('<br/>') : []);
    }
  }
  const out: Step[] = [];
  for (let i = 0; nodes.has(i); i++) {
    if (i > 0) out.push({ shape: 'edge', lines: edges.get(i) ?? [] });
    out.push(nodes.get(i) as Step);
  }
  expect(out.filter((s) => s.shape !== 'edge')).toHaveLength(nodes.size);
  return out;
}

/** Splits a line into its path steps (`a · b`), each without the namespace label it may start with. */
function unlabel(line: string, labels: string[]): { text: string; label?: string }[] {
  return line.split(' · ').map((part) => {
    const label = labels.find((l) => part.startsWith(`${l}: `));
    return label === undefined ? { text: part } : { text: part.slice(label.length + 2), label };
  });
}

/** The facts of a full walk, in order: every line but the hooks where no table is met. */
function fullFacts(walk: Step[], labels: string[]): string[] {
  return walk.flatMap((s, i) => {
    if (s.shape === '{{' && walk[i + 2]?.shape !== '[') return [];
    return s.lines.flatMap((l) => unlabel(l, labels).map((p) => p.text));
  });
}

function namespaces(walk: Step[], labels: string[]): string[] {
  return walk.flatMap((s) => s.lines.flatMap((l) => unlabel(l, labels).flatMap((p) => (p.label === undefined ? [] : [p.label]))));
}

/** Each fact, in order, inside the compact walk's lines (several facts may share a line). */
function missing(facts: string[], walk: Step[], labels: string[]): string[] {
  const lines = walk.flatMap((s) => s.lines.map((l) => unlabel(l, labels).map((p) => p.text).join(' · ')));
  let at = 0;
  let from = 0;
  const lost: string[] = [];
  for (const fact of facts) {
    let found = false;
    for (let i = at; i < lines.length && !found; i++) {
      const k = lines[i].indexOf(fact, i === at ? from : 0);
      if (k >= 0) {
        at = i;
        from = k + fact.length;
        found = true;
      }
    }
    if (!found) lost.push(fact);
  }
  return lost;
}

const SCENARIOS: Array<{ name: string; world?: string; docker?: string; script: string }> = [
  { name: 'container pings the internet (MASQUERADE, two namespaces untouched)', world: 'docker-host', docker: '20.10', script: 'docker run -d --name c1 busybox sleep 1d\ndocker exec c1 ping -c 2 114.114.114.114\n' },
  { name: 'published port (DNAT, the gateway bridges)', world: 'docker-host', docker: '20.10', script: 'docker run -d --name web -p 8080:80 nginx\nip netns exec lanhost curl -s -o /dev/null http://192.168.1.180:8080/\n' },
  { name: 'DOCKER-USER drops a published port (Docker 29)', world: 'docker-host', docker: '29', script: 'docker run -d --name web -p 8080:80 nginx\niptables -I DOCKER-USER -i eth0 -p tcp --dport 8080 -j DROP\nip netns exec lanhost curl -s -o /dev/null --max-time 2 http://192.168.1.180:8080/ || true\n' },
  { name: 'container to container, bridged frames walk iptables', world: 'lan', docker: '17.06', script: 'dockerd --bip=192.168.0.1/20 &\ndocker run -d --name c1 busybox sleep 1d\ndocker run -d --name c2 busybox sleep 1d\ndocker exec c1 ping -c 2 192.168.0.3\n' },
  { name: 'the host pings a container', world: 'docker-host', docker: '20.10', script: 'docker run -d --name c1 busybox sleep 1d\niptables -A INPUT -p icmp\niptables -t nat -A POSTROUTING -p icmp\nping -c 2 172.17.0.2\n' },
  { name: 'REJECT answers with a RST (a reply made by the host)', world: 'docker-host', docker: '20.10', script: 'docker run -d --name web -p 8080:80 nginx\niptables -I DOCKER-USER -p tcp -j REJECT --reject-with tcp-reset\nip netns exec lanhost curl -s -o /dev/null --max-time 1 http://192.168.1.180:8080/ || true\n' },
  { name: 'DNAT in OUTPUT routes the packet again', world: 'docker-host', docker: '20.10', script: 'docker run -d --name c1 busybox sleep 1d\niptables -t nat -A OUTPUT -d 10.9.9.9 -j DNAT --to-destination 172.17.0.2\nping -c 1 10.9.9.9\n' },
  { name: 'hairpin NAT: the packet comes back to the bridge it left', world: 'lan', docker: '20.10', script: 'dockerd --userland-proxy=false &\ndocker run -d --name web -p 8080:80 nginx\ndocker exec web curl -s -o /dev/null http://192.168.1.180:8080/\n' },
  { name: 'ebtables drops a bridged frame (and ARP walks)', world: 'lan', docker: '17.06', script: 'dockerd --bip=192.168.0.1/20 &\ndocker run -d --name c1 busybox sleep 1d\ndocker run -d --name c2 busybox sleep 1d\nebtables -A FORWARD -p IPv4 --ip-proto icmp -j DROP\ndocker exec c1 ping -c 1 -W 1 192.168.0.3 || true\n' },
  {
    name: 'a router with raw, mangle, nat and filter rules',
    script: [
      'ip netns add client', 'ip netns add server',
      'ip link add veth-c type veth peer name eth0 netns client', 'ip link add veth-s type veth peer name eth0 netns server',
      'ip addr add 10.0.1.1/24 dev veth-c', 'ip addr add 10.0.2.1/24 dev veth-s', 'ip link set veth-c up', 'ip link set veth-s up',
      'ip -n client addr add 10.0.1.2/24 dev eth0', 'ip -n client link set eth0 up', 'ip -n client route add default via 10.0.1.1',
      'ip -n server addr add 10.0.2.2/24 dev eth0', 'ip -n server link set eth0 up', 'ip -n server route add default via 10.0.2.1',
      'sysctl -w net.ipv4.ip_forward=1',
      'iptables -t raw -A PREROUTING -p icmp', 'iptables -t mangle -A FORWARD -p icmp', 'iptables -t nat -A POSTROUTING -p icmp -j MASQUERADE',
      'iptables -A FORWARD -p icmp -m conntrack --ctstate ESTABLISHED',
      'ip -n server route del default', 'ip netns exec client ping -c 2 10.0.2.2', 'ip netns exec client ping -c 1 -W 1 10.9.9.9 || true',
    ].join('\n') + '\n',
  },
];

function run(s: (typeof SCENARIOS)[number]): RunRecord {
  const session = createSession({ ...(s.world ? { world: s.world } : {}), ...(s.docker ? { dockerVersion: s.docker } : {}) });
  const out = session.run(s.script);
  expect(out.exitCode, out.output).toBe(0);
  return session.record();
}

describe('compact walk keeps every fact of the full walk', () => {
  test.each(SCENARIOS)('$name', (s) => {
    const record = run(s);
    const labels = [...new Set(record.events.map((e) => (e.netns === '' ? 'host' : e.netns)))];
    const ids = record.packets.map((p) => p.id);
    expect(ids.length).toBeGreaterThan(0);
    let folded = 0;
    for (const id of ids) {
      const full = hookWalk(record, id, { detail: 'full' });
      const compact = hookWalk(record, id, { detail: 'compact' });
      for (const prefix of ['p', 'r'] as const) {
        const f = steps(full, prefix);
        const c = steps(compact, prefix);
        expect(c.length > 0, `packet ${id} ${prefix}`).toBe(f.length > 0);
        expect(missing(fullFacts(f, labels), c, labels), `packet ${id} ${prefix}: facts of the full walk missing from the compact one`).toEqual([]);
        expect(namespaces(c, labels), `packet ${id} ${prefix}: namespaces`).toEqual(namespaces(f, labels));
        folded += f.length - c.length;
      }
    }
    expect(folded).toBeGreaterThan(0);
  });
});
