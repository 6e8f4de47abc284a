// iptables / iptables-nft / iptables-legacy (v1.8.9): the commands that edit and list one table.
// Both backends share the parser and the printers; they differ where the real ones do (measured
// with the oracle, see test/golden/iptables): error messages and exit codes, when a table or a
// base chain comes into existence, and nft's rule handles.
import type { Backend, Chain, NetfilterTables, Rule, Table } from '../kernel/netfilter/types.ts';
import { hookUnregistered } from '../kernel/netfilter/ruleset.ts';
import { TABLE_HOOKS } from '../kernel/netfilter/types.ts';
import type { Tool, ToolContext, ToolTable } from './tool.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { legacyTableReplaced, rulesReplaced } from '../kernel/netfilter/matches.ts';
import { XtError, exitCodeOf, formatXtError, kernelErr, param } from './xtables/errors.ts';
import { checkSetsExist } from './xtables/set.ts';
import { TARGETS, UNMODELLED_TARGETS } from './xtables/extensions.ts';
import { listHeader, listRule, parseIptablesArgs, printNum, sameRule, saveRuleBody, verboseRule, type ListFormat, type ParsedCommand } from './xtables/rule.ts';
import {
  assignRuleHandle, checkEntries, hasLoop, logCheckFailure, nextHandle, isBuiltin, openTable, orderedChains, referenceCount, store, touchChain,
} from './xtables/ruleset.ts';

export const NO_SUCH = 'No chain/target/match by that name.';

/** Runs one iptables command line; returns its exit status. Shared with iptables-restore's `-A` lines. */
export function runIptables(argv: readonly string[], ctx: ToolContext, backend: Backend): number {
  try {
    const pc = parseIptablesArgs(argv);
    if (pc.warnings) ctx.err(pc.warnings.join(''));
    checkSetsExist(pc.rules, ctx.kernel, ctx.netns);
    // -v with a rule command echoes each rule first (print_firewall_line), even when it then fails.
    // iptables-nft echoes a -R rule only once it found the rule to replace (measured: nothing when the index is too big).
    if (pc.verbose && pc.rules.length && ['A', 'I', 'D', 'R', 'C'].includes(pc.commands[0]!) && (pc.hasRuleSpec || pc.ruleNum === undefined) && !(backend === 'nft' && pc.commands[0] === 'R' && !replaceTargetExists(pc, ctx))) {
      ctx.out(pc.rules.map((r) => verboseRule(r) + '\n').join(''));
    }
    // iptables-nft's listings warn (stderr) when x_tables rules exist beside its own: before the
    // listing, and also when the listing then fails (measured with unbuffered stdout).
    if (backend === 'nft' && (pc.commands.includes('L') || pc.commands[0] === 'S') && store(ctx.kernel, ctx.netns).legacy.size > 0) {
      ctx.err('# Warning: iptables-legacy tables present, use iptables-legacy to see them\n');
    }
    const out = execute(pc, ctx, backend);
    if (out) ctx.out(out);
    return 0;
  } catch (e) {
    if (e instanceof XtError) {
      ctx.err(formatXtError(e, 'iptables', backend));
      return exitCodeOf(e);
    }
    throw e;
  }
}

/** Whether `-R CHAIN N` names an existing rule (of a chain nft has created). */
function replaceTargetExists(pc: ParsedCommand, ctx: ToolContext): boolean {
  const table = store(ctx.kernel, ctx.netns).nft.get(pc.table);
  const chain = pc.chain === undefined ? undefined : table?.chains.get(pc.chain);
  return chain !== undefined && chain.present !== false && pc.ruleNum !== undefined && pc.ruleNum <= chain.rules.length;
}

function nftOp(op: string, chain: string, errno: string): XtError {
  return new XtError('netlink', `${op} failed (${errno}): rule in chain ${chain}`);
}

