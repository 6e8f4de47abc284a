// struct net: one network namespace. Devices (by name and ifindex), the FIB, sysctls with the
// kernel's defaults for a new namespace, sockets, and the netfilter state of the namespace.
// Address and route operations follow the kernel: `addAddress` installs the local entry at once
// and the broadcast entry and connected route when the device is up (fib_add_ifaddr); a device
// going down takes its routes with it except the local entries (fib_disable_ip keeps them).
import { formatIpv4, inSubnet, type Ipv4 } from './addr.ts';
import { Device, type IfAddr, type Scope } from './device.ts';
import { Fib, RT_TABLE, broadcastOf, networkOf, type Route, type RouteType } from './route.ts';
import type { Kernel } from './kernel.ts';
import { SocketTable } from './socket.ts';
import type { Skb } from './skb.ts';

/** The sysctls a new namespace starts with (kernel 6.x defaults, as read on the oracle). */
const NS_SYSCTL_DEFAULTS: Record<string, string> = {
  'net.ipv4.ip_forward': '0',
  // IGMP reports for 224.0.0.x groups (the model sends no IGMP; scripts turn the kernel's off).
  'net.ipv4.igmp_link_local_mcast_reports': '1',
  'net.ipv4.ip_local_port_range': '32768\t60999',
  'net.ipv4.icmp_echo_ignore_all': '0',
  'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  'net.ipv4.ip_default_ttl': '64',
  // Path MTU discovery: sockets' default IP_MTU_DISCOVER (0: want, else dont), forwarding by the
  // learned path MTU, and the route exceptions' lifetime and floor.
  'net.ipv4.ip_no_pmtu_disc': '0',
  'net.ipv4.ip_forward_use_pmtu': '0',
  'net.ipv4.route.mtu_expires': '600',
  'net.ipv4.route.min_pmtu': '552',
  'net.ipv4.tcp_syn_retries': '6',
  'net.ipv4.tcp_syn_linear_timeouts': '4',
  'net.ipv4.tcp_timestamps': '1',
  'net.ipv4.tcp_sack': '1',
  'net.ipv4.tcp_window_scaling': '1',
  // Receive buffers (src/kernel/tcp.ts derives the SYN window and the window scale from them).
  'net.ipv4.tcp_rmem': '4096\t131072\t33554432',
  'net.ipv4.tcp_app_win': '31',
  'net.core.rmem_max': '4194304',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'net.bridge.bridge-nf-call-arptables': '1',
  'net.netfilter.nf_conntrack_tcp_timeout_established': '432000',
  'net.netfilter.nf_conntrack_tcp_timeout_syn_sent': '120',
  'net.netfilter.nf_conntrack_tcp_timeout_syn_recv': '60',
  'net.netfilter.nf_conntrack_tcp_timeout_fin_wait': '120',
  'net.netfilter.nf_conntrack_tcp_timeout_close_wait': '60',
  'net.netfilter.nf_conntrack_tcp_timeout_last_ack': '30',
  'net.netfilter.nf_conntrack_tcp_timeout_time_wait': '120',
  'net.netfilter.nf_conntrack_tcp_timeout_close': '10',
  'net.netfilter.nf_conntrack_udp_timeout': '30',
  'net.netfilter.nf_conntrack_udp_timeout_stream': '120',
  'net.netfilter.nf_conntrack_icmp_timeout': '30',
  'net.netfilter.nf_conntrack_generic_timeout': '600',
  'net.netfilter.nf_log_all_netns': '0',
};

/** Per-interface IPv4 conf keys (net.ipv4.conf.{all,default,DEV}.KEY) and their defaults. */
/** net.ipv6.conf.*: only what the model honours. */
const V6_CONF_DEFAULTS: Record<string, string> = { disable_ipv6: '0' };

const CONF_DEFAULTS: Record<string, string> = {
  forwarding: '0',
  rp_filter: '0',
  route_localnet: '0',
  accept_local: '0',
  send_redirects: '1',
  accept_redirects: '1',
  log_martians: '0',
  proxy_arp: '0',
};

