// Golden tests on the real kernel: the docker commands' expansion (src/docker), run as a plain
// script in network namespaces, yields exactly the rules, in the same order, of
// (1) every layout × scenario dump of ../shared/reference/docker-rules/dumps, and
// (2) every configuration moby's own generated iptables docs capture (28.0.0 … 29.7.2).
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { kernelUnavailableReason, runOnKernel } from './lib/oracle.ts';
import { expandScenario, kernelPrelude, saveTables } from './docker/lib.ts';
import { DOC_SCENARIOS, DOC_VERSIONS, DUMP_SCENARIOS, LAYOUT_VERSIONS, docBlocks } from './docker/scenarios.ts';

const REF = new URL('../../../shared/reference/', import.meta.url).pathname;
const skip = kernelUnavailableReason();
// Docker 28.0.0 (layout L4) keeps its bridges in an ipset: its cases need the ipset tool.
const hasIpset = spawnSync('sh', ['-c', 'command -v ipset']).status === 0;
function needIpset(version: string | undefined): void {
  if (version === '28.0.0' && !hasIpset) throw new Error('layout L4 (Docker 28.0.0) needs the ipset tool on the oracle: apt-get install -y ipset');
}

const dumpCases = Object.keys(LAYOUT_VERSIONS).flatMap((layout) => Object.keys(DUMP_SCENARIOS).map((scen) => ({ layout, scen })));

describe.skipIf(skip)('docker expansion on the real kernel = reference dumps', () => {
  test.each(dumpCases)('$layout $scen', ({ layout, scen }) => {
    needIpset(LAYOUT_VERSIONS[layout]);
    const { script } = expandScenario(DUMP_SCENARIOS[scen], { dockerVersion: LAYOUT_VERSIONS[layout] });
    const r = runOnKernel(`${kernelPrelude()}sysctl -w net.ipv4.ip_forward=1 >/dev/null\n${script}iptables-save\n`);
    expect(r.status, r.output).toBe(0);
    const expected = saveTables(readFileSync(`${REF}docker-rules/dumps/${layout}_${scen}.txt`, 'utf8'));
    const actual = saveTables(r.output.slice(r.output.indexOf('*')));
    for (const [table, lines] of expected) {
      const mine = actual.get(table) ?? lines.filter((l) => l.startsWith(':') && !l.includes(' - '));
      expect(mine, `${layout}_${scen} table ${table}`).toEqual(lines);
    }
    // No table beyond the reference's, except ones the reference omits because they are empty.
    for (const [table, lines] of actual) {
      if (!expected.has(table)) expect(lines.filter((l) => l.startsWith('-A')), `${layout}_${scen} extra table ${table}`).toEqual([]);
    }
  });
});

const docCases = Object.keys(DOC_VERSIONS).flatMap((tag) => Object.keys(DOC_SCENARIOS).map((doc) => ({ tag, doc })));

describe.skipIf(skip)('docker expansion on the real kernel = moby generated iptables docs', () => {
  test.each(docCases)('$tag $doc', ({ tag, doc }) => {
    needIpset(DOC_VERSIONS[tag]);
    const blocks = docBlocks(readFileSync(`${REF}moby-iptablesdoc/${tag}/generated/${doc}.md`, 'utf8'));
    expect(blocks.size).toBeGreaterThan(0);
    const { script } = expandScenario(DOC_SCENARIOS[doc], { dockerVersion: DOC_VERSIONS[tag] });
    const dump = [...blocks.keys()].map((t) => `echo "=== ${t}"; iptables -t ${t} -S`).join('\n');
    const r = runOnKernel(`${kernelPrelude()}sysctl -w net.ipv4.ip_forward=1 >/dev/null\n${script}${dump}\n`);
    expect(r.status, r.output).toBe(0);
    const actual = new Map<string, string[]>();
    let cur: string[] = [];
    for (const line of r.output.split('\n')) {
      const m = /^=== (\w+)$/.exec(line);
      if (m) actual.set(m[1], (cur = []));
      else if (line.startsWith('-')) cur.push(line);
    }
    for (const [table, lines] of blocks) expect(actual.get(table), `${tag} ${doc} ${table}`).toEqual(lines);
  });
});
