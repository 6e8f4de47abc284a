// nf_defrag_ipv4: registered in a namespace while conntrack is in use there (nf_ct_netns_get
// by a conntrack-using match or target); it reassembles fragments at PREROUTING and OUTPUT with
// priority -400, before raw (-300) and conntrack (-200), so every table sees whole datagrams.
import { createNetfilterNs, type NetfilterNs } from '../netfilter/state.ts';
import { syncTables } from '../netfilter/ruleset.ts';

/** Whether nf_defrag_ipv4 runs in the namespace NS now (its conntrack users, as the rulesets are). */
export function defragActive(kernel: { seed: number }, ns: { name: string; nf: unknown }): boolean {
  const nf = (ns.nf ??= createNetfilterNs(kernel.seed)) as NetfilterNs;
  syncTables(kernel, ns.name, nf);
  return nf.conntrackActive;
}
