// Every Docker rule layout's iptables-save dump (../shared/reference/docker-rules/dumps, made with
// the real iptables 1.8.9) goes through iptables-restore and comes back from iptables-save with the
// same bytes per table. L4 (Docker 28.0.0) uses `-m set --match-set docker-ext-bridges-v4`: the
// set is created first, as dockerd does, and a restore without it fails like iptables-restore.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { tools as ipsetTools } from '../../../src/userland/ipset.ts';
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
    const s = session(ipsetTools);
    if (name.startsWith('L4_')) {
      const line = text.split('\n').findIndex((l) => l.includes('--match-set')) + 1;
      expect(s.run('iptables-restore', text)).toEqual({
        out: `iptables-restore v1.8.9 (nf_tables): Set docker-ext-bridges-v4 doesn't exist.\n\nError occurred at line: ${line}\nTry \`iptables-restore -h' or 'iptables-restore --help' for more information.\n`,
        status: 2,
      });
      expect(s.run('ipset create docker-ext-bridges-v4 hash:net family inet').status).toBe(0);
    }
    expect(s.run('iptables-restore', text)).toEqual({ out: '', status: 0 });
    expect(blocks(withoutComments(s.run('iptables-save').out))).toEqual(blocks(text));
  });
});
