// Every Docker rule layout's iptables-save dump (../shared/reference/docker-rules/dumps, made with
// the real iptables 1.8.9) goes through iptables-restore and comes back from iptables-save with the
// same bytes per table. L4 (Docker 28.0.0) uses `-m set`, which packetwalk refuses by name.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { ScriptError } from '../../../src/userland/tool.ts';
import { session } from '../../unit/iptables/harness.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/reference/docker-rules/dumps');
const dumps = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')) : [];
const withoutComments = (t: string): string => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
const blocks = (t: string): string[] => t.split(/(?=^\*)/m).map((b) => b.trim()).filter(Boolean).sort();

describe('Docker dumps: iptables-restore then iptables-save gives the dump back', () => {
  test('the reference dumps are there', () => {
    expect(dumps.length).toBeGreaterThan(40);
  });
  test.each(dumps)('%s', (name) => {
    const text = withoutComments(readFileSync(join(dir, name), 'utf8'));
    const s = session();
    if (name.startsWith('L4_')) {
      expect(() => s.run('iptables-restore', text)).toThrow(ScriptError);
      return;
    }
    expect(s.run('iptables-restore', text)).toEqual({ out: '', status: 0 });
    expect(blocks(withoutComments(s.run('iptables-save').out))).toEqual(blocks(text));
  });
});
