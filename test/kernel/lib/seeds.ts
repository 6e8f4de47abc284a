// Counters the seed articles (/work/shared/seeds) print, which their differential scenarios must
// reproduce exactly, on the kernel and in the simulator. Only rule counters are asserted: the
// seeds' policy counters include their hosts' unrelated traffic (the differential comparison
// covers the rest of each scenario's output).
export interface SeedCase {
  /** The scenario (test/kernel/scenarios/NAME.sh). */
  scenario: string;
  /** Which seed and experiment. */
  what: string;
  /** `iptables-save -c` lines that must appear verbatim. */
  lines: readonly string[];
}

export const SEEDS: readonly SeedCase[] = [
  {
    scenario: '000-seed000-ping-114',
    what: 'seed 000: a container pings 114.114.114.114 40 times through Docker 20.10\'s rules',
    lines: [
      '[80:6720] -A FORWARD -j DOCKER-USER',
      '[80:6720] -A FORWARD -j DOCKER-ISOLATION-STAGE-1',
      '[40:3360] -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '[0:0] -A FORWARD -o docker0 -j DOCKER',
      '[40:3360] -A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
      '[0:0] -A FORWARD -i docker0 -o docker0 -j ACCEPT',
      '[40:3360] -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2',
      '[80:6720] -A DOCKER-ISOLATION-STAGE-1 -j RETURN',
      '[0:0] -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
      '[40:3360] -A DOCKER-ISOLATION-STAGE-2 -j RETURN',
      '[80:6720] -A DOCKER-USER -j RETURN',
      '[0:0] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
      '[0:0] -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
      '[1:84] -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
      '[0:0] -A DOCKER -i docker0 -j RETURN',
    ],
  },
  {
    scenario: '121-bridge-seed002-docker17-c2c',
    what: 'seed 002: container-to-container pings through Docker 17.06\'s rules (its `iptables -nvL` filter counters)',
    lines: [
      '[10:840] -A FORWARD -j DOCKER-USER',
      '[10:840] -A FORWARD -j DOCKER-ISOLATION',
      '[7:588] -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '[3:252] -A FORWARD -o docker0 -j DOCKER',
      '[0:0] -A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
      '[3:252] -A FORWARD -i docker0 -o docker0 -j ACCEPT',
      '[10:840] -A DOCKER-ISOLATION -j RETURN',
      '[10:840] -A DOCKER-USER -j RETURN',
    ],
  },
];

/** The seed's lines missing from an output ([] when all are there). */
export function missingSeedLines(output: string, seed: SeedCase): string[] {
  const lines = new Set(output.split('\n'));
  return seed.lines.filter((l) => !lines.has(l));
}
