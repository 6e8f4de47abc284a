// The Astro integration's options for build-time Mermaid SVG: validation, the plan taken from
// options and environment, and what the config hook injects for each plan.
// (The other options' cases are in test/e2e/integration.test.ts.)
import { describe, expect, test } from 'vitest';
import packetwalk, { validateOptions } from '../../../plugins/astro-packetwalk.ts';
import { svgPlan } from '../../../plugins/lib/mermaid-svg.ts';

const base = { remark: {}, mermaid: true, enabled: true };

describe('validateOptions: svg and chromium', () => {
  test.each([
    { options: {}, resolved: base },
    { options: { svg: 'never' }, resolved: { ...base, svg: 'never' } },
    { options: { svg: 'auto' }, resolved: { ...base, svg: 'auto' } },
    { options: { svg: 'always', chromium: '/opt/chromium/chrome' }, resolved: { ...base, svg: 'always', chromium: '/opt/chromium/chrome' } },
    { options: { svg: 'never', mermaid: false }, resolved: { ...base, svg: 'never', mermaid: false } },
    { options: { chromium: '/usr/bin/chromium' }, resolved: { ...base, chromium: '/usr/bin/chromium' } },
  ])('accepts $options', ({ options, resolved }) => {
    expect(validateOptions(options)).toStrictEqual(resolved);
  });

  test.each([
    { options: { svg: 'sometimes' }, message: "packetwalk: Invalid `svg` option `\"sometimes\"`, expected `'never'`, `'auto'`, `'always'`" },
    { options: { svg: true }, message: "packetwalk: Invalid `svg` option `true`, expected `'never'`, `'auto'`, `'always'`" },
    { options: { svg: 'Always' }, message: "packetwalk: Invalid `svg` option `\"Always\"`, expected `'never'`, `'auto'`, `'always'`" },
    { options: { chromium: '' }, message: "packetwalk: Invalid `chromium` option `\"\"`, expected the path of a Chromium executable such as `'/usr/bin/chromium'`" },
    { options: { chromium: 1 }, message: "packetwalk: Invalid `chromium` option `1`, expected the path of a Chromium executable such as `'/usr/bin/chromium'`" },
    { options: { svg: 'always', mermaid: false }, message: "packetwalk: `svg: 'always'` draws Mermaid diagrams, which `mermaid: false` turns off: drop one of the two" },
    { options: { svg: 'auto', mermaid: false }, message: "packetwalk: `svg: 'auto'` draws Mermaid diagrams, which `mermaid: false` turns off: drop one of the two" },
    { options: { svgs: 'auto' }, message: 'packetwalk: Unknown option `svgs`, expected one of `remark`, `mermaid`, `enabled`, `svg`, `chromium`' },
  ])('rejects $options', ({ options, message }) => {
    expect(() => validateOptions(options)).toThrow(message);
  });
});

