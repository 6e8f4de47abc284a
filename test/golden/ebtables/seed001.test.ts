// Issue 3's acceptance for seed 001 (Docker iptables数据包过滤流向分析): its three experiments,
// rebuilt as scripts with its log.sh LOG rules (log/seed001-*.sh), run in the simulator and
// compared with the real kernel's dmesg capture of the same script (log/seed001-*.kernel.txt).
// Each case asserts (1) the whole dmesg text, timestamps stripped and IP/ICMP ids normalised, and
// (2) the hook walk as the issue states it: the sequence of (prefix, IN, OUT, PHYSIN, PHYSOUT,
// SRC, DST) for the request, then for the reply. '-' means the line has no such field (ebtables
// lines print neither PHYS* nor IP addresses without --log-ip). Where the seed's printed trace and
// this kernel differ, SEED001.md says where, line by line; the table below is the kernel's.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runOnSimulator } from '../../kernel/lib/simulator.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'log');
const norm = (t: string): string => t.replace(/^\[[ 0-9.]*\] /gm, '').replace(/ ID=\d+/g, ' ID=N');
const FIELDS = ['IN', 'OUT', 'PHYSIN', 'PHYSOUT', 'SRC', 'DST'] as const;

/** One dmesg line as 'PREFIX IN=… OUT=… PHYSIN=… PHYSOUT=… SRC=… DST=…'. */
function walkStep(line: string): string {
  const m = /^(\S+?) ?IN=/.exec(line);
  if (!m) throw new Error(`not a LOG line: ${line}`);
  const rest = line.slice(m[1].length);
  const field = (k: string): string => new RegExp(`(?<![A-Z])${k}=(\\S*)`).exec(rest)?.[1] ?? '-';
  return [m[1], ...FIELDS.map((k) => `${k}=${field(k)}`)].join(' ');
}
const walk = (t: string): string[] => norm(t).split('\n').filter(Boolean).map(walkStep);

interface Experiment {
  name: string;
  file: string;
  request: string[];
  reply: string[];
}

