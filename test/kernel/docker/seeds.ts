// Seeds 000, 003 and 004 written with docker commands (test/kernel/docker/seeds/*.sh) and the
// facts the seeds show, as checks on a run's output. Used by the real-kernel test
// (test/kernel/docker-seeds.test.ts) and the simulator test (test/golden/docker/seeds.test.ts).
import { expect } from 'vitest';
import { SEED000_RULE_COUNTERS } from '../lib/seed000.ts';

export const SEEDS_DIR = new URL('./seeds/', import.meta.url).pathname;

const SEED003_NAT_AFTER = [
  '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', '-N DOCKER',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  '-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
  '-A DOCKER -i docker0 -j RETURN',
  '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80',
];
const SEED003_FILTER_AFTER = [
  '-P INPUT ACCEPT', '-P FORWARD DROP', '-P OUTPUT ACCEPT',
  '-N DOCKER', '-N DOCKER-ISOLATION-STAGE-1', '-N DOCKER-ISOLATION-STAGE-2', '-N DOCKER-USER',
  '-A FORWARD -j DOCKER-USER',
  '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
  '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A FORWARD -o docker0 -j DOCKER',
  '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
  '-A FORWARD -i docker0 -o docker0 -j ACCEPT',
  '-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT',
  '-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2',
  '-A DOCKER-ISOLATION-STAGE-1 -j RETURN',
  '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
  '-A DOCKER-ISOLATION-STAGE-2 -j RETURN',
  '-A DOCKER-USER -j RETURN',
];
const BR = 'br-ac3e0514d837';
const SEED004_NAT = [
  '-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', '-N DOCKER',
  '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER',
  `-A POSTROUTING -s 172.18.0.0/16 ! -o ${BR} -j MASQUERADE`,
  '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
  '-A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE',
  `-A DOCKER -i ${BR} -j RETURN`,
  '-A DOCKER -i docker0 -j RETURN',
  `-A DOCKER ! -i ${BR} -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.18.0.2:80`,
];
const SEED004_FILTER = [
  '-P INPUT ACCEPT', '-P FORWARD DROP', '-P OUTPUT ACCEPT',
  '-N DOCKER', '-N DOCKER-ISOLATION-STAGE-1', '-N DOCKER-ISOLATION-STAGE-2', '-N DOCKER-USER',
  '-A FORWARD -j DOCKER-USER',
  '-A FORWARD -j DOCKER-ISOLATION-STAGE-1',
  `-A FORWARD -o ${BR} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  `-A FORWARD -o ${BR} -j DOCKER`,
  `-A FORWARD -i ${BR} ! -o ${BR} -j ACCEPT`,
  `-A FORWARD -i ${BR} -o ${BR} -j ACCEPT`,
  '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  '-A FORWARD -o docker0 -j DOCKER',
  '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT',
  '-A FORWARD -i docker0 -o docker0 -j ACCEPT',
  `-A DOCKER -d 172.18.0.2/32 ! -i ${BR} -o ${BR} -p tcp -m tcp --dport 80 -j ACCEPT`,
  `-A DOCKER-ISOLATION-STAGE-1 -i ${BR} ! -o ${BR} -j DOCKER-ISOLATION-STAGE-2`,
  '-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2',
  '-A DOCKER-ISOLATION-STAGE-1 -j RETURN',
  `-A DOCKER-ISOLATION-STAGE-2 -o ${BR} -j DROP`,
  '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP',
  '-A DOCKER-ISOLATION-STAGE-2 -j RETURN',
  '-A DOCKER-USER -j RETURN',
];

/** Consecutive runs of `-P/-N/-A` lines (one per `iptables -S`). */
function sBlocks(output: string): string[][] {
  const blocks: string[][] = [];
  let cur: string[] | undefined;
  for (const line of output.split('\n')) {
    if (/^-[PNA] /.test(line)) {
      if (!cur || (line.startsWith('-P') && !cur[cur.length - 1]!.startsWith('-P'))) blocks.push((cur = []));
      cur.push(line);
    } else cur = undefined;
  }
  return blocks;
}

export interface SeedCase {
  file: string;
  check: (output: string) => void;
}

export const CASES: SeedCase[] = [
  {
    file: '000-ping-114.sh',
    check: (out) => {
      const lines = new Set(out.split('\n'));
      expect(SEED000_RULE_COUNTERS.filter((l) => !lines.has(l))).toEqual([]);
      expect(out).toContain(':FORWARD DROP');
    },
  },
  {
    file: '003-nginx-80.sh',
    check: (out) => {
      const blocks = sBlocks(out);
      expect(blocks.slice(2)).toEqual([SEED003_NAT_AFTER, SEED003_FILTER_AFTER]);
      // Before nginx: the same tables without its three rules.
      expect(blocks[0]).toEqual(SEED003_NAT_AFTER.filter((l) => !l.includes('172.17.0.2')));
      expect(blocks[1]).toEqual(SEED003_FILTER_AFTER.filter((l) => !l.includes('172.17.0.2')));
      expect(out).toMatch(/^172\.17\.0\.0\/16 proto kernel scope link src 172\.17\.0\.1/m);
    },
  },
  {
    file: '004-compose-caddy-8081.sh',
    check: (out) => {
      expect(sBlocks(out)).toEqual([SEED004_NAT, SEED004_FILTER]);
      expect(out).toMatch(/^\s+"IPAddress": "172\.18\.0\.2",$/m);
      expect(out).toMatch(/^172\.18\.0\.0\/16 proto kernel scope link src 172\.18\.0\.1/m);
    },
  },
];

export const seedVersion = (script: string) => /^# docker-version: (\S+)$/m.exec(script)?.[1];
