// The two pipelines the plugin must work in: a plain unified pipeline and Astro's
// (@astrojs/markdown-remark, which runs remark plugins then remark-rehype with raw HTML allowed).
import { createMarkdownProcessor } from '@astrojs/markdown-remark';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import remarkPacketwalk, { type Options } from '../../../plugins/remark-packetwalk.ts';
import { fakeFactory } from './fake-session.ts';

export function testOptions(extra: Options = {}): Options {
  return { createSession: fakeFactory().create, cache: false, ...extra };
}

export async function renderUnified(markdown: string, options: Options = testOptions(), path = 'input.md'): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path, value: markdown });
  const out = await unified().use(remarkParse).use(remarkDirective).use(remarkPacketwalk, options).use(remarkRehype).use(rehypeStringify).process(file);
  return { html: String(out), file: out };
}

export async function renderAstro(markdown: string, options: Options = testOptions()): Promise<string> {
  const processor = await createMarkdownProcessor({ remarkPlugins: [remarkDirective, [remarkPacketwalk, options]], syntaxHighlight: false } as never);
  const result = await processor.render(markdown, { fileURL: new URL('file:///site/input.md') } as never);
  return result.code;
}