const experiments: Experiment[] = [
  {
    // As rebuilt, with no conntrack user in the ruleset: iptables-nft's nat chains are not walked.
    name: '1: container to container on docker0 (bridged, br_netfilter)',
    file: 'seed001-c2c',
    request: [
      'S1eb/nat-PREROUTE IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S1ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.3',
      'S1ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.3',
      'S1eb/filter-forward IN=veth1 OUT=veth2 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S1ipt/mangle-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
      'S1ipt/filter-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
      'S1eb/nat-POSTROUTE IN= OUT=veth2 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S1ipt/mangle-POSTROUTE IN= OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
    ],
    reply: [
      'S1eb/nat-PREROUTE IN=veth2 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S1ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth2 PHYSOUT=- SRC=172.17.0.3 DST=172.17.0.2',
      'S1ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth2 PHYSOUT=- SRC=172.17.0.3 DST=172.17.0.2',
      'S1eb/filter-forward IN=veth2 OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S1ipt/mangle-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth2 PHYSOUT=veth1 SRC=172.17.0.3 DST=172.17.0.2',
      'S1ipt/filter-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth2 PHYSOUT=veth1 SRC=172.17.0.3 DST=172.17.0.2',
      'S1eb/nat-POSTROUTE IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S1ipt/mangle-POSTROUTE IN= OUT=docker0 PHYSIN=veth2 PHYSOUT=veth1 SRC=172.17.0.3 DST=172.17.0.2',
    ],
  },
  {
    name: '2: host to container (ebtables-nft: bridge filter OUTPUT before nat OUTPUT)',
    file: 'seed001-host2c',
    request: [
      'S3ipt/raw-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'S3ipt/mangle-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'S3ipt/filter-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'S3ipt/mangle-POSTROUTE IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'S3eb/filter-output IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S3eb/nat-OUTPUT IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S3eb/nat-POSTROUTE IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
    ],
    reply: [
      'S3eb/nat-PREROUTE IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S3ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
      'S3ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
      'S3eb/filter-input IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S3ipt/mangle-INPUT IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
      'S3ipt/filter-INPUT IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
    ],
  },
  {
    name: '3: container to WAN through MASQUERADE (routed out of ens33, un-NATed reply bridged back)',
    file: 'seed001-c2wan',
    request: [
      'S4eb/nat-PREROUTE IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S4ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
      'S4ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
      'S4ipt/nat-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
      'S4eb/filter-input IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S4ipt/mangle-FORWARD IN=docker0 OUT=ens33 PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
      'S4ipt/filter-FORWARD IN=docker0 OUT=ens33 PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
      // ip_output() hands POSTROUTING skb->dev as the in device: IN=docker0 and MAC= on 6.18.
      'S4ipt/mangle-POSTROUTE IN=docker0 OUT=ens33 PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
      // The LOG rule is inserted above MASQUERADE, so it still sees the container's address.
      'S4ipt/nat-POSTROUTE IN=docker0 OUT=ens33 PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=114.114.114.114',
    ],
    reply: [
      // Received on ens33, not a bridge port: no ebtables line before routing; the reply belongs to
      // a known connection, so nat PREROUTING is not walked (conntrack un-NATs it).
      'S4ipt/raw-PREROUTE IN=ens33 OUT= PHYSIN=- PHYSOUT=- SRC=114.114.114.114 DST=192.168.0.10',
      'S4ipt/mangle-PREROUTE IN=ens33 OUT= PHYSIN=- PHYSOUT=- SRC=114.114.114.114 DST=192.168.0.10',
      'S4ipt/mangle-FORWARD IN=ens33 OUT=docker0 PHYSIN=- PHYSOUT=- SRC=114.114.114.114 DST=172.17.0.2',
      'S4ipt/filter-FORWARD IN=ens33 OUT=docker0 PHYSIN=- PHYSOUT=- SRC=114.114.114.114 DST=172.17.0.2',
      'S4ipt/mangle-POSTROUTE IN=ens33 OUT=docker0 PHYSIN=- PHYSOUT=- SRC=114.114.114.114 DST=172.17.0.2',
      'S4eb/filter-output IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S4eb/nat-OUTPUT IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'S4eb/nat-POSTROUTE IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
    ],
  },
  {
    name: "1 with Docker's MASQUERADE rule (conntrack in use, as on the seed's host)",
    file: 'seed001-c2c-masq',
    request: [
      'T1eb/nat-PREROUTE IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T1ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.3',
      'T1ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.3',
      'T1ipt/nat-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.3',
      'T1eb/filter-forward IN=veth1 OUT=veth2 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T1ipt/mangle-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
      'T1ipt/filter-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
      'T1eb/nat-POSTROUTE IN= OUT=veth2 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T1ipt/mangle-POSTROUTE IN= OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
      'T1ipt/nat-POSTROUTE IN= OUT=docker0 PHYSIN=veth1 PHYSOUT=veth2 SRC=172.17.0.2 DST=172.17.0.3',
    ],
    reply: [
      'T1eb/nat-PREROUTE IN=veth2 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T1ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth2 PHYSOUT=- SRC=172.17.0.3 DST=172.17.0.2',
      'T1ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth2 PHYSOUT=- SRC=172.17.0.3 DST=172.17.0.2',
      'T1eb/filter-forward IN=veth2 OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T1ipt/mangle-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth2 PHYSOUT=veth1 SRC=172.17.0.3 DST=172.17.0.2',
      'T1ipt/filter-FORWARD IN=docker0 OUT=docker0 PHYSIN=veth2 PHYSOUT=veth1 SRC=172.17.0.3 DST=172.17.0.2',
      'T1eb/nat-POSTROUTE IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T1ipt/mangle-POSTROUTE IN= OUT=docker0 PHYSIN=veth2 PHYSOUT=veth1 SRC=172.17.0.3 DST=172.17.0.2',
    ],
  },
  {
    name: "2 with Docker's MASQUERADE rule (conntrack in use, as on the seed's host)",
    file: 'seed001-host2c-masq',
    request: [
      'T3ipt/raw-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'T3ipt/mangle-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'T3ipt/nat-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'T3ipt/filter-OUTPUT IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'T3ipt/mangle-POSTROUTE IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'T3ipt/nat-POSTROUTE IN= OUT=docker0 PHYSIN=- PHYSOUT=- SRC=172.17.0.1 DST=172.17.0.2',
      'T3eb/filter-output IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T3eb/nat-OUTPUT IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T3eb/nat-POSTROUTE IN= OUT=veth1 PHYSIN=- PHYSOUT=- SRC=- DST=-',
    ],
    reply: [
      'T3eb/nat-PREROUTE IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T3ipt/raw-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
      'T3ipt/mangle-PREROUTE IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
      'T3eb/filter-input IN=veth1 OUT= PHYSIN=- PHYSOUT=- SRC=- DST=-',
      'T3ipt/mangle-INPUT IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
      'T3ipt/filter-INPUT IN=docker0 OUT= PHYSIN=veth1 PHYSOUT=- SRC=172.17.0.2 DST=172.17.0.1',
    ],
  },
];

describe.each(experiments)('seed 001 experiment $name', ({ file, request, reply }) => {
  const script = readFileSync(join(dir, `${file}.sh`), 'utf8');
  const kernel = readFileSync(join(dir, `${file}.kernel.txt`), 'utf8');

  test('the kernel capture walks the request, then the reply, through these hooks', () => {
    expect(walk(kernel)).toEqual([...request, ...reply]);
    // The split is where the packet changes: iptables lines show the echo request (TYPE=8), then
    // only the echo reply (TYPE=0).
    const types = norm(kernel).split('\n').filter(Boolean).map((l) => /PROTO=ICMP TYPE=(\d+)/.exec(l)?.[1] ?? '');
    expect(types.slice(0, request.length).filter((t) => t !== '')).toEqual(expect.arrayContaining(['8']));
    expect(types.slice(0, request.length).every((t) => t === '' || t === '8')).toBe(true);
    expect(types.slice(request.length).every((t) => t === '' || t === '0')).toBe(true);
  });

  test('the simulator prints the kernel capture (timestamps stripped, IP/ICMP ids normalised)', () => {
    const sim = runOnSimulator(script);
    expect(sim.error).toBeUndefined();
    expect(norm(sim.output)).toBe(norm(kernel));
  });

  test('the simulator walks the request, then the reply, through the same hooks', () => {
    expect(walk(runOnSimulator(script).output)).toEqual([...request, ...reply]);
  });
});
