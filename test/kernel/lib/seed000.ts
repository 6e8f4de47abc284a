// Seed 000's first experiment (a container pings 114.114.114.114 40 times through Docker 20.10's
// rules): the rule counters of /work/shared/seeds/000_*.txt that the scenario
// test/kernel/scenarios/000-seed000-ping-114.sh must reproduce exactly, on the kernel and in the
// simulator. (The seed's policy counters include its host's unrelated traffic, so only rule
// counters are asserted; the differential comparison covers the rest.)
export const SEED000_SCENARIO = '000-seed000-ping-114';

export const SEED000_RULE_COUNTERS: readonly string[] = [
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
];

/** The seed's lines missing from an output ([] when all are there). */
export function missingSeed000Lines(output: string): string[] {
  const lines = new Set(output.split('\n'));
  return SEED000_RULE_COUNTERS.filter((l) => !lines.has(l));
}
