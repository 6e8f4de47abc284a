// Views: pure functions of a RunRecord (and of the tools' own listings). Re-exports only.
export { rulesTable, ruleKey, RULE_LAYOUTS } from './rules-table.ts';
export type { RulesTableInput, RuleLayout, RuleKey } from './rules-table.ts';
export { hookWalk, WALK_DETAILS } from './hook-walk.ts';
export type { HookWalkOptions, WalkDetail } from './hook-walk.ts';
export { ctTimeline } from './ct-timeline.ts';
export type { CtTimelineOptions } from './ct-timeline.ts';
export { traceLines, TRACE_FORMATS } from './trace.ts';
export type { TraceOptions, TraceFormat } from './trace.ts';
export { parseConsole, matchOutput, expandEllipses, normalizeLine, outputLines, isIgnoreClass, IGNORE_CLASSES, ELLIPSIS } from './console.ts';
export type { ConsoleCommand, IgnoreClass } from './console.ts';
export { ruleNote, policyNote } from './notes.ts';
export { mermaidLabel, mermaidMessage, mermaidId } from './mermaid.ts';
export { unifiedDiff } from './diff.ts';
export type { DiffOptions } from './diff.ts';
export { parseSave, parseList, splitRule } from './iptables-text.ts';
export type { SavedTable, SavedRule, SavedChain, ListedChain } from './iptables-text.ts';
export { describePacket, replyOf } from './packet.ts';
