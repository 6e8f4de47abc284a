// busybox's ping and ip applets, and LOG --log-uid's socket owners, against captures from the
// oracle machine (Debian's busybox 1.35.0, kernel 6.18): each fixtures/NAME.sh ran with
// `bash test/kernel/lib/run-in-netns.sh` and gave fixtures/NAME.kernel.txt (log-uid-owners needs
// the host's net.netfilter.nf_log_all_netns=1 while it runs). The simulator must print the same,
// except what the kernel leaves to chance: round-trip times, random MACs, LOG's timestamps, IP
// ids, ports, sequence numbers, TCP options. LOG lines are compared chain by chain (the order in
// which two namespaces' lines interleave is the stack's delivery order, not what is tested here).
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

const here = new URL('./fixtures/', import.meta.url);

function run(name: string): string {
  const session = createSession({ file: `${name}.sh` });
  const r = session.run(readFileSync(new URL(`${name}.sh`, here), 'utf8'));
  expect(r.exitCode).toBe(0);
  return r.output;
}

const kernel = (name: string) => readFileSync(new URL(`${name}.kernel.txt`, here), 'utf8');

const maskBusybox = (text: string) =>
  text
    .replace(/time=\d+\.\d{3} ms/g, 'time=RTT ms')
    .replace(/min\/avg\/max = [\d./]+ ms/g, 'min/avg/max = RTT ms')
    .replace(/link\/ether ([0-9a-f]{2}:){5}[0-9a-f]{2}/g, (m) => (m.includes('02:42:ac:11') ? m : 'link/ether MAC'))
    .replace(/inet6 fe80::[0-9a-f:]+\/64/g, (m) => (m.includes('42:acff:fe11') ? m : 'inet6 LL/64'));

/** LOG lines by prefix, with the fields the kernel leaves to chance masked. */
function logByChain(text: string): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^\[[ \d.]+\] (u4uid [a-z-]+): (.*)$/.exec(line);
    if (!m) continue;
    const fields = m[2]
      .replace(/MAC=\S+/, 'MAC=M')
      .replace(/\b(ID|SPT|DPT|SEQ|ACK|WINDOW)=\d+/g, '$1=N')
      .replace(/OPT \([0-9A-F]+\) /, '');
    chains.set(m[1], [...(chains.get(m[1]) ?? []), fields]);
  }
  return chains;
}

test.each([
  ['busybox-applets: ping (-c -i -q -s -I -w -W, no reply, no route, bad number) and ip addr|link|route, eth0@if3 and va@br0', 'busybox-applets'],
  ['ipv6-disable: net.ipv6.conf.DEV.disable_ipv6 hides inet6 lines (iproute2), follows renames, resets on a move, conf.default for new devices', 'ipv6-disable'],
])('%s equal the real tools', (_title, name) => {
  expect(maskBusybox(run(name))).toBe(maskBusybox(kernel(name)));
});

test('LOG --log-uid prints UID=0 GID=0 on full sockets\' packets only, as the kernel does', () => {
  const sim = logByChain(run('log-uid-owners'));
  const real = logByChain(kernel('log-uid-owners'));
  expect([...sim.keys()].sort()).toEqual(['u4uid host-out', 'u4uid wan-in', 'u4uid wan-out']);
  for (const [chain, lines] of real) expect(sim.get(chain), chain).toEqual(lines);
});

test.each([
  ['busybox ping 10.0.0.1', /give -c CNT or -w SEC/],
  ['busybox ping -f 10.0.0.1', /unsupported option -f/],
  ['busybox nslookup example.com', /applet `nslookup` not modelled \(modelled: ping, ip\)/],
  ['busybox ip -o addr', /option `-o` not modelled/],
])('%s is a clear error', (script, message) => {
  const session = createSession({ file: 'bad.sh' });
  expect(() => session.run(`${script}\n`)).toThrow(message);
});
