// The libnetwork bridge driver's iptables programming, per rule layout (L1a … L8), as read from
// moby's source (setup_ip_tables*.go, iptables.go, firewall_linux.go, port_mapping_linux.go,
// iptabler/*.go) and distilled in ../shared/reference/docker-rules. dockerd checks every rule
// with `iptables -C` before adding it; the model keeps dockerd's view of its rules (`state.fw`)
// and emits only the commands that change something, so the plain script gives the same tables.
import type { DockerState, FwRef, GatewayMode, Network, PortBinding, Step } from './types.ts';
import type { Layout } from './versions.ts';

export class Firewall {
  readonly steps: Step[];
  readonly state: DockerState;
  /** Where rules added now are recorded (a network's or an endpoint's list), for removal. */
  owner: FwRef[] | undefined;

  constructor(state: DockerState, steps: Step[]) {
    this.state = state;
    this.steps = steps;
  }

  private chain(table: string, chain: string): string[] | undefined {
    return this.state.fw[table]?.[chain];
  }

  private run(table: string, args: string[]): void {
    this.steps.push({ argv: ['iptables', '-t', table, ...args] });
  }

  has(table: string, chain: string, spec: string): boolean {
    return this.chain(table, chain)?.includes(spec) ?? false;
  }

  newChain(table: string, chain: string): void {
    const t = (this.state.fw[table] ??= {});
    if (t[chain]) return;
    t[chain] = [];
    this.run(table, ['-N', chain]);
  }

  private record(table: string, chain: string, spec: string): void {
    this.owner?.push({ table, chain, spec });
  }

  /** programChainRule(insert=true): `-I CHAIN` unless present. */
  ins(table: string, chain: string, spec: string): void {
    const rules = this.ensureBuiltin(table, chain);
    if (rules.includes(spec)) return;
    rules.unshift(spec);
    this.run(table, ['-I', chain, ...spec.split(' ')]);
    this.record(table, chain, spec);
  }

  /** appendOrDelChainRule(append): `-A CHAIN` unless present. */
  app(table: string, chain: string, spec: string): void {
    const rules = this.ensureBuiltin(table, chain);
    if (rules.includes(spec)) return;
    rules.push(spec);
    this.run(table, ['-A', chain, ...spec.split(' ')]);
    this.record(table, chain, spec);
  }

  del(table: string, chain: string, spec: string): void {
    const rules = this.chain(table, chain);
    const i = rules?.indexOf(spec) ?? -1;
    if (!rules || i < 0) return;
    rules.splice(i, 1);
    this.run(table, ['-D', chain, ...spec.split(' ')]);
  }

  /** EnsureJumpRule: the jump ends up first in FROM (delete, then insert at the top). */
  ensureJump(table: string, from: string, spec: string): void {
    const rules = this.ensureBuiltin(table, from);
    if (rules[0] === spec) return;
    this.del(table, from, spec);
    rules.unshift(spec);
    this.run(table, ['-I', from, ...spec.split(' ')]);
  }

  policy(table: string, chain: string, policy: string): void {
    this.run(table, ['-P', chain, policy]);
  }

  private ensureBuiltin(table: string, chain: string): string[] {
    const t = (this.state.fw[table] ??= {});
    return (t[chain] ??= []);
  }

  /** Deletes every rule in REFS (newest first), as network/endpoint removal does. */
  removeAll(refs: FwRef[]): void {
    for (const r of [...refs].reverse()) this.del(r.table, r.chain, r.spec);
    refs.length = 0;
  }
}

const legacy = (l: Layout) => l === 'L1a' || l === 'L1b' || l === 'L2' || l === 'L3';
const pairwise = (l: Layout) => l === 'L1a' || l === 'L1b' || l === 'L2';
const hasForwardChain = (l: Layout) => l === 'L5' || l === 'L6' || l === 'L7' || l === 'L8';
const iso1 = (l: Layout) => (pairwise(l) ? 'DOCKER-ISOLATION' : 'DOCKER-ISOLATION-STAGE-1');
const ISO2 = 'DOCKER-ISOLATION-STAGE-2';