/** Resolves `-j CHAIN`/`-g CHAIN` against the table: the error each backend prints for a missing chain. */
/** -m tcp/udp/icmp without the matching -p: nft refuses it while parsing, the legacy kernel with EINVAL. */
function checkProtoMatches(pc: ParsedCommand, backend: Backend, kernel?: Kernel): void {
  for (const r of pc.rules) {
    for (const m of r.matches) {
      const need = m.name === 'tcp' ? 6 : m.name === 'udp' ? 17 : m.name === 'icmp' ? 1 : undefined;
      if (need !== undefined && (r.ip.proto !== need || r.ip.invProto)) {
        if (backend === 'nft') throw param(`${m.name.toUpperCase()} match requires '-p ${m.name}'`);
        // xt_check_match's proto check.
        kernel?.dmesg.push({ t: kernel.now, line: `x_tables: ip_tables: ${m.name} match: only valid for protocol ${need}` });
        throw kernelErr("Invalid argument. Run `dmesg' for more information.");
      }
    }
  }
}

export function checkJump(pc: ParsedCommand, table: Table, backend: Backend, op = 'RULE_APPEND', kernel?: Kernel): void {
  checkProtoMatches(pc, backend, kernel);
  if (!pc.jumpChain) return;
  const c = table.chains.get(pc.jumpChain.name);
  if (c && isBuiltin(table, c.name)) {
    // A jump to a built-in chain: nft refuses it in the batch, the legacy kernel with EINVAL.
    if (backend === 'legacy') throw kernelErr("Invalid argument. Run `dmesg' for more information.");
    throw nftOp(op, pc.chain!, c.name === pc.chain ? 'Operation not supported' : 'No such file or directory');
  }
  if (!c) {
    if (backend === 'nft') throw param(`Chain '${pc.jumpChain.name}' does not exist`);
    throw param(`Couldn't load target \`${pc.jumpChain.name}':No such file or directory\n`);
  }
}

/** Applies a rule change; undoes it and throws when the kernel would refuse the table. */
function commitRuleChange(kernel: Kernel, table: Table, backend: Backend, op: string, chain: string, apply: () => () => void): void {
  const undo = apply();
  if (hasLoop(table)) {
    undo();
    throw backend === 'nft' ? nftOp(op, chain, 'Too many links') : kernelErr('Too many levels of symbolic links.');
  }
  const refused = checkEntries(table);
  if (refused !== undefined) {
    undo();
    logCheckFailure(kernel, refused);
    throw backend === 'nft' ? nftOp(op, chain, 'Invalid argument') : kernelErr("Invalid argument. Run `dmesg' for more information.");
  }
}

