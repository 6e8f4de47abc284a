// Parsing and printing helpers shared by the libxt_* modules (xtables.c's xtables_parse_* and
// xtables_ipaddr_to_* in spirit).
import { formatIpv4, maskToPrefix, prefixToMask, type Ipv4 } from '../../kernel/addr.ts';
import type { PortRange } from '../../kernel/netfilter/types.ts';
import { param } from './errors.ts';
import { protocolName, protocolNumber, serviceName, servicePort } from './netdb.ts';

/** inet_aton: 1 to 4 dotted parts, the last one filling the remaining bytes. Decimal only. */
export function inetAton(text: string): Ipv4 | undefined {
  const quick = fastDotted(text);
  if (quick !== undefined) return quick;
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return undefined;
    nums.push(Number(p));
  }
  let value = 0;
  for (let i = 0; i < nums.length - 1; i++) {
    if (nums[i]! > 255) return undefined;
    value = value * 256 + nums[i]!;
  }
  const restBytes = 4 - (nums.length - 1);
  const last = nums[nums.length - 1]!;
  if (last >= 2 ** (8 * restBytes)) return undefined;
  return (value * 2 ** (8 * restBytes) + last) >>> 0;
}

/** Strict a.b.c.d without allocating (the common case of a 15,000-rule restore). */
function fastDotted(text: string, end = text.length): Ipv4 | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (value * 256 + part) >>> 0;
}

/** Host names the scenario's /etc/hosts knows in every namespace. */
const HOSTS: Record<string, Ipv4> = { localhost: 0x7f000001 };

export interface AddrMask {
  addr: Ipv4;
  mask: Ipv4;
}

/**
 * xtables_ipparse_multiple: "A[/M][,B[/M]…]": each address masked; M is a prefix or a dotted
 * mask. Errors as iptables prints them.
 */
export function parseAddrList(text: string): AddrMask[] {
  return text.includes(',') ? text.split(',').map(parseAddrMask) : [parseAddrMask(text)];
}

export function parseAddrMask(text: string): AddrMask {
  const slash = text.indexOf('/');
  // The common a.b.c.d[/N] without slicing the text (a big ruleset has thousands of them).
  const end = slash < 0 ? text.length : slash;
  const quick = fastDotted(text, end);
  if (quick !== undefined) {
    let mask = 0xffffffff;
    if (slash >= 0) {
      const digits = text.length - slash - 1;
      const d0 = text.charCodeAt(slash + 1) - 48;
      const d1 = digits === 2 ? text.charCodeAt(slash + 2) - 48 : 0;
      if (digits < 1 || digits > 2 || d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9) return parseAddrMaskSlow(text, slash);
      const bits = digits === 2 ? d0 * 10 + d1 : d0;
      if (bits > 32) return parseAddrMaskSlow(text, slash);
      mask = prefixToMask(bits);
    }
    return { addr: (quick & mask) >>> 0, mask: mask >>> 0 };
  }
  return parseAddrMaskSlow(text, slash);
}

function parseAddrMaskSlow(text: string, slash: number): AddrMask {
  const host = slash < 0 ? text : text.slice(0, slash);
  let mask = 0xffffffff;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (m.includes('.')) {
      const v = inetAton(m);
      if (v === undefined) throw param(`host/network \`${m}' not found`);
      mask = v;
    } else {
      if (!/^\d+$/.test(m) || Number(m) > 32) throw param(`invalid mask \`${m}' specified`);
      mask = prefixToMask(Number(m));
    }
  }
  const addr = inetAton(host) ?? HOSTS[host];
  if (addr === undefined) throw param(`host/network \`${host}' not found`);
  return { addr: (addr & mask) >>> 0, mask: mask >>> 0 };
}

/** For -L: "anywhere"/numeric address, then "/N" or "/dotted" unless the mask is /32. */
export function listAddr(a: AddrMask, numeric: boolean): string {
  if (a.mask === 0 && !numeric) return 'anywhere';
  let s = numeric ? formatIpv4(a.addr) : anyName(a.addr, a.mask);
  s += maskSuffix(a.mask);
  return s;
}

/** /etc/networks of this machine: getnetbyaddr names a network address given with a mask. */
const NETWORKS: Record<string, Ipv4> = { default: 0, loopback: 0x7f000000, 'link-local': 0xa9fe0000 };

