// The differential scenarios: test/kernel/scenarios/NNN-name.sh, each with its recorded kernel
// output NNN-name.kernel.txt beside it (written by `UPDATE=1 npx vitest run --project kernel
// test/kernel/differential.test.ts`).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeOutput, project, scriptCreatesBridge } from './normalize.ts';

export const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

export interface Scenario {
  /** `NNN-name` */
  name: string;
  file: string;
  script: string;
  bridged: boolean;
  kernelFile: string;
}

export function listScenarios(filter = process.env.PACKETWALK_SCENARIOS): Scenario[] {
  const only = filter ? filter.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sh$/.test(f))
    .sort()
    .map((f) => {
      const file = join(SCENARIO_DIR, f);
      const script = readFileSync(file, 'utf8');
      const name = f.replace(/\.sh$/, '');
      return { name, file, script, bridged: scriptCreatesBridge(script), kernelFile: join(SCENARIO_DIR, `${name}.kernel.txt`) };
    })
    .filter((s) => !only || only.some((o) => s.name.startsWith(o)));
}

const HEADER = '# packetwalk differential scenario: real-kernel output, normalised (test/kernel/lib/normalize.ts)';

/** The text stored in NNN-name.kernel.txt: a header, the exit status, the normalised output. */
export function formatRecording(normalized: string, status: number): string {
  return `${HEADER}\n# exit status: ${status}\n${normalized.replace(/\n*$/, '')}\n`;
}

export function readRecording(s: Scenario): { normalized: string; status: number } | undefined {
  if (!existsSync(s.kernelFile)) return undefined;
  const text = readFileSync(s.kernelFile, 'utf8');
  const lines = text.split('\n');
  const m = /^# exit status: (-?\d+)$/.exec(lines[1] ?? '');
  if (lines[0] !== HEADER || !m) throw new Error(`${s.kernelFile}: not a recording (regenerate it with UPDATE=1)`);
  return { normalized: lines.slice(2).join('\n'), status: Number(m[1]) };
}

export function writeRecording(s: Scenario, rawOutput: string, status: number): void {
  writeFileSync(s.kernelFile, formatRecording(normalizeOutput(rawOutput), status));
}

/** What the differential suite compares for one run: exit status + the projection. */
export function comparable(s: Scenario, normalized: string, status: number): string {
  return `exit status: ${status}\n${project(normalized, { bridged: s.bridged })}`;
}
