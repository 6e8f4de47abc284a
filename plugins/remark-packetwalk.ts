// Public entry of the remark plugin: re-exports only (the code lives in lib/).
export { default, default as remarkPacketwalk, validateOptions, processTree, RunCache, sharedCache, MISMATCH_MODES } from './lib/index.ts';
export type { Options, MismatchMode, CreateSession, SessionLike, SessionSettings, Mismatch, ProcessResult } from './lib/index.ts';
