// The bash subset scenario scripts are written in: a parser from text to a small syntax tree, with
// the line:column of every command. Expansion ($VAR, {1..N}) happens when a command runs, since
// variables change as the script runs (`for i in …`).
import type { SourcePos } from './record.ts';
import { ScriptError } from '../userland/tool.ts';

/** What the parser accepts, for error messages. */
export const SUPPORTED_SYNTAX =
  'commands with arguments, `#` comments, `\\` continuations, `;`, `&&`, `||`, `|`, `cmd &`, `!`, ' +
  "'…', \"…\", $'…', VAR=value, $VAR, ${VAR}, $?, $!, $(…), $((…)), {1..N} and {a,b} braces, " +
  '`for NAME in …; do …; done`, `if …; then …; elif …; else …; fi`, `{ …; }`, `( … )`, ' +
  'redirections (>, >>, <, 2>, 2>&1, >&2, &>, <<EOF, <<-EOF, <<<) and heredocs';

/** One piece of a word: literal text, a variable, or a brace expansion; `quoted` stops splitting and braces. */
export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'brace'; items: string[] }
  /** `$(…)`: the command's standard output, trailing newlines removed. */
  | { kind: 'cmd'; list: List; quoted: boolean; pos: SourcePos }
  /** `$((…))`: integer arithmetic on numbers and variables. */
  | { kind: 'arith'; expr: string; quoted: boolean; pos: SourcePos };

export interface Word {
  parts: WordPart[];
  pos: SourcePos;
}

export type Redirect =
  | { kind: 'file'; fd: number; op: '>' | '>>' | '<'; target: Word; pos: SourcePos }
  | { kind: 'dup'; fd: number; toFd: number; pos: SourcePos }
  /** `&>file` / `&>>file`: both stdout and stderr. */
  | { kind: 'both'; append: boolean; target: Word; pos: SourcePos }
  /** Heredoc or here-string: `body` is expanded when `expand` (unquoted delimiter, `<<<`). */
  | { kind: 'heredoc'; fd: number; body: WordPart[]; pos: SourcePos };

export interface SimpleCommand {
  type: 'simple';
  assigns: Array<{ name: string; value: Word }>;
  words: Word[];
  redirects: Redirect[];
  pos: SourcePos;
  /** The command as written, continuations joined. */
  text: string;
}

export interface Pipeline {
  type: 'pipeline';
  negate: boolean;
  commands: Command[];
  pos: SourcePos;
}

export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
  background: boolean;
  pos: SourcePos;
}

export interface List {
  type: 'list';
  items: AndOr[];
}

export type Command =
  | SimpleCommand
  | { type: 'for'; name: string; words: Word[] | undefined; body: List; pos: SourcePos; redirects: Redirect[] }
  | { type: 'if'; branches: Array<{ cond: List; body: List }>; elseBody?: List; pos: SourcePos; redirects: Redirect[] }
  | { type: 'while'; until: boolean; cond: List; body: List; pos: SourcePos; redirects: Redirect[] }
  | { type: 'group'; subshell: boolean; body: List; pos: SourcePos; redirects: Redirect[] };

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'in', 'do', 'done', 'while', 'until', 'case', 'esac', 'function', 'select', '{', '}', '!', '[[', ']]']);
const UNSUPPORTED_KEYWORDS = new Set(['case', 'esac', 'function', 'select', '[[', ']]']);
const META = ' \t\n;&|<>()';

interface PendingHeredoc {
  delim: string;
  quoted: boolean;
  stripTabs: boolean;
  redirect: Extract<Redirect, { kind: 'heredoc' }>;
}

/** Parses a script. `file` names it in positions; `at` shifts positions (a block inside a Markdown file). */
export function parseScript(source: string, file: string, at?: { line: number; column: number }): List {
  return new Parser(source, file, at).parseAll();
}

class Parser {
  i = 0;
  private readonly lineStarts: number[] = [0];
  private pending: PendingHeredoc[] = [];
  private readonly src: string;
  private readonly file: string;
  private readonly at: { line: number; column: number } | undefined;

  constructor(src: string, file: string, at: { line: number; column: number } | undefined) {
    this.src = src;
    this.file = file;
    this.at = at;
    for (let k = 0; k < src.length; k++) if (src[k] === '\n') this.lineStarts.push(k + 1);
  }

