// Every diagram the views emit must parse with Mermaid itself (the version the site loads).
// Mermaid's parser runs in Node; only its DOMPurify hooks need a stand-in (nothing is rendered).
import DOMPurify from 'dompurify';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ctTimeline } from '../../../src/render/ct-timeline.ts';
import { hookWalk } from '../../../src/render/hook-walk.ts';
import { publishedPort, tcp } from './records.ts';

const purify = DOMPurify as unknown as Record<string, unknown>;
for (const k of ['addHook', 'removeHook', 'removeHooks']) purify[k] = () => {};
purify.sanitize = (x: string) => x;
const mermaid = (await import('mermaid')).default;

function hostile() {
  const r = publishedPort();
  const evil = '<script>alert("x")</script> [a] {b} |c| ;d #e `f` end';
  r.events.push({ t: 9, netns: evil, pkt: 1, type: 'drop', reason: evil });
  r.events.push({ t: 9, netns: '', pkt: 1, type: 'table', family: 'ipv4', hook: 'INPUT', table: 'filter', skipped: evil });
  r.events.push({ t: 9, netns: '', pkt: 1, type: 'ct', action: 'new', entryId: 9, summary: evil });
  r.packets.push({ id: 4, command: 0, netns: evil, origin: 'socket', created: tcp(4, '1.2.3.4', 1, '5.6.7.8', 2, { fin: true }), time: 9 });
  r.events.push({ t: 9, netns: 'end', pkt: 4, type: 'deliver', to: evil });
  return r;
}

const fixtures = join(import.meta.dirname, '..', 'plugin', 'fixtures');
const fromFixtures = readdirSync(fixtures).flatMap((d) => {
  let html = '';
  try {
    html = readFileSync(join(fixtures, d, 'output.html'), 'utf8');
  } catch {
    return [];
  }
  return [...html.matchAll(/<pre class="mermaid"[^>]*>([\s\S]*?)<\/pre>/g)].map((m, i) => [`fixture ${d} #${i + 1}`, m[1].replace(/&#x3C;/g, '<').replace(/&#x26;/g, '&').replace(/&lt;/g, '<').replace(/&amp;/g, '&')] as const);
});

const diagrams: Array<readonly [string, string]> = [
  ['walk with reply', hookWalk(publishedPort(), 1)],
  ['walk with reply, detail full', hookWalk(publishedPort(), 1, { detail: 'full' })],
  ['walk of a dropped packet', hookWalk(publishedPort(), 3)],
  ['walk of a dropped packet, detail full', hookWalk(publishedPort(), 3, { detail: 'full' })],
  ['walk limited to the host', hookWalk(publishedPort(), 1, { netns: [''] })],
  ['timeline', ctTimeline(publishedPort())],
  ['walk with hostile labels', hookWalk(hostile(), 1)],
  ['walk with hostile labels, detail full', hookWalk(hostile(), 1, { detail: 'full' })],
  ['timeline with hostile labels', ctTimeline(hostile())],
  ...fromFixtures,
];

describe('Mermaid parses every diagram', () => {
  test.each(diagrams)('%s', async (_name, text) => {
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
    expect(text).not.toMatch(/<script/);
  });
});
