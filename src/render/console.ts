// Console blocks: `$ cmd` runs at the host, `NAME$ cmd` in a container or netns; the lines under
// a command are its expected output. Matching is exact line by line, except that a line holding
// only `...` matches any number of lines (doctest's ellipsis) and the `ignore` classes blank out
// what the kernel leaves to chance.

export const IGNORE_CLASSES = ['timestamps', 'ids', 'ports'] as const;
export type IgnoreClass = (typeof IGNORE_CLASSES)[number];

export function isIgnoreClass(value: string): value is IgnoreClass {
  return (IGNORE_CLASSES as readonly string[]).includes(value);
}

export interface ConsoleCommand {
  /** '' at the host, otherwise the container or netns name before `$`. */
  target: string;
  /** The command text (continuation lines joined with their `\` kept, as a shell reads them). */
  text: string;
  /** 0-based index of the prompt line in the block. */
  line: number;
  /** Number of block lines the command spans (continuations). */
  lines: number;
  /** Expected output lines as written (without a trailing empty line); empty = fill in. */
  expected: string[];
  /** 0-based index of the first output line in the block. */
  outputLine: number;
}

const PROMPT = /^(?:([A-Za-z0-9_][A-Za-z0-9_.-]*))?\$ (.*)$/;

/** Splits a console block into commands; lines before the first prompt are an error (returned as index). */
export function parseConsole(value: string): { commands: ConsoleCommand[]; strayLine?: number } {
  const lines = value.split('\n');
  const commands: ConsoleCommand[] = [];
  let i = 0;
  let strayLine: number | undefined;
  while (i < lines.length) {
    const m = PROMPT.exec(lines[i]);
    if (!m) {
      if (lines[i].trim() !== '' && strayLine === undefined && commands.length === 0) strayLine = i;
      i++;
      continue;
    }
    const start = i;
    let text = m[2];
    while (text.endsWith('\\') && i + 1 < lines.length) {
      i++;
      text += `\n${lines[i].replace(/^> /, '')}`;
    }
    i++;
    const outputLine = i;
    const expected: string[] = [];
    while (i < lines.length && !PROMPT.test(lines[i])) expected.push(lines[i++]);
    while (expected.length && expected[expected.length - 1].trim() === '') expected.pop();
    commands.push({ target: m[1] ?? '', text, line: start, lines: outputLine - start, expected, outputLine });
  }
  return { commands, strayLine };
}

const NORMALIZERS: Record<IgnoreClass, Array<[RegExp, string]>> = {
  timestamps: [
    [/^\[\s*\d+\.\d+\]/g, '[TIMESTAMP]'],
    [/\b\d{2}:\d{2}:\d{2}\.\d{6}\b/g, 'HH:MM:SS.ffffff'],
    [/\btime=\d+(?:\.\d+)? ms\b/g, 'time=TIME ms'],
    [/rtt min\/avg\/max\/mdev = \S+ ms/g, 'rtt min/avg/max/mdev = RTT ms'],
    [/, time \d+ms/g, ', time TIMEms'],
    [/^(\w+\s+\d+\s+)\d+ /g, '$1TIMEOUT '],
  ],
  ids: [
    [/\bid=\d+/g, 'id=ID'],
    [/\bID=\d+/g, 'ID=ID'],
    [/\bid \d+\b/g, 'id ID'],
    [/\b[0-9a-f]{64}\b/g, 'CONTAINER_ID'],
    [/\b[0-9a-f]{12}\b/g, 'CONTAINER_ID'],
  ],
  ports: [
    [/\b(sport|dport|SPT|DPT|SPORT|DPORT)=(3[2-9]\d{3}|[4-5]\d{4}|6[0-5]\d{3})\b/g, '$1=PORT'],
    [/(\d+\.\d+\.\d+\.\d+)[.:](3[2-9]\d{3}|[4-5]\d{4}|6[0-5]\d{3})\b/g, '$1.PORT'],
  ],
};

/** Blanks out the ignored classes in one line. */
export function normalizeLine(line: string, ignore: readonly IgnoreClass[]): string {
  let out = line;
  for (const cls of ignore) for (const [re, by] of NORMALIZERS[cls]) out = out.replace(re, by);
  return out;
}

