// dockerd's model: versions, allocation, names, errors, CLI output formats, and the docker tool
// running its expansion through ctx.run (with recording stand-ins for ip/iptables/sysctl).
import { describe, expect, test } from 'vitest';
import { expandDockerCommand, resolveDockerVersion } from '../../../src/docker/index.ts';
import type { DockerState } from '../../../src/docker/index.ts';
import { evalTemplate, humanDuration, tabwrite } from '../../../src/docker/format.ts';
import { Interpreter } from '../../../src/scenario/interpreter.ts';
import type { Kernel } from '../../../src/kernel/kernel.ts';
import { ScriptError } from '../../../src/userland/tool.ts';
import type { ToolTable } from '../../../src/userland/tool.ts';
import { tools as dockerTools } from '../../../src/userland/docker.ts';

function session(commands: string[], options: { dockerVersion?: string; seed?: number } = {}) {
  let state: DockerState | undefined;
  const results = commands.map((line) => {
    const e = expandDockerCommand(state, line.split(' '), { dockerVersion: options.dockerVersion, seed: options.seed });
    state = e.state;
    return e;
  });
  return { results, state: state as DockerState };
}

describe('versions', () => {
  test.each([
    ['29', '29.7.2', 'L8'], ['29.7.2', '29.7.2', 'L8'], ['28.5.2', '28.5.2', 'L7'], ['28.2', '28.2.2', 'L7'],
    ['28.2.1', '28.2.1', 'L6'], ['28.0', '28.0.4', 'L5'], ['28.0.0', '28.0.0', 'L4'], ['28.1', '28.1.1', 'L5'],
    ['27.5', '27.5.1', 'L3'], ['20.10', '20.10.27', 'L3'], ['18.03', '18.03.1', 'L3'], ['18.03.0', '18.03.0', 'L2'],
    ['18.04', '18.04.0', 'L2'], ['17.06', '17.06.2', 'L2'], ['17.05', '17.05.0', 'L1b'], ['17.03.2-ce', '17.03.2', 'L1a'],
    ['1.13', '1.13.1', 'L1a'], ['v28.0.1', '28.0.1', 'L5'],
  ])('%s → %s (%s)', (text, version, layout) => {
    const v = resolveDockerVersion(text);
    expect([v.version, v.layout]).toEqual([version, layout]);
  });

  test.each(['30.0', '19.04', '28.0.9', 'latest', '1.12'])('unknown version %s lists the known ones', (text) => {
    expect(() => resolveDockerVersion(text)).toThrow(/Unknown Docker version .*(known versions: 1\.13, 17\.03.*29\.7|the .* line has)/);
  });
});

