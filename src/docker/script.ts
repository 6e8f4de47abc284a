// Steps as shell lines: what a script on the real kernel runs for a docker command.
import type { Step } from './types.ts';

const SAFE = /^[A-Za-z0-9_@%+=:,./!-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One step as a shell line. Steps in a container run through `ip netns exec`; sysctl's echo and
 * anything not shown are silenced, as dockerd's children print nothing to the session.
 */
export function renderStep(step: Step): string {
  let line = step.argv.map(shellQuote).join(' ');
  if (step.netns) line = `ip netns exec ${shellQuote(step.netns)} ${line}`;
  if (!step.show) line += ' >/dev/null';
  if (step.background) line += ' 2>&1 &';
  return line;
}

/** A whole expansion as a script fragment. */
export function renderSteps(steps: Step[]): string {
  return steps.map((s) => `${renderStep(s)}\n`).join('');
}
