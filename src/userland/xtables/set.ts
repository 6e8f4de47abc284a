// libxt_set's get_set_byname: while parsing `--match-set NAME`, iptables asks the kernel for the
// set's index (SO_IP_SET) and stops with "Set NAME doesn't exist." when there is none.
import { getIpSets } from '../../kernel/netfilter/ipset.ts';
import type { Rule } from '../../kernel/netfilter/types.ts';
import { param } from './errors.ts';

/** Throws iptables' parameter problem when a rule names a set the namespace does not have. */
export function checkSetsExist(rules: readonly Rule[], kernel: object, netns: string): void {
  const sets = getIpSets(kernel, netns).sets;
  for (const r of rules) {
    for (const m of r.matches) {
      if (m.name === 'set' && !sets.has(m.info.setName)) throw param(`Set ${m.info.setName} doesn't exist.\n`);
    }
  }
}
