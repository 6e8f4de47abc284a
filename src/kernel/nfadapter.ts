// The stack's view of netfilter: the entry points it calls at each hook. The IPv4 hooks are
// netfilter/index.ts's nfHookIpv4 (see DEVELOPERS.md "Stack ↔ netfilter"); the bridge-family
// hooks are ebtables'. Until those modules are wired in, every hook accepts.
import type { Skb } from './skb.ts';
import type { Hook } from './netfilter/types.ts';
import type { Kernel } from './kernel.ts';
import type { Netns } from './netns.ts';

export type Verdict = 'ACCEPT' | 'DROP' | 'STOLEN';
export type BridgeHook = 'BROUTING' | 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export interface NetfilterBinding {
  /** Per-namespace netfilter state (tables, conntrack), stored as `ns.nf`. */
  createNs(kernel: Kernel, ns: Netns): unknown;
  /** NF_HOOK for NFPROTO_IPV4: INDEV/OUTDEV are device names (the bridge for bridged frames). */
  hookIpv4(kernel: Kernel, ns: Netns, hook: Hook, skb: Skb, indev: string | undefined, outdev: string | undefined): Verdict;
  /**
   * NF_HOOK for NFPROTO_BRIDGE (ebtables). BROUTING returns 'DROP' to mean "route it" (the
   * broute table's DROP sends the frame up to the IP stack), as ebt_broute does.
   */
  hookBridge(kernel: Kernel, ns: Netns, hook: BridgeHook, skb: Skb, indev: string | undefined, outdev: string | undefined): Verdict;
  /** The stack dropped SKB outside netfilter after PREROUTING/OUTPUT: its unconfirmed conntrack entry dies. */
  dropUnconfirmed(kernel: Kernel, ns: Netns, skb: Skb): void;
}

export const netfilterBinding: NetfilterBinding = {
  createNs: () => undefined,
  hookIpv4: () => 'ACCEPT',
  hookBridge: () => 'ACCEPT',
  dropUnconfirmed: () => undefined,
};

/** Wires the netfilter implementation in (called once by netfilter/ebtables modules' setup). */
export function bindNetfilter(impl: Partial<NetfilterBinding>): void {
  Object.assign(netfilterBinding, impl);
}
