// The kernel's source of chance (ephemeral ports, ICMP ids, TCP ISNs, MAC addresses), seeded so
// that one scenario always gives the same run. mulberry32: small, fast, good enough for ids.
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }

  /** eth_random_addr(): locally administered, unicast. */
  mac(): string {
    const bytes: number[] = [];
    for (let i = 0; i < 6; i++) bytes.push(this.u32() & 0xff);
    bytes[0] = (bytes[0] & 0xfe) | 0x02;
    return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
}
