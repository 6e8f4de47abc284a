// A readable unified diff (`---`/`+++`, `@@` hunks with 3 lines of context) between expected and
// actual lines, for mismatch messages.

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const dp: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) dp.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i], a: i++, b: j++ });
    else if (i < n && (j === m || dp[i + 1][j] >= dp[i][j + 1])) ops.push({ kind: '-', text: a[i], a: i++, b: j });
    else ops.push({ kind: '+', text: b[j], a: i, b: j++ });
  }
  return ops;
}

export interface DiffOptions {
  fromLabel?: string;
  toLabel?: string;
  /** Line number of expected[0] in its file (hunk headers count from it). */
  fromLine?: number;
  context?: number;
}

export function unifiedDiff(expected: string[], actual: string[], options: DiffOptions = {}): string {
  const ops = lcsOps(expected, actual);
  const ctx = options.context ?? 3;
  const base = options.fromLine ?? 1;
  const out = [`--- ${options.fromLabel ?? 'expected'}`, `+++ ${options.toLabel ?? 'actual'}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') { k++; continue; }
    let start = Math.max(0, k - ctx);
    let end = k;
    // extend the hunk while changes are within 2*ctx of each other
    while (end < ops.length) {
      if (ops[end].kind !== ' ') { end++; continue; }
      let run = end;
      while (run < ops.length && ops[run].kind === ' ') run++;
      if (run === ops.length || run - end > 2 * ctx) { end = Math.min(ops.length, end + ctx); break; }
      end = run;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    const aStart = hunk[0].a + base;
    const bStart = hunk[0].b + base;
    out.push(`@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
