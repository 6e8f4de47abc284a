// A minimal hast builder: views return hast trees (plain data), so the plugin can hand them to
// remark-rehype as `data.hChildren` and every text stays a text node (escaped when serialized).
import type { Element, ElementContent, Properties } from 'hast';

export type Child = ElementContent | string | undefined | false;

export function h(tagName: string, properties: Properties = {}, children: Child[] = []): Element {
  const kids: ElementContent[] = [];
  for (const c of children) {
    if (c === undefined || c === false) continue;
    kids.push(typeof c === 'string' ? { type: 'text', value: c } : c);
  }
  return { type: 'element', tagName, properties, children: kids };
}

/** `<pre class="mermaid">` holding the diagram text (Mermaid renders it in the browser). */
export function mermaidPre(text: string, label: string): Element {
  return h('pre', { className: ['mermaid'], ariaLabel: label, role: 'img' }, [text]);
}
