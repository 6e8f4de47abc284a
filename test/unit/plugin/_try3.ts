import { VFile } from 'vfile';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkDirective from 'remark-directive';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { readFileSync } from 'node:fs';
import remarkPacketwalk from '../../../plugins/remark-packetwalk.ts';
const path = process.argv[2];
try {
const out = await unified().use(remarkParse).use(remarkDirective).use(remarkPacketwalk, { onMismatch: 'warn' }).use(remarkRehype).use(rehypeStringify).process(new VFile({ path, value: readFileSync(path, 'utf8') }));
const html = String(out);
for (const m of html.matchAll(/<pre class="mermaid"[^>]*>([\s\S]*?)<\/pre>/g)) console.log(m[1].replace(/&#x3C;/g, '<').replace(/&#x26;/g, '&').slice(0, 3000), '\n-----');
} catch (e) { console.log(String(e)); }
