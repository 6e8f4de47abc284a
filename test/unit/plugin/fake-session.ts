// A small, deterministic stand-in for packetwalk's scenario session, so the plugin's tests do not
// depend on the simulator: it knows `echo`, `true`, `false`, `iptables -A/-Z/-P`, `iptables-save
// -c`, `iptables -nvL --line-numbers` (filter table), `ip netns list` and `ip [-n NS] -o link
// show` (the host has lo, namespace `peer` lo and eth0) and `ping -c N ADDR`, which sends N echo
// requests through the filter OUTPUT chain (every rule there counts it) and records the events.
import type { CommandRecord, KernelEvent, PacketRecord, RunRecord, SkbSnapshot, SourcePos } from '../../../src/scenario/record.ts';
import type { SessionLike, SessionSettings } from '../../../plugins/lib/engine.ts';

export class FakeScriptError extends Error {
  readonly pos: SourcePos;
  readonly output: string;
  constructor(message: string, pos: SourcePos, output: string) {
    super(message);
    this.pos = pos;
    this.output = output;
  }
}

interface FakeRule { chain: string; text: string; packets: number; bytes: number }

function ip(a: string): number {
  return a.split('.').reduce((x, o) => x * 256 + Number(o), 0) >>> 0;
}

export class FakeSession implements SessionLike {
  runs = 0;
  private rules: FakeRule[] = [];
  private policy: Record<string, { policy: string; packets: number; bytes: number }> = {
    INPUT: { policy: 'ACCEPT', packets: 0, bytes: 0 },
    FORWARD: { policy: 'ACCEPT', packets: 0, bytes: 0 },
    OUTPUT: { policy: 'ACCEPT', packets: 0, bytes: 0 },
  };
  private commands: CommandRecord[] = [];
  private packets: PacketRecord[] = [];
  private events: KernelEvent[] = [];
  private output = '';
  private t = 0;
  private readonly settings: SessionSettings;
  constructor(settings: SessionSettings) {
    this.settings = settings;
  }

  run(script: string, at?: { file?: string; line: number; column: number }) {
    return this.exec(script, '', at ?? { line: 1, column: 1 });
  }
  runCommand(text: string, where: string, at?: { file?: string; line: number; column: number }) {
    return this.exec(text, where, at ?? { line: 1, column: 1 });
  }
  record(): RunRecord {
    return { format: 'packetwalk-run/1', file: this.settings.file, commands: this.commands, packets: this.packets, events: this.events, output: this.output, exitCode: 0 };
  }

