// Attribute validation: every attribute of our directives is checked before anything runs; an
// unknown name or value fails with its position and what is supported.
import type { Node } from 'unist';
import type { VFile } from 'vfile';
import type { AttributeSpec } from './vocabulary.ts';
import { SOURCE } from './vocabulary.ts';

export type Attributes = Record<string, string>;

function quoteList(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

/** Parses a code block's meta string into `key=value` pairs (values may be quoted). */
export function parseMeta(meta: string): { attributes: Attributes; rest: string } {
  const attributes: Attributes = {};
  const rest: string[] = [];
  const re = /([A-Za-z][\w-]*)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g;
  for (let m = re.exec(meta); m; m = re.exec(meta)) {
    if (m[1] !== undefined) attributes[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
    else rest.push(m[5]);
  }
  return { attributes, rest: rest.join(' ') };
}

/** Checks attributes against a schema; fails the file at `node` on the first problem. Returns values with defaults filled in. */
export function validateAttributes(
  file: VFile,
  node: Node,
  what: string,
  given: Record<string, string | null | undefined>,
  schema: Record<string, AttributeSpec & { required?: boolean }>,
  ruleId: string,
): Attributes {
  const out: Attributes = {};
  const names = Object.keys(schema);
  for (const [name, raw] of Object.entries(given)) {
    const spec = schema[name];
    if (!spec) {
      file.fail(`Unexpected attribute \`${name}\` on ${what}, expected one of ${quoteList(names)}`, { place: node.position, ruleId, source: SOURCE });
    }
    const value = raw ?? '';
    const problem = checkValue(value, spec);
    if (problem) {
      file.fail(`Invalid \`${name}\` \`${value}\` on ${what}, expected ${problem}`, { place: node.position, ruleId, source: SOURCE });
    }
    out[name] = value;
  }
  for (const [name, spec] of Object.entries(schema)) {
    if (out[name] !== undefined) continue;
    if (spec.required) file.fail(`Missing \`${name}\` on ${what}`, { place: node.position, ruleId, source: SOURCE });
    if ('default' in spec && spec.default !== undefined) out[name] = spec.default;
  }
  return out;
}

function checkValue(value: string, spec: AttributeSpec): string | undefined {
  switch (spec.kind) {
    case 'enum': {
      const parts = spec.list ? value.split(',') : [value];
      if (parts.every((p) => spec.values.includes(p))) return undefined;
      return `${spec.list ? 'a comma-separated list of ' : ''}${quoteList(spec.values)}`;
    }
    case 'integer':
      return /^\d+$/.test(value) && Number(value) >= spec.min ? undefined : `an integer ≥ ${spec.min}`;
    case 'id':
      return /^[A-Za-z][\w-]*$/.test(value) ? undefined : 'a name of letters, digits, `-` and `_`, starting with a letter';
    case 'range': {
      const expected = 'packet numbers ≥ 1 and increasing ranges such as `1-4,7`';
      if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) return expected;
      const parts = value.split(',').map((p) => p.split('-').map(Number));
      return parts.every(([a, b]) => a >= 1 && (b === undefined || b >= a)) ? undefined : expected;
    }
    case 'text':
      return value === '' ? 'a value' : undefined;
    case 'check':
      return spec.check(value);
  }
}

/** `1-4,7` → predicate over packet ids. */
export function parseRange(text: string): (id: number) => boolean {
  const parts = text.split(',').map((p) => p.split('-').map(Number));
  return (id) => parts.some(([a, b]) => id >= a && id <= (b ?? a));
}

/** The highest packet number `1-4,7` names. */
export function rangeMax(text: string): number {
  return Math.max(...text.split(/[,-]/).map(Number));
}
