// Golden tests of dockerd's model, no root needed:
// (1) the expansion of every reference scenario (layout dumps a…g′, moby doc configurations) is
//     pinned as a reviewable script in expansions/ (rewrite with UPDATE=1); the same scripts run on
//     the real kernel in test/kernel/docker-rules.test.ts;
// (2) run through the simulator (docker commands → ip/iptables tools → kernel model), the
//     scenarios give the reference rules in the reference order. This part needs the simulator's
//     iptables tool; until it is registered the suite says so and skips.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { expandScenario, saveTables } from '../../kernel/docker/lib.ts';
import { DOC_SCENARIOS, DOC_VERSIONS, DUMP_SCENARIOS, LAYOUT_VERSIONS, docBlocks } from '../../kernel/docker/scenarios.ts';
import { createSession } from '../../../src/scenario/index.ts';
import { tools } from '../../../src/userland/index.ts';

const REF = new URL('../../../../shared/reference/', import.meta.url).pathname;
const OUT = new URL('./expansions/', import.meta.url).pathname;
const update = process.env.UPDATE === '1';

const dumpCases = Object.keys(LAYOUT_VERSIONS).flatMap((layout) => Object.keys(DUMP_SCENARIOS).map((scen) => ({ layout, scen })));
const docCases = Object.keys(DOC_VERSIONS).flatMap((tag) => Object.keys(DOC_SCENARIOS).map((doc) => ({ tag, doc })));

function golden(name: string, text: string): void {
  const file = `${OUT}${name}`;
  if (update || !existsSync(file)) {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('expansion goldens', () => {
  test.each(dumpCases)('$layout $scen', ({ layout, scen }) => {
    const { script } = expandScenario(DUMP_SCENARIOS[scen]!, { dockerVersion: LAYOUT_VERSIONS[layout], seed: 1 });
    golden(`${layout}_${scen}.sh`, script);
  });
  test.each(docCases)('$tag $doc', ({ tag, doc }) => {
    const { script } = expandScenario(DOC_SCENARIOS[doc]!, { dockerVersion: DOC_VERSIONS[tag], seed: 1 });
    golden(`${tag}_${doc}.sh`, script);
  });
});

const noIptables = !('iptables' in tools);
if (noIptables) console.warn('[packetwalk] docker rule goldens through the simulator skipped: the iptables tool is not registered in src/userland/index.ts yet');

function simulate(script: string, version: string): string {
  const session = createSession({ seed: 1, dockerVersion: version });
  const r = session.run(`sysctl -w net.ipv4.ip_forward=1 >/dev/null\n${script}`);
  expect(r.exitCode, r.output).toBe(0);
  return r.output;
}

describe.skipIf(noIptables)('through the simulator = reference dumps', () => {
  test.each(dumpCases)('$layout $scen', ({ layout, scen }) => {
    const out = simulate(`${DUMP_SCENARIOS[scen]}iptables-save\n`, LAYOUT_VERSIONS[layout]!);
    const expected = saveTables(readFileSync(`${REF}docker-rules/dumps/${layout}_${scen}.txt`, 'utf8'));
    const actual = saveTables(out.slice(out.indexOf('*')));
    for (const [table, lines] of expected) {
      expect(actual.get(table) ?? lines.filter((l) => l.startsWith(':') && !l.includes(' - ')), `${layout}_${scen} ${table}`).toEqual(lines);
    }
  });
});

describe.skipIf(noIptables)('through the simulator = moby generated iptables docs', () => {
  test.each(docCases)('$tag $doc', ({ tag, doc }) => {
    const blocks = docBlocks(readFileSync(`${REF}moby-iptablesdoc/${tag}/generated/${doc}.md`, 'utf8'));
    const dump = [...blocks.keys()].map((t) => `echo "=== ${t}"; iptables -t ${t} -S`).join('\n');
    const out = simulate(`${DOC_SCENARIOS[doc]}${dump}\n`, DOC_VERSIONS[tag]!);
    const actual = new Map<string, string[]>();
    let cur: string[] = [];
    for (const line of out.split('\n')) {
      const m = /^=== (\w+)$/.exec(line);
      if (m) actual.set(m[1]!, (cur = []));
      else if (line.startsWith('-')) cur.push(line);
    }
    for (const [table, lines] of blocks) expect(actual.get(table), `${tag} ${doc} ${table}`).toEqual(lines);
  });
});
