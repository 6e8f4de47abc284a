// iptables-restore / iptables-nft-restore / iptables-legacy-restore (v1.8.9), reading stdin.
// Each `*table … COMMIT` block builds the new table apart and replaces the kernel's at COMMIT
// (atomically, like IPT_SO_SET_REPLACE / one nft batch). Without --noflush the table starts empty
// (every counter 0 unless -c gives them); with --noflush it starts from the kernel's rules, which
// keep their counters. Parsing is one pass, linear in the input.
import type { Backend, Chain, Rule, Table, TableName } from '../kernel/netfilter/types.ts';
import type { Tool, ToolContext, ToolTable } from './tool.ts';
import { ScriptError } from './tool.ts';
import { XtError, formatXtError, exitCodeOf, kernelErr, param } from './xtables/errors.ts';
import { checkJump, NO_SUCH } from './iptables.ts';
import { parseIptablesArgs } from './xtables/rule.ts';
import { checkSetsExist } from './xtables/set.ts';
import { checkEntries, hasLoop, invalidTargetChain, isBuiltin, logCheckFailure, newTable, openTable, store, touchChain } from './xtables/ruleset.ts';

const PROG = 'iptables-restore';
const TABLE_NAMES = ['raw', 'mangle', 'nat', 'filter', 'security'];

/** add_param_to_argv: whitespace-separated words, "…" quoting with \" and \\ escapes. */
export function splitRestoreLine(line: string): string[] {
  if (!line.includes('"')) {
    // Runs of spaces and tabs separate words (the common case: no regex, no filtering pass).
    const words: string[] = [];
    const len = line.length;
    let from = -1;
    for (let k = 0; k < len; k++) {
      const c = line.charCodeAt(k);
      if (c === 32 || c === 9) {
        if (from >= 0) {
          words.push(line.slice(from, k));
          from = -1;
        }
      } else if (from < 0) from = k;
    }
    if (from >= 0) words.push(line.slice(from));
    return words;
  }
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    // One word: unquoted runs are sliced; quoted runs unescape \" \\ \'.
    let word = '';
    while (i < n && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '"') {
        let j = i + 1;
        let from = j;
        while (j < n && line[j] !== '"') {
          if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\' || line[j + 1] === "'")) {
            word += line.slice(from, j);
            from = j + 1;
            j += 2;
            continue;
          }
          j++;
        }
        word += line.slice(from, j);
        i = j + 1;
      } else {
        let j = i;
        while (j < n && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '"') j++;
        word += line.slice(i, j);
        i = j;
      }
    }
    out.push(word);
  }
  return out;
}

class RestoreFail extends Error {
  readonly text: string;
  readonly code: number;
  constructor(text: string, code: number) {
    super(text);
    this.text = text;
    this.code = code;
  }
}

function cloneTable(t: Table): Table {
  const chains = new Map<string, Chain>();
  for (const [k, c] of t.chains) chains.set(k, { ...c, rules: c.rules.slice() });
  return { ...t, chains };
}

