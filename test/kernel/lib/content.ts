// The site's pages on the real kernel (test/kernel/content.test.ts).
//
// A page is checked as `packetwalk check` checks it (plugins/lib/check.ts), twice:
//   1. capture: the simulator runs every scenario plan of the page (the scenario script, then the
//      page's console commands and view listings, in document order) through a session factory
//      that records each plan: its settings, script and every command with its simulator output;
//   2. the kernel runs each captured plan as one script (world + scenario + commands, docker lines
//      expanded by src/docker, markers between the commands);
//   3. replay: the page is checked again through a factory whose sessions answer with the kernel's
//      output for each command, so every stated output is matched by the very code `check` uses
//      (`...`, the block's `ignore=`), and mismatches come as page:line with a diff.
// Before matching, the kernel's output gets the normalisation the other kernel tests apply where
// the kernel leaves things to chance (normalize.ts): a kernel line that equals a simulator line
// up to conntrack timeouts, ephemeral ports, ICMP/IP ids, rtt figures, timestamps and MACs in
// LOG lines is replaced by that simulator line; conntrack entries are put in the simulator's order
// (the kernel lists them in hash order) and conntrack's count line after its entries (the kernel
// run writes it first: stderr is unbuffered, stdout is flushed at exit). Nothing else changes, so
// a wrong counter, state, address or rule on the page (or in the simulator) still shows.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeafDirective } from 'mdast-util-directive';
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { checkMarkdown, type FileReport } from '../../../plugins/lib/check.ts';
import { processTree } from '../../../plugins/lib/document.ts';
import type { CreateSession, SessionLike, SessionSettings } from '../../../plugins/lib/engine.ts';
import { expandScript } from '../../../src/docker/index.ts';
import { parseConsole } from '../../../src/render/console.ts';
import { consoleCommand, createSession, shellQuote, worldScript } from '../../../src/scenario/index.ts';
import type { RunRecord, SourcePos } from '../../../src/scenario/record.ts';
import { kernelPrelude } from '../docker/lib.ts';

type At = { file?: string; line: number; column: number };

/** One `runCommand` (a console line, or a view's listing) or `record` call of a plan. */
export type CapturedOp =
  | { kind: 'command'; text: string; where: string; at?: At; netns: string; script: string; sim: { output: string; exitCode: number } | { error: string } }
  | { kind: 'record'; record: RunRecord };

/** One scenario plan as the page runs it. */
export interface CapturedPlan {
  page: string;
  /** The scenario's id (`:::scenario{#id}`). */
  id: string;
  settings: SessionSettings;
  script: string;
  at?: At;
  sim: { output: string; exitCode: number; commands?: Array<{ pos: SourcePos; text: string }> } | { error: string };
  ops: CapturedOp[];
}

function snapshot(r: RunRecord): RunRecord {
  return { ...r, commands: r.commands.slice(), packets: r.packets.slice(), events: r.events.slice() };
}

