// The site, built once and driven in Debian's Chromium through playwright-core.
//
// Builds with `astro build` into a fresh directory under test-results/ (or uses PACKETWALK_E2E_DIST when set, to
// iterate quickly on an existing build), serves it on 127.0.0.1 and checks every page: no
// console errors, every Mermaid block rendered to SVG, no Mermaid JavaScript where there is no
// diagram, the sidebar reaching every walkthrough, dark mode, search, and that markup in a rule's
// comment is shown as text. A screenshot of every page goes to test-results/site/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { astroBuild, browserUnavailable, chromiumArgs, chromiumPath, root, serve } from './lib/browser.ts';

const screenshots = join(root, 'test-results', 'site');
/** How long any browser wait may take (navigation, action, condition): see beforeAll. */
const WAIT_MS = 120_000;

const unavailable = browserUnavailable();

/** Every page of the site: content/<slug>.md → /<slug>/, index.md → /. */
const pages: { slug: string; path: string }[] = readdirSync(join(root, 'content'))
  .filter((f) => f.endsWith('.md') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort()
  .map((slug) => ({ slug, path: slug === 'index' ? '/' : `/${slug}/` }));
const walkthroughs = pages.filter((p) => p.slug !== 'index');

interface Visit {
  errors: string[];
  requests: string[];
}

describe.skipIf(unavailable !== undefined)('the site in Chromium', () => {
  let dist = '';
  let buildDir = '';
  let server: Server;
  let base = '';
  let profile = '';
  let context: BrowserContext;

  beforeAll(async () => {
    if (process.env.PACKETWALK_E2E_DIST) {
      dist = resolve(process.env.PACKETWALK_E2E_DIST);
    } else {
      // Inside the project (test-results/ is ignored by git): with an outDir outside the root,
      // Astro keeps its prerender chunks in the shared .astro/, where a concurrent build (say,
      // `npm run bench`) would overwrite them halfway through this one.
      mkdirSync(join(root, 'test-results'), { recursive: true });
      buildDir = mkdtempSync(join(root, 'test-results', 'site-build-'));
      dist = join(buildDir, 'dist');
      // astroBuild gives the build the environment `npm run build` sees (without vitest's mode).
      astroBuild(root, ['--outDir', dist]);
    }
    ({ server, base } = await serve(dist));
    profile = mkdtempSync(join(tmpdir(), 'packetwalk-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      headless: true,
      viewport: { width: 1280, height: 900 },
    });
    // Playwright's defaults (30 s for an action, a navigation, a wait) are an idle machine's; CI
    // runs this suite beside the unit and kernel ones on 2 cores, where a page that loads Mermaid
    // and draws its diagrams can take several times longer. Waits end as soon as their condition
    // holds: the longer limit only turns a slow run into a pass instead of a timeout.
    context.setDefaultTimeout(WAIT_MS);
    context.setDefaultNavigationTimeout(WAIT_MS);
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (buildDir && process.env.PACKETWALK_E2E_KEEP !== '1') rmSync(buildDir, { recursive: true, force: true });
  });

  /** Opens a page, recording console errors, uncaught exceptions and every request. */
  async function visit(path: string): Promise<{ page: Page; visit: Visit }> {
    const page = await context.newPage();
    const record: Visit = { errors: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') record.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => record.errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => record.requests.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) record.errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(base + path, { waitUntil: 'networkidle' });
    return { page, visit: record };
  }

  /** Waits until every `pre.mermaid` holds an SVG; returns how many there are. */
  async function diagramsRendered(page: Page): Promise<number> {
    const count = await page.locator('pre.mermaid').count();
    if (count > 0) {
      await page.waitForFunction(
        () => Array.from(document.querySelectorAll('pre.mermaid')).every((p) => p.querySelector('svg') !== null),
        undefined,
        { timeout: WAIT_MS },
      );
    }
    return count;
  }

  test.each(pages)('$path loads without errors, renders its diagrams, screenshot saved', async ({ slug, path }) => {
    const { page, visit: v } = await visit(path);
    try {
      const diagrams = await diagramsRendered(page);
      const mermaidRequests = v.requests.filter((u) => /mermaid/i.test(new URL(u).pathname));
      if (diagrams === 0) {
        expect(mermaidRequests, 'a page without diagrams must load no Mermaid JavaScript').toEqual([]);
      } else {
        expect(mermaidRequests.length).toBeGreaterThan(0);
        expect(await page.locator('pre.mermaid svg').count()).toBeGreaterThanOrEqual(diagrams);
      }
      await page.screenshot({ path: join(screenshots, `${slug}.png`), fullPage: true });
      expect(v.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('the sidebar reaches every walkthrough, and every link works', async () => {
    const { page, visit: v } = await visit('/netfilter-in-one-page/');
    try {
      const hrefs = await page.locator('nav.sidebar a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
      for (const w of walkthroughs) expect(hrefs, `sidebar link to ${w.path}`).toContain(w.path);
      // Follow the sidebar from page to page, as a reader clicking through would.
      for (const w of walkthroughs) {
        await page.locator(`nav.sidebar a[href="${w.path}"]`).first().click();
        await page.waitForURL(base + w.path);
        await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
      }
      expect(v.errors).toEqual([]);
    } finally {
      await page.close();
    }
    // One navigation per walkthrough: more than the project's 300 s may be needed under load.
  }, 900_000);

  test('dark mode: the theme switches and diagrams are drawn again in it', async () => {
    const withDiagram = pages.find((p) => readFileSync(join(root, 'content', `${p.slug}.md`), 'utf8').includes('class="mermaid"'));
    expect(withDiagram, 'a page with a hand-written diagram').toBeDefined();
    const { page, visit: v } = await visit(withDiagram!.path);
    try {
      await diagramsRendered(page);
      const select = page.locator('starlight-theme-select select').first();
      for (const theme of ['dark', 'light'] as const) {
        await select.selectOption(theme);
        await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
        await page.waitForFunction(
          (t) => document.documentElement.dataset.packetwalkMermaid === (t === 'dark' ? 'dark' : 'default'),
          theme,
          { timeout: WAIT_MS },
        );
        await diagramsRendered(page);
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = (background.match(/\d+/g) ?? []).map(Number);
        const luminance = (r + g + b) / 3;
        if (theme === 'dark') expect(luminance).toBeLessThan(100);
        else expect(luminance).toBeGreaterThan(155);
        await page.screenshot({ path: join(screenshots, `theme-${theme}.png`) });
      }
      expect(v.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('search finds a walkthrough', async () => {
    const { page, visit: v } = await visit('/');
    try {
      await page.locator('button[data-open-modal]').first().click();
      // Pagefind's UI is created when the page is idle; on a loaded machine that can take a while.
      const input = page.locator('dialog #starlight__search input').first();
      await input.waitFor({ timeout: WAIT_MS }).catch((e: Error) => {
        throw new Error(`${e.message}\npage errors: ${JSON.stringify(v.errors)}\nrequests: ${JSON.stringify(v.requests.filter((u) => /pagefind|ui-core/.test(u)))}`);
      });
      await input.fill('MASQUERADE');
      const result = page.locator('dialog .pagefind-ui__result-link').first();
      await result.waitFor({ timeout: WAIT_MS });
      const links = await page.locator('dialog .pagefind-ui__result-link').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      expect(links.some((l) => walkthroughs.some((w) => l.startsWith(w.path)))).toBe(true);
      await page.screenshot({ path: join(screenshots, 'search.png') });
      expect(v.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('markup in a rule comment is shown as text, never run', async () => {
    const { page, visit: v } = await visit('/how-packetwalk-works/');
    try {
      await diagramsRendered(page);
      expect(await page.evaluate(() => (window as unknown as { packetwalkInjected?: number }).packetwalkInjected)).toBeUndefined();
      const text = await page.locator('main').innerText();
      expect(text).toContain('<script>window.packetwalkInjected=1</script>');
      expect(v.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
