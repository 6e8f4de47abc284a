// Every src/userland/<tool>.ts module that exports `tools` is in the registry, so a tool that
// lands is callable from scripts; and every registered name resolves to a function.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { tools } from '../../../src/userland/index.ts';

const dir = new URL('../../../src/userland/', import.meta.url);

test.each(readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && /export const tools\b/.test(readFileSync(new URL(f, dir), 'utf8'))))('%s is registered', async (file) => {
  const mod = (await import(new URL(file, dir).href)) as { tools: Record<string, unknown> };
  for (const name of Object.keys(mod.tools)) expect(tools[name], `${file}: ${name}`).toBeTypeOf('function');
});
