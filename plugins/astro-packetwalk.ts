/**
 * The Astro integration: wires packetwalk's remark plugin into Astro's unified Markdown
 * pipeline and draws the pages' Mermaid diagrams (`<pre class="mermaid">`): in the browser by
 * default, loaded only on pages that have one and following Starlight's light/dark theme; or, with
 * the `svg` option, as inline SVG at build time so those pages ship no Mermaid JavaScript.
 *
 * ```js
 * // astro.config.mjs
 * import { unified } from '@astrojs/markdown-remark';
 * import packetwalk from './plugins/astro-packetwalk.ts';
 * export default defineConfig({
 *   markdown: { processor: unified() },
 *   integrations: [starlight({ … }), packetwalk({ svg: 'auto' })],
 * });
 * ```
 *
 * Build-time SVG (`svg: 'auto' | 'always'`, or `PACKETWALK_SVG=auto|always npm run build` when the
 * option is not given): after `astro build` wrote the pages, each diagram is drawn by Mermaid 12
 * (from node_modules) in a headless Chromium (playwright-core; /usr/bin/chromium, or the
 * `chromium` option, or `PACKETWALK_CHROMIUM`), once per theme, and the `<pre>` is replaced by
 * both SVGs; CSS shows the one matching `<html data-theme>`. The Mermaid source stays in the page,
 * visually hidden, as the diagram's accessible description. The client loader is then not
 * injected at all, so no page loads Mermaid. Output is byte-identical from build to build.
 * `auto` without a Chromium warns once and draws in the browser as with `never`; `always` without
 * one fails the build. `astro dev` always draws in the browser. See plugins/lib/mermaid-svg.ts.
 */
import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import remarkDirective from 'remark-directive';
import { SVG_MODES, renderSiteDiagrams, svgPlan } from './lib/mermaid-svg.ts';
import type { SvgMode, SvgPlan } from './lib/mermaid-svg.ts';

/** Options of the integration; every field is optional. */
export interface Options {
  /**
   * Options handed unchanged to the remark plugin (plugins/remark-packetwalk.ts).
   * Default: `{}`.
   */
  remark?: Record<string, unknown>;
  /**
   * Draw the `<pre class="mermaid">` diagrams: in the browser, loading Mermaid only on pages
   * containing one, or at build time (see `svg`). Default: `true`. With `false`, diagrams stay
   * as their Mermaid source text (and `svg` must not ask for drawings).
   */
  mermaid?: boolean;
  /**
   * Run the remark plugin at all. Default: `true`. `false` builds the site with the directives
   * left as authored (used by `npm run bench` to measure what the plugin costs).
   */
  enabled?: boolean;
  /**
   * Draw Mermaid diagrams to inline SVG at build time (`astro build` only):
   * `'never'` draws them in the browser; `'auto'` draws them at build time when a Chromium is
   * found and otherwise warns once and draws them in the browser; `'always'` fails the build
   * when no Chromium is found. Whether a browser is there is decided when the build starts; one
   * that is there but cannot start, or a diagram Mermaid cannot draw, fails the build in both
   * modes. Default: the `PACKETWALK_SVG` environment variable (`never|auto|always`), else `'never'`.
   */
  svg?: SvgMode;
  /**
   * The Chromium executable that draws diagrams at build time.
   * Default: `PACKETWALK_CHROMIUM`, else `/usr/bin/chromium`.
   */
  chromium?: string;
}

/** Options after validation; `svg` and `chromium` stay undefined when not given (see `svgPlan`). */
export interface ResolvedOptions {
  remark: Record<string, unknown>;
  mermaid: boolean;
  enabled: boolean;
  svg?: SvgMode;
  chromium?: string;
}

const knownOptions = ['remark', 'mermaid', 'enabled', 'svg', 'chromium'] as const;

/** Checks options when passed; the messages say what to change. */
export function validateOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`packetwalk: Invalid options \`${JSON.stringify(options)}\`, expected an object such as \`packetwalk({ mermaid: true })\``);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(knownOptions as readonly string[]).includes(key)) {
      throw new Error(`packetwalk: Unknown option \`${key}\`, expected one of ${knownOptions.map((k) => `\`${k}\``).join(', ')}`);
    }
  }
  for (const key of ['mermaid', 'enabled'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      throw new Error(`packetwalk: Invalid \`${key}\` option \`${JSON.stringify(o[key])}\`, expected \`true\` or \`false\``);
    }
  }
  if (o.remark !== undefined && (o.remark === null || typeof o.remark !== 'object' || Array.isArray(o.remark))) {
    throw new Error(`packetwalk: Invalid \`remark\` option \`${JSON.stringify(o.remark)}\`, expected an object of remark-packetwalk options`);
  }
  if (o.svg !== undefined && !(SVG_MODES as readonly unknown[]).includes(o.svg)) {
    throw new Error(`packetwalk: Invalid \`svg\` option \`${JSON.stringify(o.svg)}\`, expected ${SVG_MODES.map((m) => `\`'${m}'\``).join(', ')}`);
  }
  if (o.chromium !== undefined && (typeof o.chromium !== 'string' || o.chromium === '')) {
    throw new Error(`packetwalk: Invalid \`chromium\` option \`${JSON.stringify(o.chromium)}\`, expected the path of a Chromium executable such as \`'/usr/bin/chromium'\``);
  }
  if (o.mermaid === false && o.svg !== undefined && o.svg !== 'never') {
    throw new Error(`packetwalk: \`svg: '${o.svg}'\` draws Mermaid diagrams, which \`mermaid: false\` turns off: drop one of the two`);
  }
  const resolved: ResolvedOptions = {
    remark: (o.remark as Record<string, unknown> | undefined) ?? {},
    mermaid: (o.mermaid as boolean | undefined) ?? true,
    enabled: (o.enabled as boolean | undefined) ?? true,
  };
  if (o.svg !== undefined) resolved.svg = o.svg as SvgMode;
  if (o.chromium !== undefined) resolved.chromium = o.chromium as string;
  return resolved;
}

