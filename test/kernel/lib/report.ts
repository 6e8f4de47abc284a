// Prints, as Markdown, where the simulator differs from the recorded real-kernel output of each
// differential scenario (the same comparison as test/unit/differential): one section per failing
// scenario with the simulator's error (if it refused the script) and the unified diff.
//
//   npx node test/kernel/lib/report.ts [PREFIX,…]  > /tmp/report.md
//
// test/kernel/scenarios/FAILING.md is written from this output plus a reading of each diff.
import { comparable, listScenarios, readRecording } from './scenarios.ts';
import { normalizeOutput, unifiedDiff } from './normalize.ts';
import { runOnSimulator } from './simulator.ts';

const scenarios = listScenarios(process.argv[2]);
let failing = 0;
const sections: string[] = [];
for (const s of scenarios) {
  const rec = readRecording(s);
  if (!rec) {
    failing++;
    sections.push(`### ${s.name}\n\nno recording (run UPDATE=1 on the kernel)\n`);
    continue;
  }
  let diff: string;
  let error: string | undefined;
  try {
    const sim = runOnSimulator(s.script, `${s.name}.sh`);
    error = sim.error;
    diff = unifiedDiff(comparable(s, rec.normalized, rec.status), comparable(s, normalizeOutput(sim.output), sim.status));
  } catch (e) {
    error = `crash: ${(e as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(e)}`;
    diff = '';
  }
  if (!diff && !error) continue;
  failing++;
  sections.push(`### ${s.name}\n\n${error ? `simulator error: \`${error}\`\n\n` : ''}${diff ? '```diff\n' + diff + '\n```\n' : ''}`);
}
console.log(`${scenarios.length - failing} of ${scenarios.length} scenarios equal the kernel.\n`);
console.log(sections.join('\n'));
