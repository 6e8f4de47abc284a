// IP sets belong to their network namespace: another namespace does not see them, and a
// namespace deleted and made again under the same name starts without sets (as on Linux, where
// the sets die with the netns). ipset commands packetwalk does not model stop with a ScriptError.
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

test.each([
  ['another namespace does not see the set', 'ip netns add x\nip netns exec x ipset create s hash:net\nipset list -n\necho --\nip netns exec x ipset list -n\n', '--\ns\n'],
  ['a namespace made again starts empty', 'ip netns add x\nip netns exec x ipset create s hash:net\nip netns del x\nip netns add x\nip netns exec x ipset list -n\necho end\n', 'end\n'],
])('%s', (_name, script, output) => {
  const r = createSession({ seed: 1 }).run(script);
  expect(r.exitCode, r.output).toBe(0);
  expect(r.output).toBe(output);
});

test('element options are refused by name', () => {
  expect(() => createSession({ seed: 1 }).run('ipset create a hash:net\nipset add a 10.0.0.0/8 timeout 5\n')).toThrow(/ipset add: element options \(timeout 5\) are not modelled; supported: ipset add SET ADDR\[\/CIDR\]/);
});

test.each(['rename a b', 'swap a b', 'restore', '-E a b'])('ipset %s is refused by name', (cmd) => {
  expect(() => createSession({ seed: 1 }).run(`ipset create a hash:net\nipset ${cmd}\n`)).toThrow(/ipset \S+ is not modelled; supported: create, add, del, test, list, save, flush, destroy, version/);
});
