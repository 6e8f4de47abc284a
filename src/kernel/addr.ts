// IPv4 addresses are unsigned 32-bit numbers (host order); MACs are lower-case "aa:bb:cc:dd:ee:ff".
// Always normalise with `>>> 0` after bitwise operations: JavaScript's bit operators are signed.

export type Ipv4 = number;
export type Mac = string;

export interface Cidr {
  addr: Ipv4; // already masked for routes/matches; the host address for `ip addr add`
  prefix: number; // 0..32
}

/** Parses dotted-quad IPv4 (exactly four decimal parts, each 0..255). Returns undefined when malformed. */
export function parseIpv4(text: string): Ipv4 | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

export function formatIpv4(addr: Ipv4): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

export function prefixToMask(prefix: number): Ipv4 {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Returns the prefix length of a contiguous mask, or -1 for a non-contiguous one. */
export function maskToPrefix(mask: Ipv4): number {
  let prefix = 0;
  let m = mask >>> 0;
  while (m & 0x80000000) {
    prefix++;
    m = (m << 1) >>> 0;
  }
  return m === 0 ? prefix : -1;
}

/** Parses "A.B.C.D[/N]"; without /N the prefix is 32. Does not mask the address. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, prefix: 32 };
  const p = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p) || Number(p) > 32) return undefined;
  return { addr, prefix: Number(p) };
}

export function inSubnet(addr: Ipv4, net: Ipv4, prefix: number): boolean {
  const mask = prefixToMask(prefix);
  return ((addr & mask) >>> 0) === ((net & mask) >>> 0);
}
