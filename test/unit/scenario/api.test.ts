// The package's public API (`import … from 'packetwalk'`): an accidental export is a failing test.
import { expect, test } from 'vitest';
import * as api from '../../../src/index.ts';

test('public export names', () => {
  expect(Object.keys(api).sort()).toEqual(['SUPPORTED_SYNTAX', 'ScenarioError', 'ScriptError', 'WORLDS', 'createSession', 'parseScript', 'shellQuote', 'worldNames', 'worldScript']);
});