  private exec(script: string, netns: string, at: { file?: string; line: number; column: number }) {
    this.runs++;
    const first = this.commands.length;
    let out = '';
    let exitCode = 0;
    const lines = script.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i].trim();
      if (text === '' || text.startsWith('#')) continue;
      const pos = { file: at.file ?? this.settings.file, line: at.line + i, column: at.column };
      const eventStart = this.events.length;
      const res = this.command(text, netns, pos, out);
      out += res.output;
      this.commands.push({ index: this.commands.length, pos, text, netns, output: res.output, exitCode: res.exitCode, background: false, timeStart: this.t, timeEnd: this.t, eventStart, eventEnd: this.events.length });
      exitCode = res.exitCode;
      if (exitCode !== 0) break;
    }
    this.output += out;
    return { output: out, exitCode, commands: this.commands.slice(first) };
  }

  private command(text: string, netns: string, pos: SourcePos, before: string): { output: string; exitCode: number } {
    const argv = text.split(/\s+/);
    const [cmd] = argv;
    if (cmd === 'echo') return { output: `${argv.slice(1).join(' ').replace(/^"|"$/g, '')}\n`, exitCode: 0 };
    if (cmd === 'true') return { output: '', exitCode: 0 };
    if (cmd === 'false') return { output: '', exitCode: 1 };
    if (cmd === 'whereami') return { output: `${netns || 'host'}\n`, exitCode: 0 };
    if (cmd === 'ip' && argv[1] === 'netns' && argv[2] === 'list') return { output: 'peer\n', exitCode: 0 };
    if (cmd === 'ip' && argv.includes('-o') && argv.includes('link')) {
      const where = argv[1] === '-n' ? argv[2] : netns;
      if (where !== '' && where !== 'peer') return { output: `Cannot open network namespace "${where}": No such file or directory\n`, exitCode: 255 };
      let s = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n';
      if (where === 'peer') s += '2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n';
      return { output: s, exitCode: 0 };
    }
    if (cmd === 'iptables' && argv[1] === '-A') {
      this.rules.push({ chain: argv[2], text: argv.slice(1).join(' '), packets: 0, bytes: 0 });
      return { output: '', exitCode: 0 };
    }
    if (cmd === 'iptables' && argv[1] === '-Z') {
      for (const r of this.rules) r.packets = r.bytes = 0;
      for (const p of Object.values(this.policy)) p.packets = p.bytes = 0;
      return { output: '', exitCode: 0 };
    }
    if (cmd === 'iptables-save') {
      let s = '# Generated by iptables-save v1.8.9 (nf_tables)\n*filter\n';
      for (const [name, p] of Object.entries(this.policy)) s += `:${name} ${p.policy} [${p.packets}:${p.bytes}]\n`;
      for (const r of this.rules) s += `[${r.packets}:${r.bytes}] ${r.text}\n`;
      return { output: `${s}COMMIT\n# Completed\n`, exitCode: 0 };
    }
    if (cmd === 'iptables' && argv.includes('-nvL')) {
      let s = '';
      for (const [name, p] of Object.entries(this.policy)) {
        s += `${s ? '\n' : ''}Chain ${name} (policy ${p.policy} ${p.packets} packets, ${p.bytes} bytes)\n`;
        s += 'num   pkts bytes target     prot opt in     out     source               destination         \n';
        let n = 0;
        for (const r of this.rules.filter((x) => x.chain === name)) {
          n++;
          const target = r.text.split(' -j ')[1] ?? '';
          s += `${String(n).padEnd(4)} ${String(r.packets).padStart(5)} ${String(r.bytes).padStart(5)} ${target.padEnd(10)} 1    --  *      *       0.0.0.0/0            0.0.0.0/0           \n`;
        }
      }
      return { output: s, exitCode: 0 };
    }
    if (cmd === 'ping') {
      const count = Number(argv[argv.indexOf('-c') + 1]);
      const dst = argv[argv.length - 1];
      let s = `PING ${dst} (${dst}) 56(84) bytes of data.\n`;
      for (let seq = 1; seq <= count; seq++) {
        this.sendEcho(dst, seq);
        s += `64 bytes from ${dst}: icmp_seq=${seq} ttl=64 time=0.0${seq} ms\n`;
      }
      s += `\n--- ${dst} ping statistics ---\n${count} packets transmitted, ${count} received, 0% packet loss, time ${count - 1}ms\n`;
      return { output: s, exitCode: 0 };
    }
    throw new FakeScriptError(`Unknown command \`${cmd}\`, expected one of echo, true, false, iptables, iptables-save, ping`, pos, before);
  }

  private sendEcho(dst: string, seq: number) {
    const mk = (id: number, src: string, d: string, type: number): SkbSnapshot => ({
      id, len: 84, payloadLen: 56, mark: 0,
      ip: { saddr: ip(src), daddr: ip(d), protocol: 1, ttl: 64, tos: 0, id: 1000 + id, df: true, ihl: 20 },
      icmp: { type, code: 0, id: 7, seq },
    });
    const req = this.packets.length + 1;
    const snap = mk(req, '10.0.0.1', dst, 8);
    this.packets.push({ id: req, command: this.commands.length, netns: '', origin: 'socket', created: snap, time: this.t });
    const base = { t: this.t, netns: '', pkt: req };
    this.events.push({ ...base, type: 'route', result: 'output', oif: 'lo' });
    this.events.push({ ...base, type: 'hook', family: 'ipv4', hook: 'OUTPUT', out: 'lo', snap });
    this.events.push({ ...base, type: 'ct', action: seq === 1 ? 'new' : 'seen', entryId: 1, ctinfo: seq === 1 ? 'NEW' : 'ESTABLISHED', summary: `icmp src=10.0.0.1 dst=${dst} type=8 code=0 id=7` });
    this.events.push({ ...base, type: 'table', family: 'ipv4', hook: 'OUTPUT', table: 'nat', skipped: 'nat sees only the first packet of a flow' });
    let n = 0;
    for (const r of this.rules.filter((x) => x.chain === 'OUTPUT')) {
      n++;
      r.packets++;
      r.bytes += 84;
      this.events.push({ ...base, type: 'rule', family: 'ipv4', hook: 'OUTPUT', table: 'filter', chain: 'OUTPUT', kind: 'rule', ruleNum: n, handle: n + 1, verdict: r.text.split(' -j ')[1] ?? 'CONTINUE' });
    }
    if (n === 0) {
      this.policy.OUTPUT.packets++;
      this.policy.OUTPUT.bytes += 84;
      this.events.push({ ...base, type: 'rule', family: 'ipv4', hook: 'OUTPUT', table: 'filter', chain: 'OUTPUT', kind: 'policy', ruleNum: 1, verdict: 'ACCEPT' });
    }
    this.events.push({ ...base, type: 'table', family: 'ipv4', hook: 'OUTPUT', table: 'filter', verdict: 'ACCEPT' });
    this.events.push({ ...base, type: 'ct', action: seq === 1 ? 'confirm' : 'seen', entryId: 1, summary: '' });
    this.events.push({ ...base, type: 'dev', dir: 'tx', dev: 'lo', snap });
    this.events.push({ ...base, netns: 'peer', type: 'dev', dir: 'rx', dev: 'eth0', snap });
    this.events.push({ ...base, netns: 'peer', type: 'log', line: `IN=eth0 OUT= SRC=10.0.0.1 DST=${dst} LEN=84 PROTO=ICMP TYPE=8 CODE=0 ID=7 SEQ=${seq}` });
    this.events.push({ ...base, netns: 'peer', type: 'deliver', to: 'kernel (echo reply)' });
    const rep = req + 1;
    const rsnap = mk(rep, dst, '10.0.0.1', 0);
    this.packets.push({ id: rep, command: this.commands.length, netns: 'peer', origin: 'kernel-reply', parent: req, created: rsnap, time: this.t });
    const rb = { t: this.t, netns: 'peer', pkt: rep };
    this.events.push({ ...rb, type: 'dev', dir: 'tx', dev: 'eth0', snap: rsnap });
    this.events.push({ ...rb, netns: '', type: 'dev', dir: 'rx', dev: 'lo', snap: rsnap });
    this.events.push({ ...rb, netns: '', type: 'ct', action: 'seen', entryId: 1, ctinfo: 'ESTABLISHED_REPLY', summary: '' });
    this.events.push({ ...rb, netns: '', type: 'deliver', to: 'ping' });
    this.t += 1_000_000_000;
  }
}

/** A factory that counts the sessions it made. */
export function fakeFactory() {
  const made: FakeSession[] = [];
  const create = (settings: SessionSettings) => {
    const s = new FakeSession(settings);
    made.push(s);
    return s;
  };
  return { create, made };
}
