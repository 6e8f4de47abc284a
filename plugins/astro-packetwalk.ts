/**
 * The Astro integration: wires packetwalk's remark plugin into Astro's unified Markdown
 * pipeline and loads Mermaid in the browser on the pages that contain a diagram.
 *
 * ```js
 * // astro.config.mjs
 * import { unified } from '@astrojs/markdown-remark';
 * import packetwalk from './plugins/astro-packetwalk.ts';
 * export default defineConfig({
 *   markdown: { processor: unified() },
 *   integrations: [starlight({ … }), packetwalk({ dockerVersion: '29' })],
 * });
 * ```
 */
import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import remarkDirective from 'remark-directive';

/** Options of the integration; every field is optional. */
export interface Options {
  /**
   * Options handed unchanged to the remark plugin (plugins/remark-packetwalk.ts).
   * Default: `{}`.
   */
  remark?: Record<string, unknown>;
  /**
   * Load Mermaid in the browser on pages containing `<pre class="mermaid">`.
   * Default: `true`. With `false`, diagrams stay as their Mermaid source text.
   */
  mermaid?: boolean;
  /**
   * Run the remark plugin at all. Default: `true`. `false` builds the site with the directives
   * left as authored (used by `npm run bench` to measure what the plugin costs).
   */
  enabled?: boolean;
}

const knownOptions = ['remark', 'mermaid', 'enabled'] as const;

/** Checks options when passed; the messages say what to change. */
export function validateOptions(options: unknown): Required<Options> {
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
  return {
    remark: (o.remark as Record<string, unknown> | undefined) ?? {},
    mermaid: (o.mermaid as boolean | undefined) ?? true,
    enabled: (o.enabled as boolean | undefined) ?? true,
  };
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
  return {
    name: 'packetwalk',
    hooks: {
      'astro:config:setup': async ({ config, updateConfig, injectScript, logger }) => {
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
        if (resolved.mermaid) {
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
    },
  };
}
