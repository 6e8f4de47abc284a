// The kernel log lines of rules checkentry refuses (the cases are the kernel's, see checkentry-cases.ts).
import { describe, expect, test } from 'vitest';
import { session } from '../iptables/harness.ts';
import { CHECKENTRY_CASES } from './checkentry-cases.ts';

describe('iptables: what the kernel logs when it refuses a rule', () => {
  test.each(CHECKENTRY_CASES)('$name', ({ commands, dmesg }) => {
    const s = session();
    for (const c of commands) s.run(c);
    expect(s.kernel.dmesg.map((l) => l.line)).toEqual(dmesg);
  });
});
