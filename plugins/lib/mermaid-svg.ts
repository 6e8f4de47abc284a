/**
 * Build-time Mermaid: turns every `<pre class="mermaid">` of the built HTML pages into inline SVG,
 * drawn once in Mermaid's light theme and once in its dark theme, so the page needs no Mermaid
 * JavaScript. The Astro integration calls `renderSiteDiagrams` from `astro:build:done` when its
 * `svg` option asks for it (plugins/astro-packetwalk.ts).
 *
 * Mermaid lays diagrams out with the browser's text measurement, so it runs where it runs for a
 * reader: Mermaid 12 from node_modules, loaded into a headless Chromium (playwright-core with the
 * given executable), with every network request refused. One browser for the whole build; pages
 * and diagrams are drawn one after the other.
 *
 * Output is a pure function of the input: each SVG gets the id `packetwalk-diagram-<index>-<theme>`
 * (index = position on its page; Mermaid prefixes every inner id with it), Mermaid's hand-drawn
 * seed is fixed, and `Math.random` is replaced by a PRNG seeded from the page path, the index and
 * the theme before every drawing. Two builds of the same content write the same bytes.
 *
 * Each diagram becomes
 *
 * ```html
 * <div class="packetwalk-diagram" role="img" aria-label="…" aria-describedby="packetwalk-diagram-0-text">
 *   <div class="packetwalk-diagram-light"><svg id="packetwalk-diagram-0-light" …>…</svg></div>
 *   <div class="packetwalk-diagram-dark"><svg id="packetwalk-diagram-0-dark" …>…</svg></div>
 *   <pre class="packetwalk-diagram-text" id="packetwalk-diagram-0-text">the Mermaid source</pre>
 * </div>
 * ```
 *
 * and a small `<style>` added to the page's head shows the SVG matching Starlight's
 * `<html data-theme>`. The source stays in the page, visually hidden, as the diagram's
 * accessible description (and for search and copy).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const SVG_MODES = ['never', 'auto', 'always'] as const;
export type SvgMode = (typeof SVG_MODES)[number];

/** Debian's Chromium; `PACKETWALK_CHROMIUM` or the integration's `chromium` option name another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Chromium's flags for a headless renderer that needs no network and no GPU. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
];

/** One `<pre class="mermaid">…</pre>` found in a page. */
export interface DiagramBlock {
  /** Offsets of the whole element in the page's HTML. */
  start: number;
  end: number;
  /** The opening tag's attributes other than `class`, as written (`aria-label="…"`). */
  attributes: { name: string; raw: string }[];
  /** Classes of the `<pre>` other than `mermaid`. */
  classes: string[];
  /** The element's content as HTML (the Mermaid source, entity-escaped). */
  html: string;
}

/** One diagram drawn in both themes. */
export interface RenderedDiagram {
  /** The Mermaid text as Mermaid read it. */
  source: string;
  light: string;
  dark: string;
}

