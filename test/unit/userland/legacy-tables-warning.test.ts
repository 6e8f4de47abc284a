// iptables-nft's warning when x_tables (legacy) tables exist: printed before a listing, also when
// the listing then fails, never for a command line that does not parse; iptables-save prints it
// after its output. Measured on 1.8.9 with unbuffered stdout (stdbuf -o0 … 2>&1).
import { describe, expect, test } from 'vitest';
import { session } from '../iptables/harness.ts';

const WARN = '# Warning: iptables-legacy tables present, use iptables-legacy to see them\n';
const cases: Array<[string, string]> = [
  ['iptables -L Y', `${WARN}Chain Y (0 references)\ntarget     prot opt source               destination         \nACCEPT     all  --  anywhere             anywhere            \n`],
  ['iptables -L X', `${WARN}iptables v1.8.9 (nf_tables): chain \`X' in table \`filter' is incompatible, use 'nft' tool.\n`],
  ['iptables -S Y 1', `${WARN}-A Y -j ACCEPT\n`],
  ['iptables -Z Y 1', ''],
  ['iptables -L Y 0', "iptables v1.8.9 (nf_tables): Invalid rule number `0'\nTry `iptables -h' or 'iptables --help' for more information.\n"],
  ['iptables-save -t filter', '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:Y - [0:0]\n-A Y -j ACCEPT\nCOMMIT\n# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n'],
];

describe('iptables-nft warns of legacy tables where the real one does', () => {
  test.each(cases)('%s', (line, expected) => {
    const s = session();
    s.run('iptables-legacy -N X');
    s.run('iptables -N Y');
    s.run('iptables -A Y -j ACCEPT');
    const got = s.run(line).out.split('\n').filter((l) => !/^# (Generated|Completed)/.test(l)).join('\n');
    expect(got).toBe(expected);
  });
});
