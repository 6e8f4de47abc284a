// Rules the kernel's checkentry refuses, and the line it logs for each (printk, read with dmesg).
// Measured on 6.18 with iptables 1.8.9; test/kernel/iptables-formats.test.ts re-checks them live.
export interface CheckentryCase {
  name: string;
  /** Command lines run in order (errors expected); the last one is the refused rule. */
  commands: string[];
  /** What the kernel logged for them, in order (without the timestamp). */
  dmesg: string[];
}

export const CHECKENTRY_CASES: CheckentryCase[] = [
  { name: 'nft REJECT tcp-reset without -p tcp', commands: ['iptables -A INPUT -j REJECT --reject-with tcp-reset'], dmesg: ['ipt_REJECT: TCP_RESET invalid for non-tcp'] },
  { name: 'legacy REJECT tcp-reset with ! -p tcp', commands: ['iptables-legacy -I INPUT ! -p tcp -j REJECT --reject-with tcp-reset'], dmesg: ['ipt_REJECT: TCP_RESET invalid for non-tcp'] },
  { name: 'nft REJECT in mangle', commands: ['iptables -t mangle -A INPUT -j REJECT'], dmesg: ['x_tables: ip_tables: REJECT target: only valid in filter table, not mangle'] },
  { name: 'legacy REJECT tcp-reset in nat: the table is checked first', commands: ['iptables-legacy -t nat -A PREROUTING -j REJECT --reject-with tcp-reset'], dmesg: ['x_tables: ip_tables: REJECT target: only valid in filter table, not nat'] },
  { name: 'nft NOTRACK in filter (the kernel target is CT)', commands: ['iptables -A INPUT -j NOTRACK'], dmesg: ['x_tables: ip_tables: CT target: only valid in raw table, not filter'] },
  { name: 'nft MASQUERADE in a PREROUTING base chain', commands: ['iptables -t nat -A PREROUTING -j MASQUERADE'], dmesg: ['x_tables: ip_tables: MASQUERADE target: used from hooks PREROUTING, but only usable from POSTROUTING'] },
  {
    name: 'nft MASQUERADE reached from PREROUTING through a jump: refused without a log line',
    commands: ['iptables -t nat -N D', 'iptables -t nat -A D -j MASQUERADE', 'iptables -t nat -A PREROUTING -j D'],
    dmesg: [],
  },
  {
    name: 'legacy MASQUERADE reached from POSTROUTING and PREROUTING through a jump',
    commands: ['iptables-legacy -t nat -N D', 'iptables-legacy -t nat -A D -j MASQUERADE', 'iptables-legacy -t nat -A POSTROUTING -j D', 'iptables-legacy -t nat -A PREROUTING -j D'],
    dmesg: ['x_tables: ip_tables: MASQUERADE target: used from hooks PREROUTING/POSTROUTING, but only usable from POSTROUTING'],
  },
  { name: 'legacy -m udp with -p tcp', commands: ['iptables-legacy -A INPUT -p tcp -m udp --dport 53 -j ACCEPT'], dmesg: ['x_tables: ip_tables: udp match: only valid for protocol 17'] },
  { name: 'nft -m tcp without -p tcp: refused by iptables itself', commands: ['iptables -A INPUT -m tcp --dport 80 -j ACCEPT'], dmesg: [] },
  { name: 'CONNMARK in filter is accepted', commands: ['iptables -A INPUT -j CONNMARK --set-mark 1', 'iptables-legacy -A INPUT -j CONNMARK --set-mark 1'], dmesg: [] },
];
