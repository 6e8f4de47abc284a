// remark-packetwalk: runs the scenarios of a Markdown page through packetwalk's simulated network
// stack and writes their evidence into the page.
//
//     :::scenario{#ping docker-version="20.10"}      <figure id="ping" class="packetwalk-scenario">
//     ```sh                                             <pre><code class="language-sh">…
//     docker run -d --name c1 busybox sleep 1d    →   </figure>
//     ```                                               <pre><code class="language-console">
//     :::                                               $ iptables-save -c -t filter
//     ```console scenario=ping                          [80:6720] -A FORWARD -j DOCKER-USER …
//     $ iptables-save -c -t filter
//     ```
//
// Console output present in the page is checked (a mismatch fails the build with a diff);
// absent output is filled in. `::rules`, `::walk`, `::timeline`, `::trace` render views.
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { processTree } from './document.ts';
import { type CreateSession, RunCache, sharedCache } from './engine.ts';
import { dockerVersionProblem, SOURCE, worldProblem } from './vocabulary.ts';

export const MISMATCH_MODES = ['error', 'warn'] as const;
export type MismatchMode = (typeof MISMATCH_MODES)[number];

/** Configuration of remark-packetwalk; every field is optional. */
export interface Options {
  /**
   * What a console block whose stated output differs from the run does: `'error'` fails the
   * build with a diff (default), `'warn'` reports a warning and shows the actual output.
   */
  onMismatch?: MismatchMode;
  /** Keep runs in memory across builds of the same process (default `true`). */
  cache?: boolean;
  /** Docker version for scenarios without `docker-version` (default: dockerd's default model). */
  dockerVersion?: string;
  /** World for scenarios without `world` (default: none, a bare host). */
  world?: string;
  /** Seed for scenarios without `seed` (default `1`). */
  seed?: number;
  /**
   * Turn directives that are not packetwalk's back into the text they were written as, so
   * `10:30` or `eth0:1` in prose survives (default `true`). Set `false` when a later plugin in the
   * pipeline handles its own directives.
   */
  restoreDirectives?: boolean;
  /** The session factory (default: `createSession` of packetwalk's scenario engine). For tests and embedding. */
  createSession?: CreateSession;
}

const KNOWN = ['onMismatch', 'cache', 'dockerVersion', 'world', 'seed', 'restoreDirectives', 'createSession'] as const;

/** Checks options once, when the plugin is attached; throws what to change. */
export function validateOptions(options: unknown): Options {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`Invalid remark-packetwalk options \`${JSON.stringify(options)}\`, expected an object`);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(KNOWN as readonly string[]).includes(k)) throw new TypeError(`Unexpected remark-packetwalk option \`${k}\`, expected one of ${KNOWN.map((x) => `\`${x}\``).join(', ')}`);
  }
  if (o.onMismatch !== undefined && !(MISMATCH_MODES as readonly unknown[]).includes(o.onMismatch)) throw new TypeError(`Invalid \`onMismatch\` \`${String(o.onMismatch)}\`, expected \`error\` or \`warn\``);
  for (const k of ['cache', 'restoreDirectives'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw new TypeError(`Invalid \`${k}\` \`${String(o[k])}\`, expected \`true\` or \`false\``);
  }
  for (const [k, problem] of [['dockerVersion', dockerVersionProblem], ['world', worldProblem]] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') throw new TypeError(`Invalid \`${k}\` \`${String(o[k])}\`, expected a string`);
    const expected = problem(o[k]);
    if (expected) throw new TypeError(`Invalid \`${k}\` \`${o[k]}\`, expected ${expected}`);
  }
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && (o.seed as number) >= 0)) throw new TypeError(`Invalid \`seed\` \`${String(o.seed)}\`, expected an integer ≥ 0`);
  if (o.createSession !== undefined && typeof o.createSession !== 'function') throw new TypeError('Invalid `createSession`, expected a function');
  return o as Options;
}

/** The remark plugin. Needs remark-directive before it. */
export default function remarkPacketwalk(options?: Options | null) {
  const settings = validateOptions(options);
  const cache: RunCache | undefined = settings.cache === false ? undefined : sharedCache;
  return async function transform(tree: Root, file: VFile): Promise<void> {
    const result = await processTree(tree, file, {
      cache,
      createSession: settings.createSession,
      dockerVersion: settings.dockerVersion,
      world: settings.world,
      seed: settings.seed,
      restoreDirectives: settings.restoreDirectives ?? true,
    });
    if (result.mismatches.length === 0) return;
    if ((settings.onMismatch ?? 'error') === 'warn') {
      for (const m of result.mismatches) m.message.fatal = false;
      return;
    }
    const first = result.mismatches[0].message;
    if (result.mismatches.length > 1) first.reason += `\n(${result.mismatches.length - 1} more mismatch${result.mismatches.length > 2 ? 'es' : ''} in this file; \`packetwalk check\` lists them all)`;
    first.message = first.reason;
    first.source = SOURCE;
    throw first;
  };
}

export { RunCache, sharedCache };
export type { CreateSession, SessionLike, SessionSettings } from './engine.ts';
export type { Mismatch, ProcessResult } from './document.ts';
export { processTree } from './document.ts';
