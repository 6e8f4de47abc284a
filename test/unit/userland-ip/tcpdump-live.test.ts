// A whole capture against the real kernel: fixtures/tcpdump-live.sh ran on the oracle machine
// (tcpdump 4.99.3 in the background, ARP + ping + a UDP datagram to a closed port, the summary
// after `kill %1`) gave fixtures/tcpdump-live.kernel.txt. The simulator must print the same lines,
// except what the kernel leaves to chance: timestamps, MACs, the ICMP id and the ephemeral port.
// Regenerate: bash test/kernel/lib/run-in-netns.sh fixtures/tcpdump-live.sh > fixtures/tcpdump-live.kernel.txt
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

const here = new URL('./fixtures/', import.meta.url);
const normalise = (text: string): string =>
  text
    .split('\n')
    .map((l) =>
      l
        .replace(/^\d\d:\d\d:\d\d\.\d{6} /, 'TIME ')
        .replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'MAC')
        .replace(/\bid \d+,/, 'id ID,')
        .replace(/10\.0\.0\.1\.\d+ /, '10.0.0.1.PORT '),
    )
    .join('\n');

test.each([
  ['tcpdump-live', 'ARP, ping, a UDP datagram to a closed port, the summary after kill'],
  ['tcpdump-nat', "seed 004's view: one flow before MASQUERADE on the bridge and after it on the uplink"],
  ['tcpdump-lo', 'on loopback each packet shows once'],
])('%s: %s', (name) => {
  const session = createSession({ file: `${name}.sh` });
  const run = session.run(readFileSync(new URL(`${name}.sh`, here), 'utf8'));
  expect(run.exitCode).toBe(0);
  expect(normalise(run.output)).toBe(normalise(readFileSync(new URL(`${name}.kernel.txt`, here), 'utf8')));
});
