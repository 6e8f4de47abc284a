// Steps as shell lines: what a script on the real kernel runs for a docker command.
import { expandDockerCommand } from './model.ts';
import type { DockerState, ExpandOptions, Step } from './types.ts';

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
  if (step.kill) {
    // The process whose command line ends with ARGV (the python stand-in runs it as
    // `python3 …/docker-proxy ARGS`); wait until it is gone so that its port is free.
    const pattern = shellQuote(`${step.argv.join(' ')}$`);
    return `pkill -f ${pattern} || true; while pgrep -f ${pattern} >/dev/null; do sleep 0.1; done`;
  }
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

/** Splits a shell line into words (single/double quotes, backslash escapes; no expansions). */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        cur += line[j];
        j++;
      }
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

export interface ExpandedScript {
  script: string;
  state: DockerState | undefined;
}

/**
 * Expands the docker lines of a scenario script (one command per line; `\` continuations joined)
 * into the plain commands dockerd runs, so the whole script can run on a real kernel. Other lines
 * are kept; `docker … | rest`, redirections and `|| true` on a docker line apply to its output.
 * ipForward defaults to '1' (a host where forwarding is already on); pass '0' for a new namespace.
 */
export function expandScript(scenario: string, options: ExpandOptions = {}): ExpandedScript {
  let state: DockerState | undefined;
  const out: string[] = [];
  const lines = scenario.replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    const piped = /^((?:docker|dockerd)\s.*?)\s+\|\s+(.+)$/.exec(line);
    if (piped && !piped[1].includes("'") && !piped[1].includes('"') ) {
      // `docker inspect c1 | grep …`: the expansion's output feeds the rest of the pipeline.
      const e = expandDockerCommand(state, splitShellWords(piped[1]), { ...options, ipForward: options.ipForward ?? '1' });
      state = e.state;
      out.push(`# ${line}`, '{');
      out.push(...e.steps.map(renderStep));
      for (const l of e.stdout.split('\n').slice(0, -1)) out.push(`echo ${shellQuote(l)}`);
      out.push(`} | ${piped[2]}`);
    } else if (/^(docker|dockerd)(\s|$)/.test(line)) {
      // `docker exec c1 ping … >/dev/null || true`: redirections and a tolerated failure apply
      // to the command's own (shown) step.
      let rest = line.replace(/\s*&$/, '');
      const tolerate = /\s*\|\|\s*true$/.test(rest);
      rest = rest.replace(/\s*\|\|\s*true$/, '');
      let redirects = '';
      for (let m = /\s+(\d?>>?&?\S+|<\S+)$/.exec(rest); m; m = /\s+(\d?>>?&?\S+|<\S+)$/.exec(rest)) {
        redirects = ` ${m[1]}${redirects}`;
        rest = rest.slice(0, m.index);
      }
      const words = splitShellWords(rest);
      const e = expandDockerCommand(state, words, { ...options, ipForward: options.ipForward ?? '1' });
      state = e.state;
      out.push(`# ${line}`);
      out.push(...e.steps.map((step) => (step.show ? renderStep(step) + redirects + (tolerate ? ' || true' : '') : renderStep(step))));
      for (const l of e.stdout.split('\n').slice(0, -1)) out.push(`echo ${shellQuote(l)}`);
    } else out.push(raw);
  }
  return { script: `${out.join('\n')}\n`, state };
}