describe('svgPlan', () => {
  const at = (...paths: string[]) => (p: string) => paths.includes(p);
  const noSvg = { render: false };
  const missingHint = 'set PACKETWALK_CHROMIUM or the `chromium` option to another browser';
  test.each([
    { name: 'default: never', options: {}, env: {}, command: 'build', exists: at('/usr/bin/chromium'), plan: noSvg },
    { name: 'auto with Debian Chromium', options: { svg: 'auto' }, env: {}, command: 'build', exists: at('/usr/bin/chromium'), plan: { render: true, chromium: '/usr/bin/chromium' } },
    { name: 'always with Debian Chromium', options: { svg: 'always' }, env: {}, command: 'build', exists: at('/usr/bin/chromium'), plan: { render: true, chromium: '/usr/bin/chromium' } },
    {
      name: 'auto without a browser: warns, draws in the browser',
      options: { svg: 'auto' }, env: {}, command: 'build', exists: at(),
      plan: { render: false, warning: `\`svg\` option is \`auto\` and there is no Chromium at /usr/bin/chromium (the default path; ${missingHint}): Mermaid diagrams will be drawn in the browser` },
    },
    { name: 'never, even with a browser', options: { svg: 'never' }, env: {}, command: 'build', exists: at('/usr/bin/chromium'), plan: noSvg },
    { name: 'dev always draws in the browser', options: { svg: 'always' }, env: {}, command: 'dev', exists: at(), plan: noSvg },
    { name: 'sync does not draw', options: { svg: 'auto' }, env: {}, command: 'sync', exists: at('/usr/bin/chromium'), plan: noSvg },
    { name: 'the chromium option wins over PACKETWALK_CHROMIUM', options: { svg: 'auto', chromium: '/opt/c' }, env: { PACKETWALK_CHROMIUM: '/x/c' }, command: 'build', exists: at('/opt/c', '/x/c'), plan: { render: true, chromium: '/opt/c' } },
    { name: 'PACKETWALK_CHROMIUM', options: { svg: 'auto' }, env: { PACKETWALK_CHROMIUM: '/x/c' }, command: 'build', exists: at('/x/c'), plan: { render: true, chromium: '/x/c' } },
    { name: 'PACKETWALK_SVG when the option is not given', options: {}, env: { PACKETWALK_SVG: 'always' }, command: 'build', exists: at('/usr/bin/chromium'), plan: { render: true, chromium: '/usr/bin/chromium' } },
    { name: 'empty PACKETWALK_SVG is unset', options: {}, env: { PACKETWALK_SVG: '' }, command: 'build', exists: at('/usr/bin/chromium'), plan: noSvg },
    { name: 'the svg option wins over PACKETWALK_SVG', options: { svg: 'never' }, env: { PACKETWALK_SVG: 'always' }, command: 'build', exists: at('/usr/bin/chromium'), plan: noSvg },
    { name: 'mermaid: false ignores PACKETWALK_SVG', options: { mermaid: false }, env: { PACKETWALK_SVG: 'always' }, command: 'build', exists: at(), plan: noSvg },
    {
      name: 'PACKETWALK_SVG=auto without a browser',
      options: {}, env: { PACKETWALK_SVG: 'auto', PACKETWALK_CHROMIUM: '/x/c' }, command: 'build', exists: at('/usr/bin/chromium'),
      plan: { render: false, warning: `PACKETWALK_SVG is \`auto\` and there is no Chromium at /x/c (PACKETWALK_CHROMIUM; ${missingHint}): Mermaid diagrams will be drawn in the browser` },
    },
  ])('$name', ({ options, env, command, exists, plan }) => {
    expect(svgPlan({ mermaid: true, ...options } as Parameters<typeof svgPlan>[0], env, command, exists)).toStrictEqual(plan);
  });

  test.each([
    {
      name: 'always without a browser',
      options: { svg: 'always' }, env: {},
      message: `packetwalk: \`svg\` option is \`always\` but there is no Chromium at /usr/bin/chromium (the default path; ${missingHint}): Mermaid diagrams cannot be drawn at build time`,
    },
    {
      name: 'always with a chromium option that is not there',
      options: { svg: 'always', chromium: '/opt/c' }, env: {},
      message: `packetwalk: \`svg\` option is \`always\` but there is no Chromium at /opt/c (the \`chromium\` option; ${missingHint}): Mermaid diagrams cannot be drawn at build time`,
    },
    {
      name: 'PACKETWALK_SVG=always without a browser',
      options: {}, env: { PACKETWALK_SVG: 'always' },
      message: `packetwalk: PACKETWALK_SVG is \`always\` but there is no Chromium at /usr/bin/chromium (the default path; ${missingHint}): Mermaid diagrams cannot be drawn at build time`,
    },
    { name: 'a bad PACKETWALK_SVG', options: {}, env: { PACKETWALK_SVG: 'yes' }, message: 'packetwalk: Invalid PACKETWALK_SVG `yes`, expected `never`, `auto`, `always`' },
  ])('throws: $name', ({ options, env, message }) => {
    expect(() => svgPlan({ mermaid: true, ...options } as Parameters<typeof svgPlan>[0], env, 'build', at())).toThrow(message);
  });
});

/** Runs the config hook; returns the injected scripts, config updates and warnings. */
async function setup(command: string, options: Parameters<typeof packetwalk>[0]) {
  const scripts: string[] = [];
  const updates: unknown[] = [];
  const warnings: string[] = [];
  const hook = packetwalk(options).hooks['astro:config:setup'] as (p: unknown) => Promise<void>;
  await hook({
    config: { markdown: {} },
    command,
    updateConfig: (c: unknown) => updates.push(c),
    injectScript: (stage: string) => scripts.push(stage),
    logger: { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) },
  });
  return { scripts, updates: updates.length, warnings };
}

describe('astro:config:setup with svg', () => {
  // Any existing file stands for a browser here: the hook only checks that it is there.
  const present = process.execPath;
  const absent = '/nonexistent/packetwalk-test/chromium';
  test.each([
    { command: 'build', svg: 'always', chromium: present, scripts: [], updates: 0, warnings: 0 },
    { command: 'build', svg: 'auto', chromium: present, scripts: [], updates: 0, warnings: 0 },
    { command: 'build', svg: 'auto', chromium: absent, scripts: ['page'], updates: 1, warnings: 1 },
    { command: 'build', svg: 'never', chromium: present, scripts: ['page'], updates: 1, warnings: 0 },
    { command: 'dev', svg: 'always', chromium: absent, scripts: ['page'], updates: 1, warnings: 0 },
  ] as const)('$command, svg $svg, chromium $chromium → loader $scripts', async ({ command, svg, chromium, scripts, updates, warnings }) => {
    const r = await setup(command, { enabled: false, svg, chromium });
    expect(r.scripts).toEqual(scripts);
    expect(r.updates).toBe(updates);
    expect(r.warnings).toHaveLength(warnings);
  });

  test('build with svg always and no browser fails before building', async () => {
    await expect(setup('build', { enabled: false, svg: 'always', chromium: absent })).rejects.toThrow(
      `packetwalk: \`svg\` option is \`always\` but there is no Chromium at ${absent} (the \`chromium\` option;`,
    );
  });
});