export class LinkError extends Error {}

export interface NeighEntry {
  mac?: string;
  queue: Skb[];
}

/** The sysctl table; every write bumps `generation` so per-packet readers can cache values. */
export class SysctlTable extends Map<string, string> {
  generation = 0;
  override set(key: string, value: string): this {
    this.generation++;
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.generation++;
    return super.delete(key);
  }
}

export class Netns {
  readonly name: string;
  readonly kernel: Kernel;
  readonly devices = new Map<string, Device>();
  readonly fib = new Fib();
  readonly sysctl = new SysctlTable();
  private confCache = new Map<string, Map<string, number>>();
  private confCacheGen = -1;
  readonly sockets: SocketTable;
  /** Netfilter state (tables, conntrack) of this namespace, as createNetfilterNs() made it. */
  nf: unknown;
  /**
   * The neighbour (ARP) table per device: address → the MAC once resolved, and the packets
   * queued while the request is out. Entries never age (no STALE/PROBE cycle is modelled).
   */
  readonly neigh = new Map<string, Map<Ipv4, NeighEntry>>();

  neighTable(dev: string): Map<Ipv4, NeighEntry> {
    let t = this.neigh.get(dev);
    if (!t) this.neigh.set(dev, (t = new Map()));
    return t;
  }
  /** /etc/resolv.conf as seen in this namespace (nameserver addresses, in order). */
  resolvConf: Ipv4[] = [];
  /** /etc/hosts entries of this namespace. */
  hosts = new Map<string, Ipv4>();
  /** IP id counter per destination is approximated by one counter per namespace (seeded). */
  ipIdNext: number;
  private nextIfindex = 1;

  constructor(kernel: Kernel, name: string) {
    this.kernel = kernel;
    this.name = name;
    for (const [k, v] of Object.entries(NS_SYSCTL_DEFAULTS)) this.sysctl.set(k, v);
    for (const [k, v] of Object.entries(CONF_DEFAULTS)) {
      this.sysctl.set(`net.ipv4.conf.all.${k}`, v);
      this.sysctl.set(`net.ipv4.conf.default.${k}`, v);
    }
    // IPv6 per-device switches the model honours (`ip addr` lists no inet6 where disabled). Only
    // default and per-device: writing conf.all (which the kernel copies to every device) is not
    // modelled, so `sysctl -w net.ipv6.conf.all.…` fails as an unknown key instead of lying.
    for (const [k, v] of Object.entries(V6_CONF_DEFAULTS)) this.sysctl.set(`net.ipv6.conf.default.${k}`, v);
    this.sockets = new SocketTable(this);
    this.ipIdNext = kernel.prng.u32() & 0xffff;
    const lo = this.createDevice('lo', 'loopback', '00:00:00:00:00:00');
    // A new namespace's lo is down with 127.0.0.1/8 configured (inet_init adds it when brought up
    // in practice; `ip addr` on a fresh netns shows it only once up). We add it at `up`.
    void lo;
  }

  // ---- devices ------------------------------------------------------------------------------

  allocIfindex(wanted?: number): number {
    const used = new Set([...this.devices.values()].map((d) => d.ifindex));
    // A device moved in keeps its index when free (dev_index_reserve with an index leaves the
    // namespace's cyclic allocator where it was); new devices take the next free one from there.
    if (wanted !== undefined && !used.has(wanted)) return wanted;
    while (used.has(this.nextIfindex)) this.nextIfindex++;
    return this.nextIfindex++;
  }

  /** Registers a new device (register_netdevice): ifindex, conf.DEV.* copied from conf.default. */
  createDevice(name: string, kind: Device['kind'], mac?: string, ifindex?: number): Device {
    if (this.devices.has(name)) throw new LinkError(`RTNETLINK answers: File exists`);
    const dev = new Device(this, name, kind, this.allocIfindex(ifindex), mac ?? this.kernel.prng.mac());
    this.devices.set(name, dev);
    this.initDevConf(name);
    return dev;
  }

