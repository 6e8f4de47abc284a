// NF_HOOK for IPv4: every function registered at a hook, in the kernel's priority order
// (raw -300, conntrack -200, mangle -150, nat DST -100, filter 0, security 50, nat SRC 100,
// conntrack confirm INT_MAX). nf_hook_slow stops at the first verdict that is not ACCEPT.
import type { Skb } from '../skb.ts';
import { IPPROTO } from '../skb.ts';
import type { SkbSnapshot } from '../../scenario/record.ts';
import type { Hook, TableName } from './types.ts';
import type { NfKernel, NfNetns } from './state.ts';
import type { PktCtx } from './matches.ts';
import { doTable, type CompiledTable } from './table.ts';
import { formatTraceLine, logAllowed } from './log.ts';
import { conntrackIn, ctinfoDir, ctSummary, isIcmpError, type Conntrack } from '../conntrack/core.ts';
import { natApplies, natIcmpReply, natPacket, natSetup, type ManipType } from '../conntrack/nat.ts';
import { TCP_STATE_NAMES } from '../conntrack/tcp.ts';
import { nextRandom, createNetfilterNs } from './state.ts';
import { syncTables } from './ruleset.ts';

export type NfVerdict = 'ACCEPT' | 'DROP' | 'STOLEN';

/** A copy of the headers (NAT rewrites the packet in place later). */
export function snapshot(skb: Skb): SkbSnapshot {
  return {
    id: skb.id,
    len: skb.len,
    ip: { ...skb.ip },
    tcp: skb.tcp ? { ...skb.tcp, flags: { ...skb.tcp.flags }, options: [...skb.tcp.options] } : undefined,
    udp: skb.udp ? { ...skb.udp } : undefined,
    icmp: skb.icmp ? { ...skb.icmp, inner: skb.icmp.inner ? { ...skb.icmp.inner, ip: { ...skb.icmp.inner.ip } } : undefined } : undefined,
    eth: skb.eth ? { ...skb.eth } : undefined,
    mark: skb.mark,
    payloadLen: skb.payloadLen,
  };
}

const NAT_SKIP_ESTABLISHED = 'not consulted: the nat table only sees the first packet of a connection';
const NAT_SKIP_DONE = 'not consulted: this connection already has its NAT binding';
const NAT_SKIP_UNTRACKED = 'not consulted: the packet is not tracked by conntrack';

export function nfHookIpv4(kernel: NfKernel, ns: NfNetns, hook: Hook, skb: Skb, indev: string | undefined, outdev: string | undefined): NfVerdict {
  const nf = (ns.nf ??= createNetfilterNs(kernel.seed));
  syncTables(kernel, ns.name, nf);
  const rec = kernel.recording;
  const t = kernel.now;
  if (rec) {
    const d = skb.dev;
    kernel.emit({ type: 'hook', t, netns: ns.name, pkt: skb.id, family: 'ipv4', hook, in: indev, out: outdev, physIn: d?.physIn, physOut: d?.physOut, snap: snapshot(skb) });
  }
  const p: PktCtx = { kernel, ns, skb, indev, outdev, ct: skb.ct && !skb.ct.untracked ? nf.conntrack.attached(skb.ct.entryId) : undefined };

  if (runTable(kernel, ns, p, hook, 'raw') === 'DROP') return dropVerdict(kernel, ns, skb);
  if ((hook === 'PREROUTING' || hook === 'OUTPUT') && nf.conntrackActive && !skb.ct) {
    const r = conntrackIn(nf.conntrack, skb, t, ns.sysctl);
    if (r.ct && !r.invalid) {
      skb.ct = { entryId: r.ct.id, info: r.info };
      p.ct = nf.conntrack.attached(r.ct.id) ?? r.ct;
      if (rec) {
        kernel.emit({ type: 'ct', t, netns: ns.name, pkt: skb.id, action: r.created ? 'new' : 'seen', entryId: r.ct.id, ctinfo: r.info, state: r.ct.tcp ? TCP_STATE_NAMES[r.ct.tcp.state] : undefined, summary: ctSummary(r.ct) });
        // an RST as the only reply deletes the entry at once (nf_ct_kill)
        if (!r.created && !nf.conntrack.byId.has(r.ct.id)) kernel.emit({ type: 'ct', t, netns: ns.name, pkt: skb.id, action: 'destroy', entryId: r.ct.id, summary: ctSummary(r.ct) });
      }
    } else if (rec) {
      kernel.emit({ type: 'ct', t, netns: ns.name, pkt: skb.id, action: 'invalid', entryId: 0, summary: r.invalid ?? 'invalid' });
    }
  } else if ((hook === 'PREROUTING' || hook === 'OUTPUT') && skb.ct?.untracked && rec) {
    kernel.emit({ type: 'ct', t, netns: ns.name, pkt: skb.id, action: 'untracked', entryId: 0, summary: 'untracked (NOTRACK in raw)' });
  }
  if (runTable(kernel, ns, p, hook, 'mangle') === 'DROP') return dropVerdict(kernel, ns, skb);
  if (hook === 'PREROUTING' || hook === 'OUTPUT') {
    if (natHook(kernel, ns, p, hook, 'DST') === 'DROP') return dropVerdict(kernel, ns, skb);
  }
  if (runTable(kernel, ns, p, hook, 'filter') === 'DROP') return dropVerdict(kernel, ns, skb);
  if (runTable(kernel, ns, p, hook, 'security') === 'DROP') return dropVerdict(kernel, ns, skb);
  if (hook === 'POSTROUTING' || hook === 'INPUT') {
    if (natHook(kernel, ns, p, hook, 'SRC') === 'DROP') return dropVerdict(kernel, ns, skb);
    // __nf_conntrack_confirm: only the original direction's first packet inserts the entry
    const c = skb.ct;
    const ct = p.ct;
    if (c && ct && !c.untracked && !ct.confirmed && ctinfoDir(c.info) === 0 && nf.conntrack.byId.has(ct.id)) {
      if (!nf.conntrack.confirm(ct)) return dropVerdict(kernel, ns, skb);
      if (rec) kernel.emit({ type: 'ct', t, netns: ns.name, pkt: skb.id, action: 'confirm', entryId: ct.id, ctinfo: c.info, state: ct.tcp ? TCP_STATE_NAMES[ct.tcp.state] : undefined, summary: ctSummary(ct) });
    }
  }
  return 'ACCEPT';
}

