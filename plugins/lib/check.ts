// Checking a Markdown file outside a site build: parse (remark-parse + remark-directive), run every
// scenario and console block, collect each mismatch with its position and diff, and optionally
// produce the file with expected outputs rewritten (only the output lines change).
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { type Mismatch, type ProcessOptions, processTree } from './document.ts';

export interface FileReport {
  path: string;
  scenarios: number;
  consoleBlocks: number;
  commands: number;
  mismatches: Mismatch[];
  /** An error that stopped the file (bad attribute, unknown scenario, failing scenario…). */
  error?: VFileMessage;
  /** With `update`: the file's new text (undefined when nothing changed). */
  updated?: string;
}

export async function checkMarkdown(text: string, path: string, options: ProcessOptions & { update?: boolean } = {}): Promise<FileReport> {
  const file = new VFile({ path, value: text });
  const report: FileReport = { path, scenarios: 0, consoleBlocks: 0, commands: 0, mismatches: [] };
  try {
    const processor = unified().use(remarkParse).use(remarkDirective);
    const tree = (await processor.run(processor.parse(file), file)) as Root;
    const result = await processTree(tree, file, options);
    Object.assign(report, { scenarios: result.scenarios, consoleBlocks: result.consoleBlocks, commands: result.commands, mismatches: result.mismatches });
  } catch (e) {
    if (e instanceof VFileMessage) report.error = e;
    else throw e;
  }
  if (options.update && report.mismatches.length) report.updated = applyUpdates(text, report.mismatches);
  return report;
}

/** Replaces each mismatched command's expected lines by its replacement (see Mismatch), bottom-up so earlier positions hold. */
export function applyUpdates(text: string, mismatches: Mismatch[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const sorted = [...mismatches].sort((a, b) => b.expectedStart - a.expectedStart);
  for (const m of sorted) {
    lines.splice(m.expectedStart - 1, m.expectedCount, ...m.replacement.map((l) => (l === '' ? m.prefix.trimEnd() : m.prefix + l)));
  }
  return lines.join(eol);
}