describe('allocation and names', () => {
  test('docker0 172.17/16, then 172.18, 172.19 …; first container .2 with a MAC from its IP (≤ 27)', () => {
    const { state } = session(['docker network create a', 'docker network create b', 'docker run -d --name c1 busybox sleep 1d', 'docker run -d --name c2 --network b busybox sleep 1d'], { dockerVersion: '20.10' });
    expect(state.networks.filter((n) => n.driver === 'bridge').map((n) => `${n.name} ${n.bridge.slice(0, 3)} ${n.subnet} ${n.gateway}`)).toEqual([
      'bridge doc 172.17.0.0/16 172.17.0.1', 'a br- 172.18.0.0/16 172.18.0.1', 'b br- 172.19.0.0/16 172.19.0.1',
    ]);
    expect(state.containers.map((c) => `${c.name} ${c.endpoints[0].ip} ${c.endpoints[0].mac}`)).toEqual(['c1 172.17.0.2 02:42:ac:11:00:02', 'c2 172.19.0.2 02:42:ac:13:00:02']);
  });

  test('bridge names are br- + 12 hex digits of the network id; ids and names are deterministic per seed', () => {
    const a = session(['docker network create app', 'docker run -d busybox sleep 1d'], { seed: 7 });
    const b = session(['docker network create app', 'docker run -d busybox sleep 1d'], { seed: 7 });
    const c = session(['docker network create app', 'docker run -d busybox sleep 1d'], { seed: 8 });
    const net = a.state.networks.find((n) => n.name === 'app');
    expect(net?.bridge).toBe(`br-${net?.id.slice(0, 12)}`);
    expect(a.results[0].stdout).toBe(`${net?.id}\n`);
    expect(a.results.map((r) => r.commands)).toEqual(b.results.map((r) => r.commands));
    expect(a.state.containers[0].name).toMatch(/^[a-z]+_[a-z]+$/);
    expect(c.state.containers[0].id).not.toBe(a.state.containers[0].id);
  });

  test('--default-address-pool and --bip', () => {
    const { state } = session(['dockerd --default-address-pool base=10.10.0.0/16,size=24', 'docker network create n']);
    expect(state.networks.filter((n) => n.subnet).map((n) => n.subnet)).toEqual(['10.10.0.0/24', '10.10.1.0/24']);
    const s2 = session(['dockerd --bip=192.168.5.1/24', 'docker network create n']).state;
    expect(s2.networks.filter((n) => n.subnet).map((n) => `${n.subnet} ${n.gateway}`)).toEqual(['192.168.5.0/24 192.168.5.1', '172.17.0.0/16 172.17.0.1']);
  });

  test('the daemon sets ip_forward and the FORWARD DROP policy only when ip_forward was 0', () => {
    const off = expandDockerCommand(undefined, ['dockerd'], { ipForward: '0' }).commands;
    const on = expandDockerCommand(undefined, ['dockerd'], { ipForward: '1' }).commands;
    expect(off.slice(0, 2)).toEqual(['sysctl -w net.ipv4.ip_forward=1 >/dev/null', 'iptables -t filter -P FORWARD DROP >/dev/null']);
    expect(on.some((c) => c.includes('ip_forward') || c.includes('-P FORWARD'))).toBe(false);
  });

  test('docker rm -f deletes exactly the container\'s rules and its namespace', () => {
    const { results } = session(['docker run -d --name web -p 8080:80 nginx', 'docker rm -f web'], { dockerVersion: '20.10' });
    const proxy = 'docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80$';
    expect(results[1].commands).toEqual([
      `pkill -f '${proxy}' || true; while pgrep -f '${proxy}' >/dev/null; do sleep 0.1; done`,
      'iptables -t nat -D POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE >/dev/null',
      'iptables -t filter -D DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT >/dev/null',
      'iptables -t nat -D DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80 >/dev/null',
      `ip link del ${results[0].state.containers[0].endpoints[0].veth} >/dev/null`,
      'ip netns del web >/dev/null',
    ]);
    expect(results[1].stdout).toBe('web\n');
  });
});

