// The hook walk of one packet (and its reply) as a Mermaid flowchart, read from the run record:
// devices, hooks in the order met, the tables at each with the rules that fired and their
// verdicts, skipped tables with why, routing and bridge decisions, NAT rewrites on the edges.
// Compact (the default) folds only empty structure: hooks where no table is met and device hops
// become edge text, and a namespace netfilter never touched becomes one node listing its steps.
import { formatIpv4 } from '../kernel/addr.ts';
import type { KernelEvent, RunRecord, SkbSnapshot } from '../scenario/record.ts';
import { mermaidLabel } from './mermaid.ts';
import { describePacket, endpoint, netnsLabel, replyOf } from './packet.ts';

/** How much of the walk is drawn: `compact` folds empty structure, `full` draws every step. */
export const WALK_DETAILS = ['compact', 'full'] as const;
export type WalkDetail = (typeof WALK_DETAILS)[number];

export interface HookWalkOptions {
  /** Also draw the packet that answers it (default true). */
  reply?: boolean;
  /** Only the part of the walk inside these namespaces ('' = the host; default: every namespace). */
  netns?: readonly string[];
  /**
   * 'compact' (default): a namespace where no table, conntrack or NAT touched the packet becomes
   * one node listing its device hops, routing and bridge decisions and its end; elsewhere, hooks
   * where no table was met and device hops fold into the edges. Every table met (walked or
   * skipped), rule, verdict, routing and bridge decision, NAT rewrite and conntrack step is still
   * drawn. The packet and its reply are laid out side by side. 'full': every device hop, hook,
   * table and decision as its own node, the reply below the packet.
   */
  detail?: WalkDetail;
}

type Shape = 'stadium' | 'hexagon' | 'box' | 'round' | 'diamond' | 'parallelogram' | 'end';

interface WalkNode {
  shape: Shape;
  lines: string[];
  cls?: 'skipped' | 'drop' | 'deliver' | 'nat';
  /** For table nodes still collecting rule events. */
  table?: string;
  /** The namespace's label before the first line, when the walk enters another namespace here. */
  where: string;
  edge: string[];
}

function shapeOf(id: string, shape: Shape, label: string): string {
  switch (shape) {
    case 'stadium': return `${id}(["${label}"])`;
    case 'hexagon': return `${id}{{"${label}"}}`;
    case 'round': return `${id}("${label}")`;
    case 'diamond': return `${id}{"${label}"}`;
    case 'parallelogram': return `${id}[/"${label}"/]`;
    case 'end': return `${id}(("${label}"))`;
    default: return `${id}["${label}"]`;
  }
}

function natText(manip: 'SRC' | 'DST', before: SkbSnapshot, after: SkbSnapshot): string {
  const side = manip === 'SRC' ? 'src' : 'dst';
  return `${manip === 'SRC' ? 'SNAT' : 'DNAT'} ${endpoint(before, side)} → ${endpoint(after, side)}`;
}

function devText(e: KernelEvent & { type: 'dev' }): string {
  return `${e.dir === 'rx' ? 'in on' : 'out of'} ${e.dev}`;
}

function hookText(e: KernelEvent & { type: 'hook' }, withDevices: boolean): string {
  const fam = e.family === 'bridge' ? 'bridge ' : '';
  const devs = withDevices ? [e.in && `in ${e.in}`, e.out && `out ${e.out}`].filter(Boolean).join(', ') : '';
  return `${fam}${e.hook}${devs ? ` (${devs})` : ''}`;
}

function routeText(e: KernelEvent & { type: 'route' }): string {
  const via = [e.oif && `dev ${e.oif}`, e.gateway !== undefined && `via ${formatIpv4(e.gateway)}`].filter(Boolean).join(' ');
  return `route: ${e.result}${via ? ` ${via}` : ''}${e.reason ? ` (${e.reason})` : ''}`;
}

function bridgeText(e: KernelEvent & { type: 'bridge' }): string {
  return `bridge ${e.bridge}: ${e.action}${e.outPorts.length ? ` to ${e.outPorts.join(', ')}` : ''}`;
}

