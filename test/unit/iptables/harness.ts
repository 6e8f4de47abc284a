// Runs iptables-family command lines against a fresh simulated kernel, without the interpreter:
// a tiny sequential shell (one command per line, heredocs for *-restore, `|| true`-free).
import { Kernel } from '../../../src/kernel/kernel.ts';
import type { ToolContext, ToolTable } from '../../../src/userland/tool.ts';
import { tools as iptables } from '../../../src/userland/iptables.ts';
import { tools as save } from '../../../src/userland/iptables-save.ts';
import { tools as restore } from '../../../src/userland/iptables-restore.ts';
import { tools as ebtables } from '../../../src/userland/ebtables.ts';

export const TOOLS: ToolTable = { ...iptables, ...save, ...restore, ...ebtables };

/** Splits a shell-ish command line: words, '…' and "…" quotes. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let cur: string | undefined;
  let last = -1;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const piece = m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
    if (m.index === last && cur !== undefined) cur += piece;
    else {
      if (cur !== undefined) out.push(cur);
      cur = piece;
    }
    last = re.lastIndex;
  }
  if (cur !== undefined) out.push(cur);
  return out;
}

export interface Session {
  kernel: Kernel;
  run(line: string, stdin?: string): { out: string; status: number };
}

export function session(extra: ToolTable = {}): Session {
  const kernel = new Kernel({ seed: 1 });
  const table = { ...TOOLS, ...extra };
  return {
    kernel,
    run(line, stdin = '') {
      const argv = words(line);
      let out = '';
      const ctx: ToolContext = {
        kernel, netns: '', stdin, out: (t) => { out += t; }, err: (t) => { out += t; }, background: false,
        pos: { file: 'test', line: 1, column: 1 }, env: {},
        run: () => { throw new Error('not in tests'); },
      } as ToolContext;
      const tool = table[argv[0]!];
      if (!tool) throw new Error(`no tool ${argv[0]}`);
      const status = tool(argv, ctx);
      return { out, status };
    },
  };
}

/** Runs a script: lines; `CMD <<'EOF'` … `EOF` heredocs; `t CMD` echoes "$ CMD", output and rc. */
export function runScript(script: string, extra: ToolTable = {}): string {
  const s = session(extra);
  const lines = script.split('\n');
  let out = '';
  let lastStatus = 0;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim().replace(/ 2>&1 \|\| true$/, '');
    if (!line || line.startsWith('#') || line.startsWith('t()')) continue;
    if (line === 'echo "rc=$?"') {
      out += `rc=${lastStatus}\n`;
      continue;
    }
    if (line.startsWith('echo ')) {
      out += words(line).slice(1).join(' ') + '\n';
      continue;
    }
    let stdin = '';
    const hd = /<<\s*'?(\w+)'?\s*$/.exec(line);
    if (hd) {
      line = line.slice(0, hd.index).trim();
      const body: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== hd[1]; i++) body.push(lines[i]!);
      stdin = body.join('\n') + '\n';
    }
    const echoRc = line.startsWith('t ');
    if (echoRc) {
      line = line.slice(2);
      out += `$ ${words(line).join(' ')}\n`;
    }
    const r = s.run(line, stdin);
    out += r.out;
    lastStatus = r.status;
    if (echoRc) out += `rc=${r.status}\n`;
  }
  return out;
}
