// LOG lines on every iptables table and chain, against kernel 6.18 captures (log/*.kernel.txt):
// which IN=/OUT=/PHYSIN=/PHYSOUT=/MAC= each hook prints for forwarded, locally sent and locally
// received packets, routed and through a bridge with br_netfilter. The scripts' last line strips
// dmesg timestamps with sed, which the simulator's shell does not have: the simulator runs it
// with a plain `dmesg | grep` and the timestamps are stripped here. ICMP ids and IP ids vary.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'log');
const norm = (t: string): string => t.replace(/^\[[ 0-9.]*\] /gm, '').replace(/ ID=\d+/g, ' ID=N');

test.each([
  // a forwarded packet shows its ingress device and MAC header at POSTROUTING too (ip_output)
  ['routed-every-chain', 'pwR7 mangle/POSTROUTING IN=veth-c OUT=veth-s MAC=02:00:00:00:01:01:02:00:00:00:01:02:08:00 '],
  // a bridged packet does not (br_nf_post_routing passes no input device); a routed one from the bridge does
  ['bridged-every-chain', 'pwB7 mangle/POSTROUTING IN=br0 OUT=veth-s PHYSIN=veth1 MAC='],
  // without br_netfilter: no PHYSIN, and the bridged ping is not logged at all
  ['bridged-no-brnf-every-chain', 'pwN7 mangle/POSTROUTING IN=br0 OUT=veth-s MAC=02:00:00:00:00:01:02:42:ac:12:00:02:08:00 '],
])('%s: LOG lines equal the kernel capture', (name, sample) => {
  const script = readFileSync(join(dir, `${name}.sh`), 'utf8').replace(/\| sed .*$/m, '');
  const want = readFileSync(join(dir, `${name}.kernel.txt`), 'utf8');
  expect(want).toContain(sample);
  expect(norm(runOnSimulator(script).output)).toBe(norm(want));
});
