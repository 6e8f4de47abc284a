// Builds a small world and a ToolContext for driving stack tools from tests (before/without the
// scenario interpreter): two-namespace and routed topologies as the oracle scripts build them.
import { Kernel } from '../../../src/kernel/index.ts';
import type { Netns } from '../../../src/kernel/netns.ts';
import { parseCidr } from '../../../src/kernel/addr.ts';
import type { Tool, ToolContext } from '../../../src/userland/tool.ts';

export function ctxFor(kernel: Kernel, netns: string, opts: { stdin?: string; background?: boolean } = {}): ToolContext & { output: () => string } {
  let buf = '';
  return {
    kernel,
    netns,
    stdin: opts.stdin ?? '',
    out: (t) => (buf += t),
    err: (t) => (buf += t),
    background: opts.background ?? false,
    pos: { file: 'test.sh', line: 1, column: 1 },
    env: {},
    run: () => 0,
    output: () => buf,
  };
}

export function runTool(tool: Tool, kernel: Kernel, netns: string, argv: string[], opts: { stdin?: string; background?: boolean } = {}): { code: number; out: string } {
  const ctx = ctxFor(kernel, netns, opts);
  const code = tool(argv, ctx);
  return { code, out: ctx.output() };
}

function addr(ns: Netns, dev: string, cidr: string): void {
  const c = parseCidr(cidr)!;
  ns.addAddress(ns.requireDev(dev), c.addr, c.prefix);
}

/** a(va 10.0.0.1/24) <-> b(vb 10.0.0.2/24), lo up in both. */
export function twoNs(seed = 1): Kernel {
  const k = new Kernel({ seed });
  const a = k.addNetns('a');
  const b = k.addNetns('b');
  k.addVeth(a, 'va', 'vb', b);
  addr(a, 'va', '10.0.0.1/24');
  addr(b, 'vb', '10.0.0.2/24');
  for (const [ns, d] of [[a, 'va'], [b, 'vb'], [a, 'lo'], [b, 'lo']] as const) k.setLinkUp(ns.requireDev(d));
  return k;
}

/** a(10.0.1.2) -- r(10.0.1.1 | 10.0.2.1, ip_forward=1) -- b(10.0.2.2), default routes via r. */
export function routed(seed = 1): Kernel {
  const k = new Kernel({ seed });
  const a = k.addNetns('a');
  const b = k.addNetns('b');
  const r = k.addNetns('r');
  k.addVeth(a, 'va', 'ra', r);
  k.addVeth(b, 'vb', 'rb', r);
  addr(a, 'va', '10.0.1.2/24');
  addr(r, 'ra', '10.0.1.1/24');
  addr(b, 'vb', '10.0.2.2/24');
  addr(r, 'rb', '10.0.2.1/24');
  for (const ns of [a, b, r]) k.setLinkUp(ns.requireDev('lo'));
  k.setLinkUp(a.requireDev('va'));
  k.setLinkUp(b.requireDev('vb'));
  k.setLinkUp(r.requireDev('ra'));
  k.setLinkUp(r.requireDev('rb'));
  a.addRoute({ dst: 0, prefix: 0, via: parseCidr('10.0.1.1')!.addr });
  b.addRoute({ dst: 0, prefix: 0, via: parseCidr('10.0.2.1')!.addr });
  r.setSysctl('net.ipv4.ip_forward', '1');
  return k;
}

/** Packets and bytes that entered HOOK in NETNS (what a match-all rule in that chain counts). */
export function hookCount(kernel: Kernel, netns: string, hook: string, since = 0): [number, number] {
  let p = 0;
  let b = 0;
  for (let i = since; i < kernel.events.length; i++) {
    const e = kernel.events[i];
    if (e.type === 'hook' && e.family === 'ipv4' && e.netns === netns && e.hook === hook) {
      p++;
      b += e.snap.len;
    }
  }
  return [p, b];
}

/** host: br0 10.0.0.1/24; c1 (10.0.0.2) and c2 (10.0.0.3) on veths h1/h2 enslaved to br0, default via 10.0.0.1. */
export function bridged(seed = 1): Kernel {
  const k = new Kernel({ seed });
  const host = k.requireNetns('');
  k.setLinkUp(host.requireDev('lo'));
  const br = k.addBridge(host, 'br0');
  addr(host, 'br0', '10.0.0.1/24');
  k.setLinkUp(br);
  for (const i of [1, 2]) {
    const c = k.addNetns(`c${i}`);
    const [h] = k.addVeth(host, `h${i}`, 'eth0', c);
    k.setMaster(h, br);
    k.setLinkUp(h);
    addr(c, 'eth0', `10.0.0.${i + 1}/24`);
    k.setLinkUp(c.requireDev('eth0'));
    k.setLinkUp(c.requireDev('lo'));
    c.addRoute({ dst: 0, prefix: 0, via: parseCidr('10.0.0.1')!.addr });
  }
  return k;
}
