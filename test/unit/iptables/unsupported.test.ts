// What packetwalk does not model stops the run with a ScriptError naming what is supported.
import { describe, expect, test } from 'vitest';
import { ScriptError } from '../../../src/userland/tool.ts';
import { tools as monitor } from '../../../src/userland/xtables-monitor.ts';
import { session } from './harness.ts';

const cases: Array<[string, RegExp]> = [
  ['iptables -A INPUT -m recent --set -j ACCEPT', /`-m recent` is not modelled \(supported matches: tcp, udp.*, set\)/],
  ['iptables -A INPUT -m set --match-set s dst --return-nomatch -j ACCEPT', /-m set --return-nomatch is not modelled; supported: \[!\] --match-set NAME/],
  ['iptables -6 -A INPUT -j ACCEPT', /IPv6 is not modelled/],
  ['iptables -t raw -A PREROUTING -j CT --zone 1', /-j CT --zone is not modelled; supported: -j CT --notrack/],
  ['iptables -A INPUT -m conntrack --ctexpire 10 -j ACCEPT', /--ctexpire is not modelled/],
  ['iptables-save --bogus', /option `--bogus` is not supported/],
  ['iptables-restore --bogus', /option `--bogus` is not supported/],
  ['ebtables -L --Lx', /--Lx is not modelled/],
  ['xtables-monitor --event', /--event is not modelled/],
  ['xtables-monitor --trace', /must run in the background/],
];

describe('unsupported input gives a ScriptError', () => {
  test.each(cases)('%s', (line, message) => {
    const s = session(monitor);
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
