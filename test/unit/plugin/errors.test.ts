// Author errors: every one is a vfile message with a position, a ruleId and the source, and
// says what is supported.
import { describe, expect, test } from 'vitest';
import { VFileMessage } from 'vfile-message';
import remarkPacketwalk from '../../../plugins/remark-packetwalk.ts';
import { renderUnified, testOptions } from './pipeline.ts';

const SCENARIO = ':::scenario{#s1}\n```sh\niptables -A OUTPUT -p icmp -j ACCEPT\nping -c 2 10.0.0.2\n```\n:::\n';

const cases: Array<{ name: string; md: string; at: string; ruleId: string; says: RegExp }> = [
  { name: 'unknown attribute', md: `${SCENARIO}\n::rules{scenario=s1 tabel=nat}\n`, at: '8:1', ruleId: 'attribute', says: /Unexpected attribute `tabel` on `::rules`, expected one of `scenario`, `table`/ },
  { name: 'unknown value', md: `${SCENARIO}\n::rules{scenario=s1 layout=grid}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `layout` `grid` on `::rules`, expected `save`, `list`/ },
  { name: 'unknown scenario', md: `${SCENARIO}\n::walk{scenario=s2 packet=1}\n`, at: '8:1', ruleId: 'unknown-scenario', says: /Unknown scenario `s2`, expected one defined above: `s1`/ },
  { name: 'scenario used before it is defined', md: `::timeline{scenario=s1}\n\n${SCENARIO}`, at: '1:1', ruleId: 'unknown-scenario', says: /Unknown scenario `s1`/ },
  { name: 'missing required attribute', md: `${SCENARIO}\n::walk{scenario=s1}\n`, at: '8:1', ruleId: 'attribute', says: /Missing `packet` on `::walk`/ },
  { name: 'scenario without id', md: ':::scenario\n```sh\ntrue\n```\n:::\n', at: '1:1', ruleId: 'attribute', says: /Missing `id` on `:::scenario`/ },
  { name: 'scenario without sh block', md: ':::scenario{#s1}\nJust text.\n:::\n', at: '1:1', ruleId: 'scenario-content', says: /expected exactly one ```sh code block/ },
  { name: 'duplicate scenario', md: `${SCENARIO}\n${SCENARIO}`, at: '8:1', ruleId: 'duplicate-scenario', says: /second scenario `s1`, the first is at line 1/ },
  { name: 'leaf scenario', md: '::scenario{#s1}\n', at: '1:1', ruleId: 'directive-form', says: /Unexpected `::scenario`, expected `:::scenario`/ },
  { name: 'text directive with our name', md: `${SCENARIO}\nSee :walk{scenario=s1 packet=1} here.\n`, at: '8:5', ruleId: 'directive-form', says: /Unexpected `:walk`, expected `::walk`/ },
  { name: 'typo in a view name', md: `${SCENARIO}\n::rule{scenario=s1}\n`, at: '8:1', ruleId: 'unknown-directive', says: /Unexpected directive `::rule`, expected one of `::rules`, `::walk`, `::timeline`, `::trace`/ },
  { name: 'failing scenario (unknown command)', md: ':::scenario{#s1}\n```sh\necho one\nfrobnicate --now\n```\n:::\n', at: '4:1', ruleId: 'scenario-failed', says: /Scenario `s1` failed: Unknown command `frobnicate`[\s\S]*Output:\none/ },
  { name: 'failing scenario (exit status)', md: ':::scenario{#s1}\n```sh\necho one\nfalse\n```\n:::\n', at: '4:1', ruleId: 'scenario-failed', says: /`false` exited with status 1/ },
  { name: 'failing console command', md: `${SCENARIO}\n\`\`\`console scenario=s1\n$ echo ok\nok\n$ frobnicate\n\`\`\`\n`, at: '11:3', ruleId: 'command-failed', says: /Command failed in scenario `s1`: Unknown command `frobnicate`/ },
  { name: 'bad ignore class', md: `${SCENARIO}\n\`\`\`console scenario=s1 ignore=timestamps,macs\n$ echo ok\n\`\`\`\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `ignore` `timestamps,macs` on ```console, expected a comma-separated list of `timestamps`, `ids`, `ports`/ },
  { name: 'output before the first prompt', md: `${SCENARIO}\n\`\`\`console scenario=s1\nstray\n$ echo ok\n\`\`\`\n`, at: '9:1', ruleId: 'console-syntax', says: /Unexpected output before the first command/ },
  { name: 'unknown packet', md: `${SCENARIO}\n::walk{scenario=s1 packet=9}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `packet` `9`: scenario `s1` has packets 1 to 4 at this point/ },
  { name: 'unknown walk detail', md: `${SCENARIO}\n::walk{scenario=s1 packet=1 detail=short}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `detail` `short` on `::walk`, expected `compact`, `full`/ },
  { name: 'walk in a namespace the packet never enters', md: `${SCENARIO}\n::walk{scenario=s1 packet=1 netns=c9}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `netns` `c9`: packet 1 crosses `host`, `peer`/ },
  { name: 'unknown chain', md: `${SCENARIO}\n::rules{scenario=s1 chain=DOCKER}\n`, at: '8:1', ruleId: 'attribute', says: /Unknown chain `DOCKER` in table `filter`, expected one of `INPUT`, `FORWARD`, `OUTPUT`/ },
  { name: 'step out of range', md: `${SCENARIO}\n::rules{scenario=s1 delta=3}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `delta` `3`: scenario `s1` has 2 steps/ },
  { name: 'tcpdump without interface', md: `${SCENARIO}\n::trace{scenario=s1 format=tcpdump}\n`, at: '8:1', ruleId: 'attribute', says: /Missing `interface` on `::trace\{format=tcpdump\}`/ },
  { name: 'interface without tcpdump', md: `${SCENARIO}\n::trace{scenario=s1 format=log interface=lo}\n`, at: '8:1', ruleId: 'attribute', says: /Unexpected `interface` on `::trace\{format=log\}`/ },
  { name: 'reversed packet range', md: `${SCENARIO}\n::timeline{scenario=s1 packets=5-2}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `packets` `5-2` on `::timeline`, expected packet numbers ≥ 1 and increasing ranges such as `1-4,7`/ },
  { name: 'packet 0 in a range', md: `${SCENARIO}\n::timeline{scenario=s1 packets=0-2}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `packets` `0-2` on `::timeline`, expected packet numbers ≥ 1/ },
  { name: 'packet range past the last packet', md: `${SCENARIO}\n::timeline{scenario=s1 packets=1,50}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `packets` `1,50`: scenario `s1` has packets 1 to 4 at this point/ },
  { name: 'tcpdump on an interface the namespace lacks', md: `${SCENARIO}\n::trace{scenario=s1 format=tcpdump interface=nope}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `interface` `nope` on `::trace`: namespace `host` of scenario `s1` has `lo`$/ },
  { name: 'tcpdump in a namespace with other interfaces', md: `${SCENARIO}\n::trace{scenario=s1 format=tcpdump interface=eth1 netns=peer}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `interface` `eth1` on `::trace`: namespace `peer` of scenario `s1` has `lo`, `eth0`$/ },
  { name: 'tcpdump in an unknown namespace', md: `${SCENARIO}\n::trace{scenario=s1 format=tcpdump interface=eth0 netns=nope}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `netns` `nope` on `::trace`: scenario `s1` has no such namespace, expected one of `host`, `peer`$/ },
  { name: 'netns without tcpdump', md: `${SCENARIO}\n::trace{scenario=s1 format=log netns=nope}\n`, at: '8:1', ruleId: 'attribute', says: /Unexpected `netns` on `::trace\{format=log\}`, expected it only with `format=tcpdump`/ },
  { name: 'filter without tcpdump', md: `${SCENARIO}\n::trace{scenario=s1 format=log filter=icmp}\n`, at: '8:1', ruleId: 'attribute', says: /Unexpected `filter` on `::trace\{format=log\}`, expected it only with `format=tcpdump`/ },
  { name: 'tcpdump filter outside the modelled subset', md: `${SCENARIO}\n::trace{scenario=s1 format=tcpdump interface=lo filter="vlan 5"}\n`, at: '8:1', ruleId: 'attribute', says: /Invalid `filter` `vlan 5` on `::trace`: tcpdump: .*supported: host, src\/dst host/ },
  { name: 'unknown Docker version', md: ':::scenario{#s1 docker-version="19.04"}\n```sh\ndocker ps\n```\n:::\n', at: '1:1', ruleId: 'attribute', says: /Invalid `docker-version` `19\.04` on `:::scenario`, expected a Docker version packetwalk models: 1\.13, 17\.03, .*20\.10, .*29\.7 \(major\.minor/ },
  { name: 'patch release a Docker line does not have', md: ':::scenario{#s1 docker-version="20.10.99"}\n```sh\ntrue\n```\n:::\n', at: '1:1', ruleId: 'attribute', says: /Invalid `docker-version` `20\.10\.99` on `:::scenario`, expected a Docker version packetwalk models/ },
  { name: 'unknown world', md: ':::scenario{#s1 world=mars}\n```sh\ntrue\n```\n:::\n', at: '1:1', ruleId: 'attribute', says: /Invalid `world` `mars` on `:::scenario`, expected a world: `lan`, `docker-host`/ },
  { name: 'unclosed scenario', md: 'Intro.\n\n:::scenario{#s1}\n```sh\ntrue\n```\n\nMore text.\n', at: '3:1', ruleId: 'scenario-content', says: /^Unexpected end of the document: `:::scenario\{#s1\}` opened at line 3 is not closed, expected a `:::` line after its ```sh block$/ },
  { name: 'author note for a missing rule', md: `${SCENARIO}\n:::rules{scenario=s1}\n- OUTPUT 7: no such rule\n:::\n`, at: '9:1', ruleId: 'rules-notes', says: /Unknown rule `OUTPUT 7`, chain `OUTPUT` of table `filter` has 1 rules/ },
  { name: 'author note without a rule reference', md: `${SCENARIO}\n:::rules{scenario=s1}\n- just a remark\n:::\n`, at: '9:1', ruleId: 'rules-notes', says: /expected `CHAIN N: text`/ },
  { name: 'mismatched output (fatal)', md: `${SCENARIO}\n\`\`\`console scenario=s1\n$ echo hello\nhullo\n\`\`\`\n`, at: '10:1', ruleId: 'console-mismatch', says: /Unexpected output of `echo hello` in scenario `s1`:\n--- input.md:10 \(expected\)\n\+\+\+ actual\n@@ -10,1 \+10,1 @@\n-hullo\n\+hello/ },
];

describe('author errors', () => {
  test.each(cases)('$name', async ({ md, at, ruleId, says }) => {
    const error = await renderUnified(md).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VFileMessage);
    const m = error as VFileMessage;
    expect(`${m.line}:${m.column}`).toBe(at);
    expect(m.ruleId).toBe(ruleId);
    expect(m.source).toBe('remark-packetwalk');
    expect(m.reason).toMatch(says);
  });
});

