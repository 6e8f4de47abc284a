// Runs a scenario script in the simulator, the way `packetwalk run FILE.sh` does: one session,
// the script in the host namespace, background jobs ended at the end. A ScenarioError (something
// packetwalk does not model) becomes part of the output, so a comparison shows it.
import { createSession } from '../../../src/scenario/index.ts';

export interface SimRun {
  output: string;
  status: number;
  /** Set when the simulator refused the script (unsupported command/option…). */
  error?: string;
}

export function runOnSimulator(script: string, file = 'scenario.sh', options: { record?: boolean; seed?: number } = {}): SimRun {
  const session = createSession({ file, seed: options.seed ?? 1, record: options.record ?? true });
  let output = '';
  let status = 0;
  try {
    const r = session.run(script);
    output = r.output;
    status = r.exitCode;
  } catch (e) {
    const err = e as Error & { output?: string; pos?: { file: string; line: number; column: number } };
    const where = err.pos ? `${err.pos.file}:${err.pos.line}:${err.pos.column}: ` : '';
    const message = `${where}${err.name}: ${err.message}`;
    return { output: (err.output ?? '') + `\n[simulator] ${message}\n`, status: -1, error: message };
  }
  try {
    output += session.end();
  } catch (e) {
    output += `\n[simulator] end(): ${(e as Error).message}\n`;
  }
  return { output, status };
}
