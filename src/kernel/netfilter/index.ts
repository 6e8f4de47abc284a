// Netfilter for IPv4: per-namespace state, the hook entry point the stack calls, and the ruleset
// API the iptables userland calls. Code lives beside this file.
export { createNetfilterNs, type NetfilterNs, type NfKernel, type NfNetns } from './state.ts';
export { nfHookIpv4, dropUnconfirmed, nfScrub, nfCtAttach, snapshot, type NfVerdict } from './hook.ts';
export { emptyTable, replaceTable, validateTable, zeroCounters, chainReferences, syncTables, type NfError } from './ruleset.ts';
export { formatLogLine, dumpIpv4 } from './log.ts';

import { bindNetfilter } from '../nfadapter.ts';
import { createNetfilterNs } from './state.ts';
import { nfHookIpv4, dropUnconfirmed } from './hook.ts';
import type { NfKernel, NfNetns } from './state.ts';

// Wire the IPv4 hooks into the stack (nfadapter.ts): importing this module is enough.
bindNetfilter({
  createNs: (kernel) => createNetfilterNs(kernel.seed),
  hookIpv4: (kernel, ns, hook, skb, indev, outdev) => nfHookIpv4(kernel as unknown as NfKernel, ns as unknown as NfNetns, hook, skb, indev, outdev),
  dropUnconfirmed: (kernel, ns, skb) => dropUnconfirmed(kernel as unknown as NfKernel, ns as unknown as NfNetns, skb),
});
