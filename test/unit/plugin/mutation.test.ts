// Mutation test: every number stated in expected console output is pinned. For each number of
// each expected output line (outside `...` and outside what an `ignore` class blanks out), the
// page with that number changed must fail `packetwalk check` at exactly that line. Pages: the
// walkthroughs under content/ (real scenario engine) and the check fixtures (fake session).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Code, Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { describe, expect, test } from 'vitest';
import { parseMeta } from '../../../plugins/lib/attributes.ts';
import { checkMarkdown } from '../../../plugins/lib/check.ts';
import { type CreateSession, RunCache } from '../../../plugins/lib/engine.ts';
import { ELLIPSIS, type IgnoreClass, normalizeLine, parseConsole } from '../../../src/render/console.ts';
import { fakeFactory } from './fake-session.ts';

const repo = join(import.meta.dirname, '..', '..', '..');

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? markdownUnder(p) : /\.mdx?$/.test(name) ? [p] : [];
  });
}

/** Every checked number: [file line (1-based), column (0-based in the line), the number]. */
function statedNumbers(text: string): Array<{ line: number; column: number; value: string }> {
  const tree = unified().use(remarkParse).use(remarkDirective).parse(text) as Root;
  unified().use(remarkDirective).runSync(tree);
  const lines = text.split('\n');
  const found: Array<{ line: number; column: number; value: string }> = [];
  visit(tree, 'code', (node: Code) => {
    if (node.lang !== 'console' || !node.meta || !/(^|\s)scenario=/.test(node.meta)) return;
    const ignore = (parseMeta(node.meta).attributes.ignore?.split(',') ?? []) as IgnoreClass[];
    const start = node.position!.start;
    for (const c of parseConsole(node.value).commands) {
      c.expected.forEach((expected, k) => {
        if (expected.trim() === ELLIPSIS) return;
        const line = start.line + 1 + c.outputLine + k;
        const source = lines[line - 1];
        const offset = source.length - expected.length; // the block's indentation or `> ` prefix
        for (const m of expected.matchAll(/\d+/g)) {
          const mutated = expected.slice(0, m.index) + String(Number(m[0]) + 1) + expected.slice(m.index + m[0].length);
          if (normalizeLine(mutated, ignore) === normalizeLine(expected, ignore)) continue; // blanked out by `ignore`
          found.push({ line, column: offset + m.index!, value: m[0] });
        }
      });
    }
  });
  return found;
}

const pages: Array<{ name: string; path: string; createSession?: CreateSession }> = [
  ...markdownUnder(join(import.meta.dirname, 'check-fixtures')).map((path) => ({ name: relative(repo, path), path, createSession: fakeFactory().create })),
  ...markdownUnder(join(repo, 'content'))
    .filter((path) => statedNumbers(readFileSync(path, 'utf8')).length > 0)
    .map((path) => ({ name: relative(repo, path), path })),
];

describe('every stated number is checked', () => {
  test.each(pages)('$name', async ({ path, createSession }) => {
    const text = readFileSync(path, 'utf8');
    const cache = new RunCache();
    const baseline = await checkMarkdown(text, path, { createSession, cache });
    expect(baseline.error?.message ?? '', 'the page itself must hold').toBe('');
    expect(baseline.mismatches.map((m) => `${m.line}: ${m.diff}`), 'the page itself must hold').toEqual([]);
    const numbers = statedNumbers(text);
    expect(numbers.length).toBeGreaterThan(0);
    const survivors: string[] = [];
    const lines = text.split('\n');
    for (const n of numbers) {
      const mutatedLines = lines.slice();
      const src = mutatedLines[n.line - 1];
      mutatedLines[n.line - 1] = src.slice(0, n.column) + String(Number(n.value) + 1) + src.slice(n.column + n.value.length);
      const report = await checkMarkdown(mutatedLines.join('\n'), path, { createSession, cache });
      const at = report.mismatches.map((m) => m.line);
      if (report.error || at.length !== 1 || at[0] !== n.line) {
        survivors.push(`${n.line}:${n.column + 1} ${n.value}→${Number(n.value) + 1}: ${report.error ? `error ${report.error.message}` : `mismatches at [${at.join(', ')}]`}`);
      }
    }
    expect(survivors).toEqual([]);
  }, 120_000); // one check per stated number: a page with ~200 numbers takes seconds even with cached runs
});
