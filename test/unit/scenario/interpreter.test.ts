// The bash subset: parsing, expansion, control flow and bash -e semantics, with stand-in tools
// (`args` prints its argv one per line, `fail N` exits N, `stdin` prints its standard input).
import { describe, expect, test } from 'vitest';
import { Interpreter } from '../../../src/scenario/interpreter.ts';
import type { Kernel } from '../../../src/kernel/kernel.ts';
import type { ToolTable } from '../../../src/userland/tool.ts';
import { ScriptError } from '../../../src/userland/tool.ts';

function stubKernel(): Kernel {
  const k = {
    now: 0,
    events: [] as unknown[],
    packets: [] as unknown[],
    currentCommand: -1,
    namespaces: new Map<string, unknown>([['', {}], ['ns1', {}]]),
    advance(dt: number) {
      k.now += dt;
    },
  };
  return k as unknown as Kernel;
}

const tools: ToolTable = {
  args: (argv, ctx) => {
    for (const a of argv.slice(1)) ctx.out(`<${a}>\n`);
    return 0;
  },
  fail: (argv, ctx) => {
    ctx.err(`fail ${argv[1] ?? '1'}\n`);
    return Number(argv[1] ?? 1);
  },
  stdin: (_argv, ctx) => {
    ctx.out(ctx.stdin);
    return 0;
  },
  where: (_argv, ctx) => {
    ctx.out(`netns=${ctx.netns || 'host'} t=${ctx.kernel.now / 1e9}\n`);
    return 0;
  },
  bg: (argv, ctx) => {
    ctx.out(`started ${argv[1]} background=${ctx.background}\n`);
    ctx.atExit?.(() => ctx.err(`${argv[1]} ended\n`));
    return 0;
  },
  sysctl: (argv, ctx) => {
    ctx.out(`sysctl ${argv.slice(1).join(' ')}\n`);
    return 0;
  },
};

function run(script: string): { output: string; exitCode: number; interp: Interpreter } {
  let output = '';
  const interp = new Interpreter({ kernel: stubKernel(), tools, env: {}, terminal: (t) => (output += t) });
  const r = interp.run(script, 't.sh', '');
  interp.endJobs();
  return { output, exitCode: r.exitCode, interp };
}

