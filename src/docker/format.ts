// What the docker CLI prints: `docker ps`, `docker network ls`, `docker port`, `docker inspect`
// (its networking fields) and `-f` templates over them.
import { ScriptError } from '../userland/tool.ts';
import { mainProcess, lookupImage } from './images.ts';
import type { Container, DockerState, Network } from './types.ts';
import { versionAtLeast } from './versions.ts';

/** Go's text/tabwriter as the docker CLI configures it: minwidth 10, padding 3. */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => {
    if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, Math.max(10, cell.length + 3));
  });
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join('').trimEnd() + '\n').join('');
}

/** go-units HumanDuration. */
export function humanDuration(ns: number): string {
  const seconds = Math.floor(ns / 1e9);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

export function formatNetworkLs(s: DockerState): string {
  const nets = [...s.networks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return tabwrite([['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], ...nets.map((n) => [n.id.slice(0, 12), n.name, n.driver, 'local'])]);
}

function portsColumn(c: Container): string {
  if (!c.running) return '';
  return c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.proto}`).join(', ');
}

export function formatPs(s: DockerState, showAll: boolean, now: number): string {
  const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
  for (const c of [...s.containers].reverse()) {
    if (!c.running && !showAll) continue;
    const image = lookupImage(c.image);
    let command = [...(image.shownEntrypoint ? [image.shownEntrypoint] : []), ...mainProcess(image, c.cmd)].join(' ');
    if (command.length > 20) command = `${command.slice(0, 19)}…`;
    const age = humanDuration(now - c.created);
    rows.push([c.id.slice(0, 12), c.image, `"${command}"`, `${age} ago`, c.running ? `Up ${age}` : 'Exited (0)', portsColumn(c), c.name]);
  }
  return tabwrite(rows);
}

export function formatPort(c: Container, which?: string): string {
  const lines: string[] = [];
  for (const p of c.running ? c.ports : []) {
    const key = `${p.containerPort}/${p.proto}`;
    if (which === undefined) lines.push(`${key} -> ${p.hostIp}:${p.hostPort}`);
    else if (which === key || which === String(p.containerPort)) lines.push(`${p.hostIp}:${p.hostPort}`);
  }
  if (which !== undefined && !lines.length) throw new ScriptError(`Error: No public port '${which.includes('/') ? which : `${which}/tcp`}' published for ${c.name}`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * How Go's text/template prints a struct value ({{.IPAM.Config}}): the fields in declaration
 * order, omitted JSON fields included. Attached as a non-enumerable property, so JSON output is
 * unchanged.
 */
const GO_STRING = Symbol('goString');

function withGoString<T extends object>(value: T, text: string): T {
  Object.defineProperty(value, GO_STRING, { value: text, enumerable: false });
  return value;
}

/**
 * One IPAM config entry. Fields Subnet, IPRange, Gateway, AuxAddress: strings up to 28 (an empty
 * IPRange prints as nothing), netip types from 29 (the API module's IPAMConfig; a zero Prefix
 * prints "invalid Prefix").
 */
function ipamConfig(s: DockerState, subnet: string, gateway: string): Record<string, unknown> {
  const range = versionAtLeast(s.version, '29.0') ? 'invalid Prefix' : '';
  return withGoString({ Subnet: subnet, Gateway: gateway }, `{${subnet} ${range} ${gateway} map[]}`);
}

function networkJson(s: DockerState, n: Network): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  for (const c of s.containers) {
    const ep = c.endpoints.find((e) => e.network === n.name);
    if (ep) containers[c.id] = { Name: c.name, MacAddress: ep.mac, IPv4Address: `${ep.ip}/${n.subnet.split('/')[1]}`, IPv6Address: '' };
  }
  const options: Record<string, string> = n.name === 'bridge'
    ? { 'com.docker.network.bridge.default_bridge': 'true', 'com.docker.network.bridge.enable_icc': String(s.config.icc), 'com.docker.network.bridge.enable_ip_masquerade': 'true', 'com.docker.network.bridge.name': 'docker0' }
    : n.options;
  return {
    Name: n.name,
    Id: n.id,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: n.subnet ? [ipamConfig(s, n.subnet, n.gateway)] : [] },
    Internal: n.internal,
    Containers: containers,
    Options: options,
  };
}

export function formatInspectNetwork(s: DockerState, nets: Network[], format?: string): string {
  const objs = nets.map((n) => networkJson(s, n));
  if (format !== undefined) return objs.map((o) => `${evalTemplate(format, o)}\n`).join('');
  return `${JSON.stringify(objs, null, 4)}\n`;
}

function containerJson(s: DockerState, c: Container): Record<string, unknown> {
  const ports: Record<string, unknown> = {};
  for (const p of c.running ? c.ports : []) {
    const key = `${p.containerPort}/${p.proto}`;
    ports[key] = [...((ports[key] as unknown[]) ?? []), { HostIp: p.hostIp, HostPort: String(p.hostPort) }];
  }
  const networks: Record<string, unknown> = {};
  for (const name of c.networks) {
    const n = s.networks.find((x) => x.name === name);
    const ep = c.endpoints.find((e) => e.network === name);
    networks[name] = {
      IPAMConfig: null, Links: null, Aliases: null,
      MacAddress: ep?.mac ?? '',
      NetworkID: n?.id ?? '',
      Gateway: ep && n && !n.internal ? n.gateway : '',
      IPAddress: ep?.ip ?? '',
      IPPrefixLen: ep && n ? Number(n.subnet.split('/')[1]) : 0,
    };
  }
  const first = c.endpoints[0];
  const firstNet = first ? s.networks.find((x) => x.name === first.network) : undefined;
  const settings: Record<string, unknown> = { Ports: ports };
  if (!versionAtLeast(s.version, '29.0')) {
    // The top-level default-bridge fields (deprecated; gone in 29).
    const onBridge = first && first.network === 'bridge';
    Object.assign(settings, {
      Gateway: onBridge ? firstNet?.gateway ?? '' : '',
      IPAddress: onBridge ? first.ip : '',
      IPPrefixLen: onBridge ? Number(firstNet?.subnet.split('/')[1] ?? 0) : 0,
      MacAddress: onBridge ? first.mac : '',
    });
  }
  settings.Networks = networks;
  return {
    Id: c.id,
    Name: `/${c.name}`,
    State: { Status: c.running ? 'running' : 'exited', Running: c.running },
    Config: { Image: c.image, Cmd: c.cmd.length ? c.cmd : null },
    NetworkSettings: settings,
  };
}

/** A Go template subset: {{.A.B}}, {{range .A}}…{{end}}, {{json .A}}. */
export function evalTemplate(template: string, root: unknown): string {
  const lookup = (dot: unknown, path: string): unknown => {
    if (path === '.') return dot;
    let v: unknown = dot;
    for (const key of path.split('.').slice(1)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return v;
  };
  const show = (v: unknown): string => {
    if (v === undefined || v === null) return '<no value>';
    if (typeof v !== 'object') return String(v);
    const go = (v as Record<symbol, unknown>)[GO_STRING];
    if (typeof go === 'string') return go;
    if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
    // fmt prints a map with its keys sorted.
    return `map[${Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${k}:${show(x)}`).join(' ')}]`;
  };
  const render = (tpl: string, dot: unknown): string => {
    let out = '';
    let i = 0;
    while (i < tpl.length) {
      const open = tpl.indexOf('{{', i);
      if (open < 0) { out += tpl.slice(i); break; }
      out += tpl.slice(i, open);
      const close = tpl.indexOf('}}', open);
      if (close < 0) throw new ScriptError(`template: unclosed action in \`${template}\``);
      const action = tpl.slice(open + 2, close).trim();
      i = close + 2;
      if (action.startsWith('range ')) {
        const end = tpl.indexOf('{{end}}', i);
        if (end < 0) throw new ScriptError(`template: missing {{end}} in \`${template}\``);
        const body = tpl.slice(i, end);
        const v = lookup(dot, action.slice(6).trim());
        if (v && typeof v === 'object') for (const item of Object.values(v)) out += render(body, item);
        i = end + 7;
      } else if (/^index\s/.test(action)) {
        const m = /^index\s+(\.\S*)\s+"([^"]*)"$/.exec(action);
        if (!m) throw new ScriptError(`template: unsupported action {{${action}}}; packetwalk models {{index .Field "key"}}`);
        const container = lookup(dot, m[1]);
        const v = container && typeof container === 'object' ? (container as Record<string, unknown>)[m[2]] : undefined;
        out += v === undefined ? '<no value>' : show(v);
      } else if (action.startsWith('json ')) {
        out += JSON.stringify(lookup(dot, action.slice(5).trim()) ?? null);
      } else if (action.startsWith('.')) {
        out += show(lookup(dot, action));
      } else throw new ScriptError(`template: unsupported action {{${action}}}; packetwalk models {{.Field.Path}}, {{range .X}}…{{end}}, {{json .X}}, {{index .X "key"}}`);
    }
    return out;
  };
  return render(template, root);
}

export function formatInspectContainer(s: DockerState, refs: string[], format?: string): string {
  if (!refs.length) throw new ScriptError('"docker inspect" requires at least 1 argument');
  const objs = refs.map((ref) => {
    const c = s.containers.find((x) => x.name === ref) ?? s.containers.find((x) => ref.length >= 2 && x.id.startsWith(ref));
    if (c) return containerJson(s, c);
    const n = s.networks.find((x) => x.name === ref);
    if (n) return networkJson(s, n);
    throw new ScriptError(`Error: No such object: ${ref}`);
  });
  if (format !== undefined) return objs.map((o) => `${evalTemplate(format, o)}\n`).join('');
  return `${JSON.stringify(objs, null, 4)}\n`;
}
