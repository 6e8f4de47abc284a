// The scenario layer: the bash-subset parser and interpreter, worlds, and the run record.
export { consoleCommand, createSession, ScenarioError, shellQuote } from './session.ts';
export type { Session, SessionOptions, RunOutput } from './session.ts';
export { parseScript, SUPPORTED_SYNTAX } from './shell.ts';
export { WORLDS, worldScript, worldNames } from './worlds.ts';
export type { World } from './worlds.ts';
export type * from './record.ts';