function execute(pc: ParsedCommand, ctx: ToolContext, backend: Backend): string {
  const st = store(ctx.kernel, ctx.netns);
  // -L with -Z lists, then zeroes (in either order on the command line).
  const cmd = pc.commands.includes('L') ? 'L' : pc.commands[0]!;
  // iptables-nft creates the table on these (nft_xt_builtin_init); `-F CHAIN` and `-F -v` too.
  const writes = ['A', 'I', 'R', 'N', 'P'].includes(cmd) || (cmd === 'F' && (pc.verbose || (pc.chain !== undefined && (TABLE_HOOKS[pc.table] as readonly string[]).includes(pc.chain))));
  const table = openTable(st, backend, pc.table, writes);
  const fmt: ListFormat = { numeric: pc.numeric, verbose: pc.verbose, exact: pc.exact, lineNumbers: pc.lineNumbers };
  const chainOf = (name: string | undefined): Chain => {
    const c = name === undefined ? undefined : table.chains.get(name);
    if (!c) throw kernelErr(NO_SUCH);
    return c;
  };
  const bump = (): void => {
    st.generation++;
    // iptables-legacy commits the whole table (libiptc) and the built-in chains' policy
    // counters come back zeroed (measured on 6.18 / 1.8.9: any -A/-I/-D/-R/-N/-P resets them);
    // rule counters are carried over. nf_tables edits chains in place and keeps them.
    if (backend === 'legacy') for (const c of table.chains.values()) if (c.policyCounters) c.policyCounters.packets = c.policyCounters.bytes = 0;
    if (backend === 'legacy') legacyTableReplaced(table);
  };

  switch (cmd) {
    case 'A':
    case 'I': {
      const chain = chainOf(pc.chain);
      checkJump(pc, table, backend, cmd === 'A' ? 'RULE_APPEND' : 'RULE_INSERT', ctx.kernel);
      const idx = cmd === 'A' ? chain.rules.length : (pc.ruleNum ?? 1) - 1;
      if (idx > chain.rules.length) throw kernelErr('Index of insertion too big.');
      commitRuleChange(ctx.kernel, table, backend, cmd === 'A' ? 'RULE_APPEND' : 'RULE_INSERT', chain.name, () => {
        chain.rules.splice(idx, 0, ...pc.rules);
        return () => chain.rules.splice(idx, pc.rules.length);
      });
      touchChain(st, table, chain);
      for (const r of pc.rules) assignRuleHandle(st, table, r);
      bump();
      return '';
    }
    case 'R': {
      const chain = chainOf(pc.chain);
      checkJump(pc, table, backend, 'RULE_REPLACE', ctx.kernel);
      const idx = pc.ruleNum! - 1;
      if (idx >= chain.rules.length) throw kernelErr(unborn(chain, backend) ? NO_SUCH : 'Index of replacement too big.');
      if (pc.rules.length !== 1) throw param('-R requires a single source and destination');
      const old = chain.rules[idx]!;
      commitRuleChange(ctx.kernel, table, backend, 'RULE_REPLACE', chain.name, () => {
        chain.rules[idx] = pc.rules[0]!;
        return () => {
          chain.rules[idx] = old;
        };
      });
      assignRuleHandle(st, table, pc.rules[0]!);
      bump();
      return '';
    }
    case 'D': {
      const chain = chainOf(pc.chain);
      if (pc.ruleNum !== undefined && !pc.hasRuleSpec) {
        if (pc.ruleNum > chain.rules.length) throw kernelErr(unborn(chain, backend) ? NO_SUCH : 'Index of deletion too big.');
        chain.rules.splice(pc.ruleNum - 1, 1);
      } else {
        checkJump(pc, table, backend);
        for (const r of pc.rules) {
          const k = chain.rules.findIndex((x) => sameRule(x, r));
          if (k < 0) throw kernelErr('Bad rule (does a matching rule exist in that chain?).');
          chain.rules.splice(k, 1);
        }
      }
      bump();
      return '';
    }
    case 'C': {
      const chain = chainOf(pc.chain);
      checkJump(pc, table, backend);
      for (const r of pc.rules) if (!chain.rules.some((x) => sameRule(x, r))) throw kernelErr('Bad rule (does a matching rule exist in that chain?).');
      return '';
    }
    case 'N': {
      const name = pc.chain!;
      if (name.length > 28) throw param(`chain name \`${name}' too long (must be under 29 chars)`);
      if (name.startsWith('-') || name === '!') throw param('chain name not allowed to start with `-\'');
      if (TARGETS[name] || UNMODELLED_TARGETS[name]) throw param('chain name may not clash with target name');
      if (table.chains.has(name)) throw kernelErr('Chain already exists.');
      const c: Chain = { name, rules: [] };
      if (backend === 'nft') c.handle = nextHandle(st, table.name);
      table.chains.set(name, c);
      bump();
      return '';
    }
    case 'X': {
      if (backend === 'nft' && pc.chain !== undefined && isBuiltin(table, pc.chain)) return deleteBaseChain(st, table, pc.chain);
      const targets = pc.chain !== undefined ? [chainOf(pc.chain)] : orderedChains(table).filter((c) => !isBuiltin(table, c.name));
      for (const c of targets) {
        if (isBuiltin(table, c.name)) throw kernelErr('Invalid argument. Run `dmesg\' for more information.');
        const busy = referenceCount(table, c.name) > 0;
        if (busy || c.rules.length > 0) {
          if (backend === 'nft') throw new XtError('netlink', `CHAIN_DEL failed (Device or resource busy): chain ${c.name}`);
          throw kernelErr(busy ? 'Too many links.' : 'Directory not empty.');
        }
      }
      for (const c of targets) table.chains.delete(c.name);
      // iptables-nft -X without a chain also deletes the base chains it may (__nft_chain_del:
      // nft_may_delete_chain, policy ACCEPT and no rule): their hooks are unregistered, and a
      // later -A creates them anew, hooked after whatever was registered meanwhile.
      if (backend === 'nft' && pc.chain === undefined) {
        for (const c of table.chains.values()) if (isBuiltin(table, c.name) && c.present !== false && c.policy === 'ACCEPT' && c.rules.length === 0) dropBaseChain(st, table, c);
      }
      bump();
      return pc.verbose ? targets.map((c) => `Deleting chain \`${c.name}'\n`).join('') : '';
    }
    case 'F': {
      const targets = pc.chain !== undefined ? [chainOf(pc.chain)] : orderedChains(table);
      // iptables-nft: `-F CHAIN` creates that base chain, `-F -v` every one (nft_xt_builtin_init).
      if (backend === 'nft' && (pc.chain !== undefined || pc.verbose)) for (const c of targets) if (isBuiltin(table, c.name)) touchChain(st, table, c);
      for (const c of targets) c.rules = [];
      bump();
      return pc.verbose ? targets.map((c) => `Flushing chain \`${c.name}'\n`).join('') : '';
    }
    case 'P': {
      const chain = table.chains.get(pc.chain!);
      if (!chain || !isBuiltin(table, chain.name)) throw kernelErr('Bad built-in chain name.');
      if (pc.arg2 !== 'ACCEPT' && pc.arg2 !== 'DROP') throw kernelErr("Bad policy name. Run `dmesg' for more information.");
      chain.policy = pc.arg2;
      // iptables-nft sends the chain update with counters 0/0 (nft_chain_set with the command's
      // zeroed xt_counters): every -P, same policy or not, restarts the policy counter (measured).
      if (backend === 'nft') chain.policyCounters = { packets: 0, bytes: 0 };
      chain.nftCounters = true;
      touchChain(st, table, chain);
      bump();
      return '';
    }
    case 'E': {
      const chain = chainOf(pc.chain);
      const to = pc.arg2!;
      if (table.chains.has(to)) throw kernelErr('File exists.');
      if (isBuiltin(table, chain.name)) throw kernelErr('Invalid argument. Run `dmesg\' for more information.');
      const entries = [...table.chains.entries()].map(([k, v]) => (k === chain.name ? ([to, v] as const) : ([k, v] as const)));
      chain.name = to;
      table.chains.clear();
      for (const [k, v] of entries) table.chains.set(k, v);
      for (const c of table.chains.values()) {
        for (const r of c.rules) if (r.target.name === 'JUMP' && r.target.chain === pc.chain) r.target = { ...r.target, chain: to };
      }
      bump();
      return '';
    }
    case 'S':
      return listRules(table, pc);
    case 'L': {
      if (pc.chain !== undefined && !table.chains.has(pc.chain)) {
        if (backend === 'nft') throw new XtError('tagged', `chain \`${pc.chain}' in table \`${table.name}' is incompatible, use 'nft' tool.`);
        throw kernelErr(NO_SUCH);
      }
      let text = pc.ruleNum !== undefined ? listOneRule(table.chains.get(pc.chain!)!, pc.ruleNum, fmt) : listTable(table, pc.chain, fmt);
      if (pc.commands.includes('Z')) text += zero(table, pc, backend);
      return text;
    }
    case 'Z':
      return zero(table, pc, backend);
  }
}

