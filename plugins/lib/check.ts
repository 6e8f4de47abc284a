// Checking a Markdown file outside a site build: parse (remark-parse + remark-directive), run every
// scenario and console block, collect each mismatch with its position and diff, and optionally
// produce the file with expected outputs rewritten (only the output lines change).
import type { Nodes, Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { type Mismatch, type ProcessOptions, processTree } from './document.ts';
import { RunCache } from './engine.ts';

export interface FileReport {
  path: string;
  scenarios: number;
  consoleBlocks: number;
  commands: number;
  mismatches: Mismatch[];
  /** The first author error (bad attribute, unknown scenario, failing scenario…), as `errors[0]`. */
  error?: VFileMessage;
  /** Every author error of the file, in the order found (see checkMarkdown). */
  errors: VFileMessage[];
  /** With `update`: the file's new text (undefined when nothing changed). */
  updated?: string;
}

/** The most errors reported per file (each costs a pass over the file). */
const MAX_ERRORS = 50;

type Span = { start: number; end: number };

/**
 * Checks one file and reports every author error, not only the first: an error stops the
 * transform (as in a site build), so the item it belongs to (the directive or console block whose
 * source holds its position) is left out and the file is processed again, with the runs cached.
 * Leaving out a failed scenario also leaves out what refers to it, silently (the scenario's own
 * error already says what is wrong). Mismatches come from the last pass.
 */
export async function checkMarkdown(text: string, path: string, options: ProcessOptions & { update?: boolean } = {}): Promise<FileReport> {
  const report: FileReport = { path, scenarios: 0, consoleBlocks: 0, commands: 0, mismatches: [], errors: [] };
  const left: Span[] = [];
  const broken = new Set<string>();
  const cache = options.cache ?? new RunCache();
  const processor = unified().use(remarkParse).use(remarkDirective);
  for (;;) {
    const file = new VFile({ path, value: text });
    const tree = (await processor.run(processor.parse(file), file)) as Root;
    leaveOut(tree, left);
    try {
      const result = await processTree(tree, file, { ...options, cache });
      Object.assign(report, { scenarios: result.scenarios, consoleBlocks: result.consoleBlocks, commands: result.commands, mismatches: result.mismatches });
      break;
    } catch (e) {
      if (!(e instanceof VFileMessage)) throw e;
      const unknown = e.ruleId === 'unknown-scenario' ? /^Unknown scenario `([^`]+)`/.exec(e.reason)?.[1] : undefined;
      if (unknown === undefined || !broken.has(unknown)) report.errors.push(e);
      const item = e.place ? itemAt(processor.parse(text) as Root, e.place) : undefined;
      if (!item || report.errors.length >= MAX_ERRORS || left.length >= 4 * MAX_ERRORS || left.some((s) => s.start === item.span.start && s.end === item.span.end)) break;
      if (item.node.type === 'containerDirective' && item.node.name === 'scenario') {
        const id = item.node.attributes?.id;
        if (id) broken.add(id);
      }
      left.push(item.span);
    }
  }
  report.error = report.errors[0];
  if (options.update && report.mismatches.length) report.updated = applyUpdates(text, report.mismatches);
  return report;
}

type Place = NonNullable<VFileMessage['place']>;

/** The outermost directive or code block whose source holds `place`. */
function itemAt(tree: Root, place: Place): { node: Nodes; span: Span } | undefined {
  const at = 'start' in place ? place.start : place;
  let found: { node: Nodes; span: Span } | undefined;
  visit(tree, (node) => {
    if (found) return 'skip';
    const p = node.position;
    if (!p || p.start.offset === undefined || p.end.offset === undefined) return;
    if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective' && node.type !== 'code') return;
    const after = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line > b.line || (a.line === b.line && a.column >= b.column);
    if (after(at, p.start) && after(p.end, at)) {
      found = { node: node as Nodes, span: { start: p.start.offset, end: p.end.offset } };
      return 'skip';
    }
  });
  return found;
}

/** Removes the nodes whose source spans were left out by an earlier pass. */
function leaveOut(tree: Root, spans: Span[]): void {
  if (spans.length === 0) return;
  const gone = (n: Nodes) => spans.some((s) => n.position?.start.offset === s.start && n.position?.end.offset === s.end);
  visit(tree, (node, index, parent) => {
    if (parent && index !== undefined && gone(node as Nodes)) {
      parent.children.splice(index, 1);
      return index;
    }
  });
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