export function runRestore(argv: readonly string[], ctx: ToolContext, backend: Backend): number {
  let noflush = false;
  let test = false;
  let counters = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n' || a === '--noflush') noflush = true;
    else if (a === '-t' || a === '--test') test = true;
    else if (a === '-c' || a === '--counters') counters = true;
    else if (a === '-w' || a === '--wait') {
      if (/^\d+$/.test(argv[i + 1] ?? '')) i++;
    } else if (a === '-W' || a === '--wait-interval' || a === '-M' || a === '--modprobe' || a === '-T' || a === '--table') i++;
    else if (a === '-v' || a === '--verbose' || a === '-4') continue;
    else if (/^-[nctv]+$/.test(a)) {
      if (a.includes('n')) noflush = true;
      if (a.includes('t')) test = true;
      if (a.includes('c')) counters = true;
    } else throw new ScriptError(`${PROG}: option \`${a}\` is not supported; supported: [--noflush] [--test] [-c] [-w] (the ruleset is read from standard input)`);
  }
  const st = store(ctx.kernel, ctx.netns);
  const lines = ctx.stdin.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let table: Table | undefined;
  let tableName: TableName | undefined;
  let pendingJumps: Array<{ chain: string; line: number; pc: ReturnType<typeof parseIptablesArgs> }> = [];
  let lineNo = 0;
  /** Rules this block added, in file order, for nft's per-rule error lines. */
  let added: Array<{ rule: Rule; chain: string; line: number }> = [];
  const fail = (text: string, code: number): never => {
    throw new RestoreFail(text, code);
  };
  const paramAt = (e: XtError, line: number): never => fail(formatXtError(e, PROG, backend, e.kind === 'param' || e.kind === 'bare' ? line : undefined), exitCodeOf(e));

  try {
    for (let li = 0; li < lines.length; li++) {
      const raw = lines[li]!;
      lineNo++;
      const line = raw.trimEnd();
      if (line === '' || line.startsWith('#')) continue;
      if (!table) {
        if (line.startsWith('*')) {
          const name = line.slice(1).trim();
          if (!TABLE_NAMES.includes(name)) {
            paramAt(param(backend === 'nft' ? `${PROG}: line ${lineNo} table name '${name}' invalid` : `${PROG}: unable to initialize table '${name}'`), lineNo);
          }
          tableName = name as TableName;
          const current = openTable(st, backend, tableName, false);
          table = noflush ? cloneTable(current) : newTable(tableName, backend);
          // Legacy --noflush: the built-in chains' counters restart unless a ':' line sets them (measured).
          if (noflush && backend === 'legacy') for (const c of table.chains.values()) if (c.policyCounters) c.policyCounters = { packets: 0, bytes: 0 };
          pendingJumps = [];
          added = [];
          continue;
        }
        if (line === 'COMMIT' || line.startsWith(':') || line.startsWith('-') || line.startsWith('[')) fail(`${PROG}: line ${lineNo} failed\n`, 1);
        paramAt(new XtError('bare', `Bad argument \`${splitRestoreLine(line)[0]}'`), lineNo);
      }
      const t = table!;
      if (line === 'COMMIT') {
        for (const j of pendingJumps) {
          try {
            checkJump(j.pc, t, backend);
          } catch (e) {
            if (e instanceof XtError) paramAt(e, lineNo);
            throw e;
          }
        }
        const loop = hasLoop(t);
        const refused = loop ? undefined : checkEntries(t);
        const invalid = refused !== undefined;
        if (refused) logCheckFailure(ctx.kernel, refused);
        if (loop || invalid) {
          if (backend === 'legacy') fail(`${PROG}: line ${lineNo} failed\n`, 1);
          // nft names the rule whose batch message failed: the one closing the loop / the misplaced target.
          const culprit = loop ? loopCulprit(t, added) : added.find((a) => invalidTargetChain(onlyRule(t, a)) !== undefined);
          const at = culprit ?? { line: lineNo, chain: '' };
          fail(`${PROG} v1.8.9 (nf_tables): \nline ${at.line}: RULE_APPEND failed (${loop ? 'Too many links' : 'Invalid argument'}): rule in chain ${at.chain}\n`, 4);
        }
        if (!test) {
          const map = backend === 'nft' ? st.nft : st.legacy;
          if (backend === 'nft') {
            for (const c of t.chains.values()) {
              if (isBuiltin(t, c.name)) touchChain(st, t, c);
              else if (c.handle === undefined) c.handle = nextChainHandle(st, t);
              // assignRuleHandle for each rule, the table's handle counter read and written once.
              if (t.backend === 'nft') {
                const h0 = st.nftNextHandle.get(t.name) ?? 1;
                let h = h0;
                const rules = c.rules;
                for (let k = 0; k < rules.length; k++) if (rules[k]!.handle === undefined) rules[k]!.handle = h++;
                if (h !== h0) st.nftNextHandle.set(t.name, h);
              }
            }
          }
          map.set(t.name, t);
          st.generation++;
        }
        table = undefined;
        continue;
      }
      if (line.startsWith(':')) {
        const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
        if (!m) paramAt(new XtError('bare', `Bad argument \`${line}'`), lineNo);
        const [, name, policy, p, b] = m!;
        const existing = t.chains.get(name!);
        if (isBuiltin(t, name!)) {
          if (policy !== '-') {
            if (policy !== 'ACCEPT' && policy !== 'DROP') {
              if (backend === 'nft') fail(`${PROG}: line ${lineNo} failed: Bad policy name.\n`, 1);
              fail(`${PROG} v1.8.9 (legacy): Can't set policy \`${policy}' on \`${name}' line ${lineNo}: Bad policy name\n`, 1);
            }
            existing!.policy = policy as 'ACCEPT' | 'DROP';
          }
          existing!.nftCounters = true;
          existing!.policyCounters = counters && p !== undefined ? { packets: Number(p), bytes: Number(b) } : { packets: 0, bytes: 0 };
        } else if (!existing) {
          t.chains.set(name!, { name: name!, rules: [] });
        } else if (noflush) {
          existing.rules = [];
        }
        continue;
      }
      // A rule line: [pkts:bytes] -A CHAIN …
      let words = splitRestoreLine(line);
      let ruleCounters: { packets: number; bytes: number } | undefined;
      const cm = words[0]?.startsWith('[') ? /^\[(\d+):(\d+)\]$/.exec(words[0]) : null;
      if (cm) {
        ruleCounters = { packets: Number(cm[1]), bytes: Number(cm[2]) };
        words = words.slice(1);
      }
      let pc: ReturnType<typeof parseIptablesArgs>;
      try {
        pc = parseIptablesArgs(words);
        if (pc.warnings) ctx.err(pc.warnings.join(''));
        checkSetsExist(pc.rules, ctx.kernel, ctx.netns);
      } catch (e) {
        if (e instanceof XtError) paramAt(e, lineNo);
        throw e;
      }
      const cmd = pc!.commands[0]!;
      const chain = pc!.chain !== undefined ? t.chains.get(pc!.chain) : undefined;
      if (!chain && cmd !== 'N' && cmd !== 'X' && cmd !== 'F' && cmd !== 'Z') {
        fail(backend === 'nft' ? `${PROG}: line ${lineNo} failed: ${NO_SUCH}\n` : `${PROG}: line ${lineNo} failed\n`, 1);
      }
      if (pc!.jumpChain) {
        if (backend === 'nft') pendingJumps.push({ chain: chain!.name, line: lineNo, pc: pc! });
        else {
          try {
            checkJump(pc!, t, backend);
          } catch (e) {
            if (e instanceof XtError) paramAt(e, lineNo);
            throw e;
          }
        }
      }
      if (cmd === 'A' || cmd === 'I') {
        const rules = pc!.rules;
        for (let k = 0; k < rules.length; k++) {
          const r = rules[k]!;
          if (counters && ruleCounters) r.counters = { ...ruleCounters };
          else if (!counters && (r.counters.packets !== 0 || r.counters.bytes !== 0)) r.counters = { packets: 0, bytes: 0 };
        }
        if (cmd === 'A') for (let k = 0; k < rules.length; k++) chain!.rules.push(rules[k]!);
        else {
          const idx = (pc!.ruleNum ?? 1) - 1;
          if (idx > chain!.rules.length) fail(backend === 'nft' ? `${PROG}: line ${lineNo} failed: Index of insertion too big.\n` : `${PROG}: line ${lineNo} failed\n`, 1);
          chain!.rules.splice(idx, 0, ...pc!.rules);
        }
        for (let k = 0; k < rules.length; k++) added.push({ rule: rules[k]!, chain: chain!.name, line: lineNo });
      } else if (cmd === 'N') {
        if (t.chains.has(pc!.chain!)) fail(`${PROG}: line ${lineNo} failed\n`, 1);
        t.chains.set(pc!.chain!, { name: pc!.chain!, rules: [] });
      } else if (cmd === 'F') {
        for (const c of pc!.chain !== undefined ? [t.chains.get(pc!.chain)!] : [...t.chains.values()]) if (c) c.rules = [];
      } else if (cmd === 'D' && pc!.ruleNum !== undefined && !pc!.hasRuleSpec) {
        if (pc!.ruleNum > chain!.rules.length) fail(`${PROG}: line ${lineNo} failed\n`, 1);
        chain!.rules.splice(pc!.ruleNum - 1, 1);
      } else if (cmd === 'P') {
        if (pc!.arg2 !== 'ACCEPT' && pc!.arg2 !== 'DROP') fail(`${PROG}: line ${lineNo} failed\n`, 1);
        chain!.policy = pc!.arg2 as 'ACCEPT' | 'DROP';
        chain!.nftCounters = true;
      } else {
        throw new ScriptError(`${PROG}: -${cmd} lines are not modelled in restore files; supported: -A, -I, -N, -F, -P, -D CHAIN N`, ctx.pos);
      }
    }
    if (table) fail(`${PROG}: COMMIT expected at line ${lineNo + 1}\n`, 1);
  } catch (e) {
    if (e instanceof RestoreFail) {
      ctx.err(e.text);
      return e.code;
    }
    throw e;
  }
  void kernelErr;
  return 0;
}

