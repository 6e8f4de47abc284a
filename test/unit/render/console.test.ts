import { describe, expect, test } from 'vitest';
import { expandEllipses, matchOutput, updatedExpected, normalizeLine, outputLines, parseConsole } from '../../../src/render/console.ts';
import { unifiedDiff } from '../../../src/render/diff.ts';

describe('parseConsole', () => {
  test.each([
    ['$ echo a\na\n$ echo b', [['', 'echo a', 0, ['a'], 1], ['', 'echo b', 2, [], 3]]],
    ['c1$ ping -c 1 8.8.8.8\n', [['c1', 'ping -c 1 8.8.8.8', 0, [], 1]]],
    ['$ iptables -A X \\\n> -j ACCEPT\nout\n\n', [['', 'iptables -A X \\\n-j ACCEPT', 0, ['out'], 2]]],
    ['$ iptables -nvL\nChain INPUT\n\nChain FORWARD', [['', 'iptables -nvL', 0, ['Chain INPUT', '', 'Chain FORWARD'], 1]]],
  ] as const)('%j', (value, expected) => {
    const { commands } = parseConsole(value);
    expect(commands.map((c) => [c.target, c.text, c.line, c.expected, c.outputLine])).toEqual(expected);
  });

  test('output before the first prompt is reported', () => {
    expect(parseConsole('stray\n$ true').strayLine).toBe(0);
  });
});

describe('matchOutput', () => {
  test.each<[string, string[], string[], number | undefined]>([
    ['exact', ['a', 'b'], ['a', 'b'], undefined],
    ['trailing spaces ignored', ['a', 'b'], ['a  ', 'b'], undefined],
    ['first line differs', ['a', 'x'], ['a', 'b'], 1],
    ['ellipsis matches many', ['a', '...', 'd'], ['a', 'b', 'c', 'd'], undefined],
    ['ellipsis matches none', ['a', '...', 'b'], ['a', 'b'], undefined],
    ['ellipsis at both ends', ['...', 'c', '...'], ['a', 'b', 'c', 'd'], undefined],
    ['line after ellipsis missing', ['...', 'z'], ['a', 'b'], 1],
    ['more lines than expected', ['a'], ['a', 'b'], 1],
    ['fewer lines than expected', ['a', 'b', 'c'], ['a', 'b'], 2],
    ['empty expectation, empty output', [], [], undefined],
  ])('%s', (_name, expected, actual, result) => {
    expect(matchOutput(expected, actual)).toBe(result);
  });

  test.each([
    ['timestamps', '64 bytes from 8.8.8.8: icmp_seq=1 ttl=63 time=0.051 ms', '64 bytes from 8.8.8.8: icmp_seq=1 ttl=63 time=12.5 ms'],
    ['timestamps', '[ 1234.567890] IN=eth0 OUT=', '[    0.000001] IN=eth0 OUT='],
    ['timestamps', 'tcp      6 431999 ESTABLISHED src=1.2.3.4', 'tcp      6 117 ESTABLISHED src=1.2.3.4'],
    ['ids', 'icmp 1 29 src=172.17.0.2 dst=8.8.8.8 type=8 code=0 id=12 src=8.8.8.8', 'icmp 1 29 src=172.17.0.2 dst=8.8.8.8 type=8 code=0 id=4711 src=8.8.8.8'],
    ['ids', '3f4e5a6b7c8d', 'aaaaaaaaaaaa'],
    ['ports', 'tcp 6 src=172.17.0.2 dst=1.1.1.1 sport=43210 dport=80', 'tcp 6 src=172.17.0.2 dst=1.1.1.1 sport=51234 dport=80'],
    ['ports', 'IP 10.0.0.1.43210 > 10.0.0.2.80: Flags [S]', 'IP 10.0.0.1.60001 > 10.0.0.2.80: Flags [S]'],
  ] as const)('ignore=%s: %s', (cls, a, b) => {
    expect(normalizeLine(a, [cls])).toBe(normalizeLine(b, [cls]));
    expect(matchOutput([a], [b], [cls])).toBeUndefined();
    expect(matchOutput([a], [b])).toBe(0);
  });

  test('ports: well-known ports still count', () => {
    expect(matchOutput(['sport=43210 dport=80'], ['sport=43210 dport=81'], ['ports'])).toBe(0);
  });
});

describe('outputLines', () => {
  test.each([['', []], ['a\n', ['a']], ['a\n\nb\n', ['a', '', 'b']], ['a', ['a']]] as const)('%j', (text, lines) => {
    expect(outputLines(text)).toEqual(lines);
  });
});

describe('unifiedDiff', () => {
  test.each([
    ['one change', ['a', 'b', 'c'], ['a', 'x', 'c'], '--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n'],
    ['appended', ['a'], ['a', 'b'], '--- expected\n+++ actual\n@@ -1,1 +1,2 @@\n a\n+b\n'],
    ['from empty', [], ['a'], '--- expected\n+++ actual\n@@ -0,0 +1,1 @@\n+a\n'],
    [
      'two hunks',
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'],
      ['x', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'y'],
      '--- expected\n+++ actual\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -8,4 +8,4 @@\n 8\n 9\n 10\n-11\n+y\n',
    ],
  ])('%s', (_name, a, b, diff) => {
    expect(unifiedDiff(a, b)).toBe(diff);
  });
});

describe('expandEllipses', () => {
  test.each<[string, string[], string[], string[]]>([
    ['middle', ['a', '...', 'd'], ['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd']],
    ['trailing', ['a', '...'], ['a', 'b'], ['a', 'b']],
    ['leading, with a missing line after', ['...', 'x', 'd'], ['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'x', 'd']],
    ['changed counter between two ellipses', ['...', '[3:168] -A X', '...'], ['*filter', '[2:168] -A X', 'COMMIT'], ['*filter', '[3:168] -A X', 'COMMIT']],
  ])('%s', (_name, expected, actual, expanded) => {
    expect(expandEllipses(expected, actual)).toEqual(expanded);
  });
});

describe('updatedExpected', () => {
  test.each<[string, string[], string[], string[]]>([
    ['no ellipsis: the actual output', ['a', 'x'], ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['ellipses kept, wrong counter replaced', ['...', '[3:168] -A X', '...'], ['*filter', '[2:168] -A X', 'COMMIT'], ['...', '[2:168] -A X', '...']],
    ['ellipses kept, two counters replaced', ['...', '[1:1] -A X', '[9:9] -A Y', 'COMMIT'], ['*f', '[2:2] -A X', '[3:3] -A Y', 'COMMIT'], ['...', '[2:2] -A X', '[3:3] -A Y', 'COMMIT']],
    ['structure changed: falls back to the actual output', ['...', 'gone line', 'COMMIT'], ['*f', 'COMMIT', 'extra'], ['*f', 'COMMIT', 'extra']],
  ])('%s', (_name, expected, actual, updated) => {
    expect(updatedExpected(expected, actual)).toEqual(updated);
  });
});
