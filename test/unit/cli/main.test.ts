// `packetwalk` on the command line: run (file, stdin, --json, --world, --print-world, --seed),
// --help/--version, and errors as FILE:LINE:COL: error: … on stderr, never a stack trace.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EPIPE_STATUS, exitQuietlyOnEpipe, main, type CliIo } from '../../../src/cli/main.ts';
import { worldScript } from '../../../src/scenario/index.ts';

function cli(argv: string[], files: Record<string, string> = {}, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => {
      if (p.endsWith('package.json')) return '{"version":"0.1.0"}';
      if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return files[p];
    },
    readStdin: () => stdin,
  };
  return main(argv, io).then((code) => ({ code, stdout, stderr }));
}

const LINK = 'ip link add a type veth peer name b\nip -br link show a\n';

describe('packetwalk run', () => {
  test('prints the session output', async () => {
    expect(await cli(['run', 's.sh'], { 's.sh': LINK })).toMatchObject({ code: 0, stderr: '' });
    expect((await cli(['run', 's.sh'], { 's.sh': LINK })).stdout).toMatch(/^a@b +DOWN +([0-9a-f]{2}:){5}[0-9a-f]{2} <BROADCAST,MULTICAST,M-DOWN> \n$/);
  });

  test('reads standard input with -', async () => {
    const r = await cli(['run', '-'], {}, 'echo hi\n');
    expect(r).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
  });

  test('--json prints the run record', async () => {
    const r = await cli(['run', '--json', 's.sh'], { 's.sh': 'echo hi\n' });
    const rec = JSON.parse(r.stdout);
    expect(rec).toMatchObject({ format: 'packetwalk-run/1', file: 's.sh', output: 'hi\n', exitCode: 0 });
    expect(rec.commands[0]).toMatchObject({ text: 'echo hi', pos: { file: 's.sh', line: 1, column: 1 } });
  });

  test('--seed changes what the kernel leaves to chance, and only that', async () => {
    const a = await cli(['run', '--seed', '1', 's.sh'], { 's.sh': LINK });
    const b = await cli(['run', '--seed=2', 's.sh'], { 's.sh': LINK });
    const again = await cli(['run', '--seed', '1', 's.sh'], { 's.sh': LINK });
    expect(a.stdout).toBe(again.stdout);
    expect(a.stdout).not.toBe(b.stdout);
  });

  test('--print-world prints the world script', async () => {
    expect(await cli(['run', '--print-world', 'lan'])).toEqual({ code: 0, stdout: worldScript('lan'), stderr: '' });
  });

  test('--world sets the world up first', async () => {
    const r = await cli(['run', '--world', 'lan', 's.sh'], { 's.sh': 'ip -br -4 addr show dev eth0\n' });
    expect(r).toEqual({ code: 0, stdout: 'eth0@if3         UP             192.168.1.180/24 \n', stderr: '' });
  });

  test('a failing command ends the run with its status, like bash -e', async () => {
    const r = await cli(['run', 's.sh'], { 's.sh': 'echo before\nip link set nope up\necho after\n' });
    expect(r).toEqual({ code: 1, stdout: 'before\nCannot find device "nope"\n',
      stderr: 's.sh:2:1: error: `ip link set nope up` exited with status 1; the script stops here, as under `bash -e`\n',
    });
  });
});

describe('errors', () => {
  test.each([
    // The whole script is parsed first: a syntax error stops it before anything runs.
    ['unsupported syntax', ['run', 's.sh'], { 's.sh': 'echo a\n  case x in esac\n' }, 1, '', 's.sh:2:3: error: `case` is not supported'],
    ['unknown command', ['run', 's.sh'], { 's.sh': 'frob\n' }, 1, '', 's.sh:1:1: error: Unknown command `frob`; supported: '],
    ['missing file', ['run', 'nope.sh'], {}, 2, '', 'packetwalk: cannot read `nope.sh`: no such file\n'],
    ['no script', ['run'], {}, 2, '', 'packetwalk: `run` needs a script'],
    ['unknown option', ['run', '--frob', 's.sh'], { 's.sh': '' }, 2, '', 'packetwalk: unknown option `--frob` for `run`; supported: '],
    ['unknown world', ['run', '--world', 'mars', 's.sh'], { 's.sh': '' }, 2, '', 'packetwalk: unknown world `mars`; known worlds: lan, docker-host\n'],
    ['bad seed', ['run', '--seed', 'x', 's.sh'], { 's.sh': '' }, 2, '', 'packetwalk: `--seed` expects a non-negative integer, not `x`\n'],
    ['unknown command word', ['frob'], {}, 2, '', 'packetwalk: unknown command `frob`; expected `run` or `check` (see --help)\n'],
  ])('%s', async (_name, argv, files, code, stdout, stderr) => {
    const r = await cli(argv, files);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe(stdout);
    expect(r.stderr.startsWith(stderr)).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test.each([
  [['--help'], 0],
  [['run', '--help'], 0],
  [[], 2],
])('help: %j', async (argv, code) => {
  const r = await cli(argv);
  expect(r.code).toBe(code);
  expect(r.stdout).toContain('packetwalk run FILE.sh|-');
});

test('--version', async () => {
  expect(await cli(['--version'])).toEqual({ code: 0, stdout: 'packetwalk 0.1.0\n', stderr: '' });
});

describe('a reader that closes the pipe early (`packetwalk check content | head -0`)', () => {
  const bin = fileURLToPath(new URL('../../../bin/packetwalk.js', import.meta.url));
  test.each<[string, string[], 'stdout' | 'stderr']>([
    ['stdout closed: a long output', ['run', '--print-world', 'docker-host'], 'stdout'],
    ['stdout closed: check', ['check', fileURLToPath(new URL('../plugin/check-fixtures/counters.md', import.meta.url))], 'stdout'],
    ['stderr closed: a usage error', ['frob'], 'stderr'],
  ])('%s: exit 141 (as a tool a SIGPIPE ended), no stack trace', async (_name, argv, closed) => {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    child[closed].destroy();
    let other = '';
    (closed === 'stdout' ? child.stderr : child.stdout).on('data', (d: Buffer) => (other += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, other }).toEqual({ code: EPIPE_STATUS, other: '' });
  }, 30_000);

  test('only EPIPE ends quietly: another write error still throws', () => {
    const stream = new EventEmitter() as unknown as NodeJS.WriteStream;
    const exits: number[] = [];
    exitQuietlyOnEpipe([stream], (c) => exits.push(c));
    stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([141]);
    expect(() => stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('write EIO');
  });
});