/** xtables_ipaddr_to_anyname: a host name for a host, a network name for a network. */
function anyName(addr: Ipv4, mask: Ipv4): string {
  if (mask === 0xffffffff) {
    for (const [name, v] of Object.entries(HOSTS)) if (v === addr) return name;
  } else {
    for (const [name, v] of Object.entries(NETWORKS)) if (v === addr) return name;
  }
  return formatIpv4(addr);
}

export function maskSuffix(mask: Ipv4): string {
  if (mask === 0xffffffff) return '';
  const p = maskToPrefix(mask);
  return p >= 0 ? `/${p}` : `/${formatIpv4(mask)}`;
}

/** For -S / save: "A/N" always with the mask ("/32" included). */
export function saveAddr(a: AddrMask): string {
  const p = maskToPrefix(a.mask);
  return `${formatIpv4(a.addr)}/${p >= 0 ? p : formatIpv4(a.mask)}`;
}

/** The -p names iptables knows without /etc/protocols (xtables_chain_protos), then the netdb. */
const CHAIN_PROTOS: Array<[string, number]> = [
  ['tcp', 6], ['sctp', 132], ['udp', 17], ['udplite', 136], ['icmp', 1], ['icmpv6', 58],
  ['esp', 50], ['ah', 51], ['mh', 135], ['all', 0],
];

export function parseProtocol(text: string): number {
  const lower = text.toLowerCase();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n > 255) throw param(`unknown protocol "${text}" specified`);
    return n;
  }
  for (const [name, n] of CHAIN_PROTOS) if (name === lower) return n;
  const n = protocolNumber(lower);
  if (n === undefined) throw param(`unknown protocol "${text}" specified`);
  return n;
}

/** proto_to_name: numeric → the number; otherwise the chain_protos name or /etc/protocols. */
export function protoName(proto: number, numeric: boolean): string {
  if (numeric) return String(proto);
  for (const [name, n] of CHAIN_PROTOS) if (n === proto) return name;
  return protocolName(proto) ?? String(proto);
}

/** Name of the protocol for service lookups (getservbyname's second argument). */
export function protoForServices(proto: number): string | undefined {
  return proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 132 ? 'sctp' : proto === 33 ? 'dccp' : proto === 136 ? 'udplite' : undefined;
}

/** xtables_parse_port: a number 0..65535 or a service name. */
export function parsePort(text: string, proto: string | undefined): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 65535) return n;
  } else {
    const n = servicePort(text, proto ?? 'tcp');
    if (n !== undefined) return n;
  }
  throw param(`invalid port/service \`${text}' specified`);
}

/** "a", "a:b", ":b", "a:" */
export function parsePortRange(text: string, proto: string | undefined): PortRange {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = parsePort(text, proto);
    return [p, p];
  }
  const lo = colon === 0 ? 0 : parsePort(text.slice(0, colon), proto);
  const hi = colon === text.length - 1 ? 65535 : parsePort(text.slice(colon + 1), proto);
  if (lo > hi) throw param(`invalid portrange (min > max)`);
  return [lo, hi];
}

export function portName(port: number, proto: string | undefined, numeric: boolean): string {
  if (!numeric && proto) {
    const n = serviceName(port, proto);
    if (n) return n;
  }
  return String(port);
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** strtoul with base 0 (0x… hex, 0… octal, decimal), as xtables_strtoui does for marks. */
export function parseUint(text: string, max = 0xffffffff): number | undefined {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) v = parseInt(text, 8);
  else if (/^\d+$/.test(text)) v = Number(text);
  else return undefined;
  return v <= max ? v : undefined;
}

/** "VALUE[/MASK]" for marks. */
export function parseMarkMask(text: string, what: string): { value: number; mask: number | undefined } {
  const [v, m] = text.split('/');
  const value = parseUint(v!);
  const mask = m === undefined ? undefined : parseUint(m);
  if (value === undefined || (m !== undefined && mask === undefined)) throw param(`Bad ${what} value "${text}"`);
  return { value, mask };
}

/** xtables_save_string: bare when only [_-0-9A-Za-z], else double-quoted with " \\ ' escaped. */
export function saveString(s: string): string {
  if (/^[-_0-9A-Za-z]+$/.test(s)) return s;
  return `"${s.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}