describe('options', () => {
  test.each([
    [{ onMismatch: 'ignore' }, /Invalid `onMismatch` `ignore`, expected `error` or `warn`/],
    [{ colour: true }, /Unexpected remark-packetwalk option `colour`/],
    [{ seed: -1 }, /Invalid `seed` `-1`/],
    [{ cache: 'yes' }, /Invalid `cache` `yes`/],
    [{ dockerVersion: '19.04' }, /^Invalid `dockerVersion` `19\.04`, expected a Docker version packetwalk models: 1\.13, /],
    [{ dockerVersion: 20.1 }, /^Invalid `dockerVersion` `20\.1`, expected a string/],
    [{ world: 'mars' }, /^Invalid `world` `mars`, expected a world: `lan`, `docker-host`/],
  ])('%j', async (options, says) => {
    await expect(renderUnified(SCENARIO, { ...testOptions(), ...(options as object) })).rejects.toThrow(says);
  });

  test('invalid values throw when the plugin is attached, before any page', () => {
    expect(() => remarkPacketwalk({ dockerVersion: '19.04' })).toThrow(/^Invalid `dockerVersion` `19\.04`/);
    expect(() => remarkPacketwalk({ world: 'mars' })).toThrow(/^Invalid `world` `mars`/);
    expect(() => remarkPacketwalk({ dockerVersion: '20.10', world: 'docker-host' })).not.toThrow();
  });

  test.each([
    [true, '<p>::youtube{#abc}</p>'],
    [false, '<div></div>'],
  ])('restoreDirectives: %s', async (restoreDirectives, html) => {
    const out = await renderUnified('::youtube{#abc}\n', testOptions({ restoreDirectives }));
    expect(out.html).toBe(html);
  });

  test('onMismatch: warn keeps building, shows the actual output and leaves a warning', async () => {
    const md = `${SCENARIO}\n\`\`\`console scenario=s1\n$ echo hello\nhullo\n\`\`\`\n`;
    const { html, file } = await renderUnified(md, testOptions({ onMismatch: 'warn' }));
    expect(html).toContain('$ echo hello\nhello\n');
    expect(file.messages.map((m) => [m.line, m.column, m.fatal, m.ruleId])).toEqual([[10, 1, false, 'console-mismatch']]);
  });
});
