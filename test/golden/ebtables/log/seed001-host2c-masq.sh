# Seed 001, experiment 2, rebuilt with Docker's MASQUERADE rule for 172.17.0.0/16 (as on the seed's
# host): conntrack is in use, so the host's request logs at nat OUTPUT and nat POSTROUTING like the
# seed's trace; the reply (known connection) skips nat. ebtables-nft: bridge filter OUTPUT runs
# before nat OUTPUT, and there is no broute table.
# Captured once with the host's nf_log_all_netns=1; change the T3 prefixes before re-capturing.
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip link set docker0 address 02:42:ff:e7:b5:d2
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
ebtables -t nat -I PREROUTING -p IPv4 --log --log-prefix 'T3eb/nat-PREROUTE' --log-level debug
ebtables -t nat -I OUTPUT -p IPv4 --log --log-prefix 'T3eb/nat-OUTPUT' --log-level debug
ebtables -t nat -I POSTROUTING -p IPv4 --log --log-prefix 'T3eb/nat-POSTROUTE' --log-level debug
ebtables -t filter -I INPUT -p IPv4 --log --log-prefix 'T3eb/filter-input' --log-level debug
ebtables -t filter -I OUTPUT -p IPv4 --log --log-prefix 'T3eb/filter-output' --log-level debug
ebtables -t filter -I FORWARD -p IPv4 --log --log-prefix 'T3eb/filter-forward' --log-level debug
iptables -t raw -I PREROUTING -p icmp -j LOG --log-prefix 'T3ipt/raw-PREROUTE' --log-level debug
iptables -t mangle -I PREROUTING -p icmp -j LOG --log-prefix 'T3ipt/mangle-PREROUTE' --log-level debug
iptables -t nat -I PREROUTING -p icmp -j LOG --log-prefix 'T3ipt/nat-PREROUTE' --log-level debug
iptables -t mangle -I FORWARD -p icmp -j LOG --log-prefix 'T3ipt/mangle-FORWARD' --log-level debug
iptables -t filter -I FORWARD -p icmp -j LOG --log-prefix 'T3ipt/filter-FORWARD' --log-level debug
iptables -t mangle -I INPUT -p icmp -j LOG --log-prefix 'T3ipt/mangle-INPUT' --log-level debug
iptables -t filter -I INPUT -p icmp -j LOG --log-prefix 'T3ipt/filter-INPUT' --log-level debug
iptables -t raw -I OUTPUT -p icmp -j LOG --log-prefix 'T3ipt/raw-OUTPUT' --log-level debug
iptables -t mangle -I OUTPUT -p icmp -j LOG --log-prefix 'T3ipt/mangle-OUTPUT' --log-level debug
iptables -t nat -I OUTPUT -p icmp -j LOG --log-prefix 'T3ipt/nat-OUTPUT' --log-level debug
iptables -t filter -I OUTPUT -p icmp -j LOG --log-prefix 'T3ipt/filter-OUTPUT' --log-level debug
iptables -t mangle -I POSTROUTING -p icmp -j LOG --log-prefix 'T3ipt/mangle-POSTROUTE' --log-level debug
iptables -t nat -I POSTROUTING -p icmp -j LOG --log-prefix 'T3ipt/nat-POSTROUTE' --log-level debug
ping -c 1 172.17.0.2 > /dev/null
dmesg | grep -E "T3(eb|ipt)/"
