// packetwalk's public API: run scenario scripts through the simulated stack and read their run
// records. Re-exports only; the code lives in src/scenario and src/userland. The remark plugin
// and the Astro integration are `packetwalk/remark` and `packetwalk/astro`.
export { createSession, ScenarioError, shellQuote, parseScript, SUPPORTED_SYNTAX, WORLDS, worldNames, worldScript } from './scenario/index.ts';
export type { Session, SessionOptions, RunOutput, World, RunRecord, CommandRecord, PacketRecord, KernelEvent, SkbSnapshot, SourcePos, Nanos } from './scenario/index.ts';
export { ScriptError } from './userland/tool.ts';
export type { Tool, ToolContext, ToolTable } from './userland/tool.ts';
