// tcpdump's -e / -q / -v combinations against the real tool: fixtures/tcpdump-ether-quiet.sh ran
// on the oracle machine (tcpdump 4.99, seven captures of one veth at once: ARP, pings both ways,
// a TCP exchange, a UDP datagram to a closed port 5353) gave fixtures/tcpdump-ether-quiet.kernel.txt.
// The simulator must print the same lines, except what the kernel leaves to chance: MACs, IP and
// ICMP ids, the ephemeral port. TCP lines are kept to -q ones (full TCP lines print checksums and
// random sequence numbers). Regenerate: bash test/kernel/lib/run-in-netns.sh on the .sh file.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

const here = new URL('./fixtures/', import.meta.url);
const normalise = (text: string): string =>
  text
    .split('\n')
    .map((l) =>
      l
        .replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'MAC')
        .replace(/\bid \d+,/g, 'id ID,')
        .replace(/(seq|ack|val|ecr) \d{6,}/g, '$1 N')
        .replace(/10\.0\.0\.1\.\d{5}\b/g, '10.0.0.1.PORT')
        .replace(/ 10\.0\.0\.1\.\d+:/g, ' 10.0.0.1.PORT:'),
    )
    .join('\n');

test.each([
  ['tcpdump-ether-quiet', '-e/-q/-v layouts for ARP, ICMP, TCP and UDP'],
  ['tcpdump-names', 'without -n: port names (http-alt, mdns, domain, in ICMP errors too), MACs with their OUI, Broadcast'],
])('%s: %s', (name) => {
  const session = createSession({ file: `${name}.sh` });
  const run = session.run(readFileSync(new URL(`${name}.sh`, here), 'utf8'));
  expect(run.exitCode).toBe(0);
  expect(normalise(run.output)).toBe(normalise(readFileSync(new URL(`${name}.kernel.txt`, here), 'utf8')));
});
