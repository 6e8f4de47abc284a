// `packetwalk check [PATHS…]`: runs every scenario and console block of the Markdown files under
// PATHS (default content/) and reports each mismatch as file:line:column with a unified diff.
// Exit status: 0 when every stated output holds, 1 on any mismatch or error, 2 on bad usage.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkMarkdown, type FileReport } from '../../plugins/lib/check.ts';
import type { CreateSession } from '../../plugins/lib/engine.ts';
import type { VFileMessage } from 'vfile-message';

export const CHECK_FORMATS = ['text', 'github', 'json'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckIO {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  cwd?: string;
  /** For tests: the session factory (default: packetwalk's scenario engine). */
  createSession?: CreateSession;
}

const USAGE = `Usage: packetwalk check [--update] [--format text|github|json] [PATHS…]

Runs every scenario and console block of the .md/.mdx files under PATHS (default: content/)
and checks each stated output.

  --update         rewrite mismatched expected outputs in place (only the output lines)
  --format FORMAT  text (default), github (Actions annotations), json (a report)
  -h, --help       this help
`;

const MARKDOWN = /\.mdx?$/;

function markdownFiles(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      markdownFiles(join(path, name), out);
    }
  } else if (MARKDOWN.test(path)) {
    out.push(path);
  }
}

function githubEscape(text: string, property = false): string {
  let s = text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) s = s.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return s;
}

function errorJson(e: VFileMessage) {
  return { line: e.line ?? undefined, column: e.column ?? undefined, ruleId: e.ruleId ?? undefined, message: e.reason };
}

export async function check(argv: string[], io: CheckIO = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => process.stderr.write(t));
  const cwd = io.cwd ?? process.cwd();
  let update = false;
  let format: CheckFormat = 'text';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--update') update = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!(CHECK_FORMATS as readonly string[]).includes(v ?? '')) {
        stderr(`packetwalk check: invalid --format \`${v ?? ''}\`, expected \`text\`, \`github\` or \`json\`\n`);
        return 2;
      }
      format = v as CheckFormat;
    } else if (a === '-h' || a === '--help') {
      stdout(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      stderr(`packetwalk check: unknown option \`${a}\`\n${USAGE}`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) paths.push('content');
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let directory: boolean;
    try {
      directory = statSync(abs).isDirectory();
    } catch {
      stderr(`packetwalk check: no such file or directory: ${p}\n`);
      return 2;
    }
    if (!directory && !MARKDOWN.test(abs)) {
      stderr(`packetwalk check: \`${p}\` is not a Markdown file, expected a .md or .mdx file or a directory holding some\n`);
      return 2;
    }
    const before = files.length;
    markdownFiles(abs, files);
    if (files.length === before) {
      stderr(`packetwalk check: no .md or .mdx file under \`${p}\`, expected a directory holding Markdown pages (default: content/)\n`);
      return 2;
    }
  }
  const reports: FileReport[] = [];
  for (const abs of files) {
    const path = relative(cwd, abs) || abs;
    const text = readFileSync(abs, 'utf8');
    const report = await checkMarkdown(text, path, { update, createSession: io.createSession });
    if (report.updated !== undefined) writeFileSync(abs, report.updated);
    reports.push(report);
  }
  const mismatches = reports.reduce((n, r) => n + r.mismatches.length, 0);
  const errors = reports.filter((r) => r.errors.length).length;
  const commands = reports.reduce((n, r) => n + r.commands, 0);
  const failed = errors > 0 || (mismatches > 0 && !update);

  if (format === 'json') {
    stdout(
      JSON.stringify(
        {
          format: 'packetwalk-check/1',
          ok: !failed,
          updated: update,
          files: reports.map((r) => ({
            path: r.path,
            scenarios: r.scenarios,
            consoleBlocks: r.consoleBlocks,
            commands: r.commands,
            mismatches: r.mismatches.map((m) => ({ line: m.line, column: m.column, scenario: m.scenario, command: m.command, expectedStart: m.expectedStart, expectedCount: m.expectedCount, actual: m.actual, replacement: m.replacement, diff: m.diff })),
            error: r.error ? errorJson(r.error) : undefined,
            errors: r.errors.map(errorJson),
          })),
        },
        null,
        2,
      ) + '\n',
    );
    return failed ? 1 : 0;
  }
  for (const r of reports) {
    for (const m of r.mismatches) {
      const title = `Unexpected output of \`${m.command}\` in scenario \`${m.scenario}\``;
      if (format === 'github') stdout(`::error file=${githubEscape(r.path, true)},line=${m.line},col=${m.column},title=${githubEscape('packetwalk check', true)}::${githubEscape(`${title}\n${m.diff}`)}\n`);
      else stdout(`${r.path}:${m.line}:${m.column}: ${update ? 'updated' : 'error'}: ${title}\n${m.diff}\n`);
    }
    for (const error of r.errors) {
      const line = error.line ?? 1;
      const col = error.column ?? 1;
      if (format === 'github') stdout(`::error file=${githubEscape(r.path, true)},line=${line},col=${col},title=${githubEscape('packetwalk check', true)}::${githubEscape(error.reason)}\n`);
      else stdout(`${r.path}:${line}:${col}: error: ${error.reason}${error.ruleId ? ` [${error.ruleId}]` : ''}\n`);
    }
  }
  if (format === 'text') {
    const verb = update ? `${mismatches} output${mismatches === 1 ? '' : 's'} updated` : `${mismatches} mismatch${mismatches === 1 ? '' : 'es'}`;
    stdout(`${files.length} file${files.length === 1 ? '' : 's'}, ${commands} command${commands === 1 ? '' : 's'} checked: ${verb}${errors ? `, ${errors} file${errors === 1 ? '' : 's'} with errors` : ''}\n`);
  }
  return failed ? 1 : 0;
}
