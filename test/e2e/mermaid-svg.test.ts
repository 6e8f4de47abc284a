// Build-time Mermaid SVG (the integration's `svg` option), in Debian's Chromium through playwright-core.
//
// Writes a small Starlight site into a fresh directory under test-results/ (three pages: diagrams
// written as the views write them, hand-written ones, none), builds it with
// `packetwalk({ svg: 'always' })`, serves dist/ on 127.0.0.1 and checks that no
// `<pre class="mermaid">` is left, that each diagram is inline SVG in both themes with its source
// as the accessible description, that no page loads Mermaid, and that the page shows the light
// SVG in light mode and the dark one in dark mode without console errors. The site is a fixture,
// not the real one, so this test does not depend on the walkthroughs building; the remark plugin
// is off (`enabled: false`) for the same reason. Screenshots go to test-results/mermaid-svg/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { MermaidSvgRenderer, renderSiteDiagrams } from '../../plugins/lib/mermaid-svg.ts';
import { astroBuild, browserUnavailable, chromiumArgs, chromiumPath, root, serve } from './lib/browser.ts';

const screenshots = join(root, 'test-results', 'mermaid-svg');
const unavailable = browserUnavailable();

const walkDiagram = `flowchart LR
  subgraph p["packet 1: ICMP echo request 10.0.1.2 → 10.0.2.2"]
    direction TB
    p_0["client: sent out of eth0 via 10.0.1.1"]
    p_1{{"host: PREROUTING (in veth-c)"}}
    p_2["raw: ACCEPT&#x3C;br/>PREROUTING policy → ACCEPT"]
    p_0 --> p_1
    p_1 --> p_2
  end`;
const timelineDiagram = `sequenceDiagram
  participant n0 as client
  participant n1 as host
  n0->>n1: #35;1 ICMP echo request 10.0.1.2 → 10.0.2.2
  Note over n1: ct #35;1 created (unconfirmed): icmp 10.0.1.2 -#gt; 10.0.2.2 #91;UNREPLIED#93;
  n1->>n0: #35;2 ICMP echo reply`;

/** The fixture's pages: slug → Markdown, and how many diagrams each must end with. */
const fixturePages = [
  {
    slug: 'views',
    diagrams: 2,
    labels: ['Hook walk of packet 1 in scenario lab', 'Conntrack timeline of scenario lab'],
    markdown: `---\ntitle: Views\n---\n\nA walk and a timeline, as remark-packetwalk writes them.\n\n<pre class="mermaid" aria-label="Hook walk of packet 1 in scenario lab" role="img">${walkDiagram}\n</pre>\n\nBetween the two.\n\n<pre class="mermaid" aria-label="Conntrack timeline of scenario lab" role="img">${timelineDiagram}\n</pre>\n`,
  },
  {
    slug: 'handwritten',
    diagrams: 1,
    labels: ['Diagram'],
    markdown: `---\ntitle: Hand-written\n---\n\nThe hooks.\n\n<pre class="mermaid">\nflowchart TD\n  IN([packet arrives]) --> PRE[PREROUTING<br/>raw, mangle, nat]\n  PRE --> RT{routing decision}\n  RT -->|for this host| INP[INPUT]\n</pre>\n\nThe end.\n`,
  },
  { slug: 'plain', diagrams: 0, labels: [], markdown: `---\ntitle: Plain\n---\n\nNo diagram here.\n` },
];

