// Docker Engine releases and the iptables rule layout each one ships (see
// ../shared/reference/docker-rules/README.md, section 1). A layout is the unit the model works in.
import { ScriptError } from '../userland/tool.ts';

export const LAYOUTS = ['L1a', 'L1b', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8'] as const;
export type Layout = (typeof LAYOUTS)[number];

export function isLayout(value: string): value is Layout {
  return (LAYOUTS as readonly string[]).includes(value);
}

interface ReleaseLine {
  line: string; // major.minor as Docker spells it ("17.03", "28.2")
  patches: number; // patch releases 0 … patches-1
  layout: (patch: number) => Layout;
}

const all = (layout: Layout) => () => layout;

/** Every release line from 1.13 to 29.7, newest last. */
const RELEASES: ReleaseLine[] = [
  { line: '1.13', patches: 2, layout: all('L1a') },
  { line: '17.03', patches: 3, layout: all('L1a') },
  { line: '17.04', patches: 1, layout: all('L1b') },
  { line: '17.05', patches: 1, layout: all('L1b') },
  { line: '17.06', patches: 3, layout: all('L2') },
  { line: '17.07', patches: 1, layout: all('L2') },
  { line: '17.09', patches: 2, layout: all('L2') },
  { line: '17.10', patches: 1, layout: all('L2') },
  { line: '17.11', patches: 1, layout: all('L2') },
  { line: '17.12', patches: 2, layout: all('L2') },
  { line: '18.01', patches: 1, layout: all('L2') },
  { line: '18.02', patches: 1, layout: all('L2') },
  { line: '18.03', patches: 2, layout: (p) => (p === 0 ? 'L2' : 'L3') },
  { line: '18.04', patches: 1, layout: all('L2') },
  { line: '18.05', patches: 1, layout: all('L3') },
  { line: '18.06', patches: 4, layout: all('L3') },
  { line: '18.09', patches: 10, layout: all('L3') },
  { line: '19.03', patches: 16, layout: all('L3') },
  { line: '20.10', patches: 28, layout: all('L3') },
  { line: '23.0', patches: 7, layout: all('L3') },
  { line: '24.0', patches: 10, layout: all('L3') },
  { line: '25.0', patches: 6, layout: all('L3') },
  { line: '26.0', patches: 3, layout: all('L3') },
  { line: '26.1', patches: 6, layout: all('L3') },
  { line: '27.0', patches: 4, layout: all('L3') },
  { line: '27.1', patches: 3, layout: all('L3') },
  { line: '27.2', patches: 2, layout: all('L3') },
  { line: '27.3', patches: 2, layout: all('L3') },
  { line: '27.4', patches: 2, layout: all('L3') },
  { line: '27.5', patches: 2, layout: all('L3') },
  { line: '28.0', patches: 5, layout: (p) => (p === 0 ? 'L4' : 'L5') },
  { line: '28.1', patches: 2, layout: all('L5') },
  { line: '28.2', patches: 3, layout: (p) => (p <= 1 ? 'L6' : 'L7') },
  { line: '28.3', patches: 4, layout: all('L7') },
  { line: '28.4', patches: 1, layout: all('L7') },
  { line: '28.5', patches: 3, layout: all('L7') },
  { line: '29.0', patches: 5, layout: all('L8') },
  { line: '29.1', patches: 5, layout: all('L8') },
  { line: '29.2', patches: 5, layout: all('L8') },
  { line: '29.3', patches: 5, layout: all('L8') },
  { line: '29.4', patches: 5, layout: all('L8') },
  { line: '29.5', patches: 5, layout: all('L8') },
  { line: '29.6', patches: 5, layout: all('L8') },
  { line: '29.7', patches: 3, layout: all('L8') },
];

export interface DockerVersion {
  /** Full version, e.g. "28.5.2" (1.13 and 17.x keep their "-ce"-less number). */
  version: string;
  major: number;
  minor: number;
  patch: number;
  layout: Layout;
}

export const DEFAULT_DOCKER_VERSION = '29.7';

export function knownVersions(): string[] {
  return RELEASES.map((r) => `${r.line} (${r.line}.0–${r.line}.${r.patches - 1})`);
}

/**
 * Resolves "29", "20.10", "28.5.2", "17.03.2-ce", "v28.0.0" to a release. major.minor means the
 * newest patch of that line; a bare major the newest line of that major.
 */
export function resolveDockerVersion(text: string = DEFAULT_DOCKER_VERSION): DockerVersion {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-ce)?$/.exec(text.trim());
  const fail = () =>
    new ScriptError(`Unknown Docker version \`${text}\`; known versions: ${RELEASES.map((r) => r.line).join(', ')} (major.minor, or a full version such as 28.5.2)`);
  if (!m) throw fail();
  const major = Number(m[1]);
  let candidates = RELEASES.filter((r) => Number(r.line.split('.')[0]) === major);
  if (m[2] !== undefined) candidates = candidates.filter((r) => Number(r.line.split('.')[1]) === Number(m[2]));
  const release = candidates[candidates.length - 1];
  if (!release) throw fail();
  const patch = m[3] === undefined ? release.patches - 1 : Number(m[3]);
  if (patch >= release.patches) {
    throw new ScriptError(`Unknown Docker version \`${text}\`: the ${release.line} line has ${release.line}.0 to ${release.line}.${release.patches - 1}`);
  }
  const minor = Number(release.line.split('.')[1]);
  return { version: `${release.line}.${patch}`, major, minor, patch, layout: release.layout(patch) };
}

/** Compares a resolved version with "major.minor[.patch]". */
export function versionAtLeast(v: DockerVersion, text: string): boolean {
  const [a = 0, b = 0, c = 0] = text.split('.').map(Number);
  if (v.major !== a) return v.major > a;
  if (v.minor !== b) return v.minor > b;
  return v.patch >= c;
}
