# Seed 001, experiment 1, rebuilt: LOG rules on every ebtables and iptables chain (its log.sh),
# container to container on docker0 with br_netfilter. Kernel here vs the seed: ebtables-nft has
# no broute table, and iptables-nft's nat chains log nothing (no conntrack user in the ruleset, so
# nat is not walked); the order of the other lines is the seed's. Captured once with the host's
# nf_log_all_netns=1; dmesg keeps earlier runs, so change the S1 prefixes before re-capturing.
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master docker0
ip link set veth2 master docker0
ip link set veth1 up
ip link set veth2 up
ip -n c1 link set eth0 address 02:42:ac:11:00:02
ip -n c2 link set eth0 address 02:42:ac:11:00:03
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip -n c2 route add default via 172.17.0.1
ebtables -t nat -I PREROUTING -p IPv4 --log --log-prefix 'S1eb/nat-PREROUTE' --log-level debug
ebtables -t nat -I OUTPUT -p IPv4 --log --log-prefix 'S1eb/nat-OUTPUT' --log-level debug
ebtables -t nat -I POSTROUTING -p IPv4 --log --log-prefix 'S1eb/nat-POSTROUTE' --log-level debug
ebtables -t filter -I INPUT -p IPv4 --log --log-prefix 'S1eb/filter-input' --log-level debug
ebtables -t filter -I OUTPUT -p IPv4 --log --log-prefix 'S1eb/filter-output' --log-level debug
ebtables -t filter -I FORWARD -p IPv4 --log --log-prefix 'S1eb/filter-forward' --log-level debug
iptables -t raw -I PREROUTING -p icmp -j LOG --log-prefix 'S1ipt/raw-PREROUTE' --log-level debug
iptables -t mangle -I PREROUTING -p icmp -j LOG --log-prefix 'S1ipt/mangle-PREROUTE' --log-level debug
iptables -t nat -I PREROUTING -p icmp -j LOG --log-prefix 'S1ipt/nat-PREROUTE' --log-level debug
iptables -t mangle -I FORWARD -p icmp -j LOG --log-prefix 'S1ipt/mangle-FORWARD' --log-level debug
iptables -t filter -I FORWARD -p icmp -j LOG --log-prefix 'S1ipt/filter-FORWARD' --log-level debug
iptables -t mangle -I INPUT -p icmp -j LOG --log-prefix 'S1ipt/mangle-INPUT' --log-level debug
iptables -t filter -I INPUT -p icmp -j LOG --log-prefix 'S1ipt/filter-INPUT' --log-level debug
iptables -t raw -I OUTPUT -p icmp -j LOG --log-prefix 'S1ipt/raw-OUTPUT' --log-level debug
iptables -t mangle -I OUTPUT -p icmp -j LOG --log-prefix 'S1ipt/mangle-OUTPUT' --log-level debug
iptables -t nat -I OUTPUT -p icmp -j LOG --log-prefix 'S1ipt/nat-OUTPUT' --log-level debug
iptables -t filter -I OUTPUT -p icmp -j LOG --log-prefix 'S1ipt/filter-OUTPUT' --log-level debug
iptables -t mangle -I POSTROUTING -p icmp -j LOG --log-prefix 'S1ipt/mangle-POSTROUTE' --log-level debug
iptables -t nat -I POSTROUTING -p icmp -j LOG --log-prefix 'S1ipt/nat-POSTROUTE' --log-level debug
ip netns exec c1 ping -c 1 172.17.0.3 > /dev/null
dmesg | grep -E "S1(eb|ipt)/"
