// A conntrack timeline as a Mermaid sequence diagram: one participant per network namespace,
// one arrow per hop of each packet (labelled with its headers as they travel and the ct state the
// sending namespace gave it), notes for NAT rewrites and for entries created, confirmed, dropped.
import type { KernelEvent, RunRecord } from '../scenario/record.ts';
import { mermaidMessage } from './mermaid.ts';
import { describePacket, endpoint, netnsLabel } from './packet.ts';

export interface CtTimelineOptions {
  /** Packet ids to draw (default: every packet of the run). */
  packets?: (id: number) => boolean;
}

function participantId(netns: string, ids: Map<string, string>): string {
  let id = ids.get(netns);
  if (!id) {
    id = `n${ids.size}`;
    ids.set(netns, id);
  }
  return id;
}

function ctNote(e: Extract<KernelEvent, { type: 'ct' }>): string | undefined {
  switch (e.action) {
    case 'new': return `ct #${e.entryId} created (unconfirmed): ${e.summary}`;
    case 'confirm': return `ct #${e.entryId} confirmed`;
    case 'unconfirmed-drop': return `ct #${e.entryId} dropped before confirmation: no entry is left`;
    case 'destroy': return `ct #${e.entryId} destroyed`;
    case 'invalid': return `ct: INVALID`;
    case 'untracked': return `ct: untracked`;
    default: return undefined;
  }
}

export function ctTimeline(record: RunRecord, options: CtTimelineOptions = {}): string {
  const ids = new Map<string, string>();
  const body: string[] = [];
  const byPacket = new Map<number, KernelEvent[]>();
  for (const e of record.events) {
    let list = byPacket.get(e.pkt);
    if (!list) byPacket.set(e.pkt, (list = []));
    list.push(e);
  }
  for (const packet of record.packets) {
    if (options.packets && !options.packets(packet.id)) continue;
    const events = byPacket.get(packet.id) ?? [];
    let cur = packet.netns;
    participantId(cur, ids);
    let state = '';
    let snap = packet.created;
    let hops = 0;
    const arrow = (to: string, ended?: string) => {
      // An ARP frame has no IP addresses to follow through NAT: every hop names what it asks or answers.
      const head = hops === 0 || snap.arp ? `#${packet.id} ${describePacket(snap)}` : `#${packet.id} ${endpoint(snap, 'src')} → ${endpoint(snap, 'dst')}`;
      const text = `${head}${state ? ` [${state}]` : ''}${ended ? ` ${ended}` : ''}`;
      body.push(`  ${participantId(cur, ids)}${ended ? '-x' : '->>'}${participantId(to, ids)}: ${mermaidMessage(text)}`);
      hops++;
      state = '';
    };
    for (const e of events) {
      if (e.netns !== cur && (e.type === 'dev' || e.type === 'hook')) {
        arrow(e.netns);
        cur = e.netns;
      }
      if (e.type === 'dev' || e.type === 'hook') snap = e.snap;
      if (e.type === 'ct') {
        if (e.action === 'new') state = 'NEW';
        else if (e.action === 'seen') state = e.ctinfo ?? e.state ?? state;
        const note = ctNote(e);
        if (note) body.push(`  Note over ${participantId(e.netns, ids)}: ${mermaidMessage(note)}`);
      } else if (e.type === 'nat') {
        const side = e.manip === 'SRC' ? 'src' : 'dst';
        body.push(`  Note over ${participantId(e.netns, ids)}: ${mermaidMessage(`#${packet.id} ${e.manip === 'SRC' ? 'SNAT' : 'DNAT'} ${endpoint(e.before, side)} → ${endpoint(e.after, side)}${e.established ? ' (existing binding)' : ''}`)}`);
        snap = e.after;
      } else if (e.type === 'drop') {
        arrow(e.netns, `dropped: ${e.reason}`);
      } else if (e.type === 'deliver' && hops === 0) {
        arrow(e.netns);
      }
    }
  }
  const head = ['sequenceDiagram'];
  for (const [netns, id] of ids) head.push(`  participant ${id} as ${mermaidMessage(netnsLabel(netns))}`);
  return [...head, ...body].join('\n') + '\n';
}
