// The Astro integration on its own: option checks and where it puts the remark plugins.
import { describe, expect, test } from 'vitest';
import { unified } from '@astrojs/markdown-remark';
import remarkDirective from 'remark-directive';
import packetwalk, { validateOptions } from '../../plugins/astro-packetwalk.ts';

describe('validateOptions', () => {
  test.each([
    { options: undefined, resolved: { remark: {}, mermaid: true, enabled: true } },
    { options: {}, resolved: { remark: {}, mermaid: true, enabled: true } },
    { options: { mermaid: false }, resolved: { remark: {}, mermaid: false, enabled: true } },
    { options: { remark: { onMismatch: 'warn' }, enabled: false }, resolved: { remark: { onMismatch: 'warn' }, mermaid: true, enabled: false } },
  ])('accepts $options', ({ options, resolved }) => {
    expect(validateOptions(options)).toEqual(resolved);
  });

  test.each([
    { options: 'yes', message: 'packetwalk: Invalid options `"yes"`, expected an object such as `packetwalk({ mermaid: true })`' },
    { options: { mermaids: true }, message: 'packetwalk: Unknown option `mermaids`, expected one of `remark`, `mermaid`, `enabled`' },
    { options: { mermaid: 'on' }, message: 'packetwalk: Invalid `mermaid` option `"on"`, expected `true` or `false`' },
    { options: { remark: [] }, message: 'packetwalk: Invalid `remark` option `[]`, expected an object of remark-packetwalk options' },
  ])('rejects $options', ({ options, message }) => {
    expect(() => validateOptions(options)).toThrow(message);
  });
});

/** Runs the integration's config hook against a unified processor holding `plugins`. */
async function setup(plugins: unknown[], options?: Parameters<typeof packetwalk>[0]) {
  const processor = unified({ remarkPlugins: plugins as never });
  const scripts: string[] = [];
  const updates: unknown[] = [];
  const hook = packetwalk(options).hooks['astro:config:setup'] as (p: unknown) => Promise<void>;
  await hook({
    config: { markdown: { processor } },
    updateConfig: (c: unknown) => updates.push(c),
    injectScript: (stage: string, text: string) => scripts.push(`${stage}: ${text}`),
    logger: { debug() {}, warn() {}, info() {}, error() {} },
  });
  const names = processor.options.remarkPlugins.map((p) => {
    const f = Array.isArray(p) ? p[0] : p;
    return f === remarkDirective ? 'remarkDirective' : typeof f === 'function' ? f.name : String(f);
  });
  return { names, scripts, updates };
}

describe('astro:config:setup', () => {
  // Starlight's restoration plugin turns unhandled directives back into text; ours must come first.
  function remarkDirectivesRestoration() {}
  test.each([
    { given: [], expected: ['remarkDirective', 'remarkPacketwalk'] },
    { given: [remarkDirective], expected: ['remarkDirective', 'remarkPacketwalk'] },
    { given: [remarkDirective, remarkDirectivesRestoration], expected: ['remarkDirective', 'remarkPacketwalk', 'remarkDirectivesRestoration'] },
  ])('remark plugins $given.length → $expected', async ({ given, expected }) => {
    expect((await setup(given)).names).toEqual(expected);
  });

  test('disabled: no remark plugin, still the Mermaid loader', async () => {
    const r = await setup([], { enabled: false });
    expect(r.names).toEqual([]);
    expect(r.scripts).toHaveLength(1);
    expect(r.scripts[0]).toMatch(/^page: if \(document\.querySelector\('pre\.mermaid'\)\)/);
  });

  test('mermaid: false injects no script', async () => {
    expect((await setup([], { mermaid: false })).scripts).toEqual([]);
  });

  test('a processor that is not unified is refused with what to change', async () => {
    const hook = packetwalk().hooks['astro:config:setup'] as (p: unknown) => Promise<void>;
    await expect(
      hook({ config: { markdown: { processor: { name: 'satteri', options: {} } } }, updateConfig() {}, injectScript() {}, logger: {} }),
    ).rejects.toThrow('packetwalk: the Markdown processor must be unified: set `markdown: { processor: unified() }`');
  });
});
