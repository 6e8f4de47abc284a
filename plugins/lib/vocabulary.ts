// Closed vocabularies of the directives, as `as const` tuples with derived unions and guards.
import { knownVersions, resolveDockerVersion } from '../../src/docker/versions.ts';
import { IGNORE_CLASSES } from '../../src/render/console.ts';
import { WALK_DETAILS } from '../../src/render/hook-walk.ts';
import { RULE_LAYOUTS } from '../../src/render/rules-table.ts';
import { TRACE_FORMATS } from '../../src/render/trace.ts';
import { worldNames } from '../../src/scenario/worlds.ts';

export const SOURCE = 'remark-packetwalk';

export const VIEW_NAMES = ['rules', 'walk', 'timeline', 'trace'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];
export const DIRECTIVE_NAMES = ['scenario', ...VIEW_NAMES] as const;
export type DirectiveName = (typeof DIRECTIVE_NAMES)[number];

export function isViewName(name: string): name is ViewName {
  return (VIEW_NAMES as readonly string[]).includes(name);
}
export function isDirectiveName(name: string): name is DirectiveName {
  return (DIRECTIVE_NAMES as readonly string[]).includes(name);
}

export const TABLE_NAMES = ['filter', 'nat', 'mangle', 'raw', 'security'] as const;
export const IPTABLES_COMMANDS = ['iptables', 'iptables-nft', 'iptables-legacy'] as const;
export const BOOLEANS = ['true', 'false'] as const;
export const SCRIPT_LANGS = ['sh', 'bash', 'shell'] as const;

/** What each attribute accepts: a closed list, a kind of value, or free text. */
export type AttributeSpec =
  | { kind: 'enum'; values: readonly string[]; default?: string; list?: boolean }
  | { kind: 'integer'; min: number; default?: string }
  | { kind: 'id' }
  | { kind: 'text'; default?: string }
  | { kind: 'range' }
  /** A value only packetwalk's model can judge: `check` returns what is expected, or undefined when the value is fine. */
  | { kind: 'check'; check: (value: string) => string | undefined };

/** What a Docker version must be (undefined: packetwalk models it). */
export function dockerVersionProblem(value: string): string | undefined {
  try {
    resolveDockerVersion(value);
    return undefined;
  } catch {
    const lines = knownVersions().map((v) => v.split(' ')[0]);
    return `a Docker version packetwalk models: ${lines.join(', ')} (major.minor; a major alone, such as \`29\`, means its newest line; a full version such as \`${lines[lines.length - 1]}.0\` must be a release of its line)`;
  }
}

/** What a world name must be (undefined: a known world). */
export function worldProblem(value: string): string | undefined {
  const names = worldNames();
  return names.includes(value) ? undefined : `a world: ${names.map((n) => `\`${n}\``).join(', ')} (\`packetwalk run --print-world NAME\` shows one)`;
}

export const SCHEMAS: Record<DirectiveName, Record<string, AttributeSpec & { required?: boolean }>> = {
  scenario: {
    id: { kind: 'id', required: true },
    'docker-version': { kind: 'check', check: dockerVersionProblem },
    world: { kind: 'check', check: worldProblem },
    seed: { kind: 'integer', min: 0, default: '1' },
    output: { kind: 'enum', values: ['hide', 'show'], default: 'hide' },
  },
  rules: {
    scenario: { kind: 'id', required: true },
    table: { kind: 'enum', values: TABLE_NAMES, default: 'filter' },
    layout: { kind: 'enum', values: RULE_LAYOUTS, default: 'save' },
    chain: { kind: 'text' },
    after: { kind: 'integer', min: 1 },
    delta: { kind: 'integer', min: 1 },
    packet: { kind: 'integer', min: 1 },
    notes: { kind: 'enum', values: BOOLEANS, default: 'true' },
    command: { kind: 'enum', values: IPTABLES_COMMANDS, default: 'iptables' },
    caption: { kind: 'text' },
  },
  walk: {
    scenario: { kind: 'id', required: true },
    packet: { kind: 'integer', min: 1, required: true },
    reply: { kind: 'enum', values: BOOLEANS, default: 'true' },
    netns: { kind: 'text' },
    detail: { kind: 'enum', values: WALK_DETAILS, default: 'compact' },
    caption: { kind: 'text' },
  },
  timeline: {
    scenario: { kind: 'id', required: true },
    packets: { kind: 'range' },
    caption: { kind: 'text' },
  },
  trace: {
    scenario: { kind: 'id', required: true },
    format: { kind: 'enum', values: TRACE_FORMATS, required: true },
    packet: { kind: 'integer', min: 1 },
    interface: { kind: 'text' },
    netns: { kind: 'text' },
    filter: { kind: 'text' },
    timestamps: { kind: 'enum', values: BOOLEANS, default: 'false' },
    caption: { kind: 'text' },
  },
};

/** Options of a console code block's meta (`scenario=id ignore=timestamps,ports`). */
export const CONSOLE_META: Record<string, AttributeSpec & { required?: boolean }> = {
  scenario: { kind: 'id', required: true },
  ignore: { kind: 'enum', values: IGNORE_CLASSES, list: true },
};
