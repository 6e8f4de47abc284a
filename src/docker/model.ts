// dockerd's model: `expandDockerCommand(state, argv, options)` turns one `docker …`/`dockerd …`
// command into the plain commands dockerd would effectively run (ip, sysctl, iptables, ipset,
// docker-proxy, the container's process), in dockerd's order, plus what the command prints and
// the new state. Pure: ids, names and MACs come from a seeded PRNG kept in the state.
import { formatIpv4, parseCidr, parseIpv4, prefixToMask } from '../kernel/addr.ts';
import { ScriptError } from '../userland/tool.ts';
import { Firewall, afterNewNetwork, driverInit, endpointRules, forgetIsolated, networkRules, portRules } from './firewall.ts';
import { IDLERS, SERVERS, imageKey, inImage, lookupImage, mainProcess } from './images.ts';
import { renderStep } from './script.ts';
import type { Container, DaemonConfig, DockerState, Endpoint, ExpandOptions, Expansion, GatewayMode, Network, PortBinding, Step } from './types.ts';
import { resolveDockerVersion, versionAtLeast } from './versions.ts';
import { formatInspectContainer, formatInspectNetwork, formatNetworkLs, formatPs, formatPort } from './format.ts';

const DEFAULT_POOLS: Array<{ base: string; size: number }> = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

