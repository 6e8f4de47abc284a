// What `svg: 'auto' | 'always'` writes into a built page: which `<pre>` blocks are diagrams, and
// the markup that replaces them (the drawing itself is tested in Chromium: test/e2e/mermaid-svg.test.ts).
import { describe, expect, test } from 'vitest';
import { DIAGRAM_STYLE, findDiagramBlocks, replaceDiagramBlocks } from '../../../plugins/lib/mermaid-svg.ts';

describe('findDiagramBlocks', () => {
  test.each([
    { html: '<pre class="mermaid">flowchart TD\n  A --&#x3E; B\n</pre>', found: [{ html: 'flowchart TD\n  A --&#x3E; B\n', classes: [], attributes: [] }] },
    {
      html: '<p>x</p><pre class="mermaid" aria-label="Hook walk of packet 1" role="img">graph LR</pre>',
      found: [{ html: 'graph LR', classes: [], attributes: ['aria-label="Hook walk of packet 1"', 'role="img"'] }],
    },
    { html: "<PRE class='wide mermaid' id=d1>a</PRE>", found: [{ html: 'a', classes: ['wide'], attributes: ['id=d1'] }] },
    { html: '<pre class="mermaidish">a</pre><pre>b</pre><pre class="astro-code">c</pre>', found: [] },
    { html: '<code>&lt;pre class="mermaid"&gt;A&lt;/pre&gt;</code>', found: [] },
    { html: '<pre class="mermaid">a</pre><pre>b</pre><pre class="mermaid">c</pre>', found: [{ html: 'a', classes: [], attributes: [] }, { html: 'c', classes: [], attributes: [] }] },
  ])('$html', ({ html, found }) => {
    const blocks = findDiagramBlocks(html);
    expect(blocks.map((b) => ({ html: b.html, classes: b.classes, attributes: b.attributes.map((a) => a.raw) }))).toEqual(found);
    for (const b of blocks) expect(html.slice(b.start, b.end)).toMatch(/^<pre[\s\S]*<\/pre>$/i);
  });

  test('an unclosed block is an error naming where it starts', () => {
    expect(() => findDiagramBlocks('<p></p><pre class="mermaid">A')).toThrow('packetwalk: <pre class="mermaid"> at offset 7 is never closed');
  });
});

describe('replaceDiagramBlocks', () => {
  const drawn = (i: number) => ({ source: `graph ${i} <x> & y`, light: `<svg id="L${i}"></svg>`, dark: `<svg id="D${i}"></svg>` });
  test.each([
    {
      name: 'a view diagram keeps its label',
      html: '<html><head><title>t</title></head><body><pre class="mermaid" aria-label="Hook walk" role="img">graph 0</pre></body></html>',
      expected:
        `<html><head><title>t</title>${DIAGRAM_STYLE}</head><body>` +
        '<div class="packetwalk-diagram" aria-label="Hook walk" role="img" aria-describedby="packetwalk-diagram-0-text">' +
        '<div class="packetwalk-diagram-light"><svg id="L0"></svg></div><div class="packetwalk-diagram-dark"><svg id="D0"></svg></div>' +
        '<pre class="packetwalk-diagram-text" id="packetwalk-diagram-0-text">graph 0 &lt;x&gt; &amp; y</pre></div></body></html>',
    },
    {
      name: 'a hand-written diagram gets a label; classes and id are kept; one style for two diagrams',
      html: '<head></head><pre class="mermaid wide" id="hooks">a</pre>\n<pre class="mermaid">b</pre>',
      expected:
        `<head>${DIAGRAM_STYLE}</head>` +
        '<div class="packetwalk-diagram wide" id="hooks" aria-label="Diagram" role="img" aria-describedby="packetwalk-diagram-0-text">' +
        '<div class="packetwalk-diagram-light"><svg id="L0"></svg></div><div class="packetwalk-diagram-dark"><svg id="D0"></svg></div>' +
        '<pre class="packetwalk-diagram-text" id="packetwalk-diagram-0-text">graph 0 &lt;x&gt; &amp; y</pre></div>\n' +
        '<div class="packetwalk-diagram" aria-label="Diagram" role="img" aria-describedby="packetwalk-diagram-1-text">' +
        '<div class="packetwalk-diagram-light"><svg id="L1"></svg></div><div class="packetwalk-diagram-dark"><svg id="D1"></svg></div>' +
        '<pre class="packetwalk-diagram-text" id="packetwalk-diagram-1-text">graph 1 &lt;x&gt; &amp; y</pre></div>',
    },
    { name: 'a page without diagrams is left alone', html: '<head></head><pre>x</pre>', expected: '<head></head><pre>x</pre>' },
  ])('$name', ({ html, expected }) => {
    const blocks = findDiagramBlocks(html);
    expect(replaceDiagramBlocks(html, blocks, blocks.map((_, i) => drawn(i)))).toBe(expected);
  });

  test('the theme CSS follows Starlight: light SVG by default, dark SVG under data-theme=dark', () => {
    expect(DIAGRAM_STYLE).toContain(".packetwalk-diagram-dark,:root[data-theme='dark'] .packetwalk-diagram-light{display:none}");
    expect(DIAGRAM_STYLE).toContain(":root[data-theme='dark'] .packetwalk-diagram-dark{display:block}");
  });
});
