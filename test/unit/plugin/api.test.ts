// Pins the public exports, so an accidental export (or a lost one) is a failing test.
import { expect, test } from 'vitest';
import * as plugin from '../../../plugins/remark-packetwalk.ts';
import * as cli from '../../../src/cli/check.ts';

test.each([
  ['plugins/remark-packetwalk.ts', plugin, ['MISMATCH_MODES', 'RunCache', 'default', 'processTree', 'remarkPacketwalk', 'sharedCache', 'validateOptions']],
  ['src/cli/check.ts', cli, ['CHECK_FORMATS', 'check']],
])('%s', (_name, mod, names) => {
  expect(Object.keys(mod).sort()).toEqual(names);
});

test('src/render/index.ts', async () => {
  const render = await import('../../../src/render/index.ts');
  expect(Object.keys(render).sort()).toEqual([
    'ELLIPSIS', 'IGNORE_CLASSES', 'RULE_LAYOUTS', 'TRACE_FORMATS', 'WALK_DETAILS', 'ctTimeline', 'describePacket', 'expandEllipses', 'hookWalk', 'isIgnoreClass',
    'matchOutput', 'mermaidId', 'mermaidLabel', 'mermaidMessage', 'normalizeLine', 'outputLines', 'parseConsole', 'parseList', 'parseSave',
    'policyNote', 'replyOf', 'ruleKey', 'ruleNote', 'rulesTable', 'splitRule', 'traceLines', 'unifiedDiff',
  ]);
});
