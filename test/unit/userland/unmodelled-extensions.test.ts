// Real iptables extensions packetwalk does not model stop the run with a ScriptError naming
// them and what is supported, instead of being taken for a chain name or an unknown option.
import { describe, expect, test } from 'vitest';
import { ScriptError } from '../../../src/userland/tool.ts';
import { session } from '../iptables/harness.ts';

const cases: Array<[string, RegExp]> = [
  ['iptables -A INPUT -j NFLOG --nflog-group 2', /^`-j NFLOG` is not modelled \(supported targets: ACCEPT, DROP, RETURN, LOG, REJECT, .*TRACE, NOTRACK, or a user-defined chain\)$/],
  ['iptables -A INPUT -j TEE --gateway 10.0.0.2', /^`-j TEE` is not modelled/],
  ['iptables -t nat -A PREROUTING -d 1.2.3.0/24 -j NETMAP --to 5.6.7.0/24', /^`-j NETMAP` is not modelled/],
  ['iptables-legacy -A FORWARD -j NFQUEUE --queue-num 1', /^`-j NFQUEUE` is not modelled/],
  ['iptables -t mangle -A POSTROUTING -p tcp -j TCPMSS --clamp-mss-to-pmtu', /^`-j TCPMSS` is not modelled/],
  ['iptables -A INPUT -j ULOG', /^`-j ULOG` is not modelled/],
  ['iptables -A INPUT -m quota --quota 10 -j ACCEPT', /^`-m quota` is not modelled \(supported matches: tcp, udp, .*\)$/],
  ['iptables -A INPUT -p sctp --dport 80 -j ACCEPT', /^`-m sctp` is not modelled/],
  ['iptables -A INPUT -m esp --espspi 1 -j ACCEPT', /^`-m esp` is not modelled/],
];

describe('unmodelled iptables extensions give a ScriptError', () => {
  test.each(cases)('%s', (line, message) => {
    const s = session();
    let err: unknown;
    try {
      s.run(line);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScriptError);
    expect((err as Error).message).toMatch(message);
  });
});