/** `iptables-nft -X INPUT`: a base chain may go when its policy is ACCEPT (rules are not looked at: the kernel refuses a chain that has some). */
function deleteBaseChain(st: NetfilterTables, table: Table, name: string): string {
  const c = table.chains.get(name)!;
  if (c.present === false) throw kernelErr(NO_SUCH);
  if (c.policy !== 'ACCEPT') throw kernelErr('Directory not empty.');
  if (c.rules.length > 0) throw new XtError('netlink', `CHAIN_DEL failed (Device or resource busy): chain ${name}`);
  dropBaseChain(st, table, c);
  st.generation++;
  return '';
}

/** An nft base chain deleted: unhooked, and with it its counters; the listing shows it again as never created. */
function dropBaseChain(st: NetfilterTables, table: Table, c: Chain): void {
  c.present = false;
  c.handle = undefined;
  c.nftCounters = undefined;
  c.policyCounters = { packets: 0, bytes: 0 };
  hookUnregistered(st, table.name, c.name);
}

function zero(table: Table, pc: ParsedCommand, backend: Backend): string {
  // Without a chain, -Z zeroes the chains that exist (iptables-nft: built-ins not yet created are skipped).
  const chains = pc.chain !== undefined ? [table.chains.get(pc.chain)] : orderedChains(table).filter((c) => backend !== 'nft' || c.present !== false);
  let out = '';
  for (const c of chains) {
    if (!c || (backend === 'nft' && c.present === false)) throw kernelErr(NO_SUCH);
  }
  for (const c of chains as Chain[]) {
    if (pc.verbose) out += `Zeroing chain \`${c.name}'\n`;
    if (pc.ruleNum !== undefined) {
      const r = c.rules[pc.ruleNum - 1];
      if (!r) {
        if (backend === 'legacy') throw kernelErr('Index of counter too big.');
        continue;
      }
      r.counters.packets = r.counters.bytes = 0;
      if (backend === 'nft') rulesReplaced([r]);
      continue;
    }
    // In place: the kernel's compiled form holds these very objects.
    for (const r of c.rules) r.counters.packets = r.counters.bytes = 0;
    if (backend === 'nft') rulesReplaced(c.rules);
    if (c.policyCounters) c.policyCounters.packets = c.policyCounters.bytes = 0;
    if (c.policy !== undefined) c.nftCounters = true;
  }
  if (backend === 'legacy') legacyTableReplaced(table);
  return out;
}

