// Author notes keep their inline Markdown (code, emphasis, links): a small mdast phrasing → hast
// mapping, so a note never passes through raw HTML.
import type { ElementContent } from 'hast';
import type { PhrasingContent } from 'mdast';
import { h } from '../../src/render/hast.ts';

export function phrasingToHast(nodes: PhrasingContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text': out.push({ type: 'text', value: n.value }); break;
      case 'inlineCode': out.push(h('code', {}, [n.value])); break;
      case 'emphasis': out.push(h('em', {}, phrasingToHast(n.children))); break;
      case 'strong': out.push(h('strong', {}, phrasingToHast(n.children))); break;
      case 'delete': out.push(h('del', {}, phrasingToHast(n.children))); break;
      case 'break': out.push(h('br')); break;
      case 'link': {
        const safe = /^(https?:|mailto:|\/|#|\.)/i.test(n.url) || !/^[a-z][a-z0-9+.-]*:/i.test(n.url);
        out.push(safe ? h('a', { href: n.url }, phrasingToHast(n.children)) : h('span', {}, phrasingToHast(n.children)));
        break;
      }
      default:
        if ('value' in n && typeof n.value === 'string') out.push({ type: 'text', value: n.value });
        else if ('children' in n) out.push(...phrasingToHast(n.children as PhrasingContent[]));
    }
  }
  return out;
}

export function phrasingText(nodes: PhrasingContent[]): string {
  return nodes.map((n) => ('value' in n && typeof n.value === 'string' ? n.value : 'children' in n ? phrasingText(n.children as PhrasingContent[]) : '')).join('');
}