  private initDevConf(name: string): void {
    for (const k of Object.keys(CONF_DEFAULTS)) {
      this.sysctl.set(`net.ipv4.conf.${name}.${k}`, this.sysctl.get(`net.ipv4.conf.default.${k}`) ?? CONF_DEFAULTS[k]);
    }
    // ipv6_add_dev copies the namespace's devconf_dflt (also for a device moved in).
    for (const k of Object.keys(V6_CONF_DEFAULTS)) {
      this.sysctl.set(`net.ipv6.conf.${name}.${k}`, this.sysctl.get(`net.ipv6.conf.default.${k}`) ?? V6_CONF_DEFAULTS[k]);
    }
  }

  private dropDevConf(name: string): void {
    for (const k of Object.keys(CONF_DEFAULTS)) this.sysctl.delete(`net.ipv4.conf.${name}.${k}`);
    for (const k of Object.keys(V6_CONF_DEFAULTS)) this.sysctl.delete(`net.ipv6.conf.${name}.${k}`);
  }

  dev(name: string): Device | undefined {
    return this.devices.get(name);
  }

  /** Like `ip`'s "Cannot find device" lookups. */
  requireDev(name: string): Device {
    const d = this.devices.get(name);
    if (!d) throw new LinkError(`Cannot find device "${name}"`);
    return d;
  }

  devByIndex(ifindex: number): Device | undefined {
    for (const d of this.devices.values()) if (d.ifindex === ifindex) return d;
    return undefined;
  }