export const ELLIPSIS = '...';

/**
 * Matches expected lines (with `...` wildcards) against actual lines. Returns undefined when they
 * match; otherwise the 0-based index of the first expected line that cannot be matched (equal to
 * `expected.length` when the actual output has lines the expectation does not account for).
 */
export function matchOutput(expected: string[], actual: string[], ignore: readonly IgnoreClass[] = []): number | undefined {
  const exp = expected.map((l) => (l.trim() === ELLIPSIS ? ELLIPSIS : normalizeLine(l.trimEnd(), ignore)));
  const act = actual.map((l) => normalizeLine(l.trimEnd(), ignore));
  const n = exp.length;
  const m = act.length;
  // reach[i][j]: expected[0..i) can match actual[0..j)
  let prev = new Array<boolean>(m + 1).fill(false);
  prev[0] = true;
  let furthest = 0;
  for (let i = 1; i <= n; i++) {
    const cur = new Array<boolean>(m + 1).fill(false);
    const e = exp[i - 1];
    let any = false;
    for (let j = 0; j <= m; j++) {
      if (e === ELLIPSIS) cur[j] = prev[j] || (j > 0 && cur[j - 1]);
      else cur[j] = j > 0 && prev[j - 1] && act[j - 1] === e;
      any ||= cur[j];
    }
    if (!any) return furthest;
    furthest = i;
    prev = cur;
  }
  return prev[m] ? undefined : n;
}

/** Output text as lines, without the final newline's empty line. */
export function outputLines(output: string): string[] {
  if (output === '') return [];
  const lines = output.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * For diffs: each `...` replaced by the actual lines it stands for, so a diff shows only the lines
 * that really differ. An expected line that is not in the output is aligned with the first line
 * of the same shape (digits aside), so a wrong counter shows as `-[3:168] …` / `+[2:168] …`.
 */
export function expandEllipses(expected: string[], actual: string[], ignore: readonly IgnoreClass[] = []): string[] {
  return align(expected, actual, ignore).expanded;
}

/**
 * What `packetwalk check --update` writes for a mismatched command: the actual output, except that
 * an expectation with `...` keeps its ellipses and has only its wrong lines replaced (when that
 * is enough to make it hold).
 */
export function updatedExpected(expected: string[], actual: string[], ignore: readonly IgnoreClass[] = []): string[] {
  if (!expected.some((l) => l.trim() === ELLIPSIS)) return actual;
  const { alignedTo } = align(expected, actual, ignore);
  const updated = expected.map((l, i) => {
    const k = alignedTo[i];
    return k === undefined || l.trim() === ELLIPSIS ? l : actual[k];
  });
  return matchOutput(updated, actual, ignore) === undefined ? updated : actual;
}

function align(expected: string[], actual: string[], ignore: readonly IgnoreClass[]): { expanded: string[]; alignedTo: Array<number | undefined> } {
  const norm = (l: string) => normalizeLine(l.trimEnd(), ignore);
  const shape = (l: string) => l.replace(/\d+/g, '#');
  const act = actual.map(norm);
  const find = (line: string, from: number): number => {
    const n = norm(line);
    const exact = act.indexOf(n, from);
    if (exact >= 0) return exact;
    const sh = shape(n);
    return act.findIndex((a, k) => k >= from && shape(a) === sh);
  };
  const out: string[] = [];
  const alignedTo: Array<number | undefined> = [];
  let j = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e.trim() !== ELLIPSIS) {
      if (j < act.length && (act[j] === norm(e) || shape(act[j]) === shape(norm(e)))) alignedTo[i] = j++;
      out.push(e);
      continue;
    }
    const later = expected.slice(i + 1).filter((l) => l.trim() !== ELLIPSIS);
    let k = later.length === 0 ? act.length : -1;
    for (const l of later) {
      k = find(l, j);
      if (k >= 0) break;
    }
    if (k < 0) k = j;
    out.push(...actual.slice(j, k));
    j = k;
  }
  return { expanded: out, alignedTo };
}