/** Loads the remark plugin; its module may export it as default or as `remarkPacketwalk`. */
async function loadRemarkPlugin(): Promise<unknown> {
  // The remark plugin is written in parallel with this integration; until it exists the site
  // still builds, with the directives left as authored.
  if (!existsSync(new URL('./remark-packetwalk.ts', import.meta.url))) return undefined;
  const mod: Record<string, unknown> = await import('./remark-packetwalk.ts');
  const plugin = mod.default ?? mod.remarkPacketwalk;
  if (typeof plugin !== 'function') {
    throw new Error('packetwalk: plugins/remark-packetwalk.ts exports no remark plugin (expected a default export or `remarkPacketwalk`)');
  }
  return plugin;
}

interface UnifiedLikeProcessor {
  name: string;
  options: { remarkPlugins: unknown[] };
}

function isUnifiedLike(p: unknown): p is UnifiedLikeProcessor {
  if (p === null || typeof p !== 'object') return false;
  const q = p as { name?: unknown; options?: { remarkPlugins?: unknown } };
  return typeof q.name === 'string' && Array.isArray(q.options?.remarkPlugins);
}

/** The client loader: a few hundred bytes on every page; Mermaid itself only where a diagram is. */
const clientLoader = `if (document.querySelector('pre.mermaid')) { import('packetwalk/client/mermaid').then((m) => m.renderDiagrams()); }`;

export default function packetwalk(options?: Options): AstroIntegration {
  const resolved = validateOptions(options);
  let plan: SvgPlan = { render: false };
  return {
    name: 'packetwalk',
    hooks: {
      'astro:config:setup': async ({ config, command, updateConfig, injectScript, logger }) => {
        // Decided before the build starts, so `svg: 'always'` without a browser fails at once.
        plan = resolved.mermaid ? svgPlan(resolved, process.env, command) : { render: false };
        if (!plan.render && plan.warning !== undefined) logger.warn(plan.warning);
        if (resolved.enabled) {
          const processor: unknown = config.markdown.processor;
          if (!isUnifiedLike(processor)) {
            throw new Error(
              'packetwalk: the Markdown processor must be unified: set `markdown: { processor: unified() }` ' +
                "in astro.config.mjs (import { unified } from '@astrojs/markdown-remark')",
            );
          }
          const remarkPlugin = await loadRemarkPlugin();
          if (remarkPlugin === undefined) {
            logger.warn('plugins/remark-packetwalk.ts is missing: scenario directives are left as authored');
          }
          const plugins = processor.options.remarkPlugins;
          const attacher = (p: unknown): unknown => (Array.isArray(p) ? p[0] : p);
          // Starlight already registers remark-directive; a second copy would add its syntax twice.
          if (!plugins.some((p) => attacher(p) === remarkDirective)) plugins.push(remarkDirective);
          if (remarkPlugin !== undefined) {
            // Starlight turns directives nobody handled back into text, in a plugin it registers
            // right after itself: ours must run before it, or `::rules{…}` would reach the page as text.
            const restoring = plugins.findIndex((p) => {
              const f = attacher(p);
              return typeof f === 'function' && /DirectivesRestoration$/.test(f.name);
            });
            plugins.splice(restoring === -1 ? plugins.length : restoring, 0, [remarkPlugin, resolved.remark]);
          }
          logger.debug('remark-packetwalk registered');
        }
        // Drawn at build time: no page needs the loader, and Mermaid is not even bundled.
        if (resolved.mermaid && !plan.render) {
          updateConfig({
            vite: {
              resolve: {
                alias: { 'packetwalk/client/mermaid': new URL('./client/mermaid.ts', import.meta.url).pathname },
              },
            },
          });
          injectScript('page', clientLoader);
        }
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!plan.render) return;
        const r = await renderSiteDiagrams(fileURLToPath(dir), plan.chromium);
        logger.info(`${r.diagrams} Mermaid diagrams on ${r.pages} pages drawn to SVG (light and dark) in ${(r.ms / 1000).toFixed(1)} s`);
      },
    },
  };
}
