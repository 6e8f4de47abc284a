// Pins the kernel's public API (src/kernel/index.ts): an accidental export or a removed name is a
// failing test. Types are erased at run time, so this lists the value exports.
import { expect, test } from 'vitest';
import * as kernel from '../../../src/kernel/index.ts';

test('src/kernel/index.ts exports exactly the documented values', () => {
  expect(Object.keys(kernel).sort()).toEqual(
    [
      'BRIDGE_AGEING_DEFAULT', 'DEVICE_KINDS', 'Device', 'Fib', 'ICMP', 'INIT_NETNS', 'Kernel', 'LINK_LATENCY', 'LinkError', 'Netns', 'Prng',
      'ROUTE_TYPES', 'RT_TABLE', 'SocketTable', 'bindNetfilter', 'cloneSkb', 'formatResponse', 'icmpSend', 'ipLocalOut', 'listenHttp',
      'newPacket', 'parseRequestHead', 'qnameLength', 'reasonPhrase', 'registerDnsServer', 'resolveName', 'resolveNeigh', 'routeOutput',
      'snapshot', 'tcpAbort', 'tcpClose', 'tcpConnect', 'tcpListen', 'tcpSend', 'tcpUnlisten', 'udpSendto',
    ].sort(),
  );
});