/** An nft base chain iptables-nft has not created yet: the kernel has no such chain. */
function unborn(chain: Chain, backend: Backend): boolean {
  return backend === 'nft' && chain.present === false;
}

/** `-L CHAIN N`: that rule's line alone, no chain header (nothing when N is past the end). */
function listOneRule(chain: Chain, num: number, fmt: ListFormat): string {
  const r = chain.rules[num - 1];
  return r ? listRule(r, num, fmt) + '\n' : '';
}

export function listTable(table: Table, only: string | undefined, fmt: ListFormat): string {
  const parts: string[] = [];
  for (const c of orderedChains(table)) {
    if (only !== undefined && c.name !== only) continue;
    let s = '';
    if (c.policy !== undefined && isBuiltin(table, c.name)) {
      s += `Chain ${c.name} (policy ${c.policy}`;
      if (fmt.verbose) {
        const pc = c.policyCounters ?? { packets: 0, bytes: 0 };
        s += ` ${printNum(pc.packets, fmt, true)}packets, ${printNum(pc.bytes, fmt, true)}bytes`;
      }
      s += ')\n';
    } else {
      s += `Chain ${c.name} (${referenceCount(table, c.name)} references)\n`;
    }
    s += listHeader(fmt) + '\n';
    c.rules.forEach((r, k) => {
      s += listRule(r, k + 1, fmt) + '\n';
    });
    parts.push(s);
  }
  return parts.join('\n');
}

function listRules(table: Table, pc: ParsedCommand): string {
  let s = '';
  const counters = (r: Rule): { packets: number; bytes: number } | undefined => (pc.verbose ? r.counters : undefined);
  if (pc.chain !== undefined) {
    const c = table.chains.get(pc.chain);
    if (!c) {
      if (table.backend === 'nft') throw new XtError('tagged', `chain \`${pc.chain}' in table \`${table.name}' is incompatible, use 'nft' tool.`);
      throw kernelErr(NO_SUCH);
    }
    if (pc.ruleNum !== undefined) {
      const r = c.rules[pc.ruleNum - 1];
      return r ? `-A ${c.name}${saveRuleBody(r, counters(r))}\n` : '';
    }
    s += policyLine(table, c, pc.verbose);
    for (const r of c.rules) s += `-A ${c.name}${saveRuleBody(r, counters(r))}\n`;
    return s;
  }
  const chains = orderedChains(table);
  for (const c of chains) s += policyLine(table, c, pc.verbose);
  for (const c of chains) for (const r of c.rules) s += `-A ${c.name}${saveRuleBody(r, counters(r))}\n`;
  return s;
}

function policyLine(table: Table, c: Chain, verbose: boolean): string {
  if (isBuiltin(table, c.name)) {
    const pc = c.policyCounters ?? { packets: 0, bytes: 0 };
    return `-P ${c.name} ${c.policy ?? 'ACCEPT'}${verbose ? ` -c ${pc.packets} ${pc.bytes}` : ''}\n`;
  }
  return `-N ${c.name}\n`;
}

const nft: Tool = (argv, ctx) => runIptables(argv.slice(1), ctx, 'nft');
const legacy: Tool = (argv, ctx) => runIptables(argv.slice(1), ctx, 'legacy');

/** `iptables` is the nft variant here, as on this Debian machine (update-alternatives). */
export const tools: ToolTable = {
  iptables: nft,
  'iptables-nft': nft,
  'iptables-legacy': legacy,
};