describe('errors name what is supported', () => {
  test.each([
    ['docker run -d --cpus 2 busybox', /unknown flag: --cpus \(docker run supports: .*--publish/],
    ['docker run -d redis', /Unsupported image `redis`; packetwalk models: busybox, alpine, debian, nginx, curlimages\/curl, caddy/],
    ['docker network create -d overlay x', /Unsupported network driver `overlay`; packetwalk models: bridge/],
    ['docker network create -o com.docker.network.driver.mtu=1400 x', /Unsupported network option .*com\.docker\.network\.bridge\.name/],
    ['docker compose up', /Unsupported command `docker compose`; packetwalk models: docker run\|exec/],
    ['docker run debian ping 8.8.8.8', /executable file not found in \$PATH.*image debian has: sh, bash/],
  ])('%s', (line, message) => {
    let thrown: unknown;
    try {
      expandDockerCommand(undefined, line.split(' '));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScriptError);
    expect((thrown as Error).message).toMatch(message);
  });

  const conflict = (id: string) => `docker: Error response from daemon: Conflict. The container name "/c1" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`;
  test.each([
    // version, commands, the last command's stderr (ID = the first container's id), its exit status
    ['29.7', ['docker run -d --name c1 busybox sleep 1d', 'docker run -d --name c1 busybox sleep 1d'], `${conflict('ID')}\n\nRun 'docker run --help' for more information\n`, 125],
    ['27.5', ['docker run -d --name c1 busybox sleep 1d', 'docker run -d --name c1 busybox sleep 1d'], `${conflict('ID')}\nSee 'docker run --help'.\n`, 125],
    ['29.7', ['docker run -d -p 70000:80 nginx'], "docker: invalid hostPort: 70000\n\nRun 'docker run --help' for more information\n", 125],
    ['27.5', ['docker run -d -p 8080:70000 nginx'], "docker: invalid containerPort: 70000.\nSee 'docker run --help'.\n", 125],
    ['24.0', ['docker run -d -p 70000:80 nginx'], "docker: Invalid hostPort: 70000.\nSee 'docker run --help'.\n", 125],
    ['29.7', ['docker run -d -p 80/bogus nginx'], "docker: invalid proto: bogus\n\nRun 'docker run --help' for more information\n", 125],
    // docker rm -f of a missing container: exit 1 before 20.10, reported and 0 from 20.10 (docker/cli#2678), silent from 29.7
    ['19.03', ['docker rm -f nosuch'], 'Error: No such container: nosuch\n', 1],
    ['20.10', ['docker rm -f nosuch'], 'Error: No such container: nosuch\n', 0],
    ['23.0', ['docker rm -f nosuch'], 'Error response from daemon: No such container: nosuch\n', 0],
    ['29.6', ['docker rm --force nosuch'], 'Error response from daemon: No such container: nosuch\n', 0],
    ['29.7', ['docker rm -f nosuch'], '', 0],
    ['29.7', ['docker rm nosuch'], 'Error response from daemon: No such container: nosuch\n', 1],
    ['20.10', ['docker rm nosuch'], 'Error: No such container: nosuch\n', 1],
    ['20.10', ['docker network rm nosuch'], 'Error: No such network: nosuch\n', 1],
    ['29.7', ['docker network rm nosuch'], 'Error response from daemon: network nosuch not found\n', 1],
    ['29.7', ['docker network inspect -f {{.Name}} nosuch'], 'Error response from daemon: network nosuch not found\n', 1],
    ['20.10', ['docker network inspect nosuch bridge'], 'Error: No such network: nosuch\n', 1],
    ['28.5', ['docker start nosuch x'], 'Error response from daemon: No such container: nosuch\nError response from daemon: No such container: x\nError: failed to start containers: nosuch, x\n', 1],
    ['29.7', ['docker start nosuch'], 'Error response from daemon: No such container: nosuch\nfailed to start containers: nosuch\n', 1],
  ] as Array<[string, string[], string, number]>)('%s: %j', (version, commands, stderr, status) => {
    const { results, state } = session(commands, { dockerVersion: version });
    const last = results[results.length - 1];
    expect([last.stderr.replace(state.containers[0]?.id ?? 'none', 'ID'), last.exitCode]).toEqual([stderr, status]);
  });

  test.each([
    ['docker network inspect nosuch', '[]\n'],
    ['docker network inspect -f {{.Name}} nosuch', '\n'],
    ['docker network inspect -f {{.Name}} nosuch bridge', 'bridge\n'],
  ])('%s prints what the CLI flushes: %j', (line, stdout) => {
    const { results } = session([line]);
    expect([results[0].stdout, results[0].exitCode]).toEqual([stdout, 1]);
  });

  test('a name conflict or a bad -p takes no host port from the ephemeral range', () => {
    const { state } = session(['docker run -d --name c1 busybox sleep 1d', 'docker run -d --name c1 -p 80 nginx', 'docker run -d --name c2 -p 80 nginx']);
    expect(state.containers.map((c) => c.ports.map((p) => p.hostPort))).toEqual([[], [32768]]);
  });

  test('-p …/sctp is a clear not-modelled error', () => {
    expect(() => session(['docker run -d -p 8080:80/sctp nginx'])).toThrow(/Publishing SCTP ports \(`-p 8080:80\/sctp`\) is not modelled.*publish tcp or udp/);
  });
});

describe('CLI output', () => {
  test('tabwriter columns (minwidth 10, padding 3) and go-units durations', () => {
    expect(tabwrite([['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], ['0123456789ab', 'bridge', 'bridge', 'local']])).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\n0123456789ab   bridge    bridge    local\n',
    );
    expect([0.5e9, 1e9, 5e9, 60e9, 300e9, 3600e9].map(humanDuration)).toEqual(['Less than a second', '1 second', '5 seconds', 'About a minute', '5 minutes', 'About an hour']);
  });

  test('docker port, ps, network ls, inspect -f', () => {
    const { results } = session([
      'docker run -d --name web -p 8080:80 -p 127.0.0.1:8443:443 nginx', 'docker port web', 'docker port web 80', 'docker network ls',
      'docker inspect -f {{.NetworkSettings.IPAddress}} web',
    ], { dockerVersion: '20.10', seed: 3 });
    expect(results[1].stdout).toBe('80/tcp -> 0.0.0.0:8080\n443/tcp -> 127.0.0.1:8443\n');
    expect(results[2].stdout).toBe('0.0.0.0:8080\n');
    expect(results[3].stdout.split('\n').map((l) => l.replace(/^[0-9a-f]{12}/, 'ID'))).toEqual([
      'NETWORK ID     NAME      DRIVER    SCOPE', 'ID   bridge    bridge    local', 'ID   host      host      local', 'ID   none      null      local', '',
    ]);
    expect(results[4].stdout).toBe('172.17.0.2\n');
    expect(evalTemplate('{{range .A}}{{.B}} {{end}}', { A: { x: { B: 1 }, y: { B: 2 } } })).toBe('1 2 ');
  });
});

// ---------------------------------------------------------------- through the interpreter
function stubKernel(): Kernel {
  return { now: 0, seed: 1, events: [], packets: [], currentCommand: -1, namespaces: new Map([['', {}]]) } as unknown as Kernel;
}

function runScript(script: string) {
  const kernel = stubKernel();
  const log: string[] = [];
  const record = (name: string) => (argv: string[], ctx: { netns: string; background: boolean }) => {
    log.push(`${ctx.netns ? `[${ctx.netns}] ` : ''}${argv.join(' ')}${ctx.background ? ' &' : ''}`);
    return 0;
  };
  const stand: ToolTable = {
    ...dockerTools,
    iptables: record('iptables'),
    ipset: record('ipset'),
    sysctl: (argv, ctx) => {
      if (argv[1] === '-n') {
        ctx.out('0\n');
        return 0;
      }
      return record('sysctl')(argv, ctx);
    },
    ip: (argv, ctx) => {
      if (argv[1] === 'netns' && argv[2] === 'add') (kernel as unknown as { namespaces: Map<string, unknown> }).namespaces.set(argv[3], {});
      return record('ip')(argv, ctx);
    },
    nginx: record('nginx'),
    'docker-proxy': record('docker-proxy'),
    ping: (argv, ctx) => {
      ctx.out(`PING from ${ctx.netns}: ${argv.slice(1).join(' ')}\n`);
      return 0;
    },
    busybox: (argv, ctx) => {
      ctx.out(`busybox ${argv[1]} from ${ctx.netns}: ${argv.slice(2).join(' ')}\n`);
      return 0;
    },
  };
  let output = '';
  const interp = new Interpreter({ kernel, tools: stand, env: { dockerVersion: '20.10' }, terminal: (t) => (output += t) });
  const r = interp.run(script, 't.sh', '');
  return { output, log, exitCode: r.exitCode };
}

describe('the docker tool runs the expansion through ctx.run', () => {
  test('docker run -d -p: every plain command, in the container namespace where it belongs, servers in the background', () => {
    const { output, log, exitCode } = runScript('docker run -d --name web -p 8080:80 nginx\n');
    const expected = expandDockerCommand(undefined, ['docker', 'run', '-d', '--name', 'web', '-p', '8080:80', 'nginx'], { dockerVersion: '20.10', seed: 1, ipForward: '0' });
    expect(exitCode).toBe(0);
    expect(output).toBe(expected.stdout);
    const plain = expected.steps.map((s) => `${s.netns ? `[${s.netns}] ` : ''}${s.argv.join(' ')}${s.background ? ' &' : ''}`);
    expect(plain.filter((l) => l.startsWith('docker-proxy'))).toEqual(['docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80 &']);
    expect(log).toEqual(plain);
    expect(log[log.length - 1]).toBe('[web] nginx -g daemon off; &');
  });

  test('docker exec prints the command\'s output; a missing program is a clear error', () => {
    // busybox's ping is an applet: the expansion calls it through busybox, on the kernel too.
    const { output } = runScript('docker run -d --name c1 busybox sleep 1d\ndocker exec c1 ping -c 1 8.8.8.8\n');
    expect(output.split('\n').slice(1)).toEqual(['busybox ping from c1: -c 1 8.8.8.8', '']);
    expect(() => runScript('docker run -d --name c1 debian sleep 1d\ndocker exec c1 ping 8.8.8.8\n')).toThrow(/executable file not found/);
  });

  test.each([
    ['busybox', 'ping -c 1 8.8.8.8', 'busybox ping -c 1 8.8.8.8'],
    ['alpine', 'ip addr', 'busybox ip addr'],
    ['curlimages/curl', '/bin/ping -c 1 8.8.8.8', 'busybox ping -c 1 8.8.8.8'],
    ['caddy', 'ip route', 'busybox ip route'],
    ['busybox', 'nc -z 8.8.8.8 80', 'nc -z 8.8.8.8 80'],
    ['nginx', 'curl -s http://127.0.0.1/', 'curl -s http://127.0.0.1/'],
  ])('%s: docker exec c1 %s runs `%s` in the container', (image, cmd, runs) => {
    const run = expandDockerCommand(undefined, ['docker', 'run', '-d', '--name', 'c1', image, 'sleep', '1d'], { dockerVersion: '20.10' });
    const exec = expandDockerCommand(run.state, ['docker', 'exec', 'c1', ...cmd.split(' ')], { dockerVersion: '20.10' });
    expect(exec.steps.map((st) => `[${st.netns}] ${st.argv.join(' ')}`)).toEqual([`[c1] ${runs}`]);
  });
});

describe('public API and lifecycle', () => {
  test('src/docker exports exactly these names', async () => {
    const api = await import('../../../src/docker/index.ts');
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_DOCKER_VERSION', 'IMAGES', 'LAYOUTS', 'SERVER_PORTS', 'expandDockerCommand', 'expandScript', 'httpResponse', 'imageHttpResponse',
      'isLayout', 'knownVersions', 'lookupImage', 'newDockerState', 'renderStep', 'renderSteps', 'resolveDockerVersion', 'shellQuote', 'splitShellWords',
    ]);
  });

  test('docker stop removes the container\'s rules and namespace; docker start puts them back in the same place', () => {
    const { results } = session(['docker run -d --name web -p 8080:80 nginx', 'docker stop web', 'docker start web'], { dockerVersion: '29.7' });
    const rules = (r: (typeof results)[number]) => r.commands.filter((c) => c.startsWith('iptables'));
    expect(rules(results[1]).every((c) => c.includes(' -D '))).toBe(true);
    expect(rules(results[1])).toHaveLength(3);
    expect(rules(results[2]).map((c) => c.replace(' -I ', ' -A '))).toEqual(rules(results[0]).slice(-3).map((c) => c.replace(' -I ', ' -A ')));
    expect(results[2].state.containers[0].endpoints[0].ip).toBe('172.17.0.2');
  });

  test('-P publishes the image\'s exposed ports on ports from 32768; docker network connect adds eth1 without a default route', () => {
    const { results, state } = session(['docker run -d --name web -P caddy', 'docker network create app', 'docker network connect app web'], { dockerVersion: '20.10' });
    expect(state.containers[0].ports.map((p) => `${p.hostPort}->${p.containerPort}/${p.proto}`)).toEqual(['32768->80/tcp', '32769->443/tcp', '32770->443/udp', '32771->2019/tcp']);
    expect(results[2].commands.filter((c) => c.startsWith('ip '))).toEqual(expect.arrayContaining([
      // Before 28 both ends are made in the host and the container's end is moved in and renamed.
      expect.stringMatching(/^ip link add veth[0-9a-f]{7} txqueuelen 0 type veth peer name veth[0-9a-f]{7} txqueuelen 0 >\/dev\/null$/),
      expect.stringMatching(/^ip link set veth[0-9a-f]{7} netns web >\/dev\/null$/),
      expect.stringMatching(/^ip -n web link set veth[0-9a-f]{7} name eth1 >\/dev\/null$/),
      'ip -n web addr add 172.18.0.2/16 brd + dev eth1 >/dev/null',
    ]));
    expect(results[2].commands.some((c) => c.includes('route add default'))).toBe(false);
  });
});

test('docker network rm on 17.06 also deletes the pairwise isolation rules other networks added against it', () => {
  const { results, state } = session(['docker network create a', 'docker network create b', 'docker network rm a'], { dockerVersion: '17.06' });
  const a = results[0].state.networks.find((n) => n.name === 'a')!.bridge;
  const dels = results[2].commands.filter((c) => c.includes(' -D DOCKER-ISOLATION '));
  expect(dels.length).toBe(4); // a↔docker0 (2, a's own) and a↔b (2, added by b)
  expect(JSON.stringify(state.fw.filter['DOCKER-ISOLATION'])).not.toContain(a);
});
