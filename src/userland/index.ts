// The tool registry: every command a scenario can call, by name. Each src/userland/<tool>.ts
// module exports `tools: ToolTable`; later modules do not override earlier names.
import type { ToolTable } from './tool.ts';
import { tools as ip } from './ip.ts';
import { tools as sysctl } from './sysctl.ts';
import { tools as bridge } from './bridge.ts';
import { tools as dmesg } from './dmesg.ts';
import { tools as tcpdump } from './tcpdump.ts';
import { tools as shell } from './shell.ts';
import { tools as docker } from './docker.ts';
import { tools as conntrack } from './conntrack.ts';
import { tools as iptables } from './iptables.ts';
import { tools as iptablesSave } from './iptables-save.ts';
import { tools as iptablesRestore } from './iptables-restore.ts';
import { tools as ping } from './ping.ts';
import { tools as ebtables } from './ebtables.ts';
import { tools as nc } from './nc.ts';
import { tools as xtablesMonitor } from './xtables-monitor.ts';
import { tools as curl } from './curl.ts';
import { tools as wget } from './wget.ts';
import { tools as ipset } from './ipset.ts';
import { tools as busybox } from './busybox.ts';

const modules: ToolTable[] = [ip, sysctl, bridge, dmesg, tcpdump, shell, docker, conntrack, iptables, iptablesSave, iptablesRestore, ping, ebtables, nc, xtablesMonitor, curl, wget, ipset, busybox];

export const tools: ToolTable = Object.assign({}, ...modules.slice().reverse());
export type { Tool, ToolContext, ToolTable } from './tool.ts';
export { ScriptError } from './tool.ts';