// ------------------------------------------------------------------ PRNG (mulberry32)
function nextRandom(state: DockerState): number {
  let t = (state.rng = (state.rng + 0x6d2b79f5) >>> 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function randomHex(state: DockerState, digits: number): string {
  let s = '';
  while (s.length < digits) s += Math.floor(nextRandom(state) * 0x10000).toString(16).padStart(4, '0');
  return s.slice(0, digits);
}
const ADJECTIVES = ['admiring', 'brave', 'clever', 'dazzling', 'eager', 'festive', 'gifted', 'happy', 'jolly', 'keen', 'loving', 'modest', 'nifty', 'optimistic', 'pensive', 'quirky', 'relaxed', 'serene', 'trusting', 'vibrant', 'wizardly', 'youthful', 'zealous'];
const SURNAMES = ['albattani', 'babbage', 'curie', 'darwin', 'einstein', 'feynman', 'galileo', 'hopper', 'turing', 'kepler', 'lovelace', 'meitner', 'newton', 'noether', 'pasteur', 'ritchie', 'shannon', 'tesla', 'thompson', 'wozniak', 'yalow', 'zhukovsky'];

// ------------------------------------------------------------------ state
export function newDockerState(options: ExpandOptions = {}, config: Partial<DaemonConfig> = {}): DockerState {
  return {
    version: resolveDockerVersion(options.dockerVersion),
    config: { userlandProxy: true, icc: true, ipForward: true, iptables: true, pools: DEFAULT_POOLS, ...config },
    running: false,
    ipForwardBefore: options.ipForward ?? '0',
    networks: [],
    containers: [],
    fw: {},
    rng: (options.seed ?? 1) >>> 0,
    nextHostPort: 32768,
    isolated: [],
  };
}

class Run {
  readonly steps: Step[] = [];
  stdout = '';
  stderr = '';
  exitCode = 0;
  readonly fw: Firewall;
  readonly state: DockerState;
  readonly now: number;
  /** Prefixes dynamic subnet allocation must not overlap (host routes, nameservers). */
  readonly reserved: string[];
  constructor(state: DockerState, now: number, reserved: string[] = []) {
    this.state = state;
    this.now = now;
    this.reserved = reserved;
    this.fw = new Firewall(state, this.steps);
  }
  cmd(...argv: string[]): void {
    this.steps.push({ argv });
  }
  nscmd(netns: string, ...argv: string[]): void {
    this.steps.push({ argv: ['ip', '-n', netns, ...argv] });
  }
  iptables(): boolean {
    return this.state.config.iptables;
  }
}

function subnetOf(cidr: string): { addr: number; prefix: number } {
  const c = parseCidr(cidr);
  if (!c) throw new ScriptError(`Invalid subnet \`${cidr}\`: expected A.B.C.D/N`);
  return { addr: (c.addr & prefixToMask(c.prefix)) >>> 0, prefix: c.prefix };
}
function overlaps(a: string, b: string): boolean {
  const x = subnetOf(a);
  const y = subnetOf(b);
  const p = Math.min(x.prefix, y.prefix);
  const m = prefixToMask(p);
  return ((x.addr & m) >>> 0) === ((y.addr & m) >>> 0);
}

/**
 * What dynamic allocation keeps clear of (libnetwork's FindAvailableNetwork before 27.1,
 * InferReservedNetworks from 27.1): the host's nameservers as /32s and its routes — every
 * non-default route before 23.0, only on-link (scope link) routes from 23.0 (moby#42598).
 */
export function reservedPrefixes(s: DockerState, options: ExpandOptions): string[] {
  const onLinkOnly = versionAtLeast(s.version, '23.0');
  const routes = (options.routes ?? []).filter((r) => r.dst !== 'default' && (r.onLink || !onLinkOnly)).map((r) => (r.dst.includes('/') ? r.dst : `${r.dst}/32`));
  return [...(options.nameservers ?? []).map((a) => `${a}/32`), ...routes].filter((c) => parseCidr(c));
}

function allocateSubnet(state: DockerState, reserved: string[] = []): string {
  for (const pool of state.config.pools) {
    const base = subnetOf(pool.base);
    const count = 2 ** (pool.size - base.prefix);
    for (let i = 0; i < count; i++) {
      const addr = (base.addr + i * 2 ** (32 - pool.size)) >>> 0;
      const cidr = `${formatIpv4(addr)}/${pool.size}`;
      if (state.networks.some((n) => n.subnet && overlaps(n.subnet, cidr))) continue;
      if (reserved.some((r) => overlaps(r, cidr))) continue;
      return cidr;
    }
  }
  throw new ScriptError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
}

function allocateIp(net: Network, wanted?: string): string {
  const sn = subnetOf(net.subnet);
  if (wanted) {
    const a = parseIpv4(wanted);
    if (a === undefined || ((a & prefixToMask(sn.prefix)) >>> 0) !== sn.addr) throw new ScriptError(`Invalid --ip \`${wanted}\`: not in ${net.name}'s subnet ${net.subnet}`);
    if (net.used.includes(wanted) || wanted === net.gateway) {
      throw new ScriptError(`docker: Error response from daemon: Address already in use.`);
    }
    net.used.push(wanted);
    return wanted;
  }
  const size = 2 ** (32 - sn.prefix);
  for (let i = 1; i < size - 1; i++) {
    const ip = formatIpv4((sn.addr + i) >>> 0);
    if (ip !== net.gateway && !net.used.includes(ip)) {
      net.used.push(ip);
      return ip;
    }
  }
  throw new ScriptError(`no available IPv4 addresses on network ${net.name}`);
}

// ------------------------------------------------------------------ daemon
function startDaemon(run: Run): void {
  const s = run.state;
  s.running = true;
  if (s.config.ipForward && s.ipForwardBefore === '0') {
    run.cmd('sysctl', '-w', 'net.ipv4.ip_forward=1');
    if (run.iptables()) run.fw.policy('filter', 'FORWARD', 'DROP');
  }
  if (run.iptables()) driverInit(run.fw);
  // NewNetwork for "none" and "host" (≤ 27 re-arranges DOCKER-USER after each).
  for (const [name, driver] of [['none', 'null'], ['host', 'host']] as const) {
    s.networks.push({ id: randomHex(s, 64), name, driver, bridge: '', subnet: '', gateway: '', internal: false, icc: true, gatewayMode: 'nat', options: {}, used: [], rules: [], created: run.now });
    if (run.iptables()) afterNewNetwork(run.fw);
  }
  let subnet: string;
  let gateway: string;
  if (s.config.bip) {
    const c = parseCidr(s.config.bip);
    if (!c) throw new ScriptError(`Invalid --bip \`${s.config.bip}\`: expected A.B.C.D/N`);
    subnet = `${formatIpv4((c.addr & prefixToMask(c.prefix)) >>> 0)}/${c.prefix}`;
    gateway = formatIpv4(c.addr);
  } else {
    subnet = allocateSubnet(s, run.reserved);
    gateway = formatIpv4((subnetOf(subnet).addr + 1) >>> 0);
  }
  createBridgeNetwork(run, { name: 'bridge', bridge: 'docker0', subnet, gateway, internal: false, icc: s.config.icc, gatewayMode: 'nat', options: {} });
}

function ensureDaemon(run: Run): void {
  if (!run.state.running) startDaemon(run);
}

/** What `docker network create` (or the daemon, for the default bridge) asks for; the bridge
 * name is chosen by createBridgeNetwork when not given. */
type NetworkSpec = Pick<Network, 'name' | 'subnet' | 'gateway' | 'internal' | 'icc' | 'gatewayMode' | 'options'> & { bridge?: string };

function createBridgeNetwork(run: Run, spec: NetworkSpec): Network {
  const s = run.state;
  const id = randomHex(s, 64);
  const bridge = spec.bridge ?? `br-${id.slice(0, 12)}`;
  const net: Network = { id, name: spec.name, driver: 'bridge', bridge, subnet: spec.subnet, gateway: spec.gateway, internal: spec.internal, icc: spec.icc, gatewayMode: spec.gatewayMode, options: spec.options, used: [], rules: [], created: run.now };
  s.networks.push(net);
  const prefix = spec.subnet.split('/')[1];
  // libnetwork's netlink.Bridge{LinkAttrs{Name}} carries IFLA_TXQLEN 0: no `qlen` in ip's listings.
  run.cmd('ip', 'link', 'add', bridge, 'txqueuelen', '0', 'type', 'bridge');
  // setupDevice gives every bridge a random MAC (netutils.GenerateRandomMAC): 02:42:… before 28,
  // any locally administered unicast address from 28. Being set, it stays when ports join (the
  // bridge does not take its lowest port's address).
  if (!versionAtLeast(s.version, '28.0')) run.cmd('ip', 'link', 'set', bridge, 'address', `02:42:${randomHex(s, 8).replace(/(..)(?!$)/g, '$1:')}`);
  else run.cmd('ip', 'link', 'set', bridge, 'address', bridgeMac(id));
  run.cmd('ip', 'addr', 'add', `${spec.gateway}/${prefix}`, 'brd', '+', 'dev', bridge);
  run.cmd('ip', 'link', 'set', bridge, 'up');
  if (!s.config.userlandProxy) run.cmd('sysctl', '-w', `net.ipv4.conf.${bridge}.route_localnet=1`);
  if (run.iptables()) {
    networkRules(run.fw, net);
    afterNewNetwork(run.fw);
  }
  if (!net.icc || (versionAtLeast(s.version, '27.0') && !s.config.userlandProxy)) {
    run.cmd('sysctl', '-w', 'net.bridge.bridge-nf-call-iptables=1');
  }
  return net;
}

/**
 * A 28+ bridge's random MAC, taken from the network id's hex digits after the 12 a bridge name
 * uses (the id is already random; a PRNG draw here would change every later id, name and MAC).
 */
function bridgeMac(id: string): string {
  const b = id.slice(12, 24).match(/../g)!.map((x) => parseInt(x, 16));
  b[0] = (b[0] & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function findNetwork(s: DockerState, ref: string): Network | undefined {
  return s.networks.find((n) => n.name === ref) ?? s.networks.find((n) => n.id.startsWith(ref) && ref.length >= 2);
}
function findContainer(s: DockerState, ref: string): Container | undefined {
  return s.containers.find((c) => c.name === ref) ?? s.containers.find((c) => c.id.startsWith(ref) && ref.length >= 2);
}

// ------------------------------------------------------------------ containers
function macFor(s: DockerState, ip: string): string {
  if (!versionAtLeast(s.version, '28.0')) {
    const a = parseIpv4(ip) ?? 0;
    return ['02', '42', a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].map((x) => (typeof x === 'string' ? x : x.toString(16).padStart(2, '0'))).join(':');
  }
  // 28+: a random, locally administered unicast MAC.
  const bytes = [0, 0, 0, 0, 0, 0].map(() => Math.floor(nextRandom(s) * 256));
  bytes[0] = (bytes[0] & 0xfe) | 0x02;
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function attach(run: Run, c: Container, net: Network, wantedIp: string | undefined, first: boolean): void {
  const s = run.state;
  const ip = allocateIp(net, wantedIp);
  const veth = `veth${randomHex(s, 7)}`;
  const ifname = `eth${c.endpoints.length}`;
  const ep: Endpoint = { network: net.name, ip, mac: macFor(s, ip), veth, ifname, rules: [] };
  c.endpoints.push(ep);
  if (run.iptables()) endpointRules(run.fw, net, ip, ep.rules);
  // The container's end is made as another vethXXXXXXX and renamed in the container. Before 28,
  // libnetwork made both ends in the host's namespace (the peer is registered first, so it takes
  // the host's next ifindex and the host end the one after) and moved the container's end in at
  // Join, where it keeps that ifindex: `4: eth0@if5` beside `5: veth…@if4` (seed 001). From 28.0
  // (createVeth with PeerNamespace) the peer is made in the container's namespace and takes that
  // namespace's next ifindex: `2: eth0@ifN`.
  const peerTmp = containerSideName(veth);
  const inContainer = versionAtLeast(s.version, '28.0');
  // Both ends with a queue length of 0 (netlink.Veth{LinkAttrs{TxQLen: 0}}, PeerTxQLen 0), as seed
  // 001 shows: neither `ip link` on the host nor busybox's in the container prints a qlen.
  if (inContainer) run.cmd('ip', 'link', 'add', veth, 'txqueuelen', '0', 'type', 'veth', 'peer', 'name', peerTmp, 'txqueuelen', '0', 'netns', c.name);
  else run.cmd('ip', 'link', 'add', veth, 'txqueuelen', '0', 'type', 'veth', 'peer', 'name', peerTmp, 'txqueuelen', '0');
  run.cmd('ip', 'link', 'set', veth, 'master', net.bridge);
  if (!s.config.userlandProxy) run.cmd('ip', 'link', 'set', veth, 'type', 'bridge_slave', 'hairpin', 'on');
  run.cmd('ip', 'link', 'set', veth, 'up');
  if (!inContainer) run.cmd('ip', 'link', 'set', peerTmp, 'netns', c.name);
  run.nscmd(c.name, 'link', 'set', peerTmp, 'name', ifname);
  run.nscmd(c.name, 'link', 'set', ifname, 'address', ep.mac);
  run.nscmd(c.name, 'addr', 'add', `${ip}/${net.subnet.split('/')[1]}`, 'brd', '+', 'dev', ifname);
  // From 26.1, setInterfaceIPv6 turns IPv6 off on an interface of an IPv4-only network (before
  // it is up, so it never sends DAD or router solicitations): no inet6 line on eth0 in `ip addr`.
  if (versionAtLeast(s.version, '26.1')) run.steps.push({ argv: ['sysctl', '-q', '-w', `net.ipv6.conf.${ifname}.disable_ipv6=1`], netns: c.name });
  run.nscmd(c.name, 'link', 'set', ifname, 'up');
  if (first && !net.internal) run.nscmd(c.name, 'route', 'add', 'default', 'via', net.gateway);
  if (first) mapPorts(run, c, net, ep);
}

/**
 * The name the container's end has until it is renamed ethN. dockerd draws it at random like the
 * host end's; it never shows, so it is derived from the host end's name instead of drawing from
 * the PRNG (which would change every later id, name and MAC of existing scenarios).
 */
function containerSideName(hostVeth: string): string {
  return `veth${[...hostVeth.slice(4)].map((d) => ((parseInt(d, 16) + 8) % 16).toString(16)).join('')}`;
}

function mapPorts(run: Run, c: Container, net: Network, ep: Endpoint): void {
  const s = run.state;
  if (net.internal) return;
  for (const p of c.ports) {
    if (run.iptables()) portRules(run.fw, net, ep.ip, p, ep.rules);
    if (s.config.userlandProxy && net.gatewayMode !== 'routed') {
      const argv = ['docker-proxy', '-proto', p.proto, '-host-ip', p.hostIp, '-host-port', String(p.hostPort), '-container-ip', ep.ip, '-container-port', String(p.containerPort)];
      run.steps.push({ argv, background: true });
      (ep.proxies ??= []).push(argv);
    }
  }
}

function detach(run: Run, c: Container, ep: Endpoint): void {
  const net = findNetwork(run.state, ep.network);
  // releasePorts: the proxies stop (their ports are free again), then the port rules go.
  for (const argv of ep.proxies ?? []) run.steps.push({ argv, kill: true });
  ep.proxies = [];
  run.fw.removeAll(ep.rules);
  run.cmd('ip', 'link', 'del', ep.veth);
  if (net) net.used = net.used.filter((ip) => ip !== ep.ip);
  c.endpoints = c.endpoints.filter((e) => e !== ep);
}

function startContainer(run: Run, c: Container, wantedIp: string | undefined, detached: boolean, showOutput: boolean): void {
  run.cmd('ip', 'netns', 'add', c.name);
  run.nscmd(c.name, 'link', 'set', 'lo', 'up');
  c.networks.forEach((name, i) => {
    const net = findNetwork(run.state, name);
    if (net && net.driver === 'bridge') attach(run, c, net, i === 0 ? wantedIp : undefined, i === 0);
  });
  c.running = true;
  c.resolver = false;
  if (c.networks.some((n) => isUserNetwork(run.state, n))) startResolver(run, c);
  const image = lookupImage(c.image);
  const argv = mainProcess(image, c.cmd);
  const prog = argv[0].split('/').pop() ?? argv[0];
  if (IDLERS.has(prog) && !(prog === 'sh' && argv.includes('-c'))) return;
  checkTool(c, prog, 'run');
  if (SERVERS.has(prog) || detached) run.steps.push({ argv: inImage(image, argv), netns: c.name, background: true });
  else run.steps.push({ argv: inImage(image, argv), netns: c.name, show: showOutput });
}

/**
 * The port allocator's refusal when a host port C publishes is held by a running container
 * (same protocol, same address or either one 0.0.0.0): the daemon's error text, or undefined.
 * From 28.1 dockerd prefixes "failed to set up container networking: ". The endpoint id is
 * derived from the container id (dockerd draws it at random; it only shows here).
 */
function portConflict(s: DockerState, c: Container): string | undefined {
  const net = findNetwork(s, c.networks[0] ?? '');
  if (!net || net.internal) return undefined;
  for (const p of c.ports) {
    const holder = s.containers.find((o) => o !== c && o.running && o.ports.some((q) => q.proto === p.proto && q.hostPort === p.hostPort && (q.hostIp === p.hostIp || q.hostIp === '0.0.0.0' || p.hostIp === '0.0.0.0')));
    if (!holder) continue;
    const endpointId = [...c.id].reverse().join('');
    const text = `driver failed programming external connectivity on endpoint ${c.name} (${endpointId}): Bind for ${p.hostIp}:${p.hostPort} failed: port is already allocated`;
    return versionAtLeast(s.version, '28.1') ? `failed to set up container networking: ${text}` : text;
  }
  return undefined;
}

/** Embedded DNS serves user-defined bridge networks only (not the default bridge). */
function isUserNetwork(s: DockerState, name: string): boolean {
  const net = findNetwork(s, name);
  return net !== undefined && net.driver === 'bridge' && net.name !== 'bridge';
}

/** The resolver's UDP and TCP ports: random ephemeral ports in dockerd; here derived from the
 * container's id (so deterministic per seed, without drawing from the PRNG, which would move
 * every later id, name and MAC). */
export function resolverPorts(c: Container): { udp: number; tcp: number } {
  const pick = (hex: string) => 32768 + (parseInt(hex, 16) % (60999 - 32768 + 1));
  let udp = pick(c.id.slice(0, 8));
  const tcp = pick(c.id.slice(8, 16));
  if (udp === tcp) udp = udp === 60999 ? 32768 : udp + 1;
  return { udp, tcp };
}

export const RESOLVER_IP = '127.0.0.11';

/**
 * Sandbox.startResolver + setupIPTable (resolver_unix.go, the same rules from 1.13 to 29 with
 * the iptables backend): the resolver listens on 127.0.0.11 at two random ports in the
 * container's namespace, and nat rules there send 127.0.0.11:53 to them (DOCKER_OUTPUT) and
 * give the answers source port 53 (DOCKER_POSTROUTING). The rules are inserted (-I), so each
 * chain lists tcp before udp. The container's /etc/resolv.conf names 127.0.0.11.
 */
function startResolver(run: Run, c: Container): void {
  if (c.resolver) return;
  c.resolver = true;
  const { udp, tcp } = resolverPorts(c);
  const ipt = (...args: string[]) => run.steps.push({ argv: ['iptables', '-t', 'nat', ...args], netns: c.name });
  const ip = RESOLVER_IP;
  ipt('-N', 'DOCKER_OUTPUT');
  ipt('-I', 'OUTPUT', '-d', ip, '-j', 'DOCKER_OUTPUT');
  ipt('-N', 'DOCKER_POSTROUTING');
  ipt('-I', 'POSTROUTING', '-d', ip, '-j', 'DOCKER_POSTROUTING');
  ipt('-I', 'DOCKER_OUTPUT', '-d', ip, '-p', 'udp', '--dport', '53', '-j', 'DNAT', '--to-destination', `${ip}:${udp}`);
  ipt('-I', 'DOCKER_POSTROUTING', '-s', ip, '-p', 'udp', '--sport', String(udp), '-j', 'SNAT', '--to-source', ':53');
  ipt('-I', 'DOCKER_OUTPUT', '-d', ip, '-p', 'tcp', '--dport', '53', '-j', 'DNAT', '--to-destination', `${ip}:${tcp}`);
  ipt('-I', 'DOCKER_POSTROUTING', '-s', ip, '-p', 'tcp', '--sport', String(tcp), '-j', 'SNAT', '--to-source', ':53');
  // The resolver itself (inside dockerd; in packetwalk the docker tool's dockerd-embedded-dns).
  run.steps.push({ argv: ['dockerd-embedded-dns', '-udp', `${ip}:${udp}`, '-tcp', `${ip}:${tcp}`], netns: c.name, background: true });
  // /etc/resolv.conf as `ip netns exec` shows it to the container's processes.
  run.cmd('sh', '-c', `printf 'nameserver ${ip}\\noptions ndots:0\\n' 2>/dev/null >/etc/netns/${c.name}/resolv.conf || true`);
}

function checkTool(c: Container, prog: string, how: 'run' | 'exec'): void {
  const image = lookupImage(c.image);
  if (prog === 'sh' || image.tools.includes(prog)) return;
  const why = `exec: "${prog}": executable file not found in $PATH`;
  throw new ScriptError(
    how === 'run'
      ? `docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown. (image ${imageKey(c.image)} has: ${image.tools.join(', ')})`
      : `OCI runtime exec failed: exec failed: unable to start container process: ${why}: unknown (image ${imageKey(c.image)} has: ${image.tools.join(', ')})`,
  );
}

function stopContainer(run: Run, c: Container): void {
  for (const ep of [...c.endpoints]) detach(run, c, ep);
  run.cmd('ip', 'netns', 'del', c.name);
  c.running = false;
}

// ------------------------------------------------------------------ argv parsing
interface Parsed {
  flags: Map<string, string[]>;
  args: string[];
}

/**
 * Parses docker-style options: FLAGS maps each accepted option (all spellings) to whether it takes
 * a value. Stops at the first positional argument when `stopAtPositional` (docker run IMAGE CMD…).
 */
function parseOptions(argv: string[], flags: Record<string, boolean>, what: string, stopAtPositional: boolean): Parsed {
  const out: Parsed = { flags: new Map(), args: [] };
  const add = (k: string, v: string) => out.flags.set(k, [...(out.flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!(name in flags)) throw unknownFlag(name, flags, what);
      if (flags[name]) {
        const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
        if (v === undefined) throw new ScriptError(`flag needs an argument: ${name} (in ${what})`);
        add(name, v);
      } else add(name, eq < 0 ? 'true' : a.slice(eq + 1));
    } else if (a.startsWith('-') && a.length > 1) {
      // Short options, possibly combined (-dit) or with an attached value (-p8080:80).
      for (let j = 1; j < a.length; j++) {
        const name = `-${a[j]}`;
        if (!(name in flags)) throw unknownFlag(name, flags, what);
        if (flags[name]) {
          const rest = a.slice(j + 1);
          const v = rest.length ? rest.replace(/^=/, '') : argv[++i];
          if (v === undefined) throw new ScriptError(`flag needs an argument: '${a[j]}' in ${name} (in ${what})`);
          add(name, v);
          break;
        }
        add(name, 'true');
      }
    } else {
      out.args.push(a);
      if (stopAtPositional) {
        out.args.push(...argv.slice(i + 1));
        break;
      }
    }
  }
  return out;
}

function unknownFlag(name: string, flags: Record<string, boolean>, what: string): ScriptError {
  return new ScriptError(`unknown flag: ${name} (${what} supports: ${Object.keys(flags).join(' ')})`);
}

const get = (p: Parsed, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = p.flags.get(n);
    if (v) return v[v.length - 1];
  }
  return undefined;
};
const all = (p: Parsed, ...names: string[]): string[] => names.flatMap((n) => p.flags.get(n) ?? []);
const bool = (p: Parsed, ...names: string[]): boolean => names.some((n) => {
  const v = p.flags.get(n);
  return v !== undefined && v[v.length - 1] !== 'false';
});

/**
 * How the docker CLI reports an error of its own or the daemon's for `docker run`: reportError
 * ("docker: MSG.\nSee 'docker run --help'.") before 28.0, withHelp from 28.0.
 */
export function cliError(s: DockerState, command: string, message: string): string {
  if (versionAtLeast(s.version, '28.0')) return `docker: ${message}\n\nRun 'docker ${command} --help' for more information\n`;
  return `docker: ${message.replace(/\.$/, '')}.\nSee 'docker ${command} --help'.\n`;
}

/** A port the CLI's nat.ParsePortSpec accepts: 0–65535 (go-connections parsePortNumber). */
function validPort(text: string | undefined): boolean {
  return text !== undefined && /^\d+$/.test(text) && Number(text) <= 65535;
}

/**
 * -p [IP:][HOSTPORT:]PORT[/PROTO] as the CLI parses it (go-connections nat.ParsePortSpec): a port
 * out of range is the CLI's own error, before anything reaches the daemon. Returns a string (the
 * message) for such an error.
 */
function parsePublish(spec: string, s: DockerState): PortBinding[] | string {
  const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?(?:([^:]*):)?([^:/]+)(?:\/([a-z]+))?$/i.exec(spec);
  if (!m || (m[2] !== undefined && m[2] !== '' && !/^\d+$/.test(m[2])) || !/^\d+$/.test(m[3])) {
    throw new ScriptError(`invalid publish spec \`${spec}\`: packetwalk models [IP:][HOSTPORT:]PORT[/tcp|udp] with single ports (no ranges)`);
  }
  const cap = versionAtLeast(s.version, '25.0') ? 'invalid' : 'Invalid';
  if (!validPort(m[3])) return `${cap} containerPort: ${m[3]}`;
  if (m[2] && !validPort(m[2])) return `${cap} hostPort: ${m[2]}`;
  const proto = (m[4] ?? 'tcp').toLowerCase();
  if (proto === 'sctp') {
    throw new ScriptError(`Publishing SCTP ports (\`-p ${spec}\`) is not modelled: packetwalk's stack has no SCTP and its iptables no sctp match; publish tcp or udp ports`);
  }
  if (proto !== 'tcp' && proto !== 'udp') return `invalid proto: ${proto}`;
  const hostIp = m[1] ?? '0.0.0.0';
  const containerPort = Number(m[3]);
  const hostPort = m[2] ? Number(m[2]) : s.nextHostPort++;
  return [{ proto: proto as PortBinding['proto'], containerPort, hostIp, hostPort }];
}

// ------------------------------------------------------------------ commands
const DOCKERD_FLAGS: Record<string, boolean> = {
  '--userland-proxy': false, '--icc': false, '--ip-forward': false, '--iptables': false, '--bip': true, '--default-address-pool': true,
};

function dockerd(run: Run, argv: string[]): void {
  const s = run.state;
  if (s.running) throw new ScriptError('dockerd is already running in this namespace (start it once, before any docker command, to give it options)');
  const p = parseOptions(argv, DOCKERD_FLAGS, 'dockerd', false);
  if (p.args.length) throw new ScriptError(`dockerd: unexpected argument \`${p.args[0]}\``);
  const flag = (name: string) => {
    const v = get(p, name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw new ScriptError(`invalid boolean value "${v}" for ${name}`);
    return v === 'true';
  };
  s.config.userlandProxy = flag('--userland-proxy') ?? s.config.userlandProxy;
  s.config.icc = flag('--icc') ?? s.config.icc;
  s.config.ipForward = flag('--ip-forward') ?? s.config.ipForward;
  s.config.iptables = flag('--iptables') ?? s.config.iptables;
  s.config.bip = get(p, '--bip') ?? s.config.bip;
  const pools = all(p, '--default-address-pool');
  if (pools.length) {
    s.config.pools = pools.map((text) => {
      const kv = Object.fromEntries(text.split(',').map((x) => x.split('=')));
      if (!kv.base || !kv.size || !parseCidr(kv.base)) throw new ScriptError(`invalid --default-address-pool \`${text}\`: expected base=CIDR,size=N`);
      return { base: kv.base, size: Number(kv.size) };
    });
  }
  startDaemon(run);
}

const NETWORK_CREATE_FLAGS: Record<string, boolean> = { '--driver': true, '-d': true, '--subnet': true, '--gateway': true, '--internal': false, '--opt': true, '-o': true };
const BRIDGE_OPTS = ['com.docker.network.bridge.name', 'com.docker.network.bridge.enable_icc', 'com.docker.network.bridge.gateway_mode_ipv4'];

function networkCmd(run: Run, argv: string[]): void {
  const s = run.state;
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create': {
      const p = parseOptions(rest, NETWORK_CREATE_FLAGS, 'docker network create', false);
      const name = p.args[0];
      if (!name || p.args.length > 1) throw new ScriptError('"docker network create" requires exactly 1 argument (the network name)');
      const driver = get(p, '--driver', '-d') ?? 'bridge';
      if (driver !== 'bridge') throw new ScriptError(`Unsupported network driver \`${driver}\`; packetwalk models: bridge`);
      if (findNetwork(s, name) && s.networks.some((n) => n.name === name)) {
        run.stderr += `Error response from daemon: network with name ${name} already exists\n`;
        run.exitCode = 1;
        return;
      }
      const options: Record<string, string> = {};
      for (const o of all(p, '--opt', '-o')) {
        const eq = o.indexOf('=');
        const k = eq < 0 ? o : o.slice(0, eq);
        if (!BRIDGE_OPTS.includes(k)) throw new ScriptError(`Unsupported network option \`${k}\`; packetwalk models: ${BRIDGE_OPTS.join(', ')}`);
        options[k] = eq < 0 ? '' : o.slice(eq + 1);
      }
      const gwMode = (options['com.docker.network.bridge.gateway_mode_ipv4'] ?? 'nat') as GatewayMode;
      if (!['nat', 'routed', 'nat-unprotected'].includes(gwMode)) throw new ScriptError(`Unsupported gateway_mode_ipv4 \`${gwMode}\`; expected nat, routed or nat-unprotected`);
      if (gwMode !== 'nat' && !versionAtLeast(s.version, '27.0')) throw new ScriptError(`gateway_mode_ipv4 needs Docker 27.0 or newer (the scenario runs ${s.version.version})`);
      const iccOpt = options['com.docker.network.bridge.enable_icc'];
      const icc = iccOpt === undefined ? true : iccOpt === 'true';
      let subnet = get(p, '--subnet');
      if (subnet) {
        const sn = subnetOf(subnet);
        subnet = `${formatIpv4(sn.addr)}/${sn.prefix}`;
        const clash = s.networks.find((n) => n.subnet && overlaps(n.subnet, subnet as string));
        if (clash) {
          run.stderr += `Error response from daemon: invalid pool request: Pool overlaps with other one on this address space\n`;
          run.exitCode = 1;
          return;
        }
      } else subnet = allocateSubnet(s, run.reserved);
      const gateway = get(p, '--gateway') ?? formatIpv4((subnetOf(subnet).addr + 1) >>> 0);
      const net = createBridgeNetwork(run, { name, bridge: options['com.docker.network.bridge.name'], subnet, gateway, internal: bool(p, '--internal'), icc, gatewayMode: gwMode, options });
      run.stdout += `${net.id}\n`;
      return;
    }
    case 'rm':
    case 'remove': {
      if (!rest.length) throw new ScriptError('"docker network rm" requires at least 1 argument');
      for (const ref of rest) {
        const net = findNetwork(s, ref);
        if (!net) {
          // Before 23.0 the client reworded the daemon's 404 (wrapResponseError).
          run.stderr += versionAtLeast(s.version, '23.0') ? `Error response from daemon: network ${ref} not found\n` : `Error: No such network: ${ref}\n`;
          run.exitCode = 1;
          continue;
        }
        if (net.driver !== 'bridge' || net.name === 'bridge') {
          run.stderr += `Error response from daemon: ${net.name} is a pre-defined network and cannot be removed\n`;
          run.exitCode = 1;
          continue;
        }
        if (s.containers.some((c) => c.running && c.endpoints.some((e) => e.network === net.name))) {
          run.stderr += `Error response from daemon: error while removing network: network ${net.name} id ${net.id} has active endpoints\n`;
          run.exitCode = 1;
          continue;
        }
        // L4: the bridge's subnet leaves docker-ext-bridges-v4 (its clean func, netlink.IpsetDel)
        if (s.version.layout === 'L4' && !net.internal) run.fw.steps.push({ argv: ['ipset', 'del', 'docker-ext-bridges-v4', net.subnet] });
        run.fw.removeAll(net.rules);
        // Pairwise isolation (≤ 18.04): rules other networks added against this bridge go too.
        for (const other of s.networks) {
          const mine = other.rules.filter((r) => r.chain === 'DOCKER-ISOLATION' && new RegExp(`-[io] ${net.bridge} `).test(`${r.spec} `));
          run.fw.removeAll(mine);
          other.rules = other.rules.filter((r) => !mine.includes(r));
        }
        forgetIsolated(run.fw, net.bridge);
        run.cmd('ip', 'link', 'del', net.bridge);
        s.networks = s.networks.filter((n) => n !== net);
        run.stdout += `${ref}\n`;
      }
      return;
    }
    case 'ls':
    case 'list':
      if (rest.length) throw new ScriptError(`docker network ls: options are not modelled (got ${rest.join(' ')})`);
      run.stdout += formatNetworkLs(s);
      return;
    case 'inspect': {
      const p = parseOptions(rest, { '-f': true, '--format': true }, 'docker network inspect', false);
      if (!p.args.length) throw new ScriptError('"docker network inspect" requires at least 1 argument');
      // The CLI's inspect.Inspect: the networks found are printed ("[]" / an empty line when
      // none), then the errors of the others, exit 1; the client reworded the daemon's 404
      // before 23.0 (wrapResponseError).
      const nets: Network[] = [];
      const errors: string[] = [];
      for (const ref of p.args) {
        const n = findNetwork(s, ref);
        if (n) nets.push(n);
        else errors.push(versionAtLeast(s.version, '23.0') ? `Error response from daemon: network ${ref} not found` : `Error: No such network: ${ref}`);
      }
      const format = get(p, '-f', '--format');
      run.stdout += nets.length ? formatInspectNetwork(s, nets, format) : format === undefined ? '[]\n' : '\n';
      if (errors.length) {
        run.stderr += `${errors.join('\n')}\n`;
        run.exitCode = 1;
      }
      return;
    }
    case 'connect':
    case 'disconnect': {
      const p = parseOptions(rest, sub === 'connect' ? { '--ip': true, '--alias': true } : { '--force': false, '-f': false }, `docker network ${sub}`, false);
      const [netRef, ctrRef] = p.args;
      const net = netRef ? findNetwork(s, netRef) : undefined;
      const c = ctrRef ? findContainer(s, ctrRef) : undefined;
      if (!net) throw new ScriptError(`Error response from daemon: network ${netRef ?? '(missing)'} not found`);
      if (!c) throw new ScriptError(`Error response from daemon: No such container: ${ctrRef ?? '(missing)'}`);
      if (sub === 'connect') {
        if (c.networks.includes(net.name)) throw new ScriptError(`Error response from daemon: endpoint with name ${c.name} already exists in network ${net.name}`);
        c.networks.push(net.name);
        const aliases = all(p, '--alias');
        if (aliases.length) (c.aliases ??= {})[net.name] = aliases;
        if (c.running) {
          attach(run, c, net, get(p, '--ip'), false);
          if (isUserNetwork(s, net.name)) startResolver(run, c);
        }
      } else {
        if (!c.networks.includes(net.name)) throw new ScriptError(`Error response from daemon: container ${c.id.slice(0, 12)} is not connected to network ${net.name}`);
        c.networks = c.networks.filter((n) => n !== net.name);
        const ep = c.endpoints.find((e) => e.network === net.name);
        if (ep) detach(run, c, ep);
      }
      return;
    }
    default:
      throw new ScriptError(`Unsupported command \`docker network ${sub ?? ''}\`; packetwalk models: create, rm, ls, inspect, connect, disconnect`);
  }
}

const RUN_FLAGS: Record<string, boolean> = {
  '-d': false, '--detach': false, '--rm': false, '-i': false, '--interactive': false, '-t': false, '--tty': false,
  '--name': true, '--network': true, '--net': true, '--ip': true, '--network-alias': true, '--net-alias': true, '-p': true, '--publish': true, '-P': false, '--publish-all': false,
};

function runCmd(run: Run, argv: string[]): void {
  const s = run.state;
  const p = parseOptions(argv, RUN_FLAGS, 'docker run', true);
  const [imageRef, ...cmd] = p.args;
  if (!imageRef) throw new ScriptError('"docker run" requires at least 1 argument (the image)');
  const image = lookupImage(imageRef);
  let name = get(p, '--name');
  const ports: PortBinding[] = [];
  const nextHostPort = s.nextHostPort;
  for (const spec of all(p, '-p', '--publish')) {
    const parsed = parsePublish(spec, s);
    if (typeof parsed === 'string') {
      run.stderr += cliError(s, 'run', parsed);
      run.exitCode = 125;
      return;
    }
    ports.push(...parsed);
  }
  const holder = name ? s.containers.find((c) => c.name === name) : undefined;
  if (holder) {
    s.nextHostPort = nextHostPort; // the daemon refused the container before allocating its ports
    run.stderr += cliError(s, 'run', `Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    run.exitCode = 125;
    return;
  }
  const id = randomHex(s, 64);
  if (!name) {
    do name = `${ADJECTIVES[Math.floor(nextRandom(s) * ADJECTIVES.length)]}_${SURNAMES[Math.floor(nextRandom(s) * SURNAMES.length)]}`;
    while (s.containers.some((c) => c.name === name));
  }
  const netName = get(p, '--network', '--net') ?? 'bridge';
  const net = findNetwork(s, netName);
  if (!net) {
    run.stderr += `docker: Error response from daemon: network ${netName} not found.\n`;
    run.exitCode = 125;
    return;
  }
  if (net.driver !== 'bridge') throw new ScriptError(`Unsupported --network \`${netName}\`; packetwalk models bridge networks (bridge or one made with docker network create)`);
  if (bool(p, '-P', '--publish-all')) {
    for (const e of image.expose) {
      const [port, proto] = e.split('/');
      if (!ports.some((x) => x.containerPort === Number(port) && x.proto === proto)) ports.push({ proto: proto as PortBinding['proto'], containerPort: Number(port), hostIp: '0.0.0.0', hostPort: s.nextHostPort++ });
    }
  }
  const wantedIp = get(p, '--ip');
  if (wantedIp && net.name === 'bridge') {
    run.stderr += 'docker: Error response from daemon: user specified IP address is supported on user defined networks only.\n';
    run.exitCode = 125;
    return;
  }
  const c: Container = { id, name, image: imageRef, cmd, running: false, autoRemove: bool(p, '--rm'), created: run.now, networks: [net.name], ports, endpoints: [] };
  const aliases = all(p, '--network-alias', '--net-alias');
  if (aliases.length) {
    if (!isUserNetwork(s, net.name)) {
      run.stderr += cliError(s, 'run', 'Error response from daemon: network-scoped alias is supported only for containers in user defined networks');
      run.exitCode = 125;
      return;
    }
    c.aliases = { [net.name]: aliases };
  }
  s.containers.push(c);
  const detached = bool(p, '-d', '--detach');
  if (detached) run.stdout += `${id}\n`;
  const taken = portConflict(s, c);
  if (taken) {
    // The container is created but does not start (dockerd rolls its networking back).
    run.stderr += cliError(s, 'run', `Error response from daemon: ${taken}`);
    run.exitCode = 125;
    return;
  }
  startContainer(run, c, wantedIp, detached, true);
  // A foreground container that is not a server or an idler exits when its process ends.
  const argvMain = mainProcess(image, cmd);
  const prog = argvMain[0].split('/').pop() ?? '';
  const exits = !detached && !SERVERS.has(prog) && !(IDLERS.has(prog) && !argvMain.includes('-c'));
  if (exits) {
    stopContainer(run, c);
    if (c.autoRemove) s.containers = s.containers.filter((x) => x !== c);
  }
}

function execCmd(run: Run, argv: string[]): void {
  const s = run.state;
  const p = parseOptions(argv, { '-i': false, '-t': false, '--interactive': false, '--tty': false, '-d': false, '--detach': false }, 'docker exec', true);
  const [ref, ...cmd] = p.args;
  if (!ref || !cmd.length) throw new ScriptError('"docker exec" requires at least 2 arguments (container and command)');
  const c = findContainer(s, ref);
  if (!c) {
    run.stderr += `Error response from daemon: No such container: ${ref}\n`;
    run.exitCode = 1;
    return;
  }
  if (!c.running) {
    run.stderr += `Error response from daemon: container ${c.id} is not running\n`;
    run.exitCode = 1;
    return;
  }
  checkTool(c, cmd[0].split('/').pop() ?? cmd[0], 'exec');
  const detached = bool(p, '-d', '--detach');
  const argvIn = inImage(lookupImage(c.image), cmd);
  run.steps.push(detached ? { argv: argvIn, netns: c.name, background: true } : { argv: argvIn, netns: c.name, show: true });
}

function containersCmd(run: Run, verb: string, argv: string[]): void {
  const s = run.state;
  const flags: Record<string, boolean> = verb === 'rm' ? { '-f': false, '--force': false } : verb === 'stop' || verb === 'restart' ? { '-t': true, '--time': true } : {};
  const p = parseOptions(argv, flags, `docker ${verb}`, false);
  if (!p.args.length) throw new ScriptError(`"docker ${verb}" requires at least 1 argument`);
  // docker start reports the containers it could not start at the end ("Error: failed to start
  // containers: A, B" before 29.0, without "Error: " from 29.0).
  const failed: string[] = [];
  for (const ref of p.args) {
    const c = findContainer(s, ref);
    if (!c) {
      if (verb === 'start') failed.push(ref);
      // docker rm: before 23.0 the client turned the daemon's 404 into "Error: No such
      // container: X" (wrapResponseError; removed by moby 45067cda, first in 23.0). With -f, from 20.10
      // (docker/cli#2678) a missing container is only reported and rm exits 0; from 29.7 it is
      // not even reported (docker/cli "container rm: suppress forced not found errors").
      const wrapped = verb === 'rm' && !versionAtLeast(s.version, '23.0');
      const message = wrapped ? `Error: No such container: ${ref}\n` : `Error response from daemon: No such container: ${ref}\n`;
      if (verb === 'rm' && bool(p, '-f', '--force') && versionAtLeast(s.version, '20.10')) {
        if (!versionAtLeast(s.version, '29.7')) run.stderr += message;
        continue;
      }
      run.stderr += message;
      run.exitCode = 1;
      continue;
    }
    if (verb === 'rm') {
      if (c.running && !bool(p, '-f', '--force')) {
        run.stderr += `Error response from daemon: cannot remove container "/${c.name}": container is running: stop the container before removing or force remove\n`;
        run.exitCode = 1;
        continue;
      }
      if (c.running) stopContainer(run, c);
      s.containers = s.containers.filter((x) => x !== c);
    } else if (verb === 'stop') {
      if (c.running) stopContainer(run, c);
      if (c.autoRemove) s.containers = s.containers.filter((x) => x !== c);
    } else if (verb === 'start') {
      const taken = c.running ? undefined : portConflict(s, c);
      if (taken) {
        run.stderr += `Error response from daemon: ${taken}\n`;
        run.exitCode = 1;
        failed.push(ref);
        continue;
      }
      if (!c.running) startContainer(run, c, undefined, true, false);
    } else if (verb === 'restart') {
      // Stop then start, without auto-removal (dockerd's containerRestart).
      if (c.running) stopContainer(run, c);
      startContainer(run, c, undefined, true, false);
    }
    run.stdout += `${ref}\n`;
  }
  if (failed.length) run.stderr += `${versionAtLeast(s.version, '29.0') ? '' : 'Error: '}failed to start containers: ${failed.join(', ')}\n`;
}

const DOCKER_COMMANDS = ['run', 'exec', 'rm', 'stop', 'start', 'restart', 'port', 'inspect', 'ps', 'network'];

/**
 * Expands one docker or dockerd command. argv[0] is `docker` or `dockerd`. `state` is the daemon
 * state of the namespace (undefined before the first command there); it is not modified.
 */
export function expandDockerCommand(state: DockerState | undefined, argv: string[], options: ExpandOptions = {}): Expansion {
  const s = state ? structuredClone(state) : newDockerState(options);
  const run = new Run(s, options.now ?? 0, reservedPrefixes(s, options));
  const [prog, ...args] = argv;
  if (prog === 'dockerd') dockerd(run, args);
  else if (prog === 'docker') {
    const [sub, ...rest] = args;
    if (!sub || !DOCKER_COMMANDS.includes(sub)) {
      throw new ScriptError(`Unsupported command \`docker ${sub ?? ''}\`; packetwalk models: docker ${DOCKER_COMMANDS.join('|')}, docker network create|rm|ls|inspect|connect|disconnect`);
    }
    ensureDaemon(run);
    switch (sub) {
      case 'network': networkCmd(run, rest); break;
      case 'run': runCmd(run, rest); break;
      case 'exec': execCmd(run, rest); break;
      case 'rm': case 'stop': case 'start': case 'restart': containersCmd(run, sub, rest); break;
      case 'port': {
        const c = rest[0] ? findContainer(s, rest[0]) : undefined;
        if (!c) throw new ScriptError(`Error: No such container: ${rest[0] ?? '(missing)'}`);
        run.stdout += formatPort(c, rest[1]);
        break;
      }
      case 'ps': {
        const p = parseOptions(rest, { '-a': false, '--all': false }, 'docker ps', false);
        run.stdout += formatPs(s, bool(p, '-a', '--all'), run.now);
        break;
      }
      case 'inspect': {
        const p = parseOptions(rest, { '-f': true, '--format': true }, 'docker inspect', false);
        run.stdout += formatInspectContainer(s, p.args, get(p, '-f', '--format'));
        break;
      }
    }
  } else throw new ScriptError(`expandDockerCommand: expected docker or dockerd, got \`${prog}\``);
  return { steps: run.steps, commands: run.steps.map(renderStep), stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode, state: s };
}
