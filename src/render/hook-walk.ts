// The hook walk of one packet (and its reply) as a Mermaid flowchart, read from the run record:
// devices, hooks in the order met, the tables at each with the rules that fired and their
// verdicts, skipped tables with why, routing and bridge decisions, NAT rewrites on the edges.
import { formatIpv4 } from '../kernel/addr.ts';
import type { KernelEvent, RunRecord, SkbSnapshot } from '../scenario/record.ts';
import { mermaidLabel } from './mermaid.ts';
import { describePacket, endpoint, netnsLabel, replyOf } from './packet.ts';

export interface HookWalkOptions {
  /** Also draw the packet that answers it (default true). */
  reply?: boolean;
  /** Only the part of the walk inside these namespaces ('' = the host; default: every namespace). */
  netns?: readonly string[];
}

type Shape = 'stadium' | 'hexagon' | 'box' | 'diamond' | 'parallelogram' | 'end';

interface WalkNode {
  shape: Shape;
  lines: string[];
  cls?: 'skipped' | 'drop' | 'deliver' | 'nat';
  /** For table nodes still collecting rule events. */
  table?: string;
  edge: string[];
}

function shapeOf(id: string, shape: Shape, label: string): string {
  switch (shape) {
    case 'stadium': return `${id}(["${label}"])`;
    case 'hexagon': return `${id}{{"${label}"}}`;
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

function walkNodes(events: KernelEvent[]): WalkNode[] {
  const nodes: WalkNode[] = [];
  let pendingEdge: string[] = [];
  let ns: string | undefined;
  const push = (node: Omit<WalkNode, 'edge'>) => {
    nodes.push({ ...node, edge: pendingEdge });
    pendingEdge = [];
  };
  const where = (e: KernelEvent) => {
    const changed = e.netns !== ns;
    ns = e.netns;
    return changed ? `${netnsLabel(e.netns)}: ` : '';
  };
  const openTable = (hook: string, table: string) => {
    const last = nodes[nodes.length - 1];
    const key = `${hook}/${table}`;
    if (last && last.table === key && pendingEdge.length === 0) return last;
    push({ shape: 'box', lines: [table], table: key });
    return nodes[nodes.length - 1];
  };
  for (const e of events) {
    switch (e.type) {
      case 'dev':
        push({ shape: 'stadium', lines: [`${where(e)}${e.dir === 'rx' ? 'in on' : 'out of'} ${e.dev}`] });
        break;
      case 'hook': {
        const fam = e.family === 'bridge' ? 'bridge ' : '';
        const devs = [e.in && `in ${e.in}`, e.out && `out ${e.out}`].filter(Boolean).join(', ');
        push({ shape: 'hexagon', lines: [`${where(e)}${fam}${e.hook}${devs ? ` (${devs})` : ''}`] });
        break;
      }
      case 'rule': {
        const node = openTable(e.hook, e.table);
        const what = e.kind === 'rule' ? `${e.chain} rule ${e.ruleNum} → ${e.verdict}` : e.kind === 'return' ? `${e.chain} returns` : `${e.chain} policy → ${e.verdict}`;
        node.lines.push(what);
        break;
      }
      case 'table': {
        if (e.skipped !== undefined) {
          push({ shape: 'box', lines: [`${e.table} skipped`, e.skipped], cls: 'skipped' });
          break;
        }
        const node = openTable(e.hook, e.table);
        node.lines[0] = `${e.table}: ${e.verdict ?? 'ACCEPT'}`;
        node.table = undefined;
        if (e.verdict === 'DROP') node.cls = 'drop';
        break;
      }
      case 'nat':
        pendingEdge.push(natText(e.manip, e.before, e.after));
        break;
      case 'ct':
        if (e.action === 'new') pendingEdge.push(`ct #${e.entryId} new`);
        else if (e.action === 'confirm') pendingEdge.push(`ct #${e.entryId} confirmed`);
        else if (e.action === 'seen') pendingEdge.push(`ct #${e.entryId} ${e.ctinfo ?? e.state ?? ''}`.trimEnd());
        else pendingEdge.push(`ct ${e.action}`);
        break;
      case 'route': {
        const via = [e.oif && `dev ${e.oif}`, e.gateway !== undefined && `via ${formatIpv4(e.gateway)}`].filter(Boolean).join(' ');
        push({ shape: 'diamond', lines: [`${where(e)}route: ${e.result}${via ? ` ${via}` : ''}${e.reason ? ` (${e.reason})` : ''}`] });
        break;
      }
      case 'bridge':
        push({ shape: 'parallelogram', lines: [`${where(e)}bridge ${e.bridge}: ${e.action}${e.outPorts.length ? ` to ${e.outPorts.join(', ')}` : ''}`] });
        break;
      case 'deliver':
        push({ shape: 'end', lines: [`${where(e)}delivered to ${e.to}`], cls: 'deliver' });
        break;
      case 'drop':
        push({ shape: 'end', lines: [`${where(e)}dropped: ${e.reason}`], cls: 'drop' });
        break;
      case 'log':
        break;
    }
  }
  if (pendingEdge.length) push({ shape: 'end', lines: ['end'] });
  return nodes;
}

function emitWalk(out: string[], prefix: string, title: string, nodes: WalkNode[]): { first?: string; last?: string } {
  out.push(`  subgraph ${prefix}["${mermaidLabel(title)}"]`);
  out.push('    direction TB');
  nodes.forEach((n, i) => {
    const id = `${prefix}_${i}`;
    out.push(`    ${shapeOf(id, n.shape, n.lines.map(mermaidLabel).join('<br/>'))}`);
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

/** Mermaid flowchart text for packet `id` of the run; throws RangeError for an unknown packet. */
export function hookWalk(record: RunRecord, id: number, options: HookWalkOptions = {}): string {
  const packet = record.packets.find((p) => p.id === id);
  if (!packet) throw new RangeError(`Unknown packet \`${id}\``);
  const out = ['flowchart TB'];
  const title = `packet ${id}: ${describePacket(packet.created)}`;
  const inScope = (e: KernelEvent) => options.netns === undefined || options.netns.includes(e.netns);
  const a = emitWalk(out, 'p', title, walkNodes(record.events.filter((e) => e.pkt === id && inScope(e))));
  if (options.reply ?? true) {
    const rid = replyOf(record, id);
    const reply = rid === undefined ? undefined : record.packets.find((p) => p.id === rid);
    if (reply) {
      const b = emitWalk(out, 'r', `reply, packet ${reply.id}: ${describePacket(reply.created)}`, walkNodes(record.events.filter((e) => e.pkt === reply.id && inScope(e))));
      if (a.last && b.first) out.push(`  ${a.last} -.->|"answered by"| ${b.first}`);
    }
  }
  out.push('  classDef skipped stroke-dasharray: 4 4,opacity: 0.7');
  out.push('  classDef drop stroke: #c00,stroke-width: 2px');
  out.push('  classDef deliver stroke: #080,stroke-width: 2px');
  return out.join('\n') + '\n';
}
