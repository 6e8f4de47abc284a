# iptables-nft and iptables-legacy tables at one hook: at equal priority the kernel runs the hook
# registered LAST first (nf_hook_entries_grow inserts a new hook before those of the same
# priority). x_tables registers a legacy table's hooks when the table is first used, even by a
# listing; nf_tables registers an iptables-nft base chain's hook when that chain is created. The
# order is fixed then, whether or not a packet passed in between.
# In each table both backends get the same two rules:
#   -m mark --mark 0x0/BIT -j MARK --or-mark BIT   counts only in the table that runs first
#   -p icmp (no target)                            counts in both
# BIT: raw PREROUTING 0x1, mangle INPUT 0x2, nat PREROUTING 0x4 (first packet of a flow only;
# its -m conntrack turns tracking on), filter INPUT 0x8.
# Topology: peer 10.9.N.2 (ethN) -- (eth0 10.9.N.1) aN, one namespace aN per ordering
ip netns add peer
# a1: nft first, legacy second, no packet in between: legacy runs first
ip netns add a1
ip link add eth0 netns a1 type veth peer name eth1 netns peer
ip -n a1 addr add 10.9.1.1/24 dev eth0
ip -n a1 link set eth0 up
ip -n peer addr add 10.9.1.2/24 dev eth1
ip -n peer link set eth1 up
ip netns exec a1 iptables -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a1 iptables -t raw -A PREROUTING -p icmp
ip netns exec a1 iptables -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a1 iptables -t mangle -A INPUT -p icmp
ip netns exec a1 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a1 iptables -t nat -A PREROUTING -p icmp
ip netns exec a1 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a1 iptables -t filter -A INPUT -p icmp
ip netns exec a1 iptables-legacy -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a1 iptables-legacy -t raw -A PREROUTING -p icmp
ip netns exec a1 iptables-legacy -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a1 iptables-legacy -t mangle -A INPUT -p icmp
ip netns exec a1 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a1 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec a1 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a1 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.1.1 >/dev/null
ip netns exec a1 iptables-save -c
ip netns exec a1 iptables-legacy-save -c
# a2: legacy first, nft second: nft runs first
ip netns add a2
ip link add eth0 netns a2 type veth peer name eth2 netns peer
ip -n a2 addr add 10.9.2.1/24 dev eth0
ip -n a2 link set eth0 up
ip -n peer addr add 10.9.2.2/24 dev eth2
ip -n peer link set eth2 up
ip netns exec a2 iptables-legacy -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a2 iptables-legacy -t raw -A PREROUTING -p icmp
ip netns exec a2 iptables-legacy -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a2 iptables-legacy -t mangle -A INPUT -p icmp
ip netns exec a2 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a2 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec a2 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a2 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec a2 iptables -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a2 iptables -t raw -A PREROUTING -p icmp
ip netns exec a2 iptables -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a2 iptables -t mangle -A INPUT -p icmp
ip netns exec a2 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a2 iptables -t nat -A PREROUTING -p icmp
ip netns exec a2 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a2 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.2.1 >/dev/null
ip netns exec a2 iptables-save -c
ip netns exec a2 iptables-legacy-save -c
# a3: the order is per table: raw and nat nft then legacy, mangle and filter legacy then nft
ip netns add a3
ip link add eth0 netns a3 type veth peer name eth3 netns peer
ip -n a3 addr add 10.9.3.1/24 dev eth0
ip -n a3 link set eth0 up
ip -n peer addr add 10.9.3.2/24 dev eth3
ip -n peer link set eth3 up
ip netns exec a3 iptables -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a3 iptables -t raw -A PREROUTING -p icmp
ip netns exec a3 iptables-legacy -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a3 iptables-legacy -t raw -A PREROUTING -p icmp
ip netns exec a3 iptables-legacy -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a3 iptables-legacy -t mangle -A INPUT -p icmp
ip netns exec a3 iptables -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a3 iptables -t mangle -A INPUT -p icmp
ip netns exec a3 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a3 iptables -t nat -A PREROUTING -p icmp
ip netns exec a3 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a3 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec a3 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a3 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec a3 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a3 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.3.1 >/dev/null
ip netns exec a3 iptables-save -c
ip netns exec a3 iptables-legacy-save -c
# a4: nft first, a packet, then legacy: the second packet meets legacy first
ip netns add a4
ip link add eth0 netns a4 type veth peer name eth4 netns peer
ip -n a4 addr add 10.9.4.1/24 dev eth0
ip -n a4 link set eth0 up
ip -n peer addr add 10.9.4.2/24 dev eth4
ip -n peer link set eth4 up
ip netns exec a4 iptables -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a4 iptables -t raw -A PREROUTING -p icmp
ip netns exec a4 iptables -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a4 iptables -t mangle -A INPUT -p icmp
ip netns exec a4 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a4 iptables -t nat -A PREROUTING -p icmp
ip netns exec a4 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a4 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.4.1 >/dev/null
ip netns exec a4 iptables-legacy -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a4 iptables-legacy -t raw -A PREROUTING -p icmp
ip netns exec a4 iptables-legacy -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a4 iptables-legacy -t mangle -A INPUT -p icmp
ip netns exec a4 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a4 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec a4 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a4 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.4.1 >/dev/null
ip netns exec a4 iptables-save -c
ip netns exec a4 iptables-legacy-save -c
# a5: the order is per nft base chain: nft's tables exist first (other chains), yet its
# PREROUTING/INPUT chains, created after legacy's tables, run first
ip netns add a5
ip link add eth0 netns a5 type veth peer name eth5 netns peer
ip -n a5 addr add 10.9.5.1/24 dev eth0
ip -n a5 link set eth0 up
ip -n peer addr add 10.9.5.2/24 dev eth5
ip -n peer link set eth5 up
ip netns exec a5 iptables -t raw -A OUTPUT -p icmp
ip netns exec a5 iptables -t mangle -A FORWARD -p icmp
ip netns exec a5 iptables -t nat -A POSTROUTING -p icmp
ip netns exec a5 iptables -A FORWARD -p icmp
ip netns exec a5 iptables-legacy -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a5 iptables-legacy -t raw -A PREROUTING -p icmp
ip netns exec a5 iptables-legacy -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a5 iptables-legacy -t mangle -A INPUT -p icmp
ip netns exec a5 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a5 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec a5 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a5 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec a5 iptables -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a5 iptables -t raw -A PREROUTING -p icmp
ip netns exec a5 iptables -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a5 iptables -t mangle -A INPUT -p icmp
ip netns exec a5 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a5 iptables -t nat -A PREROUTING -p icmp
ip netns exec a5 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a5 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.5.1 >/dev/null
ip netns exec a5 iptables-save -c
ip netns exec a5 iptables-legacy-save -c
# a6: a listing instantiates a legacy table (and registers its hooks) before nft's rules
ip netns add a6
ip link add eth0 netns a6 type veth peer name eth6 netns peer
ip -n a6 addr add 10.9.6.1/24 dev eth0
ip -n a6 link set eth0 up
ip -n peer addr add 10.9.6.2/24 dev eth6
ip -n peer link set eth6 up
ip netns exec a6 iptables-legacy -t raw -L -n >/dev/null
ip netns exec a6 iptables-legacy -t mangle -L -n >/dev/null
ip netns exec a6 iptables-legacy -t nat -L -n >/dev/null
ip netns exec a6 iptables-legacy -t filter -L -n >/dev/null
ip netns exec a6 iptables -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a6 iptables -t raw -A PREROUTING -p icmp
ip netns exec a6 iptables -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a6 iptables -t mangle -A INPUT -p icmp
ip netns exec a6 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a6 iptables -t nat -A PREROUTING -p icmp
ip netns exec a6 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a6 iptables -t filter -A INPUT -p icmp
ip netns exec a6 iptables-legacy -t raw -A PREROUTING -p icmp -m mark --mark 0x0/0x1 -j MARK --or-mark 0x1
ip netns exec a6 iptables-legacy -t raw -A PREROUTING -p icmp
ip netns exec a6 iptables-legacy -t mangle -A INPUT -p icmp -m mark --mark 0x0/0x2 -j MARK --or-mark 0x2
ip netns exec a6 iptables-legacy -t mangle -A INPUT -p icmp
ip netns exec a6 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec a6 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec a6 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec a6 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.6.1 >/dev/null
ip netns exec a6 iptables-save -c
ip netns exec a6 iptables-legacy-save -c
