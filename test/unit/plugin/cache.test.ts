// Runs are cached by plan: a second build of an unchanged page reuses them; changing any script
// line or console command re-runs; changing only an expected output does not.
import { expect, test } from 'vitest';
import { RunCache } from '../../../plugins/lib/engine.ts';
import { fakeFactory } from './fake-session.ts';
import { renderUnified } from './pipeline.ts';

const page = (script: string, command: string, expected: string) =>
  `:::scenario{#s1}\n\`\`\`sh\n${script}\n\`\`\`\n:::\n\n\`\`\`console scenario=s1\n$ ${command}\n${expected}\n\`\`\`\n\n::walk{scenario=s1 packet=1}\n`;

test.each([
  ['unchanged page', page('ping -c 1 10.0.0.2', 'echo a', 'a'), 0],
  ['expected output edited (same runs)', page('ping -c 1 10.0.0.2', 'echo a', '...'), 0],
  ['script line changed', page('ping -c 2 10.0.0.2', 'echo a', 'a'), 1],
  ['console command changed', page('ping -c 1 10.0.0.2', 'echo b', 'b'), 1],
  ['whitespace-only change inside the script', page('ping -c 1 10.0.0.2 ', 'echo a', 'a'), 1],
])('%s → %i new session(s)', async (_name, second, sessions) => {
  const cache = new RunCache();
  const factory = fakeFactory();
  const options = { createSession: factory.create, cache: true };
  // the plugin's `cache: true` uses the process-wide cache; inject a private one through processTree's options instead
  const { processTree } = await import('../../../plugins/lib/document.ts');
  const { VFile } = await import('vfile');
  const { unified } = await import('unified');
  const remarkParse = (await import('remark-parse')).default;
  const remarkDirective = (await import('remark-directive')).default;
  const build = async (md: string) => {
    const file = new VFile({ path: 'p.md', value: md });
    const proc = unified().use(remarkParse).use(remarkDirective);
    const tree = await proc.run(proc.parse(file), file);
    return processTree(tree as never, file, { createSession: options.createSession, cache });
  };
  await build(page('ping -c 1 10.0.0.2', 'echo a', 'a'));
  expect(factory.made.length).toBe(1);
  await build(second);
  expect(factory.made.length).toBe(1 + sessions);
  expect(cache.hits).toBe(sessions === 0 ? 1 : 0);
});

test('the plugin reuses the process-wide cache across builds', async () => {
  const factory = fakeFactory();
  const md = page('ping -c 1 10.0.0.3', 'echo cached', 'cached');
  const first = await renderUnified(md, { createSession: factory.create });
  const second = await renderUnified(md, { createSession: factory.create });
  expect(second.html).toBe(first.html);
  expect(factory.made.length).toBe(1);
});