const PRE_OPEN = /<pre(\s[^>]*)?>/gi;
const ATTRIBUTE = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The `<pre class="mermaid">` blocks of a page, in document order. */
export function findDiagramBlocks(html: string): DiagramBlock[] {
  const blocks: DiagramBlock[] = [];
  const lower = html.toLowerCase();
  PRE_OPEN.lastIndex = 0;
  for (let m = PRE_OPEN.exec(html); m !== null; m = PRE_OPEN.exec(html)) {
    const attributes: DiagramBlock['attributes'] = [];
    let classes: string[] = [];
    for (const a of (m[1] ?? '').matchAll(ATTRIBUTE)) {
      const name = a[1]!.toLowerCase();
      if (name === 'class') classes = (a[2] ?? a[3] ?? a[4] ?? '').split(/\s+/).filter(Boolean);
      else attributes.push({ name, raw: a[0] });
    }
    if (!classes.includes('mermaid')) continue;
    const contentStart = m.index + m[0].length;
    const close = lower.indexOf('</pre>', contentStart);
    if (close === -1) throw new Error(`packetwalk: <pre class="mermaid"> at offset ${m.index} is never closed`);
    blocks.push({
      start: m.index,
      end: close + '</pre>'.length,
      attributes,
      classes: classes.filter((c) => c !== 'mermaid'),
      html: html.slice(contentStart, close),
    });
    PRE_OPEN.lastIndex = close;
  }
  return blocks;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** The id of diagram `index` on its page, for `part` = light | dark | text. */
export const diagramId = (index: number, part: 'light' | 'dark' | 'text') => `packetwalk-diagram-${index}-${part}`;

/**
 * The CSS added once to each page that has a build-time diagram: the look of `pre.mermaid` in
 * src/styles/packetwalk.css, and the SVG matching Starlight's theme (`<html data-theme>`).
 */
export const DIAGRAM_STYLE =
  '<style data-packetwalk-diagrams>' +
  '.packetwalk-diagram{position:relative;border:1px solid var(--sl-color-gray-5);padding:1rem;overflow-x:auto;text-align:center}' +
  '.packetwalk-walk .packetwalk-diagram,.packetwalk-timeline .packetwalk-diagram{max-height:80vh;overflow:auto}' +
  '.packetwalk-diagram svg{display:block;margin:0 auto;max-width:100%;height:auto}' +
  ".packetwalk-diagram-dark,:root[data-theme='dark'] .packetwalk-diagram-light{display:none}" +
  ":root[data-theme='dark'] .packetwalk-diagram-dark{display:block}" +
  '.packetwalk-diagram-text{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:pre}' +
  '</style>';

/** The markup that replaces one block (see the module comment). */
export function diagramMarkup(block: DiagramBlock, index: number, d: RenderedDiagram): string {
  const attrs = block.attributes.filter((a) => !['role', 'aria-describedby', 'id'].includes(a.name)).map((a) => ` ${a.raw}`);
  if (!block.attributes.some((a) => a.name === 'aria-label' || a.name === 'aria-labelledby')) attrs.push(' aria-label="Diagram"');
  const id = block.attributes.find((a) => a.name === 'id');
  if (id) attrs.unshift(` ${id.raw}`);
  const classes = ['packetwalk-diagram', ...block.classes].join(' ');
  return (
    `<div class="${escapeAttr(classes)}"${attrs.join('')} role="img" aria-describedby="${diagramId(index, 'text')}">` +
    `<div class="packetwalk-diagram-light">${d.light}</div>` +
    `<div class="packetwalk-diagram-dark">${d.dark}</div>` +
    `<pre class="packetwalk-diagram-text" id="${diagramId(index, 'text')}">${escapeText(d.source)}</pre>` +
    `</div>`
  );
}

/** `html` with each block replaced by its drawing and the style added to the head. */
export function replaceDiagramBlocks(html: string, blocks: DiagramBlock[], drawn: RenderedDiagram[]): string {
  if (blocks.length !== drawn.length) throw new Error(`packetwalk: ${blocks.length} diagrams found but ${drawn.length} drawn`);
  if (blocks.length === 0) return html;
  let out = '';
  let at = 0;
  blocks.forEach((b, i) => {
    out += html.slice(at, b.start) + diagramMarkup(b, i, drawn[i]!);
    at = b.end;
  });
  out += html.slice(at);
  const head = out.search(/<\/head>/i);
  return head === -1 ? DIAGRAM_STYLE + out : out.slice(0, head) + DIAGRAM_STYLE + out.slice(head);
}

/** A 32-bit FNV-1a hash: the PRNG seed of one drawing. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** What the browser runs for one drawing. */
interface DrawRequest {
  html: string;
  id: string;
  theme: 'default' | 'dark';
  seed: number;
}

/**
 * Runs in the page: reads the block's HTML as `mermaid.run` does (entity decoding, dedent, trim,
 * `<br>` spelling), then `mermaid.render`. Kept free of closures: Playwright sends its source text.
 */
async function drawInPage(r: DrawRequest): Promise<{ source: string; svg: string }> {
  type MermaidApi = {
    initialize(c: Record<string, unknown>): void;
    render(id: string, text: string): Promise<{ svg: string }>;
  };
  const w = window as unknown as { mermaid: MermaidApi; escape(s: string): string; unescape(s: string): string };
  // mulberry32: anything in Mermaid that draws a random number gets the same numbers every build.
  let state = r.seed >>> 0;
  Math.random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const holder = document.createElement('pre');
  holder.innerHTML = r.html;
  const decoder = document.createElement('div');
  decoder.innerHTML = w.escape(holder.innerHTML).replace(/%26/g, '&').replace(/%23/g, '#').replace(/%3B/g, ';');
  let text = w.unescape(decoder.textContent ?? '');
  // ts-dedent, as mermaid.run applies it to a block's text.
  text = text.replace(/\r?\n([\t ]*)$/, '');
  const indents = (text.match(/\n([\t ]+|(?!\s).)/g) ?? []).map((m) => (m.match(/[\t ]/g) ?? []).length);
  if (indents.length) text = text.replace(new RegExp(`\n[\t ]{${Math.min(...indents)}}`, 'g'), '\n');
  text = text.replace(/^\r?\n/, '').trim().replace(/<br\s*\/?>/gi, '<br/>');
  w.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: r.theme, handDrawnSeed: 1 });
  const { svg } = await w.mermaid.render(r.id, text);
  return { source: text, svg };
}

