// Golden outputs of `packetwalk run` for whole scenarios (scenarios/*.sh → scenarios/*.out).
// Regenerate with `UPDATE=1 npx vitest run --project unit test/golden/cli` and review the diff.
// A scenario whose name starts with `world-` runs with --world NAME (the rest of its name); a
// first line `# args: …` gives `run` more options.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { main } from '../../../src/cli/main.ts';

const dir = new URL('./scenarios/', import.meta.url);
const scripts = readdirSync(dir).filter((f) => f.endsWith('.sh')).sort();

test.each(scripts)('%s', async (file) => {
  let stdout = '';
  let stderr = '';
  const world = file.startsWith('world-') ? ['--world', file.slice(6, -3)] : [];
  const first = readFileSync(new URL(file, dir), 'utf8').split('\n')[0];
  const extra = first.startsWith('# args: ') ? first.slice(8).trim().split(/\s+/) : [];
  const code = await main(['run', ...world, ...extra, file], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (p) => readFileSync(p.endsWith('package.json') ? p : new URL(p, dir), 'utf8'),
    readStdin: () => '',
  });
  const actual = `${stdout}${stderr ? `--- stderr\n${stderr}` : ''}--- exit ${code}\n`;
  const golden = new URL(file.replace(/\.sh$/, '.out'), dir);
  if (process.env.UPDATE === '1' || !existsSync(golden)) writeFileSync(golden, actual);
  expect(actual).toBe(readFileSync(golden, 'utf8'));
});
