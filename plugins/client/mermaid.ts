/// <reference lib="dom" />
/**
 * Renders every `<pre class="mermaid">` of the page with Mermaid, in the theme Starlight shows
 * (`<html data-theme="dark|light">`), and renders them again when the reader switches theme.
 * Loaded by the integration's page loader only when the page has a diagram.
 */
import mermaid from 'mermaid';

const sourceAttr = 'data-packetwalk-source';

function currentTheme(): 'dark' | 'default' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'default';
}

async function renderAll(): Promise<void> {
  const blocks = Array.from(document.querySelectorAll<HTMLElement>('pre.mermaid'));
  for (const block of blocks) {
    // Keep the diagram's source so a theme change can render it again.
    if (!block.hasAttribute(sourceAttr)) block.setAttribute(sourceAttr, block.textContent ?? '');
    block.removeAttribute('data-processed');
    block.textContent = block.getAttribute(sourceAttr);
  }
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: currentTheme() });
  await mermaid.run({ nodes: blocks, suppressErrors: false });
  document.documentElement.dataset.packetwalkMermaid = currentTheme();
}

let rendering: Promise<void> = Promise.resolve();

export function renderDiagrams(): Promise<void> {
  rendering = rendering.then(renderAll, renderAll);
  new MutationObserver(() => {
    const wanted = currentTheme();
    if (document.documentElement.dataset.packetwalkMermaid !== wanted) {
      rendering = rendering.then(renderAll, renderAll);
    }
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return rendering;
}
