// Device MTUs as the kernel keeps them (measured on 6.18 with iproute2: fixtures/ip-link-mtu.sh
// gave fixtures/ip-link-mtu.kernel.txt): `ip link add … mtu N` for each veth end and a bridge, a
// bridge following its ports' smallest MTU until the user sets one, the range checks and their
// messages; fixtures/ip-route-pmtu.sh: the path MTU a frag-needed taught, as ip route shows it. Path MTU, fragmentation and frag-needed are in the differential scenarios 058-061.
// Regenerate: bash test/kernel/lib/run-in-netns.sh test/unit/stack/fixtures/ip-link-mtu.sh > test/unit/stack/fixtures/ip-link-mtu.kernel.txt
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

const here = new URL('./fixtures/', import.meta.url);
const normalise = (text: string): string =>
  text
    .replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, 'MAC')
    .replace(/time=[0-9.]+ ms/g, 'time=RTT ms')
    .replace(/= [0-9.]+\/[0-9.]+\/[0-9.]+\/[0-9.]+ ms/g, '= RTT ms')
    .replace(/time \d+ms/g, 'time Nms')
    .replace(/^# (Generated|Completed) .*\n/gm, '');

test.each([
  ['ip-link-mtu', 'ip link add/set … mtu on veth ends and bridges, bridge MTU from its ports, range errors'],
  ['ip-route-pmtu', 'a learned path MTU in ip route get / show cache (expires 599sec mtu 1400), forgotten by flush cache'],
  ['ip-route-mtu', 'route MTU attributes (mtu N, mtu lock N) in ip route after metric and linkdown, and in ip route get'],
  ['forward-use-pmtu', 'net.ipv4.ip_forward_use_pmtu = 1: a router forwards by the path MTU it learned itself and sends the frag-needed'],
  ['pmtu-sysctls', 'net.ipv4.ip_no_pmtu_disc (sockets send without DF; a frag-needed reads mtu = 0 and locks the path MTU at min_pmtu), the PMTU sysctls\' defaults'],
])('%s: %s', (name) => {
  const session = createSession({ file: `${name}.sh` });
  const run = session.run(readFileSync(new URL(`${name}.sh`, here), 'utf8'));
  expect(normalise(run.output)).toBe(normalise(readFileSync(new URL(`${name}.kernel.txt`, here), 'utf8')));
});