/** The id of the scenario whose script starts at LINE (1-based): the `:::scenario` line above it. */
export function scenarioIdAt(text: string, line: number): string {
  const lines = text.split('\n');
  for (let i = line - 2; i >= 0; i--) {
    const m = /^:::scenario\b.*\{[^}]*#([A-Za-z0-9_-]+)/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return `line-${line}`;
}

/** Runs the page on the simulator (as `packetwalk check` does) and records every plan it runs. */
export async function capturePage(page: string, text: string): Promise<{ report: FileReport; plans: CapturedPlan[]; traces: TraceView[] }> {
  const plans: CapturedPlan[] = [];
  const factory: CreateSession = (settings) => {
    const sim = createSession({ file: settings.file, dockerVersion: settings.dockerVersion, world: settings.world, seed: settings.seed });
    const plan: CapturedPlan = { page, id: '', settings, script: '', sim: { error: 'not run' }, ops: [] };
    plans.push(plan);
    const session: SessionLike = {
      run(script, at) {
        plan.script = script;
        plan.at = at;
        plan.id = scenarioIdAt(text, at?.line ?? 1);
        try {
          const r = sim.run(script, at);
          plan.sim = { output: r.output, exitCode: r.exitCode, commands: r.commands };
          return r;
        } catch (e) {
          plan.sim = { error: (e as Error).message };
          throw e;
        }
      },
      runCommand(cmd, where, at) {
        const c = consoleCommand(sim.kernel, cmd, where);
        const op: CapturedOp = { kind: 'command', text: cmd, where, at, netns: c.netns, script: c.script, sim: { error: 'not run' } };
        plan.ops.push(op);
        try {
          const r = sim.runCommand(cmd, where, at);
          op.sim = { output: r.output, exitCode: r.exitCode };
          return r;
        } catch (e) {
          op.sim = { error: (e as Error).message };
          throw e;
        }
      },
      record() {
        const record = snapshot(sim.record());
        plan.ops.push({ kind: 'record', record });
        return record;
      },
    };
    return session;
  };
  // As checkMarkdown (plugins/lib/check.ts), keeping the tree: the trace views' text is read from it.
  const file = new VFile({ path: page, value: text });
  const report: FileReport = { path: page, scenarios: 0, consoleBlocks: 0, commands: 0, mismatches: [], errors: [] };
  const processor = unified().use(remarkParse).use(remarkDirective);
  const tree = (await processor.run(processor.parse(file), file)) as Root;
  try {
    const r = await processTree(tree, file, { createSession: factory });
    Object.assign(report, { scenarios: r.scenarios, consoleBlocks: r.consoleBlocks, commands: r.commands, mismatches: r.mismatches });
  } catch (e) {
    if (!(e instanceof VFileMessage)) throw e;
    report.error = e;
    report.errors.push(e);
  }
  const traces: TraceView[] = [];
  visit(tree, (node) => {
    const d = node as LeafDirective;
    if (d.type !== 'leafDirective' || d.name !== 'trace') return;
    const attrs = Object.fromEntries(Object.entries(d.attributes ?? {}).map(([k, v]) => [k, v ?? '']));
    traces.push({ line: d.position?.start.line ?? 0, scenario: attrs.scenario ?? '', attrs, text: hastText(d.data?.hChildren ?? [], 'code') });
  });
  return { report, plans, traces };
}

/** A `::trace` view as the page renders it (the simulator's). */
export interface TraceView {
  line: number;
  scenario: string;
  attrs: Record<string, string>;
  text: string;
}

/** The text inside the first TAG element of a hast tree. */
function hastText(nodes: ReadonlyArray<unknown>, tag: string, inside = false): string {
  let out = '';
  for (const n of nodes as Array<{ type: string; tagName?: string; value?: string; children?: unknown[] }>) {
    if (n.type === 'text' && inside) out += n.value ?? '';
    else if (n.children) out += hastText(n.children, tag, inside || n.tagName === tag);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The kernel script

const MARK = '@@PW@@';

// `serve dns|http`, the worlds' servers (src/userland/shell.ts), as on the simulator: DNS answers
// A queries from its records (NXDOMAIN otherwise, AAAA: empty NOERROR) from one UDP socket per
// address of the namespace (as dnsmasq does: an answer leaves from the address asked) and accepts
// TCP on 53 without answering; HTTP is the nginx stand-in.
const SERVE = String.raw`#!/usr/bin/env python3
import os, socket, struct, subprocess, sys, threading
a = sys.argv[1:]
kind, rest = a[0], a[1:]
port = 53 if kind == 'dns' else 80
addrs, records = [], {}
i = 0
while i < len(rest):
    w = rest[i]
    if w in ('--port', '-p'):
        port = int(rest[i + 1]); i += 2; continue
    if w == '--address':
        addrs.append(rest[i + 1]); i += 2; continue
    name, lst = w.split('=', 1)
    records.setdefault(name.lower().rstrip('.'), []).extend(lst.split(','))
    i += 1
def tcp_server(addr, handle):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(64)
    def loop():
        while True:
            c, _ = s.accept()
            threading.Thread(target=handle, args=(c,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
def until_closed(c):
    while c.recv(65536):
        pass
    c.close()
def qname(msg, off):
    labels = []
    while msg[off]:
        n = msg[off]; labels.append(msg[off + 1:off + 1 + n].decode(errors='replace')); off += 1 + n
    return '.'.join(labels), off + 1
def udp_dns(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    def loop():
        while True:
            msg, peer = s.recvfrom(65536)
            if len(msg) < 12:
                continue
            qid, flags = struct.unpack('!HH', msg[:4])
            name, end = qname(msg, 12)
            qtype = struct.unpack('!H', msg[end:end + 2])[0]
            question = msg[12:end + 4]
            known = records.get(name.lower())
            answers = [x for x in known] if (known and qtype == 1) else []
            rcode = 0 if known is not None else 3
            out = struct.pack('!HHHHHH', qid, 0x8000 | (flags & 0x0100) | 0x0080 | rcode, 1, len(answers), 0, 0) + question
            for x in answers:
                out += struct.pack('!HHHIH', 0xC00C, 1, 1, 300, 4) + socket.inet_aton(x)
            s.sendto(out, peer)
    threading.Thread(target=loop, daemon=True).start()
if kind == 'dns':
    on = addrs or [l.split()[3].split('/')[0] for l in subprocess.run(['ip', '-4', '-o', 'addr', 'show'], capture_output=True, text=True).stdout.splitlines() if not l.split()[3].startswith('127.')]
    for x in on:
        udp_dns(x)
        tcp_server(x, until_closed)
else:
    # The worlds' web server is nginx's stand-in (test/kernel/docker/lib.ts), which answers as
    # the simulator's \`serve http\` does on 0.0.0.0:80 (a HEAD aside: it sends the head only).
    if port != 80 or addrs:
        sys.exit('serve http: the kernel stand-in serves port 80 on every address only')
    os.execvp('nginx', ['nginx'])
threading.Event().wait()
`;

let serveDir: string | undefined;
function serveBin(): string {
  if (serveDir) return serveDir;
  serveDir = mkdtempSync(join(tmpdir(), 'pw-content-bin-'));
  writeFileSync(join(serveDir, 'serve'), SERVE);
  chmodSync(join(serveDir, 'serve'), 0o755);
  chmodSync(serveDir, 0o755);
  return serveDir;
}

/**
 * The script's first lines: the docker stand-ins and `serve` on PATH; /etc made private (an
 * overlay on a tmpfs: the worlds write /etc/resolv.conf and /etc/netns/NAME/resolv.conf, which
 * must not reach the machine's own /etc); and the output kept aside and printed base64-encoded at
 * exit, because the oracle's runner drops `# Warning` lines, which pages state.
 */
function prelude(netnsDirs: string[]): string {
  return [
    kernelPrelude().trimEnd(),
    `export PATH=${serveBin()}:$PATH`,
    `__pw_dir=$(dirname "$(readlink -f "$0")")/pw-private`,
    'mkdir -p "$__pw_dir" && mount -t tmpfs tmpfs "$__pw_dir" && mkdir "$__pw_dir/upper" "$__pw_dir/work"',
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$__pw_dir/upper,workdir=$__pw_dir/work" /etc',
    ...netnsDirs.map((n) => `mkdir -p /etc/netns/${shellQuote(n)}`),
    // No IGMP reports for 224.0.0.x (test/kernel/docker/README.md): a new bridge's reports are
    // LOCAL-source packets at random moments (policy counters, MASQUERADE --src-type LOCAL,
    // `unknown 2` conntrack entries); the simulator sends none.
    'sysctl -q -w net.ipv4.igmp_link_local_mcast_reports=0',
    `exec 3>&1 >"$__pw_dir/out" 2>&1`,
    // a file's text, ending with a newline
    `__pw_cat() { cat "$1"; if [ -s "$1" ] && [ -n "$(tail -c1 "$1")" ]; then echo; fi; }`,
    // At exit: end the captures (SIGTERM: tcpdump prints its summary; a background job of a
    // script ignores SIGINT), then their files go into
    // the output after markers.
    `__pw_bgpids=''`,
    `__pw_end() {
  [ -n "$__pw_bgpids" ] && kill -TERM $__pw_bgpids 2>/dev/null; for p in $__pw_bgpids; do wait "$p" 2>/dev/null; done
  for f in "$__pw_dir"/bg*.cmd; do [ -e "$f" ] || continue; echo "${MARK} bg $(cat "$f")"; __pw_cat "\${f%.cmd}"; done
}`,
    `trap '__pw_rc=$?; exec >>"$__pw_dir/out" 2>&1; set +e; __pw_end; exec >&3 2>&3; echo "${MARK} base64"; base64 -w0 "$__pw_dir/out"; echo; echo "${MARK} exit $__pw_rc"' EXIT`,
    // waitlisten NS t|u PORT: until NS ('' = here) has a listening TCP / bound UDP socket on PORT (at most 10 s).
    `waitlisten() {
  for _ in $(seq 200); do
    if [ -n "$1" ]; then ip netns exec "$1" ss -Hln"$2" "sport = :$3"; else ss -Hln"$2" "sport = :$3"; fi | grep -q . && return 0
    sleep 0.05
  done
  echo "waitlisten: nothing listens on $2 port $3 in netns '$1' after 10 s" >&3
}`,
  ].join('\n') + '\n';
}

/**
 * Kernel-side adjustments that keep the run deterministic, as test/kernel/docker/README.md asks:
 * IGMP reports off in every namespace (see prelude), and after each server the script starts in the background (docker-proxy, an image's server, a
 * world's `serve`), wait until it listens: in the simulator they listen at once (time is virtual);
 * on the kernel a python stand-in takes a moment, and a probe sent before would be refused.
 */
export function addListenWaits(script: string): string {
  const out: string[] = [];
  let bg = 0;
  for (const line of script.split('\n')) {
    out.push(line);
    // Every namespace too: a container's eth0 sends IGMP reports ~1 s after it comes up (seen as
    // a 40-byte packet on the host's nat PREROUTING policy in host-to-container.md#host-ping).
    const ns = /^ip netns add (\S+?)(?: >\/dev\/null)?$/.exec(line)?.[1];
    if (ns) out.push(`ip netns exec ${ns} sysctl -q -w net.ipv4.igmp_link_local_mcast_reports=0`);
    if (!/&\s*$/.test(line)) continue;
    const where = /^ip netns exec (\S+) /.exec(line)?.[1] ?? '';
    // A capture the page's trace views show (tcpdump, xtables-monitor): its output goes to a file
    // of its own, line-buffered; the run waits until it listens (the simulator's starts at once)
    // and ends it at exit so that it prints everything (see prelude).
    const capture = /^(?:ip netns exec \S+ )?(tcpdump|xtables-monitor)\b(.*?)\s*&\s*$/.exec(line);
    if (capture) {
      const n = bg++;
      out.pop();
      // (tcpdump --immediate-mode: packets still in the capture buffer at exit are printed too)
      const cmd = line.replace(/\s*&\s*$/, '').replace(/^((?:ip netns exec \S+ )?)/, '$1stdbuf -oL -eL ').replace(/\btcpdump /, 'tcpdump --immediate-mode ');
      out.push(`echo ${shellQuote(line.replace(/\s*&\s*$/, ''))} >"$__pw_dir/bg${n}.cmd"`, `${cmd} >"$__pw_dir/bg${n}" 2>&1 &`, '__pw_bgpids="$__pw_bgpids $!"');
      out.push(capture[1] === 'tcpdump' ? `for _ in $(seq 100); do grep -q '^listening on' "$__pw_dir/bg${n}" && break; sleep 0.05; done` : 'sleep 0.5');
      continue;
    }
    const cmd = line.replace(/^ip netns exec \S+ /, '');
    let m: RegExpExecArray | null;
    if ((m = /^docker-proxy .*-proto tcp .*-host-port (\d+)/.exec(cmd))) out.push(`waitlisten '' t ${m[1]}`);
    else if (/^(nginx|caddy)\b/.test(cmd)) out.push(`waitlisten ${shellQuote(where)} t 80`);
    else if ((m = /^serve (dns|http)\b(?:.*(?:--port|-p) (\d+))?/.exec(cmd))) {
      const port = m[2] ?? (m[1] === 'dns' ? '53' : '80');
      if (m[1] === 'dns') out.push(`waitlisten ${shellQuote(where)} u ${port}`);
      out.push(`waitlisten ${shellQuote(where)} t ${port}`);
    }
  }
  return out.join('\n');
}

/** One captured plan as a script for the real kernel. */
export function kernelScript(plan: CapturedPlan): string {
  const world = plan.settings.world ? worldScript(plan.settings.world) : '';
  const commands = plan.ops.filter((o) => o.kind === 'command');
  const body: string[] = [world, `echo '${MARK} script'`, plan.script.replace(/\n*$/, ''), `echo '${MARK} script-end'`, 'set +e'];
  // Each command's stdout and stderr go to files of their own (a background job's output stays
  // in the main stream), printed after it between markers; see mergeStreams.
  commands.forEach((op, i) => {
    body.push(`echo '${MARK} op ${i}'`, `exec >"$__pw_dir/o" 2>"$__pw_dir/e"`);
    body.push(op.netns === '' ? op.script : `ip netns exec ${shellQuote(op.netns)} bash -c ${shellQuote(op.script)}`);
    body.push('__pw_rc=$?', 'exec >>"$__pw_dir/out" 2>&1');
    body.push(`echo '${MARK} stdout'; __pw_cat "$__pw_dir/o"; echo '${MARK} stderr'; __pw_cat "$__pw_dir/e"; echo "${MARK} rc $__pw_rc"`);
  });
  const expanded = expandScript(body.join('\n') + '\n', { dockerVersion: plan.settings.dockerVersion, seed: plan.settings.seed ?? 1, ipForward: '0' }).script;
  const netnsDirs = [...new Set([...world.matchAll(/\/etc\/netns\/([^/\s]+)\//g)].map((m) => m[1]!))];
  return prelude(netnsDirs) + addListenWaits(expanded);
}

export interface KernelRun {
  /** The scenario script's output (after the world), or undefined when the run never got there. */
  script?: string;
  /** Whether the scenario script ran to its end. */
  scriptDone: boolean;
  /** Each command's stdout, stderr and exit status, in order; missing when the run stopped before it. */
  ops: Array<{ stdout: string; stderr: string; rc: number } | undefined>;
  status: number;
  /** What the run printed outside the markers (the oracle's messages, a background job's output). */
  raw: string;
  /** The output of each capture the script ran in the background (tcpdump, xtables-monitor), by its command line. */
  captures: Array<{ command: string; output: string }>;
  /** The MAC addresses the script assigns (`ip link set … address M`): not chance. */
  macs?: ReadonlySet<string>;
}

/** The captures a kernel script starts in the background (their command lines), known before it runs. */
export function scriptCaptures(script: string): Array<{ command: string; output: string }> {
  return [...script.matchAll(/^echo (.*) >"\$__pw_dir\/bg\d+\.cmd"$/gm)].map((m) => ({ command: m[1]!.replace(/^'(.*)'$/, '$1').replace(/'\\''/g, "'"), output: '' }));
}

/** The MAC addresses a kernel script assigns. */
export function assignedMacs(script: string): Set<string> {
  return new Set([...script.matchAll(/\baddress ([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\b/g)].map((m) => m[1]!.toLowerCase()));
}

/** Cuts the kernel's output (the base64 block the prelude prints) at the markers. */
export function splitKernelOutput(output: string, status: number, nOps: number): KernelRun {
  const m = new RegExp(`^${MARK} base64\\n([A-Za-z0-9+/=]*)\\n${MARK} exit (\\d+)$`, 'm').exec(output);
  const text = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : output;
  const run: KernelRun = { scriptDone: false, ops: new Array(nOps).fill(undefined), status, raw: m ? output.replace(m[0], '').trim() : output, captures: [] };
  let capture: string[] | undefined;
  const other: string[] = [];
  let script: string[] | undefined;
  let op: { i: number; stdout: string[]; stderr: string[]; cur: string[] } | undefined;
  for (const line of text.split('\n')) {
    const mk = line.startsWith(`${MARK} `) ? line.slice(MARK.length + 1) : undefined;
    let x: RegExpExecArray | null;
    if (mk && mk.startsWith('bg ')) {
      run.captures.push({ command: mk.slice(3), output: '' });
      capture = [];
      op = undefined;
      if (script) run.script = script.join('\n');
      script = undefined;
    } else if (capture) capture.push(line);
    else if (mk === 'script') script = [];
    else if (mk === 'script-end') {
      run.script = (script ?? []).join('\n') + (script?.length ? '\n' : '');
      run.scriptDone = true;
      script = undefined;
    } else if (mk && (x = /^op (\d+)$/.exec(mk))) op = { i: Number(x[1]), stdout: [], stderr: [], cur: other };
    else if (op && mk === 'stdout') op.cur = op.stdout;
    else if (op && mk === 'stderr') op.cur = op.stderr;
    else if (op && mk && (x = /^rc (\d+)$/.exec(mk))) {
      const join = (l: string[]) => l.map((y) => `${y}\n`).join('');
      run.ops[op.i] = { stdout: join(op.stdout), stderr: join(op.stderr), rc: Number(x[1]) };
      op = undefined;
    } else if (op) op.cur.push(line);
    else if (script) script.push(line);
    else other.push(line);
  }
  // A run that stopped inside the script: keep what it printed so far.
  if (script) run.script = script.join('\n');
  // each capture's text: the lines up to the next capture's marker
  if (run.captures.length) {
    const parts = text.split(new RegExp(`^${MARK} bg .*$\\n?`, 'm')).slice(1);
    run.captures.forEach((c, i) => { c.output = parts[i] ?? ''; });
    const last = run.captures[run.captures.length - 1]!;
    last.output = last.output.replace(new RegExp(`${MARK}[\\s\\S]*$`), '');
  }
  const rest = other.join('\n').trim();
  if (rest) run.raw = [run.raw, rest].filter(Boolean).join('\n');
  return run;
}

// ---------------------------------------------------------------------------------------------
// Normalisation of what the kernel leaves to chance

const CT_LINE = /^(tcp|udp|icmp|unknown|sctp|udplite|gre|dccp)\s+\d+\s+\d+\s/;
const CT_COUNT = /^conntrack v[\d.]+ \(conntrack-tools\): (\d+) flow entries have been (shown|deleted|updated)\.$/;

/**
 * A line with its chance fields masked (numbered per line, so equal values stay equal). MAC
 * addresses are chance unless the script assigns them (`FIXED`, lower case): the kernel gives a
 * veth a random one, the simulator a seeded one.
 */
export function chanceMask(line: string, fixed: ReadonlySet<string> = new Set()): string {
  const seen = new Map<string, string>();
  const tag = (kind: string, v: string) => {
    const key = `${kind}:${v}`;
    if (!seen.has(key)) seen.set(key, `<${kind}${seen.size + 1}>`);
    return seen.get(key)!;
  };
  let s = line.trimEnd();
  if (CT_LINE.test(s)) s = s.replace(/^(\S+\s+\d+\s+)\d+(\s)/, '$1<T>$2');
  return s
    .replace(/^(# Generated by .*? on |# Completed on ).*$/, '$1<DATE>')
    .replace(/\b(sport|dport|SPT|DPT)=(\d+)/g, (m, k: string, v: string) => (Number(v) >= 32768 ? `${k}=${tag('P', v)}` : m))
    .replace(/(\d+\.\d+\.\d+\.\d+)([.:])(\d+)\b/g, (m, a: string, sep: string, v: string) => (Number(v) >= 32768 ? `${a}${sep}${tag('P', v)}` : m))
    .replace(/\bid=(\d+)/g, (_m, v: string) => `id=${tag('ID', v)}`)
    .replace(/\bID=\d+/g, 'ID=<IPID>')
    .replace(/\bid \d+,/g, 'id <ICMPID>,')
    .replace(/^(PACKET|\s*TRACE): (\d+) [0-9a-f]{8}\b/, '$1: $2 <TRACEID>')
    .replace(/\bMAC=[0-9a-f:]+/g, 'MAC=<MAC>')
    // xtables-monitor prints octets without leading zeros (MACSRC=2:42:ac:11:0:2)
    .replace(/\b(MACSRC|MACDST)=([0-9a-f]{1,2}(?::[0-9a-f]{1,2}){5})\b/g, (m, k: string, mac: string) => (fixed.has(mac.split(':').map((o) => o.padStart(2, '0')).join(':')) ? m : `${k}=${tag('MAC', mac)}`))
    .replace(/(?<![0-9a-f:])[0-9a-f]{2}(?::[0-9a-f]{2}){5}(?![0-9a-f:])/g, (mac) => (fixed.has(mac) || mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff' ? mac : tag('MAC', mac)))
    .replace(/time=\d+(?:\.\d+)? ms/g, 'time=<RTT> ms')
    .replace(/, time \d+ms/g, ', time <MS>ms')
    .replace(/rtt min\/avg\/max\/mdev = [\d./]+ ms/g, 'rtt min/avg/max/mdev = <RTT> ms')
    .replace(/^\[\s*\d+\.\d+\]/, '[<TS>]')
    .replace(/\b\d{2}:\d{2}:\d{2}\.\d{6}\b/g, '<HMS>');
}

function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** Index of the first unused simulator line equal to LINE, else equal up to chance fields. */
function simIndexer(sim: string[], fixed: ReadonlySet<string>): (line: string) => number | undefined {
  const used = new Array<boolean>(sim.length).fill(false);
  const masks = sim.map((l) => chanceMask(l, fixed));
  return (line) => {
    let j = sim.findIndex((x, jj) => !used[jj] && x === line);
    if (j < 0) {
      const m = chanceMask(line, fixed);
      j = masks.findIndex((x, jj) => !used[jj] && x === m);
    }
    if (j < 0) return undefined;
    used[j] = true;
    return j;
  };
}

/**
 * One command's stdout and stderr as one text, interleaved as the simulator shows them (the
 * order a terminal shows: the simulator's tools write in order, where the kernel run's stdout is
 * a file, flushed at exit, and stderr is not buffered). A line is placed by the simulator line it
 * equals (up to chance fields); stdout first where that says nothing.
 */
export function mergeStreams(stdout: string, stderr: string, sim: string | undefined, fixed: ReadonlySet<string> = new Set()): string {
  const o = lines(stdout);
  const e = lines(stderr);
  if (e.length === 0 || o.length === 0 || sim === undefined) return [...o, ...e].map((l) => `${l}\n`).join('');
  const index = simIndexer(lines(sim), fixed);
  const ko = o.map(index);
  const ke = e.map(index);
  const out: string[] = [];
  let a = 0;
  let b = 0;
  while (a < o.length || b < e.length) {
    const takeErr = a >= o.length || (b < e.length && ke[b] !== undefined && ko[a] !== undefined && ke[b]! < ko[a]!);
    out.push(takeErr ? e[b++]! : o[a++]!);
  }
  return out.map((l) => `${l}\n`).join('');
}

/**
 * The kernel's output of one command, normalised against the simulator's output of the same
 * command (see the file comment). Returns the text to match the page's stated output with.
 */
export function normalizeKernel(kernel: string, sim: string | undefined, fixed: ReadonlySet<string> = new Set()): string {
  const k = lines(kernel);
  // conntrack's count line: after its entries, as a terminal shows it.
  for (let i = 0; i < k.length; i++) {
    const m = CT_COUNT.exec(k[i]!);
    const n = m ? Number(m[1]) : 0;
    if (!m || n === 0 || (i > 0 && CT_LINE.test(k[i - 1]!))) continue;
    let j = i + 1;
    while (j < k.length && j - i - 1 < n && CT_LINE.test(k[j]!)) j++;
    if (j - i - 1 === n) {
      const [count] = k.splice(i, 1);
      k.splice(j - 1, 0, count!);
      i = j - 1;
    }
  }
  if (sim === undefined) return k.map((l) => `${l}\n`).join('');
  const s = lines(sim);
  const used = new Array<boolean>(s.length).fill(false);
  const from = new Array<number | undefined>(k.length).fill(undefined);
  // exact equals first, then equal up to chance fields (replaced by the simulator's line)
  k.forEach((line, i) => {
    const j = s.findIndex((x, jj) => !used[jj] && x === line);
    if (j >= 0) { used[j] = true; from[i] = j; }
  });
  const masks = s.map((l) => chanceMask(l, fixed));
  k.forEach((line, i) => {
    if (from[i] !== undefined) return;
    const m = chanceMask(line, fixed);
    const j = masks.findIndex((x, jj) => !used[jj] && x === m);
    if (j >= 0) { used[j] = true; from[i] = j; k[i] = s[j]!; }
  });
  // conntrack entries in the simulator's order, block by block
  for (let i = 0; i < k.length; ) {
    if (!CT_LINE.test(k[i]!)) { i++; continue; }
    let j = i;
    while (j < k.length && CT_LINE.test(k[j]!)) j++;
    const block = k.slice(i, j).map((line, n) => ({ line, key: from[i + n] ?? Number.MAX_SAFE_INTEGER, n }));
    block.sort((a, b) => a.key - b.key || a.n - b.n);
    block.forEach((b, n) => { k[i + n] = b.line; });
    i = j;
  }
  return k.map((l) => `${l}\n`).join('');
}

/** A command's kernel output as the page is checked against it. */
export function kernelOutput(r: KernelRun['ops'][number], sim: { output: string } | { error: string }, fixed: ReadonlySet<string> = new Set()): string {
  const text = 'output' in sim ? sim.output : undefined;
  return r ? normalizeKernel(mergeStreams(r.stdout, r.stderr, text, fixed), text, fixed) : '';
}

/** The page's console blocks bound to a scenario: the file line of each command's prompt and its stated lines. */
export function consoleBlocks(text: string): Array<{ line: number; scenario: string; commands: Array<{ line: number; expected: string[] }> }> {
  const blocks: Array<{ line: number; scenario: string; commands: Array<{ line: number; expected: string[] }> }> = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const open = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(all[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    // the closing fence: the same character, at least as long (CommonMark)
    let j = i + 1;
    while (j < all.length && !new RegExp(`^[ \\t]*${fence![0] === '`' ? '`' : '~'}{${fence!.length},}\\s*$`).test(all[j]!)) j++;
    const m = /^console\s.*\bscenario=([A-Za-z0-9_-]+)/.exec(info!);
    if (m) {
      const body = all.slice(i + 1, j).map((l) => l.slice(Math.min(indent!.length, l.length - l.trimStart().length)));
      blocks.push({ line: i + 1, scenario: m[1]!, commands: parseConsole(body.join('\n')).commands.map((c) => ({ line: i + 2 + c.line, expected: c.expected })) });
    }
    i = j;
  }
  return blocks;
}

/** For each console command of the page (by the file line of its prompt): how many output lines it states. */
export function statedOutputs(text: string): Map<number, number> {
  return new Map(consoleBlocks(text).flatMap((b) => b.commands.map((c) => [c.line, c.expected.length] as const)));
}

/**
 * The commands of a plan whose output the page does not state (console commands with no output
 * lines, which the page fills in from the simulator, and the listings views are drawn from), each
 * with the kernel's output (normalised) and the simulator's.
 */
export function unstatedOutputs(text: string, plan: CapturedPlan, run: KernelRun): Array<{ text: string; line?: number; view: boolean; kernel: string; sim: string }> {
  const stated = statedOutputs(text);
  const res: Array<{ text: string; line?: number; view: boolean; kernel: string; sim: string }> = [];
  let i = 0;
  for (const op of plan.ops) {
    if (op.kind !== 'command') continue;
    const r = run.ops[i++];
    const view = !op.at || (op.at.line === plan.at?.line && op.at.column === plan.at?.column);
    if (!view && (stated.get(op.at!.line) ?? 0) > 0) continue;
    const sim = 'output' in op.sim ? op.sim.output : `[simulator error] ${op.sim.error}\n`;
    res.push({ text: op.text, line: view ? undefined : op.at!.line, view, kernel: r ? kernelOutput(r, op.sim, run.macs) : '[no kernel output: the run stopped before]\n', sim });
  }
  return res;
}

/**
 * A `::trace` view beside what the kernel printed for it: the output of the capture the scenario
 * runs in the background (`tcpdump -i IFACE …`, `xtables-monitor --trace`), normalised; or why
 * there is nothing to compare it with.
 */
export function traceOnKernel(view: TraceView, run: KernelRun): { kernel: string; sim: string; capture: string } | { reason: string } {
  const a = view.attrs;
  const netnsOf = (cmd: string) => /^ip netns exec (\S+) /.exec(cmd)?.[1] ?? '';
  if (a.format === 'log') return { reason: 'the kernel log is the machine\'s (see dmesg): LOG lines of a non-initial namespace reach it only with the global nf_log_all_netns' };
  if (a.format === 'xtables-monitor') {
    const c = run.captures.find((x) => /^(?:ip netns exec \S+ )?xtables-monitor\b.*--trace/.test(x.command));
    if (!c) return { reason: 'the scenario runs no `xtables-monitor --trace`: the view shows what it would print' };
    const sim = lines(view.text).map((l) => `${l}\n`).join('');
    let kernel = lines(c.output.replace(/^\n+|\n+$/g, ''));
    if (a.packet !== undefined) {
      // One packet: the kernel's first traced packet (its PACKET lines carry one IP id; the trace
      // id is no key, the kernel changes it on the way), for the view of the run's first packet.
      if (a.packet !== '1') return { reason: 'a view of packet N > 1: the kernel\'s capture is cut only to its first traced packet' };
      const ipid = (l: string) => /^PACKET: .* ID=(\d+) /.exec(l)?.[1];
      const first = kernel.map(ipid).find((x) => x !== undefined);
      let keep = true;
      kernel = kernel.filter((l) => {
        const id = ipid(l);
        if (id !== undefined) keep = id === first;
        return keep;
      });
    }
    return { kernel: normalizeKernel(kernel.map((l) => `${l}\n`).join(''), sim, run.macs), sim, capture: c.command };
  }
  if (a.format === 'tcpdump') {
    if (a.packet !== undefined) return { reason: 'a view of one packet: the kernel\'s capture cannot be cut to the simulator\'s packet numbers' };
    const netns = a.netns === undefined || a.netns === 'host' ? '' : a.netns;
    const c = run.captures.find((x) => netnsOf(x.command) === netns && new RegExp(`^(?:ip netns exec \\S+ )?tcpdump\\b.*\\s-i\\s*${a.interface}(\\s|$)`).test(x.command));
    if (!c) return { reason: `the scenario runs no \`tcpdump -i ${a.interface}\`` };
    // the capture's filter: the words after the options (only \`icmp\` or none is understood here)
    const words = c.command.replace(/^ip netns exec \S+ /, '').split(/\s+/).slice(1);
    const expr: string[] = [];
    for (let i = 0; i < words.length; i++) {
      if (/^-[iwcsCGWEFMrTVyzZ]$/.test(words[i]!)) i++;
      else if (!words[i]!.startsWith('-')) expr.push(words[i]!);
    }
    const filter = expr.join(' ');
    if (filter !== '' && filter !== 'icmp') return { reason: `the capture's filter \`${filter}\` is not one this test applies to the view` };
    const sim = lines(view.text).filter((l) => filter === '' || /: ICMP /.test(l)).map((l) => `${l}\n`).join('');
    const stamps = a.timestamps === 'true';
    const kernel = lines(c.output)
      .filter((l) => l !== '' && !/^(tcpdump: |listening on |\d+ packets? (captured|received by filter|dropped by kernel)$)/.test(l))
      .map((l) => (stamps ? l : l.replace(/^\d{2}:\d{2}:\d{2}\.\d{6} /, '')))
      .map((l) => `${l}\n`).join('');
    return { kernel: normalizeKernel(kernel, sim, run.macs), sim, capture: c.command + (filter ? ` (the view's lines this filter passes)` : '') };
  }
  return { reason: `format ${a.format}` };
}

// ---------------------------------------------------------------------------------------------
// Replay

/** Checks the page again with each plan's commands answered by the kernel (normalised). */
export async function replayPage(page: string, text: string, plans: CapturedPlan[], runs: KernelRun[]): Promise<FileReport> {
  let next = 0;
  const factory: CreateSession = () => {
    const k = next++;
    const plan = plans[k];
    const run = runs[k];
    if (!plan || !run) throw new Error(`replay of ${page}: plan ${k} was not captured`);
    let op = 0;
    let command = 0;
    return {
      run(script) {
        if (script !== plan.script) throw new Error(`replay of ${page}: plan ${k} (${plan.id}) differs from its capture`);
        // A kernel run that stopped in the script is reported by the test; here its commands just
        // have no output, so the page's stated outputs show what is missing.
        const commands = 'commands' in plan.sim ? plan.sim.commands : [];
        return { output: run.script ?? '', exitCode: 0, commands };
      },
      runCommand(cmd) {
        const c = plan.ops[op++];
        if (!c || c.kind !== 'command' || c.text !== cmd) throw new Error(`replay of ${page}: plan ${k} (${plan.id}) op ${op - 1} differs from its capture`);
        const r = run.ops[command++];
        return { output: kernelOutput(r, c.sim, run.macs), exitCode: r?.rc ?? -1 };
      },
      record() {
        const c = plan.ops[op++];
        if (!c || c.kind !== 'record') throw new Error(`replay of ${page}: plan ${k} (${plan.id}) op ${op - 1} is not a record`);
        return c.record;
      },
    };
  };
  const report = await checkMarkdown(text, page, { createSession: factory });
  if (next !== plans.length) throw new Error(`replay of ${page}: ${next} plans replayed, ${plans.length} captured`);
  return report;
}
