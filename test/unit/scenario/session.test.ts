// The session API the CLI and the remark plugin use: several runs on one machine, console lines
// in namespaces, positions inside a Markdown file, errors with the output so far, determinism.
import { describe, expect, test } from 'vitest';
import { createSession, ScenarioError, shellQuote, worldNames, worldScript } from '../../../src/scenario/index.ts';

const SETUP = `ip netns add c1
ip link add veth0 type veth peer name eth0 netns c1
ip addr add 10.0.0.1/24 dev veth0
ip link set veth0 up
ip -n c1 addr add 10.0.0.2/24 dev eth0
ip -n c1 link set eth0 up
`;

describe('session', () => {
  test('runs accumulate on one machine; each returns its own output and commands', () => {
    const s = createSession({ file: 'page.md' });
    const a = s.run(SETUP);
    expect(a).toMatchObject({ output: '', exitCode: 0 });
    expect(a.commands).toHaveLength(6);
    const b = s.run('ip -br -4 addr show dev veth0');
    expect(b.output).toBe('veth0@if2        UP             10.0.0.1/24 \n');
    expect(b.commands.map((c) => c.index)).toEqual([6]);
    expect(s.record().commands).toHaveLength(7);
    expect(s.record().output).toBe(b.output);
  });

  test('runCommand runs a console line in a namespace', () => {
    const s = createSession();
    s.run(SETUP);
    const r = s.runCommand('ip -br -4 addr', 'c1');
    expect(r.output).toBe('eth0@if2         UP             10.0.0.2/24 \n');
    expect(r.commands[0].netns).toBe('c1');
  });

  test('positions point into the Markdown file', () => {
    const s = createSession({ file: 'page.md' });
    let error: unknown;
    try {
      s.run('ip link show\n  frobnicate', { line: 20, column: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.pos).toEqual({ file: 'page.md', line: 21, column: 3 });
    expect(e.output).toContain('1: lo: <LOOPBACK,UP,LOWER_UP>');
  });

  test('a failing command stops the run like bash -e, without throwing', () => {
    const s = createSession();
    const r = s.run('ip link set nope up\nip link show');
    expect(r).toMatchObject({ output: 'Cannot find device "nope"\n', exitCode: 1 });
  });

  test('end() stops background jobs once and returns what they printed', () => {
    const s = createSession();
    s.run(`${SETUP}tcpdump -i veth0 -n icmp &\nping -c 1 10.0.0.2 >/dev/null`);
    const tail = s.end();
    expect(tail).toBe('\n2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n');
    expect(s.end()).toBe('');
    expect(s.record().output.endsWith(tail)).toBe(true);
  });

  test('same input, same seed: byte-identical output and record', () => {
    const once = (): string => {
      const s = createSession({ seed: 7 });
      s.run(`${SETUP}tcpdump -i veth0 -n -e &\nping -c 2 10.0.0.2\nip link`);
      s.end();
      return JSON.stringify(s.record());
    };
    expect(once()).toBe(once());
  });

  test('$RANDOM comes from the seed', () => {
    const draw = (seed: number): string => createSession({ seed }).run('echo $RANDOM $RANDOM').output;
    expect(draw(3)).toBe(draw(3));
    expect(draw(3)).toMatch(/^\d+ \d+\n$/);
  });

  test('the record names its settings', () => {
    const s = createSession({ file: 'x.sh', dockerVersion: '20.10' });
    expect(s.record()).toMatchObject({ format: 'packetwalk-run/1', file: 'x.sh', dockerVersion: '20.10', exitCode: 0 });
  });
});

describe('worlds', () => {
  test.each(worldNames())('%s is a script of plain commands', (name) => {
    const script = worldScript(name);
    expect(script).toMatch(/^# World "/);
    expect(script).toContain('ip netns add gateway');
  });

  test('lan: the host reaches the internet through the gateway', () => {
    const s = createSession({ world: 'lan' });
    expect(s.record().commands.every((c) => c.pos.file === 'world:lan')).toBe(true);
    expect(s.record().output).toBe('');
    const r = s.run('ping -c 1 114.114.114.114 | grep -c "bytes from 114.114.114.114: icmp_seq=1 ttl=63"\nip route');
    expect(r.output).toBe('1\ndefault via 192.168.1.1 dev eth0 \n192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.180 \n');
  });

  test('unknown world', () => {
    expect(() => worldScript('mars')).toThrow('Unknown world `mars`; known worlds: lan, docker-host');
  });
});

test.each([
  ['abc', 'abc'],
  ['a b', "'a b'"],
  ["it's", "'it'\\''s'"],
  ['', "''"],
])('shellQuote(%j)', (word, quoted) => {
  expect(shellQuote(word)).toBe(quoted);
});
