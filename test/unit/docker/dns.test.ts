// dockerd's embedded DNS on user-defined networks, in the simulator: names (container name,
// network aliases, short id) resolve per network, not on the default bridge; the nat rules in the
// container's namespace (DOCKER_OUTPUT/DOCKER_POSTROUTING) count the query; other names go to
// the host's nameserver from the container's namespace.
import { describe, expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';
import { expandDockerCommand, resolverPorts } from '../../../src/docker/model.ts';
import type { DockerState } from '../../../src/docker/index.ts';

function run(script: string, dockerVersion = '29.7') {
  const session = createSession({ seed: 1, dockerVersion, world: 'docker-host' });
  const r = session.run(script);
  return { ...r, output: r.output + session.end() };
}

const NETS = `docker network create app >/dev/null
docker network create other >/dev/null
docker run -d --name a --network app busybox sleep 1d >/dev/null
docker run -d --name b --network app --network-alias db busybox sleep 1d >/dev/null
docker run -d --name c busybox sleep 1d >/dev/null
docker run -d --name d --network other busybox sleep 1d >/dev/null
docker network connect --alias cache other b
`;

describe('names resolve on user-defined networks only', () => {
  test.each([
    // from, name, the address ping shows ('' = not resolved)
    ['a', 'b', '172.18.0.3'],
    ['a', 'db', '172.18.0.3'],
    ['d', 'b', '172.19.0.3'],
    ['d', 'cache', '172.19.0.3'],
    ['a', 'cache', ''], // the alias is scoped to network "other"
    ['a', 'd', ''], // d shares no network with a
    ['c', 'b', ''], // the default bridge has no embedded DNS: the host's nameserver says NXDOMAIN
    ['a', 'www.example.com', '93.184.216.34'], // forwarded to the host's nameserver
  ])('%s → %s', (from, name, addr) => {
    const r = run(`${NETS}docker exec ${from} ping -c 1 ${name} || echo failed\n`);
    expect(r.exitCode, r.output).toBe(0);
    if (addr) expect(r.output).toContain(`PING ${name} (${addr})`);
    else expect(r.output).toMatch(new RegExp(`^(?!PING ${name} )[^\n]*${name}[^\n]*\nfailed$`, 'm')); // ping's own "unknown host" message, then the script goes on
  });

  test('by short container id', () => {
    const r = run(`${NETS}docker inspect -f '{{.Id}}' b\n`);
    const id = r.output.trim().split('\n').pop()!.slice(0, 12);
    expect(run(`${NETS}docker exec a ping -c 1 ${id}\n`).output).toContain(`PING ${id} (172.18.0.3)`);
  });
});

describe('the resolver\'s rules in the container\'s namespace', () => {
  test('iptables-save: chains, jumps, tcp before udp (inserted), ports from the container id; counters after one lookup', () => {
    const r = run(`${NETS}docker exec a ping -c 1 b >/dev/null\nip netns exec a iptables-save -c -t nat | grep -v '^#'\nip netns exec a iptables -t nat -nL DOCKER_POSTROUTING\n`);
    let state: DockerState | undefined;
    for (const line of NETS.trim().split('\n')) state = expandDockerCommand(state, line.replace(/ >\/dev\/null$/, '').split(' '), { dockerVersion: '29.7', seed: 1 }).state;
    const { udp, tcp } = resolverPorts(state!.containers.find((c) => c.name === 'a')!);
    expect(r.output.split('\n').slice(-19, -1)).toEqual([
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':INPUT ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      ':DOCKER_OUTPUT - [0:0]',
      ':DOCKER_POSTROUTING - [0:0]',
      '[1:47] -A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT',
      '[1:47] -A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING',
      `[0:0] -A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:${tcp}`,
      `[1:47] -A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${udp}`,
      `[0:0] -A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport ${tcp} -j SNAT --to-source :53`,
      `[0:0] -A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport ${udp} -j SNAT --to-source :53`,
      'COMMIT',
      'Chain DOCKER_POSTROUTING (1 references)',
      'target     prot opt source               destination         ',
      `SNAT       6    --  127.0.0.11           0.0.0.0/0            tcp spt:${tcp} to::53`,
      `SNAT       17   --  127.0.0.11           0.0.0.0/0            udp spt:${udp} to::53`,
    ]);
  });

  test('no resolver (no rules, host resolv.conf) for a container on the default bridge; /etc/resolv.conf names 127.0.0.11 on a user network', () => {
    const r = run(`${NETS}ip netns exec c iptables-save -t nat | grep -c DOCKER_OUTPUT || true\ndocker exec a cat /etc/resolv.conf\ndocker exec c cat /etc/resolv.conf\n`);
    expect(r.output.trim().split('\n').slice(-4)).toEqual(['0', 'nameserver 127.0.0.11', 'options ndots:0', 'nameserver 114.114.114.114']);
  });

  test('stop/start sets the resolver up again in the new namespace', () => {
    const r = run(`${NETS}docker stop a >/dev/null\ndocker start a >/dev/null\ndocker exec a ping -c 1 db\n`);
    expect(r.output).toContain('PING db (172.18.0.3)');
  });

  test('--network-alias on the default bridge is the daemon\'s error', () => {
    const r = run('docker run -d --network-alias x busybox sleep 1d || echo rc=$?\n');
    expect(r.output).toContain("docker: Error response from daemon: network-scoped alias is supported only for containers in user defined networks\n\nRun 'docker run --help' for more information\nrc=125");
  });
});
