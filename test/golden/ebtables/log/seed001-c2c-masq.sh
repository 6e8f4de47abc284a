# Seed 001, experiment 1, rebuilt with Docker's MASQUERADE rule for 172.17.0.0/16 (as on the seed's
# host, where dockerd had installed it): MASQUERADE needs conntrack, so iptables-nft's nat chains
# are walked and the request logs at nat PREROUTING and nat POSTROUTING like the seed's trace.
# The reply belongs to a known connection: nat is not walked. ebtables-nft: no broute table.
# Captured once with the host's nf_log_all_netns=1; change the T1 prefixes before re-capturing.
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
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
ebtables -t nat -I PREROUTING -p IPv4 --log --log-prefix 'T1eb/nat-PREROUTE' --log-level debug
ebtables -t nat -I OUTPUT -p IPv4 --log --log-prefix 'T1eb/nat-OUTPUT' --log-level debug
ebtables -t nat -I POSTROUTING -p IPv4 --log --log-prefix 'T1eb/nat-POSTROUTE' --log-level debug
ebtables -t filter -I INPUT -p IPv4 --log --log-prefix 'T1eb/filter-input' --log-level debug
ebtables -t filter -I OUTPUT -p IPv4 --log --log-prefix 'T1eb/filter-output' --log-level debug
ebtables -t filter -I FORWARD -p IPv4 --log --log-prefix 'T1eb/filter-forward' --log-level debug
iptables -t raw -I PREROUTING -p icmp -j LOG --log-prefix 'T1ipt/raw-PREROUTE' --log-level debug
iptables -t mangle -I PREROUTING -p icmp -j LOG --log-prefix 'T1ipt/mangle-PREROUTE' --log-level debug
iptables -t nat -I PREROUTING -p icmp -j LOG --log-prefix 'T1ipt/nat-PREROUTE' --log-level debug
iptables -t mangle -I FORWARD -p icmp -j LOG --log-prefix 'T1ipt/mangle-FORWARD' --log-level debug
iptables -t filter -I FORWARD -p icmp -j LOG --log-prefix 'T1ipt/filter-FORWARD' --log-level debug
iptables -t mangle -I INPUT -p icmp -j LOG --log-prefix 'T1ipt/mangle-INPUT' --log-level debug
iptables -t filter -I INPUT -p icmp -j LOG --log-prefix 'T1ipt/filter-INPUT' --log-level debug
iptables -t raw -I OUTPUT -p icmp -j LOG --log-prefix 'T1ipt/raw-OUTPUT' --log-level debug
iptables -t mangle -I OUTPUT -p icmp -j LOG --log-prefix 'T1ipt/mangle-OUTPUT' --log-level debug
iptables -t nat -I OUTPUT -p icmp -j LOG --log-prefix 'T1ipt/nat-OUTPUT' --log-level debug
iptables -t filter -I OUTPUT -p icmp -j LOG --log-prefix 'T1ipt/filter-OUTPUT' --log-level debug
iptables -t mangle -I POSTROUTING -p icmp -j LOG --log-prefix 'T1ipt/mangle-POSTROUTE' --log-level debug
iptables -t nat -I POSTROUTING -p icmp -j LOG --log-prefix 'T1ipt/nat-POSTROUTE' --log-level debug
ip netns exec c1 ping -c 1 172.17.0.3 > /dev/null
dmesg | grep -E "T1(eb|ipt)/"