function natJumps(fw: Firewall, proxy: boolean): void {
  fw.app('nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j DOCKER');
  fw.app('nat', 'OUTPUT', proxy ? '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER' : '-m addrtype --dst-type LOCAL -j DOCKER');
}

/** Driver init (configure → setupIPChains), plus the controller's DOCKER-USER set-up for 28+. */
export function driverInit(fw: Firewall): void {
  const layout = fw.state.version.layout;
  const proxy = fw.state.config.userlandProxy;
  if (legacy(layout)) {
    fw.newChain('nat', 'DOCKER');
    fw.newChain('filter', 'DOCKER');
    fw.newChain('filter', iso1(layout));
    if (layout === 'L3') fw.newChain('filter', ISO2);
    fw.app('filter', iso1(layout), '-j RETURN');
    if (layout === 'L3') fw.app('filter', ISO2, '-j RETURN');
  } else if (layout === 'L4') {
    // setupHashNetIpset: IpsetCreate without NLM_F_EXCL (an existing set of that type is kept,
    // as with -exist), then IpsetFlush
    fw.steps.push({ argv: ['ipset', '-exist', 'create', 'docker-ext-bridges-v4', 'hash:net', 'family', 'inet'] });
    fw.steps.push({ argv: ['ipset', 'flush', 'docker-ext-bridges-v4'] });
    fw.newChain('nat', 'DOCKER');
    fw.newChain('filter', 'DOCKER');
    fw.newChain('filter', iso1(layout));
    fw.newChain('filter', ISO2);
    natJumps(fw, proxy);
    fw.ensureJump('filter', 'FORWARD', '-m set --match-set docker-ext-bridges-v4 dst -j DOCKER');
    fw.ensureJump('filter', 'FORWARD', `-j ${iso1(layout)}`);
    fw.ensureJump('filter', 'FORWARD', '-m set --match-set docker-ext-bridges-v4 dst -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  } else {
    fw.newChain('nat', 'DOCKER');
    for (const c of ['DOCKER', 'DOCKER-FORWARD', 'DOCKER-BRIDGE', 'DOCKER-CT']) fw.newChain('filter', c);
    const isolation = layout === 'L8' ? 'DOCKER-INTERNAL' : iso1(layout);
    fw.newChain('filter', isolation);
    if (layout !== 'L8') fw.newChain('filter', ISO2);
    natJumps(fw, proxy);
    fw.ensureJump('filter', 'FORWARD', '-j DOCKER-FORWARD');
    fw.ensureJump('filter', 'DOCKER-FORWARD', '-j DOCKER-BRIDGE');
    fw.ensureJump('filter', 'DOCKER-FORWARD', `-j ${isolation}`);
    fw.ensureJump('filter', 'DOCKER-FORWARD', '-j DOCKER-CT');
  }
  if (!legacy(layout)) userChain(fw);
}

/** DOCKER-USER (arrangeUserFilterRule / setupUserChains). */
export function userChain(fw: Firewall): void {
  const layout = fw.state.version.layout;
  if (layout === 'L1a' || layout === 'L1b') return;
  fw.newChain('filter', 'DOCKER-USER');
  if (layout !== 'L7' && layout !== 'L8') fw.app('filter', 'DOCKER-USER', '-j RETURN');
  fw.ensureJump('filter', 'FORWARD', '-j DOCKER-USER');
}

/** ≤ 27: the controller re-arranges DOCKER-USER after every NewNetwork (including none/host). */
export function afterNewNetwork(fw: Firewall): void {
  if (legacy(fw.state.version.layout)) userChain(fw);
}

function setIccLegacy(fw: Firewall, br: string, icc: boolean): void {
  if (icc) {
    fw.del('filter', 'FORWARD', `-i ${br} -o ${br} -j DROP`);
    fw.ins('filter', 'FORWARD', `-i ${br} -o ${br} -j ACCEPT`);
  } else {
    fw.del('filter', 'FORWARD', `-i ${br} -o ${br} -j ACCEPT`);
    fw.app('filter', 'FORWARD', `-i ${br} -o ${br} -j DROP`);
  }
}

/** createNetwork's iptables steps for a bridge network (setupIPTables … setupNetworkIsolationRules). */
export function networkRules(fw: Firewall, net: Network): void {
  const layout = fw.state.version.layout;
  const proxy = fw.state.config.userlandProxy;
  const br = net.bridge;
  const sn = net.subnet;
  const mode: GatewayMode = net.gatewayMode;
  fw.owner = net.rules;
  if (legacy(layout)) {
    const I1 = iso1(layout);
    if (net.internal) {
      fw.ins('filter', I1, `! -d ${sn} -i ${br} -j DROP`);
      fw.ins('filter', I1, `! -s ${sn} -o ${br} -j DROP`);
      setIccLegacy(fw, br, net.icc);
    } else {
      if (mode !== 'routed') fw.ins('nat', 'POSTROUTING', `-s ${sn} ! -o ${br} -j MASQUERADE`);
      if (proxy && mode !== 'routed') fw.ins('nat', 'DOCKER', `-i ${br} -j RETURN`);
      if (!proxy) fw.ins('nat', 'POSTROUTING', `-o ${br} -m addrtype --src-type LOCAL -j MASQUERADE`);
      setIccLegacy(fw, br, net.icc);
      fw.ins('filter', 'FORWARD', `-i ${br} ! -o ${br} -j ACCEPT`);
      if (layout === 'L1a') fw.ins('filter', 'FORWARD', `-o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
      fw.owner = undefined; // the nat jumps are shared by all networks
      natJumps(fw, proxy);
      fw.owner = net.rules;
      fw.ins('filter', 'FORWARD', `-o ${br} -j DOCKER`);
      if (layout !== 'L1a') fw.ins('filter', 'FORWARD', `-o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    }
    fw.owner = undefined;
    fw.ensureJump('filter', 'FORWARD', `-j ${I1}`);
    fw.owner = net.rules;
    if (!net.internal) {
      if (layout === 'L3') {
        fw.ins('filter', I1, `-i ${br} ! -o ${br} -j ${ISO2}`);
        fw.ins('filter', ISO2, `-o ${br} -j DROP`);
      } else {
        for (const other of fw.state.isolated) {
          fw.ins('filter', I1, `-i ${br} -o ${other} -j DROP`);
          fw.ins('filter', I1, `-i ${other} -o ${br} -j DROP`);
        }
      }
      fw.state.isolated.push(br);
    }
    fw.owner = undefined;
    return;
  }

  const FWD = hasForwardChain(layout) ? 'DOCKER-FORWARD' : 'FORWARD';
  if (net.internal) {
    const chain = layout === 'L8' ? 'DOCKER-INTERNAL' : iso1(layout);
    fw.ins('filter', chain, `! -d ${sn} -i ${br} -j DROP`);
    fw.ins('filter', chain, `! -s ${sn} -o ${br} -j DROP`);
    fw.app('filter', FWD, `-i ${br} -o ${br} -j ${net.icc ? 'ACCEPT' : 'DROP'}`);
    fw.owner = undefined;
    return;
  }
  if (mode !== 'routed') fw.ins('nat', 'POSTROUTING', `-s ${sn} ! -o ${br} -j MASQUERADE`);
  if (layout !== 'L8' && proxy) fw.ins('nat', 'DOCKER', `-i ${br} -j RETURN`);
  if (!proxy) fw.ins('nat', 'POSTROUTING', `-o ${br} -m addrtype --src-type LOCAL -j MASQUERADE`);
  if (!net.icc) fw.app('filter', FWD, `-i ${br} -o ${br} -j DROP`);
  fw.app('filter', FWD, net.icc ? `-i ${br} -j ACCEPT` : `-i ${br} ! -o ${br} -j ACCEPT`);
  if (mode === 'routed') fw.app('filter', 'DOCKER', `-o ${br} -p icmp -j ACCEPT`);
  fw.app('filter', 'DOCKER', `! -i ${br} -o ${br} -j ${mode === 'nat-unprotected' ? 'ACCEPT' : 'DROP'}`);
  if (layout === 'L4') {
    fw.steps.push({ argv: ['ipset', 'add', 'docker-ext-bridges-v4', sn] });
  } else {
    fw.app('filter', 'DOCKER-CT', `-o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    fw.app('filter', 'DOCKER-BRIDGE', `-o ${br} -j DOCKER`);
  }
  if (layout !== 'L8') {
    if (mode === 'routed') {
      fw.ins('filter', iso1(layout), `-o ${br} -j RETURN`);
      fw.ins('filter', iso1(layout), `-i ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
    }
    fw.app('filter', iso1(layout), `-i ${br} ! -o ${br} -j ${ISO2}`);
    fw.ins('filter', ISO2, `-o ${br} -j DROP`);
  }
  fw.owner = undefined;
}

/** Pairwise isolation rules name other bridges: forget a removed bridge. */
export function forgetIsolated(fw: Firewall, br: string): void {
  fw.state.isolated = fw.state.isolated.filter((b) => b !== br);
}

/** CreateEndpoint (28.2+): the per-container direct-access DROP in raw PREROUTING. */
export function endpointRules(fw: Firewall, net: Network, ip: string, owner: FwRef[]): void {
  const layout = fw.state.version.layout;
  if (layout !== 'L6' && layout !== 'L7' && layout !== 'L8') return;
  if (net.internal || net.gatewayMode !== 'nat') return;
  fw.owner = owner;
  fw.app('raw', 'PREROUTING', `-d ${ip}/32 ! -i ${net.bridge} -j DROP`);
  fw.owner = undefined;
}

function dportSpec(proto: string, port: number): string {
  return `-p ${proto} -m ${proto} --dport ${port}`;
}

/** The rules for one published port (ChainInfo.Forward ≤ 26, setPerPortNAT/Forwarding 27+). */
export function portRules(fw: Firewall, net: Network, ip: string, p: PortBinding, owner: FwRef[]): void {
  const layout = fw.state.version.layout;
  const proxy = fw.state.config.userlandProxy;
  const br = net.bridge;
  const routed = net.gatewayMode === 'routed';
  const dst = p.hostIp === '0.0.0.0' ? '' : `-d ${p.hostIp}/32 `;
  const notIn = proxy ? `! -i ${br} ` : '';
  const dnat = `${dst}${notIn}${dportSpec(p.proto, p.hostPort)} -j DNAT --to-destination ${ip}:${p.containerPort}`;
  const accept = `-d ${ip}/32 ! -i ${br} -o ${br} ${dportSpec(p.proto, p.containerPort)} -j ACCEPT`;
  const masq = `-s ${ip}/32 -d ${ip}/32 ${dportSpec(p.proto, p.containerPort)} -j MASQUERADE`;
  fw.owner = owner;
  if (legacy(layout)) {
    if (!routed) fw.app('nat', 'DOCKER', dnat);
    fw.app('filter', 'DOCKER', accept);
    if (!routed) fw.app('nat', 'POSTROUTING', masq);
    if (p.proto === 'sctp' && fw.state.version.major >= 18) {
      fw.app('mangle', 'POSTROUTING', `-p sctp -m sctp --sport ${p.containerPort} -j CHECKSUM --checksum-fill`);
    }
  } else {
    if (p.hostIp.startsWith('127.')) fw.app('raw', 'PREROUTING', `-d ${p.hostIp}/32 ! -i lo ${dportSpec(p.proto, p.hostPort)} -j DROP`);
    if ((layout === 'L4' || layout === 'L5') && net.gatewayMode === 'nat') {
      fw.app('raw', 'PREROUTING', `-d ${ip}/32 ! -i ${br} ${dportSpec(p.proto, p.containerPort)} -j DROP`);
    }
    if (!routed) fw.app('nat', 'DOCKER', dnat);
    if (!routed && !proxy) fw.app('nat', 'POSTROUTING', masq);
    if (net.gatewayMode !== 'nat-unprotected') fw.ins('filter', 'DOCKER', accept);
  }
  fw.owner = undefined;
}