describe('output of scripts', () => {
  test.each([
    ['words and quotes', `args a 'b c' "d e" f\\ g $'h\\ti'`, '<a>\n<b c>\n<d e>\n<f g>\n<h\ti>\n'],
    ['comments and continuations', 'args a \\\n  b # comment\n# whole line\nargs c', '<a>\n<b>\n<c>\n'],
    ['variables', 'X=1; Y="a b"; args $X "$Y" $Y ${X}z "$Z"', '<1>\n<a b>\n<a>\n<b>\n<1z>\n<>\n'],
    ['empty unquoted variable vanishes', 'args $NOPE x', '<x>\n'],
    ['brace ranges and lists', 'args {1..3} x{a,b}', '<1>\n<2>\n<3>\n<xa>\n<xb>\n'],
    ['quoted braces stay', `args '{1..2}' "{a,b}"`, '<{1..2}>\n<{a,b}>\n'],
    ['for loop', 'for i in {1..2}; do args $i; sleep 2; done; where', '<1>\n<2>\nnetns=host t=4\n'],
    ['for over words', 'for h in a b\ndo\n  args "$h"\ndone', '<a>\n<b>\n'],
    ['if / elif / else', 'if fail 3; then args no; elif true; then args yes; else args else; fi', 'fail 3\n<yes>\n'],
    ['&& and ||', 'true && args a; false || args b; false && args c; true || args d', '<a>\n<b>\n'],
    ['$? after a tested failure', 'fail 4 || args $?', 'fail 4\n<4>\n'],
    ['negation', '! fail 2 && args negated', 'fail 2\n<negated>\n'],
    ['pipes from echo and printf', 'echo hello | stdin; printf "%s-%d\\n" a 5 b 6 | stdin', 'hello\na-5\nb-6\n'],
    ['heredoc quoted', "X=1\nstdin <<'EOF'\nline $X\n  two\nEOF\nargs after", 'line $X\n  two\n<after>\n'],
    ['heredoc expanded', 'X=1\nstdin <<EOF\nline $X \\$X\nEOF', 'line 1 $X\n'],
    ['heredoc with $(…) and $((…))', 'X=2\nstdin <<EOF\n[$(echo a; echo b)] $((X * 3))\nEOF', '[a\nb] 6\n'],
    ['while read over a heredoc', 'while read a b; do args "$a|$b"; done <<EOF\nx 1\ny 2 3\nEOF', '<x|1>\n<y|2 3>\n'],
    ['read from a pipe, commands in the loop leave input alone', 'printf "p\\nq\\n" | while read -r n; do where >/dev/null; args $n; done', '<p>\n<q>\n'],
    ['read at end of input fails', 'read x < /dev/null || args "eof [$x]"', '<eof []>\n'],
    ['heredoc with tabs stripped', 'stdin <<-END\n\tindented\n\tEND\nargs ok', 'indented\n<ok>\n'],
    ['here-string', 'stdin <<< "a b"', 'a b\n'],
    ['two heredocs on one line', "stdin <<A && stdin <<'B'\none\nA\ntwo\nB", 'one\ntwo\n'],
    ['files: > >> < cat', 'echo one > f; echo two >> f; stdin < f; cat f', 'one\ntwo\none\ntwo\n'],
    ['/dev/null and 2>&1', 'fail 0 2>/dev/null; fail 0 >/dev/null 2>&1; fail 0 2>&1 >/dev/null; args done', 'fail 0\n<done>\n'],
    ['&> to a file', 'fail 0 &> log; cat log', 'fail 0\n'],
    ['stderr through a pipe reaches the terminal', 'fail 0 | stdin', 'fail 0\n'],
    ['2>&1 into a pipe', 'fail 0 2>&1 | stdin', 'fail 0\n'],
    ['sh -c', `sh -c 'args "$0"; false; args still'`, '<>\n<still>\n'],
    ['bash -ec stops inside', `bash -ec 'args one; false; args two' || args status=$?`, '<one>\n<status=1>\n'],
    ['ip netns exec selects the namespace', 'where; ip netns exec ns1 where', 'netns=host t=0\nnetns=ns1 t=0\n'],
    ['unknown namespace', 'ip netns exec nope where || args $?', 'Cannot open network namespace "nope": No such file or directory\n<255>\n'],
    ['sudo is transparent', 'sudo where; /usr/sbin/sysctl -n x', 'netns=host t=0\nsysctl -n x\n'],
    ['sleep with fractions and units', 'sleep 0.5; sleep 1m; where', 'netns=host t=60.5\n'],
    ['background job ends at the end', 'bg tcpd &\nargs x', 'started tcpd background=true\n<x>\ntcpd ended\n'],
    ['kill %1 ends a job', 'bg a &\nbg b &\nkill %1\nargs x', 'started a background=true\nstarted b background=true\na ended\n<x>\nb ended\n'],
    ['/proc/sys writes go through sysctl', 'echo 1 > /proc/sys/net/ipv4/ip_forward', ''],
    ['grep, head, tail, wc', 'printf "a1\\nb2\\na3\\n" | grep a; printf "x\\ny\\nz\\n" | tail -n 1; printf "x\\ny\\n" | head -1; printf "1\\n2\\n" | wc -l', 'a1\na3\nz\nx\n2\n'],
    ['grep -v and -c', 'printf "a\\nb\\n" | grep -vc a', '1\n'],
    ['test and [', '[ 1 -eq 1 ] && args eq; test -z "" && args empty; [ a = b ] || args ne', '<eq>\n<empty>\n<ne>\n'],
    ['group and subshell', '{ args a; args b; } > f; cat f; (X=2; args $X); args "[$X]"', '<a>\n<b>\n<2>\n<[]>\n'],
    ['while loop', 'i=0; while [ $i != 3 ]; do args $i; i=$i$i; i=3; done', '<0>\n'],
    ['command substitution', 'X=$(echo a b); args "$X" $(printf "c\\nd\\n") "$(echo e)f"', '<a b>\n<c>\n<d>\n<ef>\n'],
    // The calling shell expands `$(…)`, so it runs where the shell is (as bash does).
    ['command substitution runs in the shell\'s namespace', 'ip netns exec ns1 args $(where); ip netns exec ns1 sh -c \'args $(where)\'', '<netns=host>\n<t=0>\n<netns=ns1>\n<t=0>\n'],
    ['$(…) is a subshell', 'X=1; args "$(X=2; echo $X; exit 3)" $? $X', '<2>\n<3>\n<1>\n'],
    ['seq and arithmetic', 'for i in $(seq 2 3); do args $((i * 10 + 1)); done; args $(( (7 % 4) == 3 ))', '<21>\n<31>\n<1>\n'],
    ['assignment prefix is temporary', 'X=1 args x; args "[$X]"', '<x>\n<[]>\n'],
  ])('%s', (_name, script, expected) => {
    expect(run(script).output).toBe(expected);
  });
});