/** The first added rule (file order) with which the table has a loop. Error path only. */
function loopCulprit(t: Table, added: Array<{ rule: Rule; chain: string; line: number }>): { line: number; chain: string } | undefined {
  const set = new Set(added.map((a) => a.rule));
  const trial: Table = { ...t, chains: new Map() };
  for (const [k, c] of t.chains) trial.chains.set(k, { ...c, rules: c.rules.filter((r) => !set.has(r)) });
  for (const a of added) {
    trial.chains.get(a.chain)!.rules.push(a.rule);
    if (hasLoop(trial)) return a;
  }
  return undefined;
}

/** TABLE with only the one added rule A, to test its target where it stands. */
function onlyRule(t: Table, a: { rule: Rule; chain: string }): Table {
  const chains = new Map<string, Chain>();
  for (const [k, c] of t.chains) chains.set(k, { ...c, rules: k === a.chain ? [a.rule] : [] });
  return { ...t, chains };
}

function nextChainHandle(st: ReturnType<typeof store>, t: Table): number {
  const h = st.nftNextHandle.get(t.name) ?? 1;
  st.nftNextHandle.set(t.name, h + 1);
  return h;
}

const mk = (backend: Backend): Tool => (argv, ctx) => runRestore(argv.slice(1), ctx, backend);

export const tools: ToolTable = {
  'iptables-restore': mk('nft'),
  'iptables-nft-restore': mk('nft'),
  'iptables-legacy-restore': mk('legacy'),
};
