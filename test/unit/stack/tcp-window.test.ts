// The simulator's TCP segments against tcpdump captures from the real kernel (tcp-window.ts):
// window scale 10, SYN windows 64240/65160 (veth) and 65495/65483 (lo), MSS from the device MTU,
// later windows 63 (64512 bytes) from a veth client and 64 from the server that offered 65160.
import { expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';
import { TCP_FIXTURES, fixtureScript, normaliseCapture, recordedKernel } from './tcp-window.ts';

test.each(TCP_FIXTURES.map((n) => [n]))('%s: every segment as the kernel sent it', (name) => {
  const sim = runOnSimulator(fixtureScript(name), `${name}.sh`);
  expect(sim.status).toBe(0);
  expect(normaliseCapture(sim.output)).toBe(normaliseCapture(recordedKernel(name)));
});
