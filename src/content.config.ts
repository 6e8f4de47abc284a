import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import type { Loader, LoaderContext } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

// The sources a page's rendering depends on besides its own text: the simulator, the views and
// the remark plugin. Their digest is part of every entry's digest, so a change to the simulator
// renders (and checks) every page again instead of serving numbers cached from an older run.
const renderInputs = ['src/kernel', 'src/userland', 'src/scenario', 'src/docker', 'src/render', 'src/index.ts', 'plugins'];

function filesUnder(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (stat.isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

function renderInputsDigest(): string {
  const hash = createHash('sha256');
  for (const file of renderInputs.flatMap((p) => filesUnder(p))) {
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Starlight's docs, read from content/ (not src/content/docs/), with two guarantees Astro's
 * glob loader does not give on its own: a page that fails to render (a scenario that cannot run,
 * a console block whose numbers are wrong) fails the build instead of being logged and published
 * empty, and a page that failed before is rendered again rather than served from the cache.
 */
function walkthroughsLoader(): Loader {
  const inner = glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' });
  return {
    name: 'packetwalk-walkthroughs',
    load: async (context: LoaderContext) => {
      for (const id of context.store.keys()) {
        const entry = context.store.get(id);
        if (entry && entry.rendered === undefined && !entry.deferredRender) context.store.delete(id);
      }
      const salt = renderInputsDigest();
      const failures: string[] = [];
      const logger = Object.create(context.logger) as LoaderContext['logger'];
      logger.error = (message: string) => {
        failures.push(message);
        context.logger.error(message);
      };
      await inner.load({
        ...context,
        logger,
        generateDigest: (data) => context.generateDigest(typeof data === 'string' ? `${salt}\n${data}` : { salt, data }),
      });
      if (failures.length > 0) {
        throw new Error(`${failures.length} page(s) failed to build:\n${failures.join('\n')}`);
      }
    },
  };
}

export const collections = {
  docs: defineCollection({ loader: walkthroughsLoader(), schema: docsSchema() }),
};
