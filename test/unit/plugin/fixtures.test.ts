// Fixture folders: fixtures/<case>/input.md → output.html (plain unified pipeline, fake session).
// Regenerate with `UPDATE=1 npx vitest run --project unit test/unit/plugin`; review as diffs.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderAstro, renderUnified } from './pipeline.ts';

const root = join(import.meta.dirname, 'fixtures');
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'input.md'))).sort();

describe('fixtures (unified pipeline)', () => {
  test.each(cases)('%s', async (name) => {
    const input = readFileSync(join(root, name, 'input.md'), 'utf8');
    const { html } = await renderUnified(input);
    const golden = join(root, name, 'output.html');
    if (process.env.UPDATE || !existsSync(golden)) writeFileSync(golden, html);
    expect(html).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('fixtures (Astro pipeline): the same views come out', () => {
  test.each(cases)('%s', async (name) => {
    const input = readFileSync(join(root, name, 'input.md'), 'utf8');
    const astro = await renderAstro(input);
    const { html } = await renderUnified(input);
    // Astro adds heading ids and its own code-block markup; the views themselves must be identical.
    const views = (s: string) => s.match(/<div class="packetwalk-view[\s\S]*?<\/div>/g) ?? [];
    expect(views(astro)).toEqual(views(html));
    expect(astro).not.toMatch(/<script>/);
  });
});
