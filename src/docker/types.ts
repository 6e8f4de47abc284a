// The shapes of dockerd's model: its state (per namespace where it runs) and the plain commands
// it issues. Everything here is plain data (structuredClone-able), so an expansion is a pure
// function from (state, argv, options) to (commands, output, new state).
import type { DockerVersion } from './versions.ts';

/** One command dockerd (or the docker CLI) effectively runs, as a child process would. */
export interface Step {
  argv: string[];
  /** Namespace to run it in; undefined = the namespace dockerd runs in. */
  netns?: string;
  /** A server left running (`&`): docker-proxy, a container's main process. */
  background?: boolean;
  /** Its output is the docker command's output (docker exec, a foreground docker run). */
  show?: boolean;
  /**
   * Ends the background process started earlier with exactly this argv (dockerd stopping a
   * docker-proxy when the container stops or is removed): the port it held is free again.
   */
  kill?: boolean;
}

export type GatewayMode = 'nat' | 'routed' | 'nat-unprotected';

export interface DaemonConfig {
  userlandProxy: boolean;
  icc: boolean;
  ipForward: boolean;
  iptables: boolean;
  /** --bip: docker0's address with its prefix ("192.168.5.1/24"). */
  bip?: string;
  /** --default-address-pool entries, in order. */
  pools: Array<{ base: string; size: number }>;
}

/** A rule dockerd installed, so that removing a network/container deletes exactly its rules. */
export interface FwRef {
  table: string;
  chain: string;
  spec: string;
}

export interface Network {
  id: string;
  name: string;
  driver: 'bridge' | 'host' | 'null';
  /** Bridge device ('' for host/none). */
  bridge: string;
  /** Masked subnet "172.17.0.0/16". */
  subnet: string;
  gateway: string;
  internal: boolean;
  icc: boolean;
  gatewayMode: GatewayMode;
  options: Record<string, string>;
  /** Allocated container addresses (dotted quads). */
  used: string[];
  rules: FwRef[];
  created: number;
}

export interface PortBinding {
  proto: 'tcp' | 'udp' | 'sctp';
  containerPort: number;
  hostIp: string; // '0.0.0.0' when none given
  hostPort: number;
}

export interface Endpoint {
  network: string; // network name
  ip: string;
  mac: string;
  veth: string; // host-side name
  ifname: string; // inside the container
  rules: FwRef[];
  /** argv of the docker-proxy processes started for this endpoint's published ports. */
  proxies?: string[][];
}

export interface Container {
  id: string;
  name: string;
  image: string;
  cmd: string[];
  running: boolean;
  autoRemove: boolean;
  created: number;
  networks: string[]; // names, in connection order
  ports: PortBinding[];
  endpoints: Endpoint[];
  /** --network-alias / network connect --alias: network name → extra names there. */
  aliases?: Record<string, string[]>;
  /** The embedded DNS resolver is set up in the container's namespace (user-defined networks). */
  resolver?: boolean;
}

export interface DockerState {
  version: DockerVersion;
  config: DaemonConfig;
  running: boolean;
  /** net.ipv4.ip_forward as dockerd found it at start ('0' or '1'). */
  ipForwardBefore: string;
  networks: Network[];
  containers: Container[];
  /** iptables as dockerd sees it: table → chain → rule specs in `iptables -S` form (without "-A CHAIN"). */
  fw: Record<string, Record<string, string[]>>;
  /** Seeded PRNG state (ids, names, MACs). */
  rng: number;
  nextHostPort: number;
  /** Pairwise isolation (≤ 18.04) needs the bridges created so far. */
  isolated: string[];
}

export interface ExpandOptions {
  /** Docker version as the scenario gives it ("20.10", "28.5.2"); default the newest. */
  dockerVersion?: string;
  /** Seed for ids, names and MACs. */
  seed?: number;
  /** Current net.ipv4.ip_forward of the namespace ('0' in a new namespace). */
  ipForward?: string;
  /** Virtual time (ns), for CREATED/STATUS columns. */
  now?: number;
  /**
   * The IPv4 routes of the namespace dockerd runs in (`ip -4 route` destinations, "default"
   * left out), with whether each is on-link (scope link): dynamic subnet allocation skips the
   * pools they overlap, as libnetwork's FindAvailableNetwork / InferReservedNetworks do.
   */
  routes?: Array<{ dst: string; onLink: boolean }>;
  /** The host's nameservers (/etc/resolv.conf): reserved as /32s by the same check. */
  nameservers?: string[];
}

export interface Expansion {
  /** The commands, in dockerd's order, as structured steps. */
  steps: Step[];
  /** The same as shell lines (what a script on the real kernel runs). */
  commands: string[];
  /** What the docker command itself prints (before/after the shown steps' output). */
  stdout: string;
  stderr: string;
  exitCode: number;
  state: DockerState;
}