  /** Devices in ifindex order (as `ip link` lists them). */
  listDevices(): Device[] {
    return [...this.devices.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  /** Unlinks DEV from this namespace (deletion or a move to another namespace). */
  detachDevice(dev: Device): void {
    this.setDown(dev);
    // Local entries of its addresses go with the addresses.
    for (const a of [...dev.addrs]) this.delAddress(dev, a.addr, a.prefix);
    this.fib.flushDev(dev.name);
    this.devices.delete(dev.name);
    this.dropDevConf(dev.name);
  }

  /** Moves DEV into TARGET (`ip link set DEV netns NS`): it arrives down, without addresses. */
  moveDevice(dev: Device, target: Netns): void {
    if (target.devices.has(dev.name)) throw new LinkError('RTNETLINK answers: File exists');
    if (dev.port) this.kernel.bridgeRemovePort(dev);
    this.detachDevice(dev);
    dev.qdiscAttached = false; // dev_shutdown in __dev_change_net_namespace: back to noop
    const used = new Set([...target.devices.values()].map((d) => d.ifindex));
    dev.ifindex = used.has(dev.ifindex) ? target.allocIfindex() : target.allocIfindex(dev.ifindex);
    dev.ns = target;
    target.devices.set(dev.name, dev);
    target.initDevConf(dev.name);
  }

  renameDevice(dev: Device, newName: string): void {
    if (this.devices.has(newName)) throw new LinkError('RTNETLINK answers: File exists');
    const old = dev.name;
    // dev_change_name: the per-device sysctls, routes, neighbours and bridge state follow the device
    // (the model keys them by name); labels `old` / `old:N` become `new` / `new:N` (inetdev_changename).
    const conf = Object.keys(CONF_DEFAULTS).map((k) => [k, this.sysctl.get(`net.ipv4.conf.${old}.${k}`)] as const);
    const conf6 = Object.keys(V6_CONF_DEFAULTS).map((k) => [k, this.sysctl.get(`net.ipv6.conf.${old}.${k}`)] as const);
    this.devices.delete(old);
    this.dropDevConf(old);
    dev.name = newName;
    this.devices.set(newName, dev);
    for (const [k, v] of conf) if (v !== undefined) this.sysctl.set(`net.ipv4.conf.${newName}.${k}`, v);
    for (const [k, v] of conf6) if (v !== undefined) this.sysctl.set(`net.ipv6.conf.${newName}.${k}`, v);
    for (const a of dev.addrs) if (a.label === old || a.label.startsWith(`${old}:`)) a.label = newName + a.label.slice(old.length);
    for (const t of this.fib.tables.values()) for (const r of t) if (r.dev === old) r.dev = newName;
    this.fib.invalidate();
    const neigh = this.neigh.get(old);
    if (neigh) {
      this.neigh.delete(old);
      this.neigh.set(newName, neigh);
    }
    const br = dev.bridge ?? dev.port?.bridge.bridge;
    if (br) {
      for (const e of br.fdb.values()) if (e.port === old) e.port = newName;
      if (dev.port) {
        br.ports.delete(old);
        br.ports.set(newName, dev.port);
      }
    }
  }

  setUp(dev: Device): void {
    if (dev.adminUp) return;
    dev.adminUp = true;
    dev.qdiscAttached = true;
    if (dev.kind === 'loopback' && !dev.addrs.some((a) => a.addr === 0x7f000001)) {
      // inetdev_event(NETDEV_UP) on lo adds 127.0.0.1/8 scope host.
      dev.addrs.unshift({ addr: 0x7f000001, prefix: 8, scope: 'host', label: 'lo', secondary: false });
      this.installLocal(dev, dev.addrs[0]);
    }
    for (const a of dev.addrs) this.installUp(dev, a);
  }

  setDown(dev: Device): void {
    if (!dev.adminUp) return;
    dev.adminUp = false;
    // NETDEV_DOWN flushes the device's neighbours; a bridge port forgets the MACs learned on it.
    this.neigh.delete(dev.name);
    if (dev.port) {
      const fdb = dev.port.bridge.bridge!.fdb;
      for (const [mac, e] of fdb) if (e.port === dev.name && !e.local) fdb.delete(mac);
    }
    // fib_disable_ip: every route through the device goes, except local entries of its addresses.
    for (const t of this.fib.tables.values()) {
      const keep = t.filter((r) => r.dev !== dev.name || (r.type === 'local' && r.table === RT_TABLE.local));
      t.length = 0;
      t.push(...keep);
    }
    this.fib.invalidate();
  }

  // ---- addresses ----------------------------------------------------------------------------

  /** `ip addr add CIDR [broadcast B] dev DEV`: returns false if the address exists (RTNETLINK: File exists). */
  addAddress(dev: Device, addr: Ipv4, prefix: number, opts: { broadcast?: Ipv4; scope?: Scope; label?: string } = {}): boolean {
    if (dev.addrs.some((a) => a.addr === addr && a.prefix === prefix)) return false;
    const secondary = dev.addrs.some((a) => !a.secondary && a.prefix === prefix && inSubnet(addr, a.addr, a.prefix));
    const ifa: IfAddr = {
      addr,
      prefix,
      broadcast: opts.broadcast,
      scope: opts.scope ?? (addr >>> 24 === 127 ? 'host' : 'global'),
      label: opts.label ?? dev.name,
      secondary,
    };
    // __inet_insert_ifa: a secondary goes last; a primary after the last primary of no narrower scope.
    if (secondary) dev.addrs.push(ifa);
    else {
      const rank = (sc: Scope): number => (sc === 'global' ? 0 : sc === 'link' ? 253 : 254);
      let at = 0;
      dev.addrs.forEach((a, i) => {
        if (!a.secondary && rank(ifa.scope) <= rank(a.scope)) at = i + 1;
      });
      dev.addrs.splice(at, 0, ifa);
    }
    this.installLocal(dev, ifa);
    if (dev.adminUp) this.installUp(dev, ifa);
    return true;
  }

  /** `ip addr del`: returns false when not found (RTNETLINK answers: Cannot assign requested address). */
  delAddress(dev: Device, addr: Ipv4, prefix: number): boolean {
    const i = dev.addrs.findIndex((a) => a.addr === addr && a.prefix === prefix);
    if (i < 0) return false;
    const [ifa] = dev.addrs.splice(i, 1);
    // __inet_del_ifa with promote_secondaries 0 (the default): a primary's secondaries go with it.
    if (!ifa.secondary) {
      for (const sec of dev.addrs.filter((a) => a.secondary && a.prefix === ifa.prefix && inSubnet(a.addr, ifa.addr, ifa.prefix))) this.delAddress(dev, sec.addr, sec.prefix);
    }
    // fib_del_ifaddr: the local (LOCAL_OK) and broadcast (BRD_OK) entries stay while another
    // address of the device still has them (10.2.0.1/24 and 10.2.0.1/16 share one local entry).
    if (!dev.addrs.some((a) => a.addr === ifa.addr)) this.fib.remove({ table: RT_TABLE.local, type: 'local', dst: ifa.addr, prefix: 32, dev: dev.name });
    if (ifa.broadcast !== undefined && !dev.addrs.some((a) => a.broadcast === ifa.broadcast)) this.fib.remove({ table: RT_TABLE.local, type: 'broadcast', dst: ifa.broadcast, dev: dev.name });
    if (!ifa.secondary) {
      const bcast = broadcastOf(ifa.addr, ifa.prefix);
      if (ifa.prefix < 31) this.fib.remove({ table: RT_TABLE.local, type: 'broadcast', dst: bcast, dev: dev.name });
      this.fib.remove({ table: RT_TABLE.main, dst: networkOf(ifa.addr, ifa.prefix), prefix: ifa.prefix, dev: dev.name, proto: 'kernel' });
      if (ifa.addr >>> 24 === 127) this.fib.remove({ table: RT_TABLE.local, type: 'local', dst: networkOf(ifa.addr, ifa.prefix), prefix: ifa.prefix, dev: dev.name });
    }
    return true;
  }

  private installLocal(dev: Device, ifa: IfAddr): void {
    // fib_add_ifaddr: a secondary's local entry has its primary's address as prefsrc.
    this.fib.add({ table: RT_TABLE.local, type: 'local', dst: ifa.addr, prefix: 32, dev: dev.name, metric: 0, proto: 'kernel', scope: 'host', prefsrc: primaryOf(dev, ifa).addr });
  }

  /** The entries fib_add_ifaddr adds only for an up device: broadcast and the connected route. */
  private installUp(dev: Device, ifa: IfAddr): void {
    const prim = primaryOf(dev, ifa);
    if (ifa.broadcast !== undefined && ifa.broadcast !== 0xffffffff) {
      this.fib.add({ table: RT_TABLE.local, type: 'broadcast', dst: ifa.broadcast, prefix: 32, dev: dev.name, metric: 0, proto: 'kernel', scope: 'link', prefsrc: prim.addr });
    }
    if (ifa.secondary || ifa.prefix >= 32) return;
    const net = networkOf(ifa.addr, ifa.prefix);
    if (ifa.addr >>> 24 === 127) {
      this.fib.add({ table: RT_TABLE.local, type: 'local', dst: net, prefix: ifa.prefix, dev: dev.name, metric: 0, proto: 'kernel', scope: 'host', prefsrc: ifa.addr });
    } else {
      this.fib.add({ table: RT_TABLE.main, type: 'unicast', dst: net, prefix: ifa.prefix, dev: dev.name, metric: 0, proto: 'kernel', scope: 'link', prefsrc: ifa.addr });
    }
    if (ifa.prefix < 31) {
      this.fib.add({ table: RT_TABLE.local, type: 'broadcast', dst: broadcastOf(ifa.addr, ifa.prefix), prefix: 32, dev: dev.name, metric: 0, proto: 'kernel', scope: 'link', prefsrc: prim.addr });
    }
  }

  /** Every address of the namespace with its device, in ifindex then configuration order. */
  allAddresses(): Array<{ dev: Device; ifa: IfAddr }> {
    return this.listDevices().flatMap((dev) => dev.addrs.map((ifa) => ({ dev, ifa })));
  }

  // ---- routes -------------------------------------------------------------------------------

  /**
   * `ip route add`: DST/PREFIX [via GW] [dev DEV] [metric M] [table T] [type]. Resolves the device
   * from the gateway like the kernel (the gateway must be on a connected route: "Nexthop has
   * invalid gateway"). Returns an error message (as RTNETLINK prints it) or undefined.
   */
  addRoute(spec: { dst: Ipv4; prefix: number; via?: Ipv4; dev?: string; metric?: number; table?: number; type?: RouteType; src?: Ipv4; proto?: Route['proto']; scope?: Scope; mtu?: number; mtuLock?: boolean }): string | undefined {
    const type = spec.type ?? 'unicast';
    let dev = spec.dev;
    if (dev !== undefined) {
      const d = this.devices.get(dev);
      if (!d) return `Cannot find device "${dev}"`;
      if (!d.adminUp && type === 'unicast') return 'RTNETLINK answers: Network is down';
    }
    if (spec.via !== undefined && type === 'unicast') {
      const nh = this.fib.lookup(spec.via, dev);
      if (!nh || nh.type !== 'unicast' || nh.route.gateway !== undefined || (dev !== undefined && nh.route.dev !== dev)) {
        return 'RTNETLINK answers: Network is unreachable';
      }
      dev = nh.route.dev;
    }
    if (type === 'unicast' && dev === undefined) return 'RTNETLINK answers: No such device';
    const ok = this.fib.add({
      table: spec.table ?? (type === 'local' || type === 'broadcast' ? RT_TABLE.local : RT_TABLE.main),
      type,
      dst: networkOf(spec.dst, spec.prefix),
      prefix: spec.prefix,
      dev,
      gateway: spec.via,
      metric: spec.metric ?? 0,
      proto: spec.proto ?? 'boot',
      scope: spec.scope ?? (type === 'local' ? 'host' : spec.via !== undefined || type !== 'unicast' ? 'global' : 'link'),
      prefsrc: spec.src,
      ...(spec.mtu !== undefined ? { mtu: spec.mtu, ...(spec.mtuLock ? { mtuLock: true } : {}) } : {}),
    });
    return ok ? undefined : 'RTNETLINK answers: File exists';
  }

  /** `ip route del`: returns an error message or undefined. */
  delRoute(spec: { dst: Ipv4; prefix: number; via?: Ipv4; dev?: string; metric?: number; table?: number; type?: RouteType }): string | undefined {
    const table = spec.table ?? RT_TABLE.main;
    const t = this.fib.table(table);
    const i = t.findIndex(
      (r) =>
        r.dst === networkOf(spec.dst, spec.prefix) &&
        r.prefix === spec.prefix &&
        (spec.via === undefined || r.gateway === spec.via) &&
        (spec.dev === undefined || r.dev === spec.dev) &&
        (spec.metric === undefined || r.metric === spec.metric) &&
        (spec.type === undefined || r.type === spec.type),
    );
    if (i < 0) return 'RTNETLINK answers: No such process';
    t.splice(i, 1);
    this.fib.invalidate();
    return undefined;
  }

  /** Routes of a table in the order `ip route show` lists them (by destination, longer prefix first). */
  listRoutes(table: number = RT_TABLE.main): Route[] {
    return [...this.fib.table(table)].sort((a, b) => a.dst - b.dst || b.prefix - a.prefix || a.metric - b.metric || a.seq - b.seq);
  }

  // ---- address selection (inet_select_addr) ---------------------------------------------------

  /**
   * inet_select_addr(dev, dst, RT_SCOPE_UNIVERSE): a primary address of DEV in DST's subnet, else
   * DEV's first primary address of global scope, else any global address of the namespace.
   */
  selectSourceAddress(dev: Device | string | undefined, dst: Ipv4): Ipv4 | undefined {
    let d = typeof dev === 'string' ? this.devices.get(dev) : dev;
    if (dev === undefined) {
      const r = this.fib.lookup(dst);
      if (r?.type === 'local') return dst;
      if (r?.route.prefsrc !== undefined) return r.route.prefsrc;
      d = r?.route.dev !== undefined ? this.devices.get(r.route.dev) : undefined;
      if (d && r?.route.gateway !== undefined) dst = r.route.gateway;
    }
    if (d) {
      const prim = d.addrs.filter((a) => !a.secondary && a.scope !== 'host');
      const same = prim.find((a) => inSubnet(dst, a.addr, a.prefix));
      if (same) return same.addr;
      if (prim[0]) return prim[0].addr;
      if (d.kind === 'loopback') {
        const lo = d.addrs.find((a) => !a.secondary);
        if (lo && dst >>> 24 === 127) return lo.addr;
      }
    }
    for (const other of this.listDevices()) {
      if (other === d) continue;
      const a = other.addrs.find((x) => !x.secondary && x.scope === 'global');
      if (a) return a.addr;
    }
    if (d?.kind === 'loopback') return d.addrs[0]?.addr;
    return undefined;
  }

  /** The first primary address of DEV (REDIRECT's destination), or undefined. */
  primaryAddress(dev: Device | string): Ipv4 | undefined {
    const d = typeof dev === 'string' ? this.devices.get(dev) : dev;
    return d?.primary?.addr;
  }

  /** Is ADDR one of this namespace's own addresses (a local route)? */
  isLocalAddress(addr: Ipv4): boolean {
    return this.fib.addrType(addr) === 'LOCAL';
  }

  /** conf.DEV.KEY as the kernel evaluates it (IN_DEV_CONF_GET; *_ANDCONF / *_ORCONF per key). */
  devConf(dev: string, key: string): number {
    if (this.confCacheGen !== this.sysctl.generation) {
      this.confCache.clear();
      this.confCacheGen = this.sysctl.generation;
    }
    let perDev = this.confCache.get(dev);
    if (!perDev) this.confCache.set(dev, (perDev = new Map()));
    let v = perDev.get(key);
    if (v === undefined) perDev.set(key, (v = this.computeDevConf(dev, key)));
    return v;
  }

  private computeDevConf(dev: string, key: string): number {
    const own = Number(this.sysctl.get(`net.ipv4.conf.${dev}.${key}`) ?? '0');
    const all = Number(this.sysctl.get(`net.ipv4.conf.all.${key}`) ?? '0');
    switch (key) {
      case 'rp_filter':
        return Math.max(own, all); // IN_DEV_RPFILTER: max(all, dev)
      case 'route_localnet':
      case 'accept_local':
      case 'log_martians':
      case 'proxy_arp':
        return own || all ? 1 : 0; // IN_DEV_ORCONF
      default:
        return own; // forwarding: per device (written to every device by ip_forward)
    }
  }

  /**
   * Writes a sysctl with the kernel's side effects: net.ipv4.ip_forward and conf.all.forwarding
   * set forwarding on every device and on default (devinet_sysctl_forward). Returns false when
   * the key does not exist (sysctl prints "cannot stat /proc/sys/…").
   */
  setSysctl(key: string, value: string): boolean {
    if (!this.sysctl.has(key)) return false;
    this.sysctl.set(key, value);
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      const v = value.trim() === '0' ? '0' : '1';
      this.sysctl.set('net.ipv4.ip_forward', v);
      this.sysctl.set('net.ipv4.conf.all.forwarding', v);
      this.sysctl.set('net.ipv4.conf.default.forwarding', v);
      for (const d of this.devices.keys()) this.sysctl.set(`net.ipv4.conf.${d}.forwarding`, v);
    }
    return true;
  }

  toString(): string {
    return this.name === '' ? '(host)' : this.name;
  }
}

export function describeAddr(a: Ipv4): string {
  return formatIpv4(a);
}

/** inet_ifa_byprefix: the primary address a secondary belongs to (same prefix length, same subnet). */
function primaryOf(dev: Device, ifa: IfAddr): IfAddr {
  if (!ifa.secondary) return ifa;
  return dev.addrs.find((a) => !a.secondary && a.prefix === ifa.prefix && inSubnet(ifa.addr, a.addr, a.prefix)) ?? ifa;
}
