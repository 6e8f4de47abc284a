// dmesg stamps and options; bridge link/fdb layouts (captured from util-linux dmesg and iproute2
// bridge 6.1 on the oracle machine: `[ 2951.895639] …`, `4: v1@v2: <…> mtu 1500 master br0
// state forwarding priority 32 cost 2 `).
import { describe, expect, test } from 'vitest';
import { createSession } from '../../../src/scenario/index.ts';
import { dmesgStamp } from '../../../src/userland/dmesg.ts';

describe('dmesg', () => {
  test.each([
    [0, '[    0.000000]'],
    [2951.895639e9, '[ 2951.895639]'],
    [1.5e9 + 999, '[    1.500000]'],
    [123456.000001e9, '[123456.000001]'],
  ])('stamp %d ns', (t, stamp) => {
    expect(dmesgStamp(t)).toBe(stamp);
  });

  test('-t, -c and -C', () => {
    const s = createSession();
    s.kernel.dmesg.push({ t: 2.25e9, line: 'one' }, { t: 3e9, line: 'two' });
    expect(s.run('dmesg; dmesg -t').output).toBe('[    2.250000] one\n[    3.000000] two\none\ntwo\n');
    expect(s.run('dmesg -c | tail -1; dmesg').output).toBe('[    3.000000] two\n');
    s.kernel.dmesg.push({ t: 4e9, line: 'three' });
    expect(s.run('dmesg -C; dmesg').output).toBe('');
  });

  test('unsupported option', () => {
    expect(() => createSession().run('dmesg -T')).toThrow('dmesg: option `-T` is not supported; supported: -c, -C, -t, -k');
  });
});

describe('bridge', () => {
  const SETUP = 'ip link add br0 type bridge\nip link add v1 type veth peer name v2\nip link set v1 master br0\nip link set br0 up; ip link set v1 up; ip link set v2 up\n';
  test('bridge link: forwarding, then disabled when the peer goes down (as captured)', () => {
    const s = createSession();
    s.run(SETUP);
    expect(s.run('bridge link; bridge link show dev v1').output).toBe(
      '4: v1@v2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n'.repeat(2),
    );
    expect(s.run('ip link set v2 down; bridge link').output).toBe('4: v1@v2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 \n');
  });

  test('bridge fdb show: the port\'s own MAC is permanent, then the self multicast entries', () => {
    const s = createSession();
    s.run(SETUP);
    const v1 = s.kernel.namespaces.get('')!.devices.get('v1')!.mac;
    const lines = s.run('bridge fdb show br br0').output.split('\n');
    const mine = lines.filter((l) => / dev v1 /.test(l));
    expect(mine).toEqual([`${v1} dev v1 master br0 permanent`, '33:33:00:00:00:01 dev v1 self permanent', '01:00:5e:00:00:01 dev v1 self permanent', `33:33:ff:${v1.slice(9)} dev v1 self permanent`]);
    expect(lines).toContain('01:00:5e:00:00:6a dev br0 self permanent');
  });

  test.each([
    // captured from bridge 6.1
    ['bridge link set dev v1 hairpin on', '', 0],
    ['bridge link set dev nope hairpin on', 'Cannot find bridge device "nope"\n', 255],
    ['bridge link set dev v2 hairpin on', 'RTNETLINK answers: Operation not supported\n', 255],
    ['bridge link set dev v1 hairpin maybe', 'Error: argument of "hairpin" must be one of "off", "on", not "maybe"\n', 234],
  ])('%s', (command, output, status) => {
    const s = createSession();
    s.run(SETUP);
    expect(s.run(`${command} || echo "rc=$?"`).output).toBe(output + (status ? `rc=${status}\n` : ''));
  });

  test('hairpin and learning reach the port', () => {
    const s = createSession();
    s.run(SETUP + 'bridge link set dev v1 hairpin on learning off');
    expect(s.kernel.namespaces.get('')!.devices.get('v1')!.port).toMatchObject({ hairpin: true, learning: false, flood: true });
  });

  test('unknown device', () => {
    expect(createSession().run('bridge fdb show dev nope').output).toBe('Cannot find device "nope"\n');
  });
});
