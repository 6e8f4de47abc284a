// Docker 28.0.0 (layout L4) keeps its non-internal bridges' subnets in the ipset
// docker-ext-bridges-v4 (netlink.IpsetAdd when a network's rules are set up, IpsetDel among its
// clean funcs on removal); the FORWARD rules that name the set keep it from being destroyed.
import { expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';

test.each([
  ['the default bridge', '', 'add docker-ext-bridges-v4 172.17.0.0/16\n'],
  ['a user network', 'docker network create app >/dev/null\n', 'add docker-ext-bridges-v4 172.17.0.0/16\nadd docker-ext-bridges-v4 172.18.0.0/16\n'],
  ['an internal network (not in the set)', 'docker network create --internal app >/dev/null\n', 'add docker-ext-bridges-v4 172.17.0.0/16\n'],
  ['a removed network', 'docker network create app >/dev/null\ndocker network rm app >/dev/null\n', 'add docker-ext-bridges-v4 172.17.0.0/16\n'],
])('%s', (_name, script, members) => {
  const s = createSession({ seed: 1, dockerVersion: '28.0.0' });
  const r = s.run(`docker run -d --name c1 busybox sleep 1d >/dev/null\n${script}ipset save | grep '^add'\nipset destroy docker-ext-bridges-v4 || true\n`);
  expect(r.exitCode, r.output).toBe(0);
  expect(r.output).toBe(`${members}ipset v7.17: Set cannot be destroyed: it is in use by a kernel component\n`);
});