function dropVerdict(kernel: NfKernel, ns: NfNetns, skb: Skb): NfVerdict {
  dropUnconfirmed(kernel, ns, skb);
  return 'DROP';
}

function runTable(kernel: NfKernel, ns: NfNetns, p: PktCtx, hook: Hook, name: TableName): 'ACCEPT' | 'DROP' {
  const list = ns.nf.hookTables[hook].get(name);
  if (list === undefined) return 'ACCEPT';
  const skb = p.skb;
  const rec = kernel.recording;
  for (let k = 0; k < list.length; k++) {
    const ct = list[k];
    if (ct.hookChain[hook] === undefined) continue;
    const v = doTable(ct, hook, p, rec || skb.nfTrace || ct.hasTrace ? tracer(kernel, ns, p, ct, hook) : undefined);
    if (rec) kernel.emit({ type: 'table', t: kernel.now, netns: ns.name, pkt: skb.id, family: 'ipv4', hook, table: name, verdict: v });
    if (v === 'DROP') return v;
  }
  return 'ACCEPT';
}

/** The stack dropped a packet outside netfilter: an unconfirmed entry it carried goes with it. */
export function dropUnconfirmed(kernel: NfKernel, ns: NfNetns, skb: Skb): void {
  const c = skb.ct;
  if (!c || c.untracked) return;
  const ct = ns.nf.conntrack.byId.get(c.entryId);
  if (ct && !ct.confirmed) {
    ns.nf.conntrack.destroy(ct);
    if (kernel.recording) kernel.emit({ type: 'ct', t: kernel.now, netns: ns.name, pkt: skb.id, action: 'unconfirmed-drop', entryId: ct.id, summary: ctSummary(ct) });
  }
}

/**
 * nf_ct_attach: a packet the kernel makes about another one (REJECT's reply, an ICMP error) joins
 * the offending packet's connection in the other direction, RELATED, even while that entry is
 * unconfirmed (measured: a REJECTed first echo's icmp-host-prohibited matches --ctstate RELATED
 * in OUTPUT; so does a TTL-exceeded error).
 */
export function nfCtAttach(skb: Skb, offending: Skb): void {
  const c = offending.ct;
  if (!c || c.untracked) return;
  const info = c.info === 'ESTABLISHED_REPLY' || c.info === 'RELATED_REPLY' ? 'RELATED' : 'RELATED_REPLY';
  skb.ct = { entryId: c.entryId, info };
}

/** A packet leaving its namespace (veth to another netns): skb_scrub_packet(xnet) forgets ct, trace and mark. */
export function nfScrub(skb: Skb): void {
  skb.ct = undefined;
  skb.nfTrace = undefined;
  skb.mark = 0;
}