  posAt(offset: number): SourcePos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    const column = offset - this.lineStarts[lo] + 1;
    if (!this.at) return { file: this.file, line, column };
    return { file: this.file, line: this.at.line + line - 1, column: this.at.column + column - 1 };
  }

  fail(message: string, offset = this.i): never {
    throw new ScriptError(message, this.posAt(offset));
  }

  describe(offset = this.i): string {
    if (offset >= this.src.length) return 'end of script';
    const c = this.src[offset];
    if (c === '\n') return 'end of line';
    const m = /^(&&|\|\||;;|[;&|<>(){}]|[^\s;&|<>()]+)/.exec(this.src.slice(offset));
    return `\`${m ? m[0] : c}\``;
  }

  parseAll(): List {
    const list = this.parseList(new Set());
    this.skipBlanks();
    if (this.i < this.src.length) this.fail(`Unexpected ${this.describe()}; supported: ${SUPPORTED_SYNTAX}`);
    if (this.pending.length) throw new ScriptError(`Missing heredoc delimiter \`${this.pending[0].delim}\`: the heredoc runs to the end of the script`, this.pending[0].redirect.pos);
    return list;
  }

  // --- low level -------------------------------------------------------------------------------

  /** Skips spaces, tabs, `\`-newline continuations and comments (not newlines). */
  skipBlanks(): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
      else if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  /** Consumes one newline and, after it, the bodies of heredocs opened on that line. */
  newline(): void {
    this.i++;
    if (this.pending.length) this.readHeredocs();
  }

  /** Skips blanks and newlines (where the grammar allows a line break). */
  skipNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.src[this.i] === '\n') this.newline();
      else return;
    }
  }

  peekOp(): string | undefined {
    const s = this.src.slice(this.i, this.i + 3);
    for (const op of ['&&', '||', ';;', '&>>', '&>', '>>', '<<<', '<<-', '<<', '>&', '<&', '>|']) if (s.startsWith(op)) return op;
    const c = this.src[this.i];
    if (c !== undefined && ';&|<>()\n'.includes(c)) return c;
    return undefined;
  }

  /** The next unquoted plain word (for keywords), without consuming it. */
  peekKeyword(): string | undefined {
    const m = /^[^\s;&|<>()'"\\$`]+/.exec(this.src.slice(this.i, this.i + 40));
    if (!m) return undefined;
    const next = this.src[this.i + m[0].length];
    if (next !== undefined && !META.includes(next) && next !== '\r') return undefined;
    return m[0];
  }

  expectKeyword(word: string, context: string): void {
    this.skipNewlines();
    if (this.peekKeyword() !== word) this.fail(`Expected \`${word}\` ${context}, found ${this.describe()}`);
    this.i += word.length;
  }

  // --- grammar ---------------------------------------------------------------------------------

  parseList(terminators: Set<string>): List {
    const items: AndOr[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.i >= this.src.length) break;
      const kw = this.peekKeyword();
      if (kw !== undefined && terminators.has(kw)) break;
      const op = this.peekOp();
      if (op === ')' && terminators.has(')')) break;
      if (op !== undefined && op !== '<' && op !== '>' && op !== '>>' && op !== '&>' && op !== '&>>' && op !== '(' && op !== '<<' && op !== '<<-' && op !== '<<<' && op !== '>&') {
        this.fail(`Unexpected ${this.describe()}; expected a command`);
      }
      const andor = this.parseAndOr();
      items.push(andor);
      this.skipBlanks();
      const sep = this.peekOp();
      if (sep === ';') this.i++;
      else if (sep === '&') {
        this.i++;
        andor.background = true;
      } else if (sep === '\n') this.newline();
      else if (sep === ';;') this.fail(`Unexpected \`;;\` (case is not supported); supported: ${SUPPORTED_SYNTAX}`);
      else if (sep === ')' && terminators.has(')')) break;
      else if (this.i < this.src.length) {
        const kw2 = this.peekKeyword();
        if (kw2 !== undefined && terminators.has(kw2)) break;
        if (sep === undefined && kw2 === '}' && terminators.has('}')) break;
        this.fail(`Unexpected ${this.describe()} after a command; expected \`;\`, \`&\`, \`&&\`, \`||\`, \`|\` or a new line`);
      }
    }
    return { type: 'list', items };
  }

  parseAndOr(): AndOr {
    const start = this.i;
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipBlanks();
      const op = this.peekOp();
      if (op !== '&&' && op !== '||') break;
      this.i += 2;
      this.skipNewlines();
      rest.push({ op, pipeline: this.parsePipeline() });
    }
    return { type: 'andor', first, rest, background: false, pos: this.posAt(start) };
  }

  parsePipeline(): Pipeline {
    this.skipBlanks();
    const start = this.i;
    let negate = false;
    if (this.peekKeyword() === '!') {
      negate = true;
      this.i++;
      this.skipBlanks();
    }
    const commands: Command[] = [this.parseCommand()];
    for (;;) {
      this.skipBlanks();
      if (this.peekOp() !== '|') break;
      this.i++;
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return { type: 'pipeline', negate, commands, pos: this.posAt(start) };
  }

  parseCommand(): Command {
    this.skipBlanks();
    const start = this.i;
    const kw = this.peekKeyword();
    let cmd: Command;
    if (kw === 'for') cmd = this.parseFor();
    else if (kw === 'if') cmd = this.parseIf();
    else if (kw === 'while' || kw === 'until') cmd = this.parseWhile(kw === 'until');
    else if (kw === '{') {
      this.i++;
      const body = this.parseList(new Set(['}']));
      this.expectKeyword('}', 'to close the `{` group');
      cmd = { type: 'group', subshell: false, body, pos: this.posAt(start), redirects: [] };
    } else if (this.src[this.i] === '(') {
      this.i++;
      const body = this.parseList(new Set([')']));
      this.skipNewlines();
      if (this.src[this.i] !== ')') this.fail(`Expected \`)\` to close the subshell, found ${this.describe()}`);
      this.i++;
      cmd = { type: 'group', subshell: true, body, pos: this.posAt(start), redirects: [] };
    } else if (kw !== undefined && UNSUPPORTED_KEYWORDS.has(kw)) {
      this.fail(`\`${kw}\` is not supported; supported: ${SUPPORTED_SYNTAX}`);
    } else if (kw !== undefined && RESERVED.has(kw) && kw !== '!' && kw !== '}') {
      this.fail(`Unexpected \`${kw}\`; expected a command`);
    } else return this.parseSimple();
    // Redirections after a compound command apply to all of it.
    for (;;) {
      this.skipBlanks();
      const r = this.tryRedirect();
      if (!r) break;
      cmd.redirects.push(r);
    }
    return cmd;
  }

  parseFor(): Command {
    const start = this.i;
    this.i += 3;
    this.skipBlanks();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i));
    if (!m) this.fail(`Expected a variable name after \`for\`, found ${this.describe()}`);
    const name = m[0];
    this.i += name.length;
    this.skipBlanks();
    let words: Word[] | undefined;
    if (this.peekKeyword() === 'in') {
      this.i += 2;
      words = [];
      for (;;) {
        this.skipBlanks();
        const op = this.peekOp();
        if (op === ';' || op === '\n' || this.i >= this.src.length) break;
        if (op !== undefined) this.fail(`Unexpected ${this.describe()} in the word list of \`for\``);
        words.push(this.parseWord());
      }
    }
    this.skipBlanks();
    if (this.src[this.i] === ';') this.i++;
    this.expectKeyword('do', 'after the word list of `for`');
    const body = this.parseList(new Set(['done']));
    this.expectKeyword('done', 'to close `for … do`');
    return { type: 'for', name, words, body, pos: this.posAt(start), redirects: [] };
  }

  parseIf(): Command {
    const start = this.i;
    this.i += 2;
    const branches: Array<{ cond: List; body: List }> = [];
    let elseBody: List | undefined;
    for (;;) {
      const cond = this.parseList(new Set(['then']));
      this.expectKeyword('then', 'after the condition of `if`');
      const body = this.parseList(new Set(['elif', 'else', 'fi']));
      branches.push({ cond, body });
      this.skipNewlines();
      const kw = this.peekKeyword();
      if (kw === 'elif') {
        this.i += 4;
        continue;
      }
      if (kw === 'else') {
        this.i += 4;
        elseBody = this.parseList(new Set(['fi']));
      }
      this.expectKeyword('fi', 'to close `if`');
      break;
    }
    return { type: 'if', branches, elseBody, pos: this.posAt(start), redirects: [] };
  }

  parseWhile(until: boolean): Command {
    const start = this.i;
    this.i += 5; // `while` and `until` are both five letters
    const cond = this.parseList(new Set(['do']));
    this.expectKeyword('do', `after the condition of \`${until ? 'until' : 'while'}\``);
    const body = this.parseList(new Set(['done']));
    this.expectKeyword('done', `to close \`${until ? 'until' : 'while'} … do\``);
    return { type: 'while', until, cond, body, pos: this.posAt(start), redirects: [] };
  }

  parseSimple(): SimpleCommand {
    const start = this.i;
    const assigns: SimpleCommand['assigns'] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    let end = this.i;
    for (;;) {
      this.skipBlanks();
      if (this.i >= this.src.length) break;
      const r = this.tryRedirect();
      if (r) {
        redirects.push(r);
        end = this.i;
        continue;
      }
      const op = this.peekOp();
      if (op !== undefined) {
        if (op === '(' ) this.fail(`Unexpected \`(\` in a command (functions and arrays are not supported)`);
        break;
      }
      if (words.length === 0) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(this.src.slice(this.i, this.i + 200));
        if (m) {
          const wstart = this.i;
          this.i += m[0].length;
          const value = this.atWordEnd() ? { parts: [], pos: this.posAt(wstart) } : this.parseWord();
          assigns.push({ name: m[1], value });
          end = this.i;
          continue;
        }
        const kw = this.peekKeyword();
        if (kw === '}' && assigns.length === 0 && redirects.length === 0) break;
      }
      words.push(this.parseWord());
      end = this.i;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) this.fail(`Unexpected ${this.describe()}; expected a command`);
    const text = this.src.slice(start, end).replace(/\\\n[ \t]*/g, '').trim();
    return { type: 'simple', assigns, words, redirects, pos: this.posAt(start), text };
  }

  atWordEnd(): boolean {
    const c = this.src[this.i];
    return c === undefined || META.includes(c) || c === '\r';
  }

  tryRedirect(): Redirect | undefined {
    const start = this.i;
    let fd: number | undefined;
    const m = /^(\d+)(?=[<>])/.exec(this.src.slice(this.i, this.i + 12));
    if (m) {
      fd = Number(m[1]);
      this.i += m[1].length;
    }
    const op = this.peekOp();
    const pos = this.posAt(start);
    switch (op) {
      case '>':
      case '>>':
      case '>|':
      case '<': {
        this.i += op.length;
        const target = this.redirectTarget(op);
        const kind = op === '>|' ? '>' : op;
        return { kind: 'file', fd: fd ?? (kind === '<' ? 0 : 1), op: kind, target, pos };
      }
      case '>&':
      case '<&': {
        this.i += 2;
        const d = /^(\d+|-)/.exec(this.src.slice(this.i));
        if (!d || d[1] === '-') {
          if (op === '>&' && fd === undefined && !d) {
            // `>&file` is `&>file`
            const target = this.redirectTarget(op);
            return { kind: 'both', append: false, target, pos };
          }
          this.fail(`Unsupported redirection \`${op}${d ? d[1] : ''}\`; supported: >, >>, <, 2>&1, >&2, &>, heredocs`);
        }
        this.i += d[1].length;
        return { kind: 'dup', fd: fd ?? (op === '>&' ? 1 : 0), toFd: Number(d[1]), pos };
      }
      case '&>':
      case '&>>': {
        if (fd !== undefined) break;
        this.i += op.length;
        return { kind: 'both', append: op === '&>>', target: this.redirectTarget(op), pos };
      }
      case '<<<': {
        this.i += 3;
        this.skipBlanks();
        const w = this.parseWord();
        return { kind: 'heredoc', fd: fd ?? 0, body: [...w.parts, { kind: 'lit', text: '\n', quoted: true }], pos };
      }
      case '<<':
      case '<<-': {
        this.i += op.length;
        this.skipBlanks();
        const dstart = this.i;
        const w = this.parseWord();
        let delim = '';
        let quoted = false;
        for (const p of w.parts) {
          if (p.kind === 'lit') {
            delim += p.text;
            if (p.quoted) quoted = true;
          } else this.fail('A heredoc delimiter must be a plain word', dstart);
        }
        if (this.src.slice(dstart, this.i).includes('\\')) quoted = true;
        const redirect: Extract<Redirect, { kind: 'heredoc' }> = { kind: 'heredoc', fd: fd ?? 0, body: [], pos };
        this.pending.push({ delim, quoted, stripTabs: op === '<<-', redirect });
        return redirect;
      }
    }
    this.i = start;
    return undefined;
  }

  redirectTarget(op: string): Word {
    this.skipBlanks();
    if (this.atWordEnd()) this.fail(`Missing file name after \`${op}\``);
    return this.parseWord();
  }

  readHeredocs(): void {
    const list = this.pending;
    this.pending = [];
    for (const h of list) {
      const bodyLines: string[] = [];
      let found = false;
      while (this.i < this.src.length) {
        let eol = this.src.indexOf('\n', this.i);
        if (eol < 0) eol = this.src.length;
        let line = this.src.slice(this.i, eol);
        this.i = Math.min(eol + 1, this.src.length);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delim) {
          found = true;
          break;
        }
        bodyLines.push(line);
      }
      if (!found) throw new ScriptError(`Missing heredoc delimiter \`${h.delim}\`: the heredoc runs to the end of the script`, h.redirect.pos);
      const body = bodyLines.map((l) => l + '\n').join('');
      h.redirect.body = h.quoted ? [{ kind: 'lit', text: body, quoted: true }] : this.expandableText(body, h.redirect.pos);
    }
  }

  /** Heredoc text with an unquoted delimiter: `$VAR`, `${VAR}` and `\$ \\ \`` escapes, `\`-newline joins. */
  expandableText(body: string, pos: SourcePos): WordPart[] {
    const parts: WordPart[] = [];
    let lit = '';
    for (let k = 0; k < body.length; k++) {
      const c = body[k];
      if (c === '\\' && k + 1 < body.length && '$`\\\n'.includes(body[k + 1])) {
        if (body[k + 1] !== '\n') lit += body[k + 1];
        k++;
      } else if (c === '$') {
        const v = readVarName(body, k + 1);
        if (!v && body[k + 1] === '(') {
          // `$(…)` / `$((…))` in the body: parsed by a parser over the body (positions: the heredoc's).
          const sub = new Parser(body, this.file, this.at);
          sub.i = k;
          if (lit) parts.push({ kind: 'lit', text: lit, quoted: true });
          lit = '';
          const part = sub.substitution(true);
          parts.push(part.kind === 'cmd' || part.kind === 'arith' ? { ...part, pos } : part);
          k = sub.i - 1;
          continue;
        }
        if (!v) {
          lit += c;
          continue;
        }
        if (lit) parts.push({ kind: 'lit', text: lit, quoted: true });
        lit = '';
        parts.push({ kind: 'var', name: v.name, quoted: true });
        k = v.end - 1;
      } else if (c === '`') {
        throw new ScriptError('Backquote command substitution is not supported in heredocs', pos);
      } else lit += c;
    }
    if (lit) parts.push({ kind: 'lit', text: lit, quoted: true });
    return parts;
  }

  parseWord(): Word {
    const start = this.i;
    const parts: WordPart[] = [];
    const lit = (text: string, quoted: boolean): void => {
      const last = parts[parts.length - 1];
      if (last && last.kind === 'lit' && last.quoted === quoted) last.text += text;
      else parts.push({ kind: 'lit', text, quoted });
    };
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (META.includes(c) || c === '\r') break;
      if (c === '\\') {
        const n = this.src[this.i + 1];
        if (n === '\n') this.i += 2;
        else if (n === undefined) this.i++;
        else {
          lit(n, true);
          this.i += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.i + 1);
        if (end < 0) this.fail('Missing closing `\'`', this.i);
        lit(this.src.slice(this.i + 1, end), true);
        this.i = end + 1;
      } else if (c === '$' && this.src[this.i + 1] === "'") {
        this.i += 2;
        lit(this.ansiC(), true);
      } else if (c === '"') {
        this.doubleQuoted(parts, lit);
      } else if (c === '$') {
        const v = readVarName(this.src, this.i + 1);
        if (v) {
          if (v.error) this.fail(v.error, this.i);
          parts.push({ kind: 'var', name: v.name, quoted: false });
          this.i = v.end;
        } else if (this.src[this.i + 1] === '(') {
          parts.push(this.substitution(false));
        } else {
          lit('$', false);
          this.i++;
        }
      } else if (c === '`') {
        this.fail(`Backquote command substitution is not supported; supported: ${SUPPORTED_SYNTAX}`);
      } else if (c === '{') {
        const b = this.tryBrace();
        if (b) parts.push(b);
        else {
          lit('{', false);
          this.i++;
        }
      } else {
        lit(c, false);
        this.i++;
      }
    }
    if (this.i === start) this.fail(`Unexpected ${this.describe()}; expected a word`);
    return { parts, pos: this.posAt(start) };
  }

  /** At `$(`: a command substitution `$(LIST)` or an arithmetic expansion `$((EXPR))`. */
  substitution(quoted: boolean): WordPart {
    const start = this.i;
    const pos = this.posAt(start);
    if (this.src[this.i + 2] === '(') {
      const end = this.src.indexOf('))', this.i + 3);
      if (end < 0) this.fail('Missing `))` of `$((…))`', start);
      const expr = this.src.slice(this.i + 3, end);
      this.i = end + 2;
      return { kind: 'arith', expr, quoted, pos };
    }
    this.i += 2;
    const list = this.parseList(new Set([')']));
    this.skipNewlines();
    if (this.src[this.i] !== ')') this.fail('Missing `)` of `$(…)`', start);
    this.i++;
    return { kind: 'cmd', list, quoted, pos };
  }

  tryBrace(): WordPart | undefined {
    const m = /^\{(-?\d+)\.\.(-?\d+)\}/.exec(this.src.slice(this.i, this.i + 40));
    if (m) {
      this.i += m[0].length;
      const a = Number(m[1]);
      const b = Number(m[2]);
      const items: string[] = [];
      if (Math.abs(b - a) > 100000) this.fail(`Brace range \`${m[0]}\` is too large`);
      for (let k = a; a <= b ? k <= b : k >= b; k += a <= b ? 1 : -1) items.push(String(k));
      return { kind: 'brace', items };
    }
    const l = /^\{([^{}\s,'"$\\]*(?:,[^{}\s,'"$\\]*)+)\}/.exec(this.src.slice(this.i, this.i + 400));
    if (l) {
      this.i += l[0].length;
      return { kind: 'brace', items: l[1].split(',') };
    }
    return undefined;
  }

  doubleQuoted(parts: WordPart[], lit: (t: string, q: boolean) => void): void {
    const open = this.i;
    this.i++;
    let hadAny = false;
    for (;;) {
      if (this.i >= this.src.length) this.fail('Missing closing `"`', open);
      const c = this.src[this.i];
      if (c === '"') {
        this.i++;
        break;
      }
      if (c === '\\') {
        const n = this.src[this.i + 1];
        if (n === '\n') this.i += 2;
        else if (n !== undefined && '$`"\\'.includes(n)) {
          lit(n, true);
          this.i += 2;
        } else {
          lit('\\', true);
          this.i++;
        }
      } else if (c === '$') {
        const v = readVarName(this.src, this.i + 1);
        if (v) {
          if (v.error) this.fail(v.error, this.i);
          parts.push({ kind: 'var', name: v.name, quoted: true });
          this.i = v.end;
        } else if (this.src[this.i + 1] === '(') {
          parts.push(this.substitution(true));
        } else {
          lit('$', true);
          this.i++;
        }
      } else if (c === '`') {
        this.fail(`Backquote command substitution is not supported; supported: ${SUPPORTED_SYNTAX}`);
      } else {
        lit(c, true);
        this.i++;
      }
      hadAny = true;
    }
    if (!hadAny) lit('', true);
  }

  ansiC(): string {
    let out = '';
    const open = this.i - 2;
    for (;;) {
      if (this.i >= this.src.length) this.fail("Missing closing `'` of `$'…'`", open);
      const c = this.src[this.i];
      if (c === "'") {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = this.src[this.i + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '0': '\0' };
        if (n === 'x') {
          const h = /^[0-9a-fA-F]{1,2}/.exec(this.src.slice(this.i + 2));
          if (h) {
            out += String.fromCharCode(parseInt(h[0], 16));
            this.i += 2 + h[0].length;
            continue;
          }
        }
        if (n !== undefined && n in simple) {
          out += simple[n];
          this.i += 2;
          continue;
        }
        out += '\\';
        this.i++;
        continue;
      }
      out += c;
      this.i++;
    }
  }
}

function readVarName(s: string, k: number): { name: string; end: number; error?: string } | undefined {
  const c = s[k];
  if (c === '{') {
    const close = s.indexOf('}', k);
    if (close < 0) return { name: '', end: k, error: 'Missing closing `}` of `${…}`' };
    const name = s.slice(k + 1, close);
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[?!$#0-9])$/.test(name)) {
      return { name, end: close + 1, error: `Unsupported parameter expansion \`\${${name}}\`; supported: \${NAME}` };
    }
    return { name, end: close + 1 };
  }
  const m = /^([A-Za-z_][A-Za-z0-9_]*|[?!$#0-9])/.exec(s.slice(k, k + 200));
  if (!m) return undefined;
  return { name: m[1], end: k + m[1].length };
}
