// argv → what iptables prints back (-S, -L -n, -L), one rule at a time in one namespace.
// argv-cases.json was captured from the real iptables 1.8.9 (nf_tables) of the build machine:
// option order, `!` placement, long-option aliases and abbreviations (--dst, --dest,
// --destination-port), implicit -m tcp/udp/icmp, service and network names in -L.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { session, words } from './harness.ts';

interface Row { args: string; error?: string; S: string; Ln: string; L: string }
const rows: Row[] = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'argv-cases.json'), 'utf8'));
const s = session();
const lastLine = (text: string): string => text.replace(/\n$/, '').split('\n').pop()!;

describe('iptables argv → -S / -L lines (real tool captures)', () => {
  test.each(rows.map((r, i) => [i + 1, r.args, r] as const))('%i: iptables %s', (_i, args, row) => {
    const argv = words(args);
    const t = argv[0] === '-t' ? `-t ${argv[1]} ` : '';
    const chain = argv[argv.indexOf('-A') + 1];
    const r = s.run(`iptables ${args}`);
    expect(r.out).toBe(row.error ?? '');
    expect(r.status).toBe(row.error ? 2 : 0);
    expect(lastLine(s.run(`iptables ${t}-S ${chain}`).out)).toBe(row.S);
    expect(lastLine(s.run(`iptables ${t}-L ${chain} -n`).out)).toBe(row.Ln);
    expect(lastLine(s.run(`iptables ${t}-L ${chain}`).out)).toBe(row.L);
  });
});
