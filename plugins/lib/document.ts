// The transform of one document, in four passes:
//   1. collect: find our directives and bound console blocks, validate every attribute;
//   2. plan: per scenario, the operations the page asks of it, in document order;
//   3. run: each plan in one session (cached);
//   4. apply: write filled console output and views into the tree; restore foreign directives.
// Nothing in the tree changes before every attribute is known to be valid.
import type { ElementContent } from 'hast';
import type { Code, List, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
// Type-only: adds `hName`/`hProperties`/`hChildren` to mdast nodes' `data`.
import type {} from 'mdast-util-to-hast';
import type { Node, Parent } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { type ConsoleCommand, ELLIPSIS, expandEllipses, type IgnoreClass, matchOutput, outputLines, parseConsole, updatedExpected } from '../../src/render/console.ts';
import { ctTimeline } from '../../src/render/ct-timeline.ts';
import { unifiedDiff } from '../../src/render/diff.ts';
import { h, mermaidPre } from '../../src/render/hast.ts';
import { hookWalk, type WalkDetail } from '../../src/render/hook-walk.ts';
import { parseList, parseSave, type SavedTable } from '../../src/render/iptables-text.ts';
import { type RuleKey, ruleKey, rulesTable, type RuleLayout } from '../../src/render/rules-table.ts';
import { traceLines, type TraceFormat } from '../../src/render/trace.ts';
import { compileFilter } from '../../src/userland/tcpdump.ts';
import type { RunRecord } from '../../src/scenario/record.ts';
import { type Attributes, parseMeta, parseRange, rangeMax, validateAttributes } from './attributes.ts';
import { type CreateSession, type OpResult, type Operation, type PlanResult, type RunCache, runPlan, type ScriptPlan } from './engine.ts';
import { phrasingText, phrasingToHast } from './phrasing.ts';
import { CONSOLE_META, type DirectiveName, isDirectiveName, SCHEMAS, SCRIPT_LANGS, SOURCE, VIEW_NAMES } from './vocabulary.ts';

type Directive = ContainerDirective | LeafDirective | TextDirective;

export interface ProcessOptions {
  createSession?: CreateSession;
  cache?: RunCache;
  dockerVersion?: string;
  world?: string;
  seed?: number;
  /** Turn foreign directives back into text (default true). */
  restoreDirectives?: boolean;
}

/** One console command whose output differs from what the page states. */
export interface Mismatch {
  scenario: string;
  command: string;
  /** Where the first unmatched expected line sits (1-based). */
  line: number;
  column: number;
  diff: string;
  /** The expected lines as written: file lines [start, start + count) (1-based). */
  expectedStart: number;
  expectedCount: number;
  /** The actual output. */
  actual: string[];
  /** What `--update` writes in place of the expected lines (each with `prefix`): the actual output, or, for an expectation with `...`, the expectation with only its wrong lines replaced. */
  replacement: string[];
  prefix: string;
  message: VFileMessage;
}

export interface ProcessResult {
  mismatches: Mismatch[];
  scenarios: number;
  consoleBlocks: number;
  commands: number;
}

interface ScenarioDecl {
  id: string;
  node: ContainerDirective;
  code: Code;
  attrs: Attributes;
  plan: ScriptPlan;
  result?: PlanResult;
  order: number;
}

interface ConsoleItem {
  kind: 'console';
  node: Code;
  scenario: ScenarioDecl;
  ignore: IgnoreClass[];
  rest: string;
  commands: ConsoleCommand[];
  opStart: number;
}

interface ViewItem {
  kind: 'view';
  name: (typeof VIEW_NAMES)[number];
  node: ContainerDirective | LeafDirective;
  scenario: ScenarioDecl;
  attrs: Attributes;
  ops: Record<string, number>;
  /** Extra plans (`after`, `delta`) resolved after the scenario ran. */
  extra?: { after?: PlanResult; before?: PlanResult };
}

type Item = ConsoleItem | ViewItem;

const ALLOWED_FORMS: Record<DirectiveName, ReadonlyArray<Directive['type']>> = {
  scenario: ['containerDirective'],
  rules: ['leafDirective', 'containerDirective'],
  walk: ['leafDirective'],
  timeline: ['leafDirective'],
  trace: ['leafDirective'],
};

function form(type: Directive['type'], name: string): string {
  return type === 'containerDirective' ? `\`:::${name}\`` : type === 'leafDirective' ? `\`::${name}\`` : `\`:${name}\``;
}

function isDirective(node: Node): node is Directive {
  return node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective';
}

function label(node: ContainerDirective | LeafDirective): string | undefined {
  if (node.type === 'leafDirective') return node.children.length ? phrasingText(node.children) : undefined;
  const first = node.children[0];
  if (first && first.type === 'paragraph' && first.data?.directiveLabel) return phrasingText(first.children);
  return undefined;
}

/** `iptables` → `iptables-save`, `iptables-legacy` → `iptables-legacy-save`. */
function saveCommand(command: string): string {
  return `${command}-save`;
}

export async function processTree(tree: Root, file: VFile, options: ProcessOptions = {}): Promise<ProcessResult> {
  const path = file.path || 'input.md';
  const text = typeof file.value === 'string' ? file.value : file.value ? new TextDecoder().decode(file.value) : '';
  const scenarios = new Map<string, ScenarioDecl>();
  const items: Item[] = [];
  const foreign: Array<{ node: Directive; index: number; parent: Parent }> = [];

  // 1. collect and validate
  visit(tree, (node, index, parent) => {
    if (isDirective(node)) {
      if (!isDirectiveName(node.name)) {
        const attrs = node.attributes ?? {};
        if (node.type !== 'textDirective' && 'scenario' in attrs) {
          file.fail(`Unexpected directive ${form(node.type, node.name)}, expected one of ${VIEW_NAMES.map((n) => `\`::${n}\``).join(', ')}`, { place: node.position, ruleId: 'unknown-directive', source: SOURCE });
        }
        if (parent && index !== undefined) foreign.push({ node, index, parent: parent as Parent });
        return;
      }
      const name = node.name;
      if (!ALLOWED_FORMS[name].includes(node.type)) {
        file.fail(`Unexpected ${form(node.type, name)}, expected ${ALLOWED_FORMS[name].map((t) => form(t, name)).join(' or ')}`, { place: node.position, ruleId: 'directive-form', source: SOURCE });
      }
      const what = form(node.type, name);
      const attrs = validateAttributes(file, node, what, node.attributes ?? {}, SCHEMAS[name], 'attribute');
      if (name === 'scenario') {
        const dir = node as ContainerDirective;
        if (!isClosed(dir, text)) {
          file.fail(`Unexpected end of the document: \`:::scenario{#${attrs.id}}\` opened at line ${node.position?.start.line} is not closed, expected a \`:::\` line after its \`\`\`sh block`, { place: node.position?.start, ruleId: 'scenario-content', source: SOURCE });
        }
        const codes = dir.children.filter((c): c is Code => c.type === 'code');
        const others = dir.children.filter((c) => c.type !== 'code' && !(c.type === 'paragraph' && c.data?.directiveLabel));
        const code = codes[0];
        if (!code || codes.length > 1 || others.length > 0 || !(SCRIPT_LANGS as readonly string[]).includes(code.lang ?? '')) {
          file.fail(`Unexpected content in \`:::scenario{#${attrs.id}}\`, expected exactly one \`\`\`sh code block`, { place: node.position, ruleId: 'scenario-content', source: SOURCE });
        }
        const previous = scenarios.get(attrs.id);
        if (previous) {
          file.fail(`Unexpected second scenario \`${attrs.id}\`, the first is at line ${previous.node.position?.start.line}`, { place: node.position, ruleId: 'duplicate-scenario', source: SOURCE });
        }
        const start = code.position?.start ?? { line: 1, column: 1 };
        scenarios.set(attrs.id, {
          id: attrs.id,
          node: dir,
          code,
          attrs,
          order: scenarios.size,
          plan: {
            settings: {
              file: path,
              ...(attrs['docker-version'] ?? options.dockerVersion ? { dockerVersion: attrs['docker-version'] ?? options.dockerVersion } : {}),
              ...(attrs.world ?? options.world ? { world: attrs.world ?? options.world } : {}),
              seed: attrs.seed !== undefined && node.attributes?.seed != null ? Number(attrs.seed) : (options.seed ?? Number(attrs.seed)),
            },
            script: code.value,
            line: start.line + 1,
            column: start.column,
            ops: [],
          },
        });
        return 'skip';
      }
      const scenario = lookup(attrs.scenario, node);
      const view: ViewItem = { kind: 'view', name: name as ViewItem['name'], node: node as LeafDirective, scenario, attrs, ops: {} };
      items.push(view);
      return;
    }
    if (node.type === 'code') {
      const code = node as Code;
      if (code.lang !== 'console' || !code.meta || !/(^|\s)scenario=/.test(code.meta)) return;
      const { attributes, rest } = parseMeta(code.meta);
      const ours: Record<string, string> = {};
      const passthrough: string[] = rest ? [rest] : [];
      for (const [k, v] of Object.entries(attributes)) {
        if (k in CONSOLE_META) ours[k] = v;
        else passthrough.push(`${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`);
      }
      const attrs = validateAttributes(file, code, '```console', ours, CONSOLE_META, 'attribute');
      const scenario = lookup(attrs.scenario, code);
      const parsed = parseConsole(code.value);
      if (parsed.strayLine !== undefined) {
        const at = code.position ? { line: code.position.start.line + 1 + parsed.strayLine, column: code.position.start.column } : undefined;
        file.fail('Unexpected output before the first command, expected a line starting with `$ ` or `NAME$ `', { place: at, ruleId: 'console-syntax', source: SOURCE });
      }
      items.push({ kind: 'console', node: code, scenario, ignore: attrs.ignore ? (attrs.ignore.split(',') as IgnoreClass[]) : [], rest: passthrough.join(' '), commands: parsed.commands, opStart: 0 });
    }
  });

  function lookup(id: string, node: Node): ScenarioDecl {
    const s = scenarios.get(id);
    if (!s) {
      const known = [...scenarios.keys()];
      file.fail(
        `Unknown scenario \`${id}\`, expected ${known.length ? `one defined above: ${known.map((k) => `\`${k}\``).join(', ')}` : 'a `:::scenario{#' + id + '}` block above this one'}`,
        { place: node.position, ruleId: 'unknown-scenario', source: SOURCE },
      );
    }
    return s;
  }

  // 2. plan
  const push = (s: ScenarioDecl, op: Operation) => s.plan.ops.push(op) - 1;
  for (const item of items) {
    const s = item.scenario;
    if (item.kind === 'console') {
      item.opStart = s.plan.ops.length;
      const start = item.node.position?.start ?? { line: 1, column: 1 };
      for (const c of item.commands) {
        push(s, { kind: 'command', target: c.target, text: c.text, line: start.line + 1 + c.line, column: start.column + c.target.length + 2 });
      }
      continue;
    }
    const a = item.attrs;
    if (item.name === 'rules') {
      if (a.after === undefined && a.delta === undefined) {
        item.ops.save = push(s, { kind: 'shell', text: `${saveCommand(a.command)} -c -t ${a.table}` });
        if (a.layout === 'list') item.ops.list = push(s, { kind: 'shell', text: `${a.command} -t ${a.table} -nvL --line-numbers` });
      }
      if (a.packet !== undefined) item.ops.record = push(s, { kind: 'record' });
    } else {
      item.ops.record = push(s, { kind: 'record' });
      if (item.name === 'trace' && a.format === 'xtables-monitor') item.ops.save = push(s, { kind: 'shell', text: 'iptables-save' });
      if (item.name === 'trace' && a.format === 'tcpdump') {
        // what exists where the view listens: the namespaces, and the devices of that one (their kinds)
        const netns = a.netns === undefined || a.netns === 'host' ? '' : a.netns;
        if (!/^[\w.-]*$/.test(netns)) {
          file.fail(`Invalid \`netns\` \`${netns}\` on \`::trace\`, expected a namespace name (letters, digits, \`.\`, \`-\`, \`_\`) or \`host\``, { place: item.node.position, ruleId: 'attribute', source: SOURCE });
        }
        item.ops.namespaces = push(s, { kind: 'shell', text: 'ip netns list' });
        item.ops.links = push(s, { kind: 'shell', text: netns ? `ip -n ${netns} -o link show` : 'ip -o link show' });
      }
    }
  }

  // 3. run
  for (const s of scenarios.values()) {
    s.result = await runPlan(s.plan, options.createSession, options.cache);
    if (s.result.error) {
      const err = s.result.error;
      const out = (err.output || s.result.output).trimEnd();
      file.fail(`Scenario \`${s.id}\` failed: ${err.message}${out ? `\nOutput:\n${out}` : ''}`, {
        place: err.pos && err.pos.file === path ? { line: err.pos.line, column: err.pos.column } : s.node.position,
        ruleId: 'scenario-failed',
        source: SOURCE,
      });
    }
  }
  for (const item of items) {
    if (item.kind !== 'view' || item.name !== 'rules') continue;
    const a = item.attrs;
    const step = Number(a.after ?? a.delta);
    if (a.after === undefined && a.delta === undefined) continue;
    const s = item.scenario;
    const steps = s.result!.stepLines.length;
    if (step > steps) {
      file.fail(`Invalid \`${a.after !== undefined ? 'after' : 'delta'}\` \`${step}\`: scenario \`${s.id}\` has ${steps} steps (commands)`, { place: item.node.position, ruleId: 'attribute', source: SOURCE });
    }
    const truncated = (n: number): ScriptPlan => {
      const lines = s.code.value.split('\n');
      const cut = n >= steps ? lines.length : s.result!.stepLines[n] - s.plan.line;
      const ops: Operation[] = [{ kind: 'shell', text: `${saveCommand(a.command)} -c -t ${a.table}` }];
      if (a.layout === 'list') ops.push({ kind: 'shell', text: `${a.command} -t ${a.table} -nvL --line-numbers` });
      return { ...s.plan, script: lines.slice(0, cut).join('\n'), ops };
    };
    item.extra = { after: await runPlan(truncated(step), options.createSession, options.cache) };
    if (a.delta !== undefined) item.extra.before = await runPlan(truncated(step - 1), options.createSession, options.cache);
    for (const r of [item.extra.after, item.extra.before]) {
      if (r?.error) file.fail(`Scenario \`${s.id}\` failed when cut after step ${step}: ${r.error.message}`, { place: item.node.position, ruleId: 'scenario-failed', source: SOURCE });
    }
  }

  // 4. apply
  const result: ProcessResult = { mismatches: [], scenarios: scenarios.size, consoleBlocks: 0, commands: 0 };
  const source = text.split('\n');
  for (const s of scenarios.values()) applyScenario(s);
  for (const item of items) {
    if (item.kind === 'console') applyConsole(item);
    else applyView(item);
  }
  if (options.restoreDirectives ?? true) restoreForeign(foreign, text);
  return result;

  function opResult(s: ScenarioDecl, index: number, node: Node): OpResult {
    const r = s.result!.results[index];
    if (r.kind === 'error') {
      const out = r.error.output.trimEnd();
      file.fail(`Command failed in scenario \`${s.id}\`: ${r.error.message}${out ? `\nOutput:\n${out}` : ''}`, {
        place: r.error.pos && r.error.pos.file === path ? { line: r.error.pos.line, column: r.error.pos.column } : node.position,
        ruleId: 'command-failed',
        source: SOURCE,
      });
    }
    return r;
  }
  function outputOf(s: ScenarioDecl, index: number, node: Node): string {
    const r = opResult(s, index, node);
    return r.kind === 'output' ? r.output : '';
  }
  function recordOf(s: ScenarioDecl, index: number, node: Node): RunRecord {
    const r = opResult(s, index, node);
    if (r.kind !== 'record') throw new Error('packetwalk: internal error, expected a record');
    return r.record;
  }

  function applyScenario(s: ScenarioDecl) {
    const title = label(s.node);
    const children: RootContent[] = [];
    if (title !== undefined) children.push({ type: 'paragraph', children: [{ type: 'text', value: title }], data: { hName: 'figcaption' } } as Paragraph);
    s.code.meta = s.code.meta ?? null;
    children.push(s.code);
    if (s.attrs.output === 'show') children.push({ type: 'code', lang: 'console', meta: null, value: s.result!.output.replace(/\n$/, '') });
    s.node.children = children as ContainerDirective['children'];
    s.node.data = { hName: 'figure', hProperties: { id: s.id, className: ['packetwalk-scenario'], dataScenario: s.id } };
  }

  function applyConsole(item: ConsoleItem) {
    result.consoleBlocks++;
    const s = item.scenario;
    const lines = item.node.value.split('\n');
    const start = item.node.position?.start ?? { line: 1, column: 1 };
    const prefix = (source[start.line - 1] ?? '').slice(0, start.column - 1);
    const shown: string[] = [];
    let cursor = 0;
    item.commands.forEach((c, k) => {
      result.commands++;
      const actual = outputLines(outputOf(s, item.opStart + k, item.node));
      // lines of the block up to the end of this command's expected output, as written
      const endOfOutput = c.outputLine + c.expected.length;
      shown.push(...lines.slice(cursor, c.outputLine));
      if (c.expected.length === 0) {
        shown.push(...actual);
      } else {
        const bad = matchOutput(c.expected, actual, item.ignore);
        if (bad === undefined) {
          shown.push(...lines.slice(c.outputLine, endOfOutput));
        } else {
          const firstLine = start.line + 1 + c.outputLine;
          const at = Math.min(bad, c.expected.length - 1);
          const line = firstLine + at;
          const elided = c.expected.some((l) => l.trim() === ELLIPSIS);
          const diff = elided
            ? unifiedDiff(expandEllipses(c.expected, actual, item.ignore), actual, { fromLabel: `${path}:${firstLine} (expected, each \`...\` shown as the lines it matched)`, toLabel: 'actual' })
            : unifiedDiff(c.expected, actual, { fromLabel: `${path}:${firstLine} (expected)`, toLabel: 'actual', fromLine: firstLine });
          const reason = `Unexpected output of \`${c.text}\` in scenario \`${s.id}\`${bad >= c.expected.length ? ' (more lines than expected)' : ''}:\n${diff}`;
          const message = file.message(reason, { place: { line, column: start.column }, ruleId: 'console-mismatch', source: SOURCE });
          message.fatal = true;
          message.note = diff;
          result.mismatches.push({ scenario: s.id, command: c.text, line, column: start.column, diff, expectedStart: firstLine, expectedCount: c.expected.length, actual, replacement: updatedExpected(c.expected, actual, item.ignore), prefix, message });
          shown.push(...actual);
        }
      }
      cursor = endOfOutput;
    });
    shown.push(...lines.slice(cursor));
    while (shown.length && shown[shown.length - 1] === '') shown.pop();
    item.node.value = shown.join('\n');
    item.node.meta = item.rest || null;
    item.node.data = { ...item.node.data, hProperties: { ...(item.node.data?.hProperties ?? {}), dataScenario: s.id } };
  }

  function applyView(item: ViewItem) {
    const s = item.scenario;
    const a = item.attrs;
    const caption = a.caption ?? label(item.node);
    let content: ElementContent[];
    const place = item.node;
    switch (item.name) {
      case 'rules':
        content = [renderRules(item, caption)];
        break;
      case 'walk': {
        const record = recordOf(s, item.ops.record, place);
        const packet = Number(a.packet);
        checkPacket(record, packet, item);
        const netns = a.netns?.split(',').map((n) => (n === 'host' ? '' : n));
        if (netns) {
          const crossed = [...new Set(record.events.filter((e) => e.pkt === packet).map((e) => e.netns))];
          const stray = netns.find((n) => !crossed.includes(n));
          if (stray !== undefined) {
            file.fail(`Invalid \`netns\` \`${stray || 'host'}\`: packet ${packet} crosses ${crossed.map((n) => `\`${n || 'host'}\``).join(', ')}`, { place: place.position, ruleId: 'attribute', source: SOURCE });
          }
        }
        const text = hookWalk(record, packet, { reply: a.reply === 'true', detail: a.detail as WalkDetail, ...(netns ? { netns } : {}) });
        content = [mermaidPre(text, caption ?? `Hook walk of packet ${packet} in scenario ${s.id}`)];
        break;
      }
      case 'timeline': {
        const record = recordOf(s, item.ops.record, place);
        if (a.packets !== undefined && rangeMax(a.packets) > record.packets.length) {
          const n = record.packets.length;
          file.fail(`Invalid \`packets\` \`${a.packets}\`: scenario \`${s.id}\` ${n ? `has packets 1 to ${n} at this point` : 'has sent no packet at this point'}`, { place: place.position, ruleId: 'attribute', source: SOURCE });
        }
        const text = ctTimeline(record, a.packets ? { packets: parseRange(a.packets) } : {});
        content = [mermaidPre(text, caption ?? `Conntrack timeline of scenario ${s.id}`)];
        break;
      }
      case 'trace': {
        const record = recordOf(s, item.ops.record, place);
        const format = a.format as TraceFormat;
        if (format === 'tcpdump' && a.interface === undefined) {
          file.fail('Missing `interface` on `::trace{format=tcpdump}`, expected the device tcpdump listens on (e.g. `interface=eth0`)', { place: place.position, ruleId: 'attribute', source: SOURCE });
        }
        if (format !== 'tcpdump' && (a.interface !== undefined || a.netns !== undefined || a.filter !== undefined)) {
          const name = a.interface !== undefined ? 'interface' : a.netns !== undefined ? 'netns' : 'filter';
          file.fail(`Unexpected \`${name}\` on \`::trace{format=${format}}\`, expected it only with \`format=tcpdump\``, { place: place.position, ruleId: 'attribute', source: SOURCE });
        }
        if (a.filter !== undefined) {
          try {
            compileFilter(a.filter, {});
          } catch (err) {
            file.fail(`Invalid \`filter\` \`${a.filter}\` on \`::trace\`: ${(err as Error).message}`, { place: place.position, ruleId: 'attribute', source: SOURCE });
          }
        }
        const packet = a.packet === undefined ? undefined : Number(a.packet);
        if (packet !== undefined) checkPacket(record, packet, item);
        const rules = item.ops.save === undefined ? undefined : parseSave(outputOf(s, item.ops.save, place));
        const netns = a.netns === undefined || a.netns === 'host' ? '' : a.netns;
        const loopback = format === 'tcpdump' ? checkInterface(item, record, netns, a.interface!) : undefined;
        const text = traceLines(record, { format, packet, interface: a.interface, netns, timestamps: a.timestamps === 'true', rules, seed: s.plan.settings.seed ?? 1, ...(loopback !== undefined ? { loopback } : {}), ...(a.filter !== undefined ? { filter: a.filter } : {}) });
        content = [
          h('figure', { className: ['packetwalk-trace'], dataFormat: format }, [
            caption !== undefined && h('figcaption', {}, [caption]),
            h('pre', {}, [h('code', {}, [text.replace(/\n$/, '')])]),
          ]),
        ];
        break;
      }
    }
    item.node.children = [];
    item.node.data = { hName: 'div', hProperties: { className: ['packetwalk-view', `packetwalk-${item.name}`], dataScenario: s.id }, hChildren: content };
  }

  /**
   * `::trace{format=tcpdump}`: the namespace and the interface must exist (now, or earlier in the
   * run: a device that carried packets and was deleted since still has its capture). Returns
   * whether the interface is a loopback device (tcpdump shows each packet once there).
   */
  function checkInterface(item: ViewItem, record: RunRecord, netns: string, iface: string): boolean | undefined {
    const s = item.scenario;
    const place = item.node;
    const seen = (n: string) => record.events.some((e) => e.netns === n) || record.packets.some((p) => p.netns === n);
    const namespaces = outputOf(s, item.ops.namespaces, place).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
    const known = ['host', ...namespaces, ...[...new Set(record.events.map((e) => e.netns))].filter((n) => n !== '' && !namespaces.includes(n))];
    if (netns !== '' && !namespaces.includes(netns) && !seen(netns)) {
      file.fail(`Invalid \`netns\` \`${netns}\` on \`::trace\`: scenario \`${s.id}\` has no such namespace, expected one of ${known.map((n) => `\`${n}\``).join(', ')}`, { place: place.position, ruleId: 'attribute', source: SOURCE });
    }
    const links = new Map<string, boolean>();
    const r = opResult(s, item.ops.links, place);
    if (r.kind === 'output' && r.exitCode === 0) {
      for (const line of r.output.split('\n')) {
        const m = /^\d+: ([^:@\s]+)(?:@\S+)?: .*link\/(\w+)/.exec(line);
        if (m) links.set(m[1], m[2] === 'loopback');
      }
    }
    for (const e of record.events) if (e.type === 'dev' && e.netns === netns && !links.has(e.dev)) links.set(e.dev, e.dev === 'lo');
    if (!links.has(iface)) {
      file.fail(`Invalid \`interface\` \`${iface}\` on \`::trace\`: namespace \`${netns || 'host'}\` of scenario \`${s.id}\` has ${links.size ? [...links.keys()].map((n) => `\`${n}\``).join(', ') : 'no interface'}`, { place: place.position, ruleId: 'attribute', source: SOURCE });
    }
    return links.get(iface);
  }

  function checkPacket(record: RunRecord, packet: number, item: ViewItem) {
    if (!record.packets.some((p) => p.id === packet)) {
      const n = record.packets.length;
      file.fail(`Invalid \`packet\` \`${packet}\`: scenario \`${item.scenario.id}\` ${n ? `has packets 1 to ${n} at this point` : 'has sent no packet at this point'}`, { place: item.node.position, ruleId: 'attribute', source: SOURCE });
    }
  }

  function renderRules(item: ViewItem, caption: string | undefined) {
    const s = item.scenario;
    const a = item.attrs;
    const place = item.node;
    let saveText: string;
    let listText: string | undefined;
    if (item.extra?.after) {
      const r = item.extra.after.results;
      saveText = r[0].kind === 'output' ? r[0].output : '';
      listText = r[1]?.kind === 'output' ? r[1].output : undefined;
    } else {
      saveText = outputOf(s, item.ops.save, place);
      listText = item.ops.list === undefined ? undefined : outputOf(s, item.ops.list, place);
    }
    const table = parseSave(saveText).find((t) => t.name === a.table) ?? ({ name: a.table, chains: [], rules: [] } as SavedTable);
    const chains = a.chain?.split(',');
    for (const c of chains ?? []) {
      if (!table.chains.some((x) => x.name === c)) {
        file.fail(`Unknown chain \`${c}\` in table \`${a.table}\`, expected one of ${table.chains.map((x) => `\`${x.name}\``).join(', ')}`, { place: place.position, ruleId: 'attribute', source: SOURCE });
      }
    }
    let delta: { label: string; counters: Map<RuleKey, { packets: number; bytes: number }> } | undefined;
    if (a.delta !== undefined && item.extra?.before) {
      const b0 = item.extra.before.results[0];
      const before = parseSave(b0.kind === 'output' ? b0.output : '').find((t) => t.name === a.table);
      const counters = new Map<RuleKey, { packets: number; bytes: number }>();
      const old = new Map<RuleKey, { packets: number; bytes: number }>();
      for (const r of before?.rules ?? []) old.set(ruleKey(r.chain, r.num), r);
      for (const c of before?.chains ?? []) old.set(ruleKey(c.name, 'policy'), c);
      for (const r of table.rules) {
        const o = old.get(ruleKey(r.chain, r.num)) ?? { packets: 0, bytes: 0 };
        counters.set(ruleKey(r.chain, r.num), { packets: r.packets - o.packets, bytes: r.bytes - o.bytes });
      }
      for (const c of table.chains) {
        const o = old.get(ruleKey(c.name, 'policy')) ?? { packets: 0, bytes: 0 };
        counters.set(ruleKey(c.name, 'policy'), { packets: c.packets - o.packets, bytes: c.bytes - o.bytes });
      }
      const step = Number(a.delta);
      delta = { label: `step ${step} (${s.result!.stepTexts[step - 1]})`, counters };
    }
    let hits: Set<RuleKey> | undefined;
    if (a.packet !== undefined) {
      const record = recordOf(s, item.ops.record, place);
      const packet = Number(a.packet);
      checkPacket(record, packet, item);
      hits = new Set();
      for (const e of record.events) {
        if (e.type === 'rule' && e.pkt === packet && e.table === a.table && e.family === 'ipv4') hits.add(e.kind === 'policy' ? ruleKey(e.chain, 'policy') : ruleKey(e.chain, e.ruleNum));
      }
    }
    const authorNotes = item.node.type === 'containerDirective' ? readAuthorNotes(item, table) : undefined;
    return rulesTable({
      table,
      layout: a.layout as RuleLayout,
      list: listText === undefined ? undefined : parseList(listText),
      chains,
      delta,
      hits,
      caption,
      notes: a.notes === 'true',
      authorNotes,
    });
  }

  function readAuthorNotes(item: ViewItem, table: SavedTable): Map<RuleKey, ElementContent[]> {
    const notes = new Map<RuleKey, ElementContent[]>();
    const node = item.node as ContainerDirective;
    for (const child of node.children) {
      if (child.type === 'paragraph' && child.data?.directiveLabel) continue;
      if (child.type !== 'list') {
        file.fail('Unexpected content in `:::rules`, expected a list of notes such as `- FORWARD 3: why this rule is here`', { place: child.position, ruleId: 'rules-notes', source: SOURCE });
      }
      for (const li of (child as List).children) {
        const para = li.children[0];
        const first = para?.type === 'paragraph' ? para.children[0] : undefined;
        const m = first?.type === 'text' ? /^\s*([^\s:]+)\s+(\d+|policy):\s*/.exec(first.value) : null;
        if (!m || !para || para.type !== 'paragraph' || first?.type !== 'text') {
          file.fail('Unexpected note, expected `CHAIN N: text` or `CHAIN policy: text` (e.g. `FORWARD 3: Docker sends forwarded traffic here`)', { place: li.position, ruleId: 'rules-notes', source: SOURCE });
        }
        const [, chain, num] = m;
        const chainInfo = table.chains.find((c) => c.name === chain);
        const count = table.rules.filter((r) => r.chain === chain).length;
        if (!chainInfo || (num !== 'policy' && (Number(num) < 1 || Number(num) > count))) {
          file.fail(
            chainInfo
              ? `Unknown rule \`${chain} ${num}\`, chain \`${chain}\` of table \`${table.name}\` has ${count} rules`
              : `Unknown chain \`${chain}\` in table \`${table.name}\`, expected one of ${table.chains.map((c) => `\`${c.name}\``).join(', ')}`,
            { place: li.position, ruleId: 'rules-notes', source: SOURCE },
          );
        }
        const rest: PhrasingContent[] = [{ type: 'text', value: first.value.slice(m[0].length) }, ...para.children.slice(1)];
        notes.set(ruleKey(chain, num === 'policy' ? 'policy' : Number(num)), phrasingToHast(rest));
      }
    }
    return notes;
  }
}

/** Whether a container directive ends with its closing fence (remark-directive runs an unclosed one to the end of the document). */
function isClosed(node: ContainerDirective, text: string): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined || !text) return true;
  const lines = text.slice(start, end).trimEnd().split('\n');
  return lines.length > 1 && /^\s*(?:>\s*)*:{3,}\s*$/.test(lines[lines.length - 1]);
}

/** Turns directives that are not packetwalk's back into the text they were written as. */
function restoreForeign(foreign: Array<{ node: Directive; index: number; parent: Parent }>, source: string) {
  for (const { node, parent } of foreign.reverse()) {
    const index = parent.children.indexOf(node as never);
    if (index < 0) continue;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (node.type === 'textDirective') {
      const text = start !== undefined && end !== undefined ? source.slice(start, end) : `:${node.name}`;
      parent.children.splice(index, 1, { type: 'text', value: text } as never);
    } else if (node.type === 'leafDirective') {
      const text = start !== undefined && end !== undefined ? source.slice(start, end) : `::${node.name}`;
      parent.children.splice(index, 1, { type: 'paragraph', children: [{ type: 'text', value: text }] } as never);
    } else {
      const openEnd = start !== undefined ? source.indexOf('\n', start) : -1;
      const open = start !== undefined && openEnd > start ? source.slice(start, openEnd) : `:::${node.name}`;
      const body = node.children.filter((c) => !(c.type === 'paragraph' && c.data?.directiveLabel));
      parent.children.splice(index, 1, { type: 'paragraph', children: [{ type: 'text', value: open }] } as never, ...(body as never[]), { type: 'paragraph', children: [{ type: 'text', value: ':::' }] } as never);
    }
  }
}
