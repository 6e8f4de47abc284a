// `packetwalk check`: exit status, positions, formats, and --update rewriting only output lines.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../../src/cli/check.ts';
import { fakeFactory } from './fake-session.ts';

const fixture = join(import.meta.dirname, 'check-fixtures', 'counters.md');

function workspace(mutate?: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'packetwalk-check-'));
  cpSync(fixture, join(dir, 'content', 'counters.md'), { recursive: true });
  if (mutate) writeFileSync(join(dir, 'content', 'counters.md'), mutate(readFileSync(fixture, 'utf8')));
  return dir;
}

async function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await check(argv, { cwd, stdout: (t) => (out += t), stderr: (t) => (err += t), createSession: fakeFactory().create });
  return { code, out, err };
}

const wrongCounter = (t: string) => t.replace('[2:168] -A OUTPUT -o docker0', '[3:168] -A OUTPUT -o docker0');

describe('packetwalk check', () => {
  test('every stated output holds: exit 0', async () => {
    const r = await run([], workspace());
    expect(r).toEqual({ code: 0, out: '1 file, 3 commands checked: 0 mismatches\n', err: '' });
  });

  test.each([
    ['text', /^content\/counters\.md:18:3: error: Unexpected output of `iptables-save -c` in scenario `s1`\n--- content\/counters\.md:15 \(expected, each `\.\.\.` shown as the lines it matched\)\n\+\+\+ actual\n@@ -4,6 \+4,6 @@\n :FORWARD ACCEPT \[0:0\]\n :OUTPUT ACCEPT \[0:0\]\n \[2:168\] -A OUTPUT -p icmp -j ACCEPT\n-\[3:168\] -A OUTPUT -o docker0 -j ACCEPT\n\+\[2:168\] -A OUTPUT -o docker0 -j ACCEPT\n COMMIT\n # Completed\n\n/],
    ['github', /^::error file=content\/counters\.md,line=18,col=3,title=packetwalk check::Unexpected output of `iptables-save -c` in scenario `s1`%0A--- content\/counters\.md:15 \(expected, each `\.\.\.` shown as the lines it matched\)%0A\+\+\+ actual%0A/],
  ])('a wrong counter: exit 1, reported at its line (%s)', async (format, expected) => {
    const r = await run(['--format', format], workspace(wrongCounter));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(expected);
  });

  test('json report', async () => {
    const r = await run(['--format=json', 'content'], workspace(wrongCounter));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(false);
    expect(report.files[0].mismatches.map((m: { line: number; column: number; command: string }) => [m.line, m.column, m.command])).toEqual([[18, 3, 'iptables-save -c']]);
  });

  test('--update rewrites only the wrong lines, keeping `...` and indentation', async () => {
    const dir = workspace(wrongCounter);
    const r = await run(['--update'], dir);
    expect(r.code).toBe(0);
    const after = readFileSync(join(dir, 'content', 'counters.md'), 'utf8');
    const before = readFileSync(fixture, 'utf8').split('\n');
    const lines = after.split('\n');
    // the expectation keeps its `...` lines; only the wrong counter is rewritten
    expect(after).toBe(before.join('\n'));
    expect((await run([], dir)).code).toBe(0);
  });

  test.each([
    [['--format', 'xml'], 2, /invalid --format `xml`/],
    [['--frobnicate'], 2, /unknown option `--frobnicate`/],
    [['missing-dir'], 2, /no such file or directory: missing-dir/],
    [['empty'], 2, /^packetwalk check: no \.md or \.mdx file under `empty`, expected a directory holding Markdown pages \(default: content\/\)\n$/],
    [['notes.txt'], 2, /^packetwalk check: `notes\.txt` is not a Markdown file, expected a \.md or \.mdx file or a directory holding some\n$/],
    [['content', 'empty'], 2, /no \.md or \.mdx file under `empty`/],
  ])('usage error %j', async (argv, code, says) => {
    const dir = workspace();
    mkdirSync(join(dir, 'empty', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'empty', 'sub', 'readme.txt'), 'not markdown\n');
    writeFileSync(join(dir, 'notes.txt'), 'not markdown\n');
    const r = await run(argv, dir);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(says);
    expect(r.out).toBe('');
  });

  test('every author error of a file is reported, each at its position; a broken scenario silences what refers to it', async () => {
    const page = [
      ':::scenario{#good}', '```sh', 'ping -c 1 10.0.0.2', '```', ':::', '',
      '::rules{scenario=good tabel=nat}', '',
      ':::scenario{#bad docker-version="19.04"}', '```sh', 'true', '```', ':::', '',
      '::timeline{scenario=bad}', '',
      '::timeline{scenario=good packets=5-2}', '',
      '```console scenario=good', '$ echo ok', 'ok', '```', '',
      '::walk{scenario=good packet=99}', '',
      '```console scenario=good', '$ echo ok', 'not ok', '```', '',
    ].join('\n');
    const dir = workspace((t) => t);
    writeFileSync(join(dir, 'content', 'counters.md'), page);
    const r = await run([], dir);
    expect(r.code).toBe(1);
    const errors = r.out.split('\n').filter((l) => /^content\/counters\.md:\d+:\d+: error:/.test(l)).map((l) => l.replace(/: error: (.{0,40}).*$/, ': $1'));
    expect(errors).toEqual([
      'content/counters.md:28:1: Unexpected output of `echo ok` in scenar',
      'content/counters.md:7:1: Unexpected attribute `tabel` on `::rules',
      'content/counters.md:9:1: Invalid `docker-version` `19.04` on `:::',
      'content/counters.md:17:1: Invalid `packets` `5-2` on `::timeline`,',
      'content/counters.md:24:1: Invalid `packet` `99`: scenario `good` h',
    ]);
    expect(r.out).toMatch(/\n1 file, 2 commands checked: 1 mismatch, 1 file with errors\n$/);
    const json = JSON.parse((await run(['--format', 'json'], dir)).out);
    expect(json.files[0].errors.map((e: { line: number; ruleId: string }) => [e.line, e.ruleId])).toEqual([[7, 'attribute'], [9, 'attribute'], [17, 'attribute'], [24, 'attribute']]);
    expect(json.files[0].error).toEqual(json.files[0].errors[0]);
  });

  test('an author error stops the file with its position', async () => {
    const r = await run([], workspace((t) => t.replace('scenario=s1 ignore', 'scenario=s9 ignore')));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^content\/counters\.md:23:3: error: Unknown scenario `s9`/m);
  });
});

test('absolute paths work too', async () => {
  const dir = workspace();
  const r = await run([join(dir, 'content', 'counters.md')], '/');
  expect(r.code).toBe(0);
});

test('--update without ellipses writes the whole actual output, with the block\'s prefix', async () => {
  const dir = workspace((t) => t.replace('> 3 packets transmitted, 3 received', '> 4 packets transmitted, 3 received'));
  expect((await run(['--update'], dir)).code).toBe(0);
  expect(readFileSync(join(dir, 'content', 'counters.md'), 'utf8')).toBe(readFileSync(fixture, 'utf8'));
});