function ctText(e: KernelEvent & { type: 'ct' }): string {
  if (e.action === 'new') return `ct #${e.entryId} new`;
  if (e.action === 'confirm') return `ct #${e.entryId} confirmed`;
  if (e.action === 'seen') return `ct #${e.entryId} ${e.ctinfo ?? e.state ?? ''}`.trimEnd();
  return `ct ${e.action}`;
}

/**
 * Compact: does netfilter touch the packet in this stretch of one namespace? Any table met
 * (walked, even to an ACCEPT policy, or skipped), any conntrack step or NAT rewrite is drawn in
 * full; a stretch with none of them holds only device hops, hooks with no table, routing and
 * bridge decisions and the end, which one node can list.
 */
function touched(events: KernelEvent[]): boolean {
  return events.some((e) => e.type === 'rule' || e.type === 'table' || e.type === 'ct' || e.type === 'nat');
}

/** An item between two nodes: a step on the packet's path (device hop, hook with no table) or what happened to it there (NAT, conntrack). */
interface EdgeItem {
  path: boolean;
  text: string;
  netns: string;
}

/** Splits events into runs of the same namespace. */
function byNamespace(events: KernelEvent[]): KernelEvent[][] {
  const runs: KernelEvent[][] = [];
  for (const e of events) {
    const run = runs[runs.length - 1];
    if (run && run[0].netns === e.netns) run.push(e);
    else runs.push([e]);
  }
  return runs;
}

/** Edge lines: consecutive path steps share a line (`in on veth0 · bridge PREROUTING`). */
function edgeLines(items: EdgeItem[], label: (item: EdgeItem) => string): string[] {
  const lines: string[] = [];
  let prevPath = false;
  for (const it of items) {
    const text = label(it) + it.text;
    if (it.path && prevPath) lines[lines.length - 1] += ` · ${text}`;
    else lines.push(text);
    prevPath = it.path;
  }
  return lines;
}