describe('bash -e semantics', () => {
  test.each([
    ['a failing command stops the run', 'args a\nfail 3\nargs b', '<a>\nfail 3\n', 3],
    ['last of && fails: stops', 'true && fail 2\nargs b', 'fail 2\n', 2],
    ['left of && fails: continues', 'fail 2 && args x\nargs b', 'fail 2\n<b>\n', 0],
    ['|| rescues', 'fail 2 || true\nargs b', 'fail 2\n<b>\n', 0],
    ['if condition is tested', 'if fail 1; then args x; fi\nargs b', 'fail 1\n<b>\n', 0],
    ['pipeline status is the last command', 'fail 1 | stdin\nargs b', 'fail 1\n<b>\n', 0],
    ['failure inside a for loop stops', 'for i in 1 2; do fail 5; done\nargs b', 'fail 5\n', 5],
    ['exit N', 'args a\nexit 7\nargs b', '<a>\n', 7],
    ['set +e disables', 'set +e\nfail 1\nargs b', 'fail 1\n<b>\n', 0],
    ['missing input file', 'stdin < nope\nargs b', 'bash: nope: No such file or directory\n', 1],
  ])('%s', (_name, script, expected, code) => {
    const r = run(script);
    expect(r.output).toBe(expected);
    expect(r.exitCode).toBe(code);
  });
});

describe('command records', () => {
  test('positions, text, namespaces, times', () => {
    const { interp } = run('args a \\\n  b\n  ip netns exec ns1 where; sleep 1\nfor i in 1 2; do args $i; done');
    expect(interp.commands.map((c) => [c.pos.line, c.pos.column, c.text, c.netns, c.output, c.timeStart, c.timeEnd])).toEqual([
      [1, 1, 'args a b', '', '<a>\n<b>\n', 0, 0],
      [3, 3, 'ip netns exec ns1 where', 'ns1', 'netns=ns1 t=0\n', 0, 0],
      [3, 28, 'sleep 1', '', '', 0, 1e9],
      [4, 18, 'args $i', '', '<1>\n', 1e9, 1e9],
      [4, 18, 'args $i', '', '<2>\n', 1e9, 1e9],
    ]);
  });
});

describe('errors name file:line:column, what was found and what is supported', () => {
  test.each([
    ['unknown command', 'args a\n  frobnicate x', 2, 3, /^Unknown command `frobnicate`; supported: .*args/],
    ['arithmetic with a word', 'args $((1 + x y))', 1, 6, /Unsupported arithmetic `\$\(\(1 \+ x y\)\)`/],
    ['unterminated $(', 'args $(echo a', 1, 6, /Missing `\)` of `\$\(…\)`/],
    ['backquotes', 'args `date`', 1, 6, /Backquote command substitution is not supported/],
    ['case', 'case x in esac', 1, 1, /`case` is not supported/],
    ['unterminated quote', "args 'abc", 1, 6, /Missing closing `'`/],
    ['unterminated heredoc', 'stdin <<EOF\nabc', 1, 7, /Missing heredoc delimiter `EOF`/],
    ['for without do', 'for i in 1 2; args', 1, 15, /Expected `do` after the word list of `for`, found `args`/],
    ['if without fi', 'if true; then args', 1, 19, /Expected `fi` to close `if`, found end of script/],
    ['stray operator', 'args a; ; args b', 1, 9, /Unexpected `;`; expected a command/],
    ['background pipeline', 'args a | stdin &', 1, 1, /Only a single command can run in the background/],
    ['bad parameter expansion', 'args ${X:-y}', 1, 6, /Unsupported parameter expansion `\$\{X:-y\}`/],
    ['sh without -c', 'sh script.sh', 1, 1, /only `sh -c 'COMMANDS'` is supported/],
    ['error inside sh -c points at sh', "args\n  sh -c 'frob'", 2, 3, /Unknown command `frob`/],
  ])('%s', (_name, script, line, column, message) => {
    let error: unknown;
    try {
      run(script);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScriptError);
    const e = error as ScriptError;
    expect(e.message).toMatch(message);
    expect([e.pos?.file, e.pos?.line, e.pos?.column]).toEqual(['t.sh', line, column]);
  });

  test('positions shift by `at` (a block inside a Markdown file)', () => {
    const interp = new Interpreter({ kernel: stubKernel(), tools, env: {}, terminal: () => {} });
    expect(() => interp.run('args\n  frob', 'page.md', '', { line: 10, column: 3 })).toThrow(ScriptError);
    try {
      interp.run('args\n  frob', 'page.md', '', { line: 10, column: 3 });
    } catch (e) {
      expect((e as ScriptError).pos).toEqual({ file: 'page.md', line: 11, column: 5 });
    }
  });
});
