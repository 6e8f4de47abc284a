// Which TCP segments tcpdump -v shows with an offloaded (incorrect) checksum, against the real
// kernel: fixtures/tcpdump-checksums.sh ran on the oracle machine (a container's connection
// forwarded and masqueraded, REJECT's RST, the kernel's RST for a closed port, a connection on lo)
// gave fixtures/tcpdump-checksums.kernel.txt. The stored value of an offloaded segment (the
// pseudo-header sum) and `incorrect`/`correct` must match; what hangs on the kernel's random
// numbers (IP ids, ephemeral ports, initial sequence numbers, timestamps, hence the real checksum)
// is normalised. tcpdump-checksum.test.ts checks the real checksums on captured segments.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

const here = new URL('./fixtures/', import.meta.url);
const normalise = (text: string): string =>
  text
    .split('\n')
    .map((l) =>
      l
        .replace(/\bid \d+,/g, 'id ID,')
        .replace(/(\d+\.\d+\.\d+\.\d+)\.(\d{5})\b/g, (_m, a: string) => `${a}.PORT`)
        .replace(/incorrect -> 0x[0-9a-f]{4}/, 'incorrect -> REAL')
        .replace(/cksum 0x[0-9a-f]{4} \(correct\)/, 'cksum REAL (correct)')
        .replace(/(Flags \[S\.?\], cksum [^,]+(?:,[^,]+)?), seq \d+/, '$1, seq ISN')
        .replace(/ack \d{4,}/, 'ack ISN')
        .replace(/TS val \d+ ecr \d+/, 'TS')
        .replace(/, seq \d{6,},/, ', seq ISN,'),
    )
    .join('\n');

test('tcpdump -v: offloaded and computed TCP checksums where the real kernel has them', () => {
  const session = createSession({ file: 'tcpdump-checksums.sh' });
  const run = session.run(readFileSync(new URL('tcpdump-checksums.sh', here), 'utf8'));
  expect(run.exitCode).toBe(0);
  expect(normalise(run.output)).toBe(normalise(readFileSync(new URL('tcpdump-checksums.kernel.txt', here), 'utf8')));
});
