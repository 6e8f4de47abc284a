# When iptables-nft re-registers a base chain's hook (and so runs before a legacy table created
# since): `iptables -F` keeps the chains; `iptables -X` deletes every base chain whose policy is
# ACCEPT and that has no rule (__nft_chain_del), and the next -A creates it anew; iptables-restore
# deletes and re-creates the table (--noflush does not); -F CHAIN, -F -v and -P create base chains
# as -A does; -N creates the table alone. Legacy tables are never re-registered (-F, -X included).
# Same rules as 055: `-m mark --mark 0x0/BIT -j MARK --or-mark BIT` counts only in the table that
# runs first, `-p icmp` in both (filter INPUT 0x8; nat PREROUTING 0x4, first packet of a flow).
# Topology: peer 10.9.N.2 (ethN) -- (eth0 10.9.N.1) bN, one namespace bN per case
ip netns add peer
# b1: nft, legacy (legacy runs first), iptables -F and the rules again: legacy still first
ip netns add b1
ip link add eth0 netns b1 type veth peer name eth1 netns peer
ip -n b1 addr add 10.9.1.1/24 dev eth0
ip -n b1 link set eth0 up
ip -n peer addr add 10.9.1.2/24 dev eth1
ip -n peer link set eth1 up
ip netns exec b1 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b1 iptables -t filter -A INPUT -p icmp
ip netns exec b1 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b1 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.1.1 >/dev/null
ip netns exec b1 iptables -F
ip netns exec b1 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b1 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.1.1 >/dev/null
ip netns exec b1 iptables-save -c
ip netns exec b1 iptables-legacy-save -c
# b2: the same with -F then -X, in filter and nat: nft's re-created chains run first
ip netns add b2
ip link add eth0 netns b2 type veth peer name eth2 netns peer
ip -n b2 addr add 10.9.2.1/24 dev eth0
ip -n b2 link set eth0 up
ip -n peer addr add 10.9.2.2/24 dev eth2
ip -n peer link set eth2 up
ip netns exec b2 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b2 iptables -t filter -A INPUT -p icmp
ip netns exec b2 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec b2 iptables -t nat -A PREROUTING -p icmp
ip netns exec b2 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b2 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b2 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec b2 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec peer ping -c 1 10.9.2.1 >/dev/null
ip netns exec b2 iptables -F
ip netns exec b2 iptables -X
ip netns exec b2 iptables -t nat -F
ip netns exec b2 iptables -t nat -X
ip netns exec b2 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b2 iptables -t filter -A INPUT -p icmp
ip netns exec b2 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec b2 iptables -t nat -A PREROUTING -p icmp
ip netns exec peer ping -c 1 10.9.2.1 >/dev/null
ip netns exec b2 iptables-save -c
ip netns exec b2 iptables-legacy-save -c
# b3: legacy -F and -X unregister nothing: nft, created second, stays first
ip netns add b3
ip link add eth0 netns b3 type veth peer name eth3 netns peer
ip -n b3 addr add 10.9.3.1/24 dev eth0
ip -n b3 link set eth0 up
ip -n peer addr add 10.9.3.2/24 dev eth3
ip -n peer link set eth3 up
ip netns exec b3 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b3 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b3 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b3 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.3.1 >/dev/null
ip netns exec b3 iptables-legacy -F
ip netns exec b3 iptables-legacy -X
ip netns exec b3 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b3 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.3.1 >/dev/null
ip netns exec b3 iptables-save -c
ip netns exec b3 iptables-legacy-save -c
# b4: iptables-restore replaces nft's table (new base chains): nft first from then on
ip netns add b4
ip link add eth0 netns b4 type veth peer name eth4 netns peer
ip -n b4 addr add 10.9.4.1/24 dev eth0
ip -n b4 link set eth0 up
ip -n peer addr add 10.9.4.2/24 dev eth4
ip -n peer link set eth4 up
ip netns exec b4 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b4 iptables -t filter -A INPUT -p icmp
ip netns exec b4 iptables -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec b4 iptables -t nat -A PREROUTING -p icmp
ip netns exec b4 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b4 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b4 iptables-legacy -t nat -A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
ip netns exec b4 iptables-legacy -t nat -A PREROUTING -p icmp
ip netns exec peer ping -c 1 10.9.4.1 >/dev/null
ip netns exec b4 iptables-restore <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
-A PREROUTING -p icmp -m conntrack --ctstate NEW -m mark --mark 0x0/0x4 -j MARK --or-mark 0x4
-A PREROUTING -p icmp
COMMIT
*filter
:INPUT ACCEPT [0:0]
-A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
-A INPUT -p icmp
COMMIT
EOF
ip netns exec peer ping -c 1 10.9.4.1 >/dev/null
ip netns exec b4 iptables-save -c
ip netns exec b4 iptables-legacy-save -c
# b5: iptables-restore --noflush keeps the chains: legacy still first
ip netns add b5
ip link add eth0 netns b5 type veth peer name eth5 netns peer
ip -n b5 addr add 10.9.5.1/24 dev eth0
ip -n b5 link set eth0 up
ip -n peer addr add 10.9.5.2/24 dev eth5
ip -n peer link set eth5 up
ip netns exec b5 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b5 iptables -t filter -A INPUT -p icmp
ip netns exec b5 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b5 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.5.1 >/dev/null
ip netns exec b5 iptables-restore --noflush <<'EOF'
*filter
-A INPUT -p icmp
COMMIT
EOF
ip netns exec peer ping -c 1 10.9.5.1 >/dev/null
ip netns exec b5 iptables-save -c
ip netns exec b5 iptables-legacy-save -c
# b6-b8: -F INPUT, -F -v and -P create nft's INPUT before legacy's table: legacy first
ip netns add b6
ip link add eth0 netns b6 type veth peer name eth6 netns peer
ip -n b6 addr add 10.9.6.1/24 dev eth0
ip -n b6 link set eth0 up
ip -n peer addr add 10.9.6.2/24 dev eth6
ip -n peer link set eth6 up
ip netns exec b6 iptables -F INPUT
ip netns exec b6 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b6 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b6 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b6 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.6.1 >/dev/null
ip netns exec b6 iptables-save -c
ip netns exec b6 iptables-legacy-save -c
ip netns add b7
ip link add eth0 netns b7 type veth peer name eth7 netns peer
ip -n b7 addr add 10.9.7.1/24 dev eth0
ip -n b7 link set eth0 up
ip -n peer addr add 10.9.7.2/24 dev eth7
ip -n peer link set eth7 up
ip netns exec b7 iptables -F -v
ip netns exec b7 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b7 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b7 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b7 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.7.1 >/dev/null
ip netns exec b7 iptables-save -c
ip netns exec b7 iptables-legacy-save -c
ip netns add b8
ip link add eth0 netns b8 type veth peer name eth8 netns peer
ip -n b8 addr add 10.9.8.1/24 dev eth0
ip -n b8 link set eth0 up
ip -n peer addr add 10.9.8.2/24 dev eth8
ip -n peer link set eth8 up
ip netns exec b8 iptables -P INPUT ACCEPT
ip netns exec b8 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b8 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b8 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b8 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.8.1 >/dev/null
ip netns exec b8 iptables-save -c
ip netns exec b8 iptables-legacy-save -c
# b9: -N creates nft's filter table without base chains: nft's INPUT comes after legacy, first
ip netns add b9
ip link add eth0 netns b9 type veth peer name eth9 netns peer
ip -n b9 addr add 10.9.9.1/24 dev eth0
ip -n b9 link set eth0 up
ip -n peer addr add 10.9.9.2/24 dev eth9
ip -n peer link set eth9 up
ip netns exec b9 iptables -N FOO
ip netns exec b9 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b9 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec b9 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b9 iptables -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.9.1 >/dev/null
ip netns exec b9 iptables-save -c
ip netns exec b9 iptables-legacy-save -c
# b10: -X keeps a base chain with rules (no -F before it): legacy still first
ip netns add b10
ip link add eth0 netns b10 type veth peer name eth10 netns peer
ip -n b10 addr add 10.9.10.1/24 dev eth0
ip -n b10 link set eth0 up
ip -n peer addr add 10.9.10.2/24 dev eth10
ip -n peer link set eth10 up
ip netns exec b10 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b10 iptables -t filter -A INPUT -p icmp
ip netns exec b10 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b10 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.10.1 >/dev/null
ip netns exec b10 iptables -X
ip netns exec peer ping -c 1 10.9.10.1 >/dev/null
ip netns exec b10 iptables-save -c
ip netns exec b10 iptables-legacy-save -c
# b11: -X keeps a base chain whose policy is DROP: legacy still first
ip netns add b11
ip link add eth0 netns b11 type veth peer name eth11 netns peer
ip -n b11 addr add 10.9.11.1/24 dev eth0
ip -n b11 link set eth0 up
ip -n peer addr add 10.9.11.2/24 dev eth11
ip -n peer link set eth11 up
ip netns exec b11 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b11 iptables -t filter -A INPUT -p icmp
ip netns exec b11 iptables -A INPUT -p icmp -j ACCEPT
ip netns exec b11 iptables -P INPUT DROP
ip netns exec b11 iptables-legacy -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b11 iptables-legacy -t filter -A INPUT -p icmp
ip netns exec peer ping -c 1 10.9.11.1 >/dev/null
ip netns exec b11 iptables -F
ip netns exec b11 iptables -X
ip netns exec b11 iptables -t filter -A INPUT -p icmp -m mark --mark 0x0/0x8 -j MARK --or-mark 0x8
ip netns exec b11 iptables -t filter -A INPUT -p icmp
ip netns exec b11 iptables -A INPUT -p icmp -j ACCEPT
ip netns exec peer ping -c 1 10.9.11.1 >/dev/null
ip netns exec b11 iptables-save -c
ip netns exec b11 iptables-legacy-save -c