/** Writes the fixture site into `dir`. */
function writeFixture(dir: string): void {
  const docs = join(dir, 'src', 'content', 'docs');
  mkdirSync(docs, { recursive: true });
  writeFileSync(
    join(dir, 'src', 'content.config.ts'),
    `import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\nexport const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n`,
  );
  writeFileSync(
    join(dir, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\nimport { unified } from '@astrojs/markdown-remark';\nimport packetwalk from ${JSON.stringify(join(root, 'plugins', 'astro-packetwalk.ts'))};\n` +
      `export default defineConfig({\n  markdown: { processor: unified() },\n  integrations: [\n    starlight({ title: 'svg fixture', pagefind: false }),\n    packetwalk({ enabled: false, svg: 'always', chromium: ${JSON.stringify(chromiumPath)} }),\n  ],\n});\n`,
  );
  writeFileSync(join(docs, 'index.md'), `---\ntitle: Fixture\n---\n\n${fixturePages.map((p) => `- [${p.slug}](/${p.slug}/)`).join('\n')}\n`);
  for (const p of fixturePages) writeFileSync(join(docs, `${p.slug}.md`), p.markdown);
  mkdirSync(join(dir, 'public'));
  writeFileSync(join(dir, 'public', 'favicon.svg'), readFileSync(join(root, 'public', 'favicon.svg')));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe.skipIf(unavailable !== undefined)('build-time Mermaid SVG (svg: always)', () => {
  let site = '';
  let dist = '';
  let buildLog = '';
  let server: Server;
  let base = '';
  let profile = '';
  let context: BrowserContext;

  beforeAll(async () => {
    // Inside the project (test-results/ is ignored by git) so the fixture resolves node_modules.
    mkdirSync(join(root, 'test-results'), { recursive: true });
    site = mkdtempSync(join(root, 'test-results', 'svg-site-'));
    dist = join(site, 'dist');
    writeFixture(site);
    buildLog = astroBuild(site, [], /^PACKETWALK_(SVG|CHROMIUM)$/);
    ({ server, base } = await serve(dist));
    profile = mkdtempSync(join(tmpdir(), 'packetwalk-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs, headless: true, viewport: { width: 1280, height: 900 } });
    // Playwright's 30 s defaults are an idle machine's; CI runs this beside the unit and kernel
    // suites on 2 cores (as site.test.ts does: waits end as soon as their condition holds).
    context.setDefaultTimeout(120_000);
    context.setDefaultNavigationTimeout(120_000);
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (site && process.env.PACKETWALK_E2E_KEEP !== '1') rmSync(site, { recursive: true, force: true });
  });

  test('the build says how many diagrams it drew', () => {
    expect(buildLog).toMatch(/\[packetwalk\] 3 Mermaid diagrams on 2 pages drawn to SVG \(light and dark\) in \d+\.\d s/);
  });

  test.each(fixturePages)('/$slug/: $diagrams diagram(s) as inline SVG in both themes, no <pre class="mermaid">', ({ slug, diagrams, labels }) => {
    const html = readFileSync(join(dist, slug, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<pre[^>]*class="[^"]*\bmermaid\b/);
    const wrappers = [...html.matchAll(/<div class="packetwalk-diagram"([^>]*)><div class="packetwalk-diagram-light">(<svg[\s\S]*?<\/svg>)<\/div><div class="packetwalk-diagram-dark">(<svg[\s\S]*?<\/svg>)<\/div><pre class="packetwalk-diagram-text" id="([^"]+)">([\s\S]*?)<\/pre><\/div>/g)];
    expect(wrappers).toHaveLength(diagrams);
    expect((html.match(/<style data-packetwalk-diagrams>/g) ?? []).length).toBe(diagrams > 0 ? 1 : 0);
    wrappers.forEach((w, i) => {
      const [, attrs, light, dark, textId, text] = w;
      expect(attrs).toContain(`aria-label="${labels[i]}"`);
      expect(attrs).toContain(`role="img" aria-describedby="${textId}"`);
      expect(textId).toBe(`packetwalk-diagram-${i}-text`);
      expect(text).toMatch(/^(flowchart|sequenceDiagram)/);
      expect(light).toMatch(new RegExp(`^<svg id="packetwalk-diagram-${i}-light"`));
      expect(dark).toMatch(new RegExp(`^<svg id="packetwalk-diagram-${i}-dark"`));
      // The themes differ in more than the ids.
      expect(light!.replaceAll('-light', '')).not.toBe(dark!.replaceAll('-dark', ''));
    });
  });

  test('no page and no script refers to Mermaid', () => {
    const files = filesUnder(dist);
    expect(files.filter((f) => /mermaid/i.test(f.slice(dist.length)))).toEqual([]);
    for (const f of files.filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/pre\.mermaid|client\/mermaid/);
    }
    for (const f of files.filter((f) => f.endsWith('.html'))) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/<script[^>]*src="[^"]*mermaid/i);
    }
  });

  async function open(path: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(base + path, { waitUntil: 'networkidle' });
    return { page, errors, requests };
  }

  test.each(fixturePages.filter((p) => p.diagrams > 0))('/$slug/ shows the light SVG in light mode and the dark one in dark mode', async ({ slug, diagrams }) => {
    const { page, errors, requests } = await open(`/${slug}/`);
    try {
      const select = page.locator('starlight-theme-select select').first();
      for (const theme of ['dark', 'light'] as const) {
        await select.selectOption(theme);
        await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
        const shown = await page.locator('.packetwalk-diagram').evaluateAll((divs) =>
          divs.map((d) =>
            Array.from(d.querySelectorAll(':scope > div > svg')).map((svg) => {
              const box = svg.getBoundingClientRect();
              return { id: svg.id, visible: getComputedStyle(svg.parentElement!).display !== 'none' && box.width > 10 && box.height > 10 };
            }),
          ),
        );
        expect(shown).toHaveLength(diagrams);
        shown.forEach((svgs, i) => {
          expect(svgs).toEqual([
            { id: `packetwalk-diagram-${i}-light`, visible: theme === 'light' },
            { id: `packetwalk-diagram-${i}-dark`, visible: theme === 'dark' },
          ]);
        });
        // The hidden source is the diagram's description, not something a reader sees.
        const textBox = await page.locator('.packetwalk-diagram-text').first().boundingBox();
        expect(textBox === null || (textBox.width <= 1 && textBox.height <= 1)).toBe(true);
        await page.screenshot({ path: join(screenshots, `${slug}-${theme}.png`), fullPage: true });
      }
      expect(requests.filter((u) => /mermaid/i.test(new URL(u).pathname))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('the same diagram gives the same bytes in another browser, whatever was drawn before it', async () => {
    const block = { html: walkDiagram };
    const other = { html: timelineDiagram };
    const a = await MermaidSvgRenderer.launch(chromiumPath);
    let first;
    try {
      await a.draw(other, 0, 'views/index.html');
      first = await a.draw(block, 1, 'views/index.html');
    } finally {
      await a.close();
    }
    const b = await MermaidSvgRenderer.launch(chromiumPath);
    let second;
    try {
      second = await b.draw(block, 1, 'views/index.html');
    } finally {
      await b.close();
    }
    expect(second).toEqual(first);
    // The source as Mermaid reads it: entities decoded, common indentation removed (mermaid.run's dedent).
    expect(first.source).toBe(walkDiagram.replace('&#x3C;', '<').replace(/\n {2}/g, '\n'));
  });

  test.each([
    {
      name: 'a diagram Mermaid cannot parse names its page and position',
      pages: { 'ok/index.html': '<pre class="mermaid">flowchart LR\n  A --> B</pre>', 'bad/index.html': '<p></p><pre class="mermaid">flowchart LR\n  A --> B</pre><pre class="mermaid">flowchart LR\n  A -->> [</pre>' },
      chromium: chromiumPath,
      message: /^packetwalk: Mermaid could not draw diagram 2 of bad\/index\.html: .*Parse error/,
    },
    {
      name: 'a browser that does not start says how to draw in the browser instead',
      pages: { 'index.html': '<pre class="mermaid">flowchart LR\n  A --> B</pre>' },
      chromium: '/bin/false',
      message: /^packetwalk: could not start Chromium at \/bin\/false to draw Mermaid diagrams \(`svg: 'never'` or PACKETWALK_SVG=never draws them in the browser instead\)/,
    },
  ])('fails the build: $name', async ({ pages, chromium: executable, message }) => {
    const dir = mkdtempSync(join(tmpdir(), 'packetwalk-svg-fail-'));
    try {
      for (const [path, html] of Object.entries(pages)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), html);
      }
      await expect(renderSiteDiagrams(dir, executable)).rejects.toThrow(message);
      // Nothing is written when a drawing fails on the page.
      expect(readFileSync(join(dir, Object.keys(pages).at(-1)!), 'utf8')).toBe(Object.values(pages).at(-1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