function walkNodes(events: KernelEvent[], detail: WalkDetail): WalkNode[] {
  const nodes: WalkNode[] = [];
  const compact = detail === 'compact';
  /** What happens between the last node and the next, in order. */
  let pending: EdgeItem[] = [];
  /** Compact: the hook met last, drawn only when a table is met at it; `at` = pending items before it. */
  let pendingHook: { text: string; short: string; netns: string; at: number } | undefined;
  /** The namespace named last (on a node or an edge): a label names the namespace when it changes. */
  let ns: string | undefined;
  const where = (netns: string) => {
    const changed = netns !== ns;
    ns = netns;
    return changed ? `${netnsLabel(netns)}: ` : '';
  };
  const foldHook = () => {
    if (!pendingHook) return;
    pending.splice(pendingHook.at, 0, { path: true, text: pendingHook.short, netns: pendingHook.netns });
    pendingHook = undefined;
  };
  /** Appends a node after the edge `items`; `netns` = where it happens (its label names it on a change). */
  const place = (node: Omit<WalkNode, 'edge' | 'where'>, netns: string, items: EdgeItem[]) => {
    if (nodes.length === 0 && items.length) {
      // The walk starts on an edge (a netns= view begins with folded steps): its first step is the first node.
      const [first, ...rest] = items;
      nodes.push({ shape: first.path ? 'stadium' : 'box', where: where(first.netns), lines: [first.text], edge: [] });
      items = rest;
    }
    const edge = edgeLines(items, (it) => (it.path ? where(it.netns) : ''));
    nodes.push({ ...node, where: where(netns), edge });
  };
  const push = (node: Omit<WalkNode, 'edge' | 'where'>, netns: string) => {
    foldHook();
    const items = pending;
    pending = [];
    place(node, netns, items);
  };
  /** Compact: a table is met at the pending hook, so the hook gets its node; what came after the hook stays for the next edge. */
  const emitHook = () => {
    if (!pendingHook) return;
    const hook = pendingHook;
    pendingHook = undefined;
    const before = pending.slice(0, hook.at);
    pending = pending.slice(hook.at);
    place({ shape: 'hexagon', lines: [hook.text] }, hook.netns, before);
  };
  const openTable = (hook: string, table: string, netns: string) => {
    emitHook();
    const last = nodes[nodes.length - 1];
    const key = `${hook}/${table}`;
    if (last && last.table === key && pending.length === 0) return last;
    push({ shape: 'box', lines: [table], table: key }, netns);
    return nodes[nodes.length - 1];
  };
  /** Compact: one node for a namespace netfilter did not touch, listing every step but its hooks. */
  const summarize = (run: KernelEvent[]) => {
    const items: EdgeItem[] = [];
    let cls: WalkNode['cls'];
    for (const e of run) {
      const netns = e.netns;
      if (e.type === 'dev') items.push({ path: true, text: devText(e), netns });
      else if (e.type === 'route') items.push({ path: false, text: routeText(e), netns });
      else if (e.type === 'bridge') items.push({ path: false, text: bridgeText(e), netns });
      else if (e.type === 'deliver') {
        items.push({ path: false, text: `delivered to ${e.to}`, netns });
        cls = 'deliver';
      } else if (e.type === 'drop') {
        items.push({ path: false, text: `dropped: ${e.reason}`, netns });
        cls = 'drop';
      }
    }
    const lines = edgeLines(items, () => '');
    // Only an end (the packet dies or is delivered where it was made): the end node of the full walk.
    const shape = cls && items.length === 1 ? 'end' : 'round';
    push({ shape, lines: lines.length ? lines : ['passed'], ...(cls ? { cls } : {}) }, run[0].netns);
  };
  for (const run of compact ? byNamespace(events) : [events]) {
    if (compact && !touched(run)) {
      summarize(run);
      continue;
    }
    for (const e of run) {
      switch (e.type) {
        case 'dev':
          if (compact) {
            foldHook();
            pending.push({ path: true, text: devText(e), netns: e.netns });
          } else push({ shape: 'stadium', lines: [devText(e)] }, e.netns);
          break;
        case 'hook':
          if (compact) {
            foldHook();
            // Folded into an edge, the hook is named without its devices (the device hops around it name them).
            pendingHook = { text: hookText(e, true), short: hookText(e, false), netns: e.netns, at: pending.length };
          } else push({ shape: 'hexagon', lines: [hookText(e, true)] }, e.netns);
          break;
        case 'rule': {
          const node = openTable(e.hook, e.table, e.netns);
          const what = e.kind === 'rule' ? `${e.chain} rule ${e.ruleNum} → ${e.verdict}` : e.kind === 'return' ? `${e.chain} returns` : `${e.chain} policy → ${e.verdict}`;
          node.lines.push(what);
          break;
        }
        case 'table': {
          if (e.skipped !== undefined) {
            emitHook();
            push({ shape: 'box', lines: [`${e.table} skipped`, e.skipped], cls: 'skipped' }, e.netns);
            break;
          }
          const node = openTable(e.hook, e.table, e.netns);
          node.lines[0] = `${e.table}: ${e.verdict ?? 'ACCEPT'}`;
          node.table = undefined;
          if (e.verdict === 'DROP') node.cls = 'drop';
          break;
        }
        case 'nat':
          pending.push({ path: false, text: natText(e.manip, e.before, e.after), netns: e.netns });
          break;
        case 'ct':
          pending.push({ path: false, text: ctText(e), netns: e.netns });
          break;
        case 'route':
          push({ shape: 'diamond', lines: [routeText(e)] }, e.netns);
          break;
        case 'bridge':
          push({ shape: 'parallelogram', lines: [bridgeText(e)] }, e.netns);
          break;
        case 'deliver':
          push({ shape: 'end', lines: [`delivered to ${e.to}`], cls: 'deliver' }, e.netns);
          break;
        case 'drop':
          push({ shape: 'end', lines: [`dropped: ${e.reason}`], cls: 'drop' }, e.netns);
          break;
        case 'log':
          break;
      }
    }
  }
  foldHook();
  if (compact && pending.length && pending[pending.length - 1].path) {
    // The walk leaves the namespaces drawn (netns=…): its last step is the last node.
    const last = pending.pop() as EdgeItem;
    push({ shape: 'stadium', lines: [last.text] }, last.netns);
  } else if (pending.length) push({ shape: 'end', lines: ['end'] }, pending[pending.length - 1].netns);
  return nodes;
}