/** A headless Chromium with Mermaid loaded, drawing diagrams one at a time. */
export class MermaidSvgRenderer {
  private browser: Browser;
  private page: Page;

  private constructor(browser: Browser, page: Page) {
    this.browser = browser;
    this.page = page;
  }

  /** Launches `executablePath` and loads Mermaid from node_modules into a blank page. */
  static async launch(executablePath: string): Promise<MermaidSvgRenderer> {
    const require = createRequire(import.meta.url);
    const mermaidFile = join(require.resolve('mermaid/package.json').replace(/package\.json$/, ''), 'dist', 'mermaid.min.js');
    const { chromium } = await import('playwright-core');
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
    } catch (e) {
      throw new Error(
        `packetwalk: could not start Chromium at ${executablePath} to draw Mermaid diagrams (\`svg: 'never'\` or PACKETWALK_SVG=never draws them in the browser instead): ${(e as Error).message.split('\n')[0]}`,
      );
    }
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // Nothing is fetched: Mermaid comes inline and diagrams must not reach the network.
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
      await page.addScriptTag({ content: readFileSync(mermaidFile, 'utf8') });
      if (!(await page.evaluate(() => typeof (window as unknown as { mermaid?: unknown }).mermaid === 'object'))) {
        throw new Error(`packetwalk: ${mermaidFile} did not define window.mermaid${errors.length ? `: ${errors[0]}` : ''}`);
      }
      return new MermaidSvgRenderer(browser, page);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  /** Draws one block in both themes; `key` (page and position) seeds the PRNG. */
  async draw(block: Pick<DiagramBlock, 'html'>, index: number, key: string): Promise<RenderedDiagram> {
    const out: Partial<Record<'light' | 'dark', string>> = {};
    let source = '';
    for (const part of ['light', 'dark'] as const) {
      const r = await this.page.evaluate(drawInPage, {
        html: block.html,
        id: diagramId(index, part),
        theme: part === 'dark' ? 'dark' : 'default',
        seed: seedOf(`${key}#${index}:${part}`),
      } satisfies DrawRequest);
      out[part] = r.svg;
      source = r.source;
    }
    return { source, light: out.light!, dark: out.dark! };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Every `.html` file under `dir`, sorted (Pagefind's own files excluded). */
function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (p !== join(dir, 'pagefind')) walk(p);
      } else if (e.name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export interface SiteRenderResult {
  pages: number;
  diagrams: number;
  ms: number;
}

/**
 * Draws every `<pre class="mermaid">` of the HTML files under `dir` with the Chromium at
 * `executablePath`, rewriting the files in place. A diagram Mermaid cannot draw fails with the
 * page and Mermaid's message.
 */
export async function renderSiteDiagrams(dir: string, executablePath: string): Promise<SiteRenderResult> {
  const t0 = performance.now();
  const todo = htmlFiles(dir)
    .map((file) => ({ file, html: readFileSync(file, 'utf8') }))
    .filter((p) => /<pre\s[^>]*mermaid/i.test(p.html))
    .map((p) => ({ ...p, blocks: findDiagramBlocks(p.html) }))
    .filter((p) => p.blocks.length > 0);
  let diagrams = 0;
  if (todo.length > 0) {
    const renderer = await MermaidSvgRenderer.launch(executablePath);
    try {
      for (const p of todo) {
        const key = relative(dir, p.file).split(sep).join('/');
        const drawn: RenderedDiagram[] = [];
        for (const [i, b] of p.blocks.entries()) {
          try {
            drawn.push(await renderer.draw(b, i, key));
          } catch (e) {
            throw new Error(`packetwalk: Mermaid could not draw diagram ${i + 1} of ${key}: ${(e as Error).message.split('\n').slice(0, 4).join(' ')}`);
          }
        }
        writeFileSync(p.file, replaceDiagramBlocks(p.html, p.blocks, drawn));
        diagrams += drawn.length;
      }
    } finally {
      await renderer.close();
    }
  }
  return { pages: todo.length, diagrams, ms: performance.now() - t0 };
}

/** What the integration does about build-time SVG. */
export type SvgPlan =
  | { render: false; warning?: string }
  | { render: true; chromium: string };

/**
 * Decides from the resolved options and the environment whether `astro build` draws diagrams to
 * SVG. `svg` unset falls back to `PACKETWALK_SVG`, then `'never'`; the browser is the `chromium`
 * option, else `PACKETWALK_CHROMIUM`, else /usr/bin/chromium. Throws for `always` without a
 * browser and for a bad `PACKETWALK_SVG`.
 */
export function svgPlan(
  options: { svg?: SvgMode; chromium?: string; mermaid: boolean },
  env: Record<string, string | undefined>,
  command: string,
  exists: (path: string) => boolean = existsSync,
): SvgPlan {
  let mode: SvgMode = 'never';
  let from = '`svg` option';
  if (options.svg !== undefined) mode = options.svg;
  else if (env.PACKETWALK_SVG) {
    if (!(SVG_MODES as readonly string[]).includes(env.PACKETWALK_SVG)) {
      throw new Error(`packetwalk: Invalid PACKETWALK_SVG \`${env.PACKETWALK_SVG}\`, expected ${SVG_MODES.map((m) => `\`${m}\``).join(', ')}`);
    }
    // `mermaid: false` turns diagrams off altogether; the environment does not turn them back on.
    if (!options.mermaid) return { render: false };
    mode = env.PACKETWALK_SVG as SvgMode;
    from = 'PACKETWALK_SVG';
  }
  if (mode === 'never' || command !== 'build') return { render: false };
  const chromium = options.chromium ?? (env.PACKETWALK_CHROMIUM || DEFAULT_CHROMIUM);
  const named = options.chromium !== undefined ? 'the `chromium` option' : env.PACKETWALK_CHROMIUM ? 'PACKETWALK_CHROMIUM' : 'the default path';
  if (exists(chromium)) return { render: true, chromium };
  const missing = `no Chromium at ${chromium} (${named}; set PACKETWALK_CHROMIUM or the \`chromium\` option to another browser)`;
  if (mode === 'always') {
    throw new Error(`packetwalk: ${from} is \`always\` but there is ${missing}: Mermaid diagrams cannot be drawn at build time`);
  }
  return { render: false, warning: `${from} is \`auto\` and there is ${missing}: Mermaid diagrams will be drawn in the browser` };
}
