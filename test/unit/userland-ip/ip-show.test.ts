// ip and sysctl against the real tools: fixtures/ip-show.sh ran on the oracle machine (iproute2
// 6.1, procps sysctl) gave fixtures/ip-show.kernel.txt; the simulator must print the same bytes,
// MAC addresses aside (the kernel draws them at random; those a script sets, 02:00:00:00:00:XX, are compared).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

const here = new URL('./fixtures/', import.meta.url);
const normalise = (text: string): string => text.replace(/\b(?!00:00:00:00:00:00|ff:ff:ff:ff:ff:ff|02:00:00:00:00:)([0-9a-f]{2}:){5}[0-9a-f]{2}\b/g, 'MAC');

/** Sections `== title` of an output, by title. */
function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let title = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('== ')) {
      title = line.slice(3);
      out.set(title, '');
    } else if (title) out.set(title, out.get(title) + line + '\n');
  }
  return out;
}

// Regenerate a capture with: bash test/kernel/lib/run-in-netns.sh fixtures/NAME.sh > fixtures/NAME.kernel.txt
// `only` lists the sections compared when the stack still differs elsewhere (see the note).
const FIXTURES: Array<{ name: string; only?: string[]; note?: string }> = [
  { name: 'ip-show' },
  { name: 'ip-bridge' },
  { name: 'ip-flags' },
  { name: 'ip-netns' },
  { name: 'ip-routes' },
  { name: 'ip-links' },
  { name: 'ip-bridge-id' },
  { name: 'ip-veth-netns' },
  { name: 'ip-route-select' },
  { name: 'ip-link-set' },
  { name: 'ip-nsid' },
  { name: 'ip-bridge-ports' },
  { name: 'ip-route-filter' },
  { name: 'ip-addr-del' },
];

describe.each(FIXTURES)('$name: ip, bridge and sysctl print what iproute2 and procps print', ({ name, only }) => {
  const script = readFileSync(new URL(`${name}.sh`, here), 'utf8');
  const expected = sections(normalise(readFileSync(new URL(`${name}.kernel.txt`, here), 'utf8')));
  const session = createSession({ file: `${name}.sh` });
  const run = session.run(script);
  const actual = sections(normalise(run.output));
  test('the script runs to the end', () => {
    expect(run.exitCode).toBe(0);
  });
  test.each([...expected.keys()].filter((t) => !only || only.includes(t)))('%s', (title) => {
    expect(actual.get(title)).toBe(expected.get(title));
  });
});