function emitWalk(out: string[], prefix: string, title: string[], nodes: WalkNode[]): { first?: string; last?: string } {
  out.push(`  subgraph ${prefix}["${title.map(mermaidLabel).join('<br/>')}"]`);
  out.push('    direction TB');
  nodes.forEach((n, i) => {
    const id = `${prefix}_${i}`;
    out.push(`    ${shapeOf(id, n.shape, n.lines.map((l, j) => mermaidLabel(j === 0 ? n.where + l : l)).join('<br/>'))}`);
    if (n.cls) out.push(`    class ${id} ${n.cls}`);
  });
  nodes.forEach((n, i) => {
    if (i === 0) return;
    const label = n.edge.length ? `|"${n.edge.map(mermaidLabel).join('<br/>')}"|` : '';
    out.push(`    ${prefix}_${i - 1} -->${label} ${prefix}_${i}`);
  });
  out.push('  end');
  return nodes.length ? { first: `${prefix}_0`, last: `${prefix}_${nodes.length - 1}` } : {};
}

/**
 * A subgraph's title: one line in full; in compact, the addresses on a line of their own, so the
 * title is no wider than the nodes under it and packet and reply fit side by side in a page.
 */
function titleOf(lead: string, snap: SkbSnapshot, detail: WalkDetail): string[] {
  const text = describePacket(snap);
  const route = `${endpoint(snap, 'src')} → ${endpoint(snap, 'dst')}`;
  if (detail === 'full' || !text.endsWith(` ${route}`)) return [`${lead}${text}`];
  return [`${lead}${text.slice(0, -route.length - 1)}`, route];
}

/** Mermaid flowchart text for packet `id` of the run; throws RangeError for an unknown packet. */
export function hookWalk(record: RunRecord, id: number, options: HookWalkOptions = {}): string {
  const packet = record.packets.find((p) => p.id === id);
  if (!packet) throw new RangeError(`Unknown packet \`${id}\``);
  const detail = options.detail ?? 'compact';
  // Full: one column, the reply below the packet, the packet's last node linked to the reply's
  // first. Compact: the packet and its reply side by side, each subgraph top to bottom; the
  // subgraphs are linked to each other, not node to node, so Mermaid keeps their own direction
  // (the reply's title says what it is, so the link needs no label to widen the diagram).
  const out = [detail === 'full' ? 'flowchart TB' : 'flowchart LR'];
  const inScope = (e: KernelEvent) => options.netns === undefined || options.netns.includes(e.netns);
  const a = emitWalk(out, 'p', titleOf(`packet ${id}: `, packet.created, detail), walkNodes(record.events.filter((e) => e.pkt === id && inScope(e)), detail));
  if (options.reply ?? true) {
    const rid = replyOf(record, id);
    const reply = rid === undefined ? undefined : record.packets.find((p) => p.id === rid);
    if (reply) {
      const b = emitWalk(out, 'r', titleOf(`reply, packet ${reply.id}: `, reply.created, detail), walkNodes(record.events.filter((e) => e.pkt === reply.id && inScope(e)), detail));
      if (a.last && b.first) out.push(detail === 'full' ? `  ${a.last} -.->|"answered by"| ${b.first}` : '  p -.-> r');
    }
  }
  out.push('  classDef skipped stroke-dasharray: 4 4,opacity: 0.7');
  out.push('  classDef drop stroke: #c00,stroke-width: 2px');
  out.push('  classDef deliver stroke: #080,stroke-width: 2px');
  return out.join('\n') + '\n';
}