function natHook(kernel: NfKernel, ns: NfNetns, p: PktCtx, hook: Hook, manip: ManipType): 'ACCEPT' | 'DROP' {
  const nf = ns.nf;
  if (!nf.natRegistered) return 'ACCEPT';
  const skb = p.skb;
  const rec = kernel.recording;
  const natTables = nf.hookTables[hook].get('nat') ?? NO_TABLES;
  // recording only: a closure per packet costs measurably on the forwarding path
  const skip = rec ? natSkipper(kernel, ns, skb, hook, natTables) : natSkipNone;
  const c = skb.ct;
  const ct = p.ct;
  if (!c || c.untracked || !ct) {
    skip(NAT_SKIP_UNTRACKED);
    return 'ACCEPT';
  }
  const dir = ctinfoDir(c.info);
  if ((c.info === 'RELATED' || c.info === 'RELATED_REPLY') && skb.ip.protocol === IPPROTO.ICMP && skb.icmp && isIcmpError(skb.icmp.type)) {
    skip(NAT_SKIP_ESTABLISHED);
    if (natApplies(ct, manip, dir)) {
      const before = rec ? snapshot(skb) : undefined;
      natIcmpReply(skb, ct, manip, dir);
      if (rec) kernel.emit({ type: 'nat', t: kernel.now, netns: ns.name, pkt: skb.id, manip, hook, before: before!, after: snapshot(skb), established: true });
    }
    return 'ACCEPT';
  }
  const done = manip === 'SRC' ? ct.srcNatDone : ct.dstNatDone;
  if (c.info === 'NEW' || c.info === 'RELATED' || c.info === 'RELATED_REPLY') {
    if (!done) {
      for (const compiled of natTables) {
        if (compiled.hookChain[hook] === undefined) continue;
        // nf_nat_inet_fn: the first nat table that sets up a binding ends the lookups
        const v = doTable(compiled, hook, p, rec || skb.nfTrace || compiled.hasTrace ? tracer(kernel, ns, p, compiled, hook) : undefined);
        if (rec) kernel.emit({ type: 'table', t: kernel.now, netns: ns.name, pkt: skb.id, family: 'ipv4', hook, table: 'nat', verdict: v });
        if (v === 'DROP') return 'DROP';
        if (manip === 'SRC' ? ct.srcNatDone : ct.dstNatDone) break;
      }
      if (!(manip === 'SRC' ? ct.srcNatDone : ct.dstNatDone)) natSetup(nf.conntrack, ct, manip, undefined, kernel.now, () => nextRandom(nf) & 0xffff);
    } else skip(NAT_SKIP_DONE);
  } else skip(NAT_SKIP_ESTABLISHED);
  if (natApplies(ct, manip, dir)) {
    const before = rec ? snapshot(skb) : undefined;
    natPacket(skb, ct, manip, dir);
    if (rec) kernel.emit({ type: 'nat', t: kernel.now, netns: ns.name, pkt: skb.id, manip, hook, before: before!, after: snapshot(skb), established: c.info !== 'NEW' });
  }
  return 'ACCEPT';
}

const NO_TABLES: CompiledTable[] = [];

function natSkipNone(_why: string): void {}

function natSkipper(kernel: NfKernel, ns: NfNetns, skb: Skb, hook: Hook, natTables: CompiledTable[]): (why: string) => void {
  const hasChain = natTables.some((c) => c.hookChain[hook] !== undefined);
  return (why: string) => {
    if (hasChain) kernel.emit({ type: 'table', t: kernel.now, netns: ns.name, pkt: skb.id, family: 'ipv4', hook, table: 'nat', skipped: why });
  };
}

function tracer(kernel: NfKernel, ns: NfNetns, p: PktCtx, table: CompiledTable, hook: Hook) {
  return (chain: string, kind: 'rule' | 'return' | 'policy', num: number, verdict: string) => {
    if (kernel.recording) {
      const handle = kind === 'rule' ? table.table.chains.get(chain)?.rules[num - 1]?.handle : undefined;
      kernel.emit({ type: 'rule', t: kernel.now, netns: ns.name, pkt: p.skb.id, family: 'ipv4', hook, table: table.name, chain, kind, ruleNum: num, handle, verdict });
    }
    // legacy TRACE goes to the kernel log; iptables-nft's goes to nftrace (xtables-monitor) via the 'rule' events
    if (p.skb.nfTrace && table.legacy && logAllowed(p)) kernel.log(formatTraceLine(p, table.name, chain, kind, num), ns.name, p.skb.id);
  };
}

export type { Conntrack };
