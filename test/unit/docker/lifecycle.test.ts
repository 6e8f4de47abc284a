// Container lifecycle in the simulator (docker commands run by the docker tool on the simulated
// stack): stop/start/rm release and re-take published ports (docker-proxy killed, rules removed),
// and dynamic subnets skip the host's routes.
import { describe, expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

function run(script: string, options: { dockerVersion?: string; world?: string } = {}) {
  const session = createSession({ seed: 1, ...options });
  const r = session.run(script);
  return { ...r, output: r.output + session.end() };
}

describe('published ports are released on stop and rm, taken again on start', () => {
  test.each([
    ['29.7', 'stop/start', 'docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker start w\ndocker port w\n', '80/tcp -> 0.0.0.0:8080'],
    ['20.10', 'stop/start', 'docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker start w\ndocker port w\n', '80/tcp -> 0.0.0.0:8080'],
    ['17.03', 'stop/start', 'docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker start w\ndocker port w\n', '80/tcp -> 0.0.0.0:8080'],
    ['29.7', 'rm -f, then another container on the port', 'docker run -d --name w -p 8080:80 nginx\ndocker rm -f w\ndocker run -d --name w2 -p 8080:80 nginx\ndocker port w2\n', '80/tcp -> 0.0.0.0:8080'],
    ['29.7', 'restart', 'docker run -d --name w -p 8080:80 nginx\ndocker restart w\ndocker port w\n', '80/tcp -> 0.0.0.0:8080'],
    ['28.0.0', 'stop, then another container on the port', 'docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker run -d --name w3 -p 8080:80 nginx\ndocker port w3\n', '80/tcp -> 0.0.0.0:8080'],
  ])('%s %s', (dockerVersion, _what, script, port) => {
    const r = run(script, { dockerVersion });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(port);
  });

  test.each([
    ['29.7', 'docker run -d --name w -p 8080:80 nginx\ndocker run -d --name w2 -p 8080:80 nginx || echo rc=$?\n', "docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint w2 (EPID): Bind for 0.0.0.0:8080 failed: port is already allocated\n\nRun 'docker run --help' for more information\nrc=125"],
    ['27.5', 'docker run -d --name w -p 8080:80 nginx\ndocker run -d --name w2 -p 127.0.0.1:8080:80 nginx || echo rc=$?\n', "docker: Error response from daemon: driver failed programming external connectivity on endpoint w2 (EPID): Bind for 127.0.0.1:8080 failed: port is already allocated.\nSee 'docker run --help'.\nrc=125"],
    ['29.7', 'docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker run -d --name w2 -p 8080:80 nginx\ndocker start w || echo rc=$?\n', 'Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint w (EPID): Bind for 0.0.0.0:8080 failed: port is already allocated\nfailed to start containers: w\nrc=1'],
  ])('%s: a host port held by a running container is refused by the port allocator', (dockerVersion, script, tail) => {
    const r = run(script, { dockerVersion });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.replace(/\(([0-9a-f]{64})\)/, '(EPID)')).toContain(tail);
  });

  test('after stop/start the host is served again through the new proxy (curl localhost:8080)', () => {
    const r = run('docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker start w\ncurl -s localhost:8080 | head -1\n', { world: 'docker-host' });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('<!DOCTYPE html>');
  });

  test.each(['29.7', '27.5', '20.10', '17.06'])('%s: the nat and filter rules after stop/start are the rules after run', (dockerVersion) => {
    const save = 'iptables-save | grep -v "^#"\n';
    const once = run(`docker run -d --name w -p 8080:80 nginx\n${save}`, { dockerVersion });
    const again = run(`docker run -d --name w -p 8080:80 nginx\ndocker stop w\ndocker start w\n${save}`, { dockerVersion });
    const restarted = run(`docker run -d --name w -p 8080:80 nginx\ndocker restart w\n${save}`, { dockerVersion });
    const rules = (out: string) => out.split('\n').filter((l) => /^(-A|:|\*)/.test(l)).map((l) => l.replace(/\[\d+:\d+\]/, ''));
    expect(rules(again.output)).toEqual(rules(once.output));
    expect(rules(restarted.output)).toEqual(rules(once.output));
  });

  test('docker stop leaves the proxy\'s port free and no rule for the container', () => {
    const r = run('docker run -d --name w -p 8080:80 nginx\ndocker stop w\niptables-save -t nat | grep -c 8080 || true\n', { dockerVersion: '29.7' });
    expect(r.output.trim().split('\n').pop()).toBe('0');
  });
});

describe('dynamic subnets skip the host\'s routes (docker-host world: eth0 192.168.1.0/24)', () => {
  const script = `${Array.from({ length: 17 }, (_, i) => `docker network create n${i + 1} >/dev/null\n`).join('')}for i in 1 15 16 17; do docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' n$i; done\n`;
  test.each([
    ['29.7', ['172.18.0.0/16', '192.168.16.0/20', '192.168.32.0/20', '192.168.48.0/20']],
    ['20.10', ['172.18.0.0/16', '192.168.16.0/20', '192.168.32.0/20', '192.168.48.0/20']],
  ])('%s', (dockerVersion, subnets) => {
    const r = run(script, { dockerVersion, world: 'docker-host' });
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output.trim().split('\n').slice(-4)).toEqual(subnets);
  });

  test('before 23.0 every non-default route counts, from 23.0 only on-link ones', () => {
    const script = 'ip link add d0 type dummy\nip addr add 10.9.0.1/24 dev d0\nip link set d0 up\nip route add 172.18.0.0/16 via 10.9.0.2\ndocker network create n >/dev/null\ndocker network inspect -f \'{{range .IPAM.Config}}{{.Subnet}}{{end}}\' n\n';
    expect(run(script, { dockerVersion: '20.10' }).output.trim()).toBe('172.19.0.0/16');
    expect(run(script, { dockerVersion: '23.0' }).output.trim()).toBe('172.18.0.0/16');
  });
});
