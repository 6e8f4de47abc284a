# Fragments crossing a bridge with bridge-nf-call-iptables: without conntrack in use, iptables FORWARD counts each
# fragment; once a conntrack rule exists, nf_defrag_ipv4 reassembles in br_netfilter's PREROUTING, so iptables
# counts whole datagrams and the bridge sends them on cut as they came (br_nf_dev_queue_xmit, frag_max_size).
# Topology: containers c1 172.17.0.2 (veth1) and c2 172.17.0.3 (veth2) on bridge docker0 172.17.0.1
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link set veth1 master docker0
ip link set veth1 up
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth2 master docker0
ip link set veth2 up
ip -n c1 link set lo up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set lo up
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c2 link set eth0 up
iptables -t raw -A PREROUTING -p icmp
iptables -A FORWARD -p icmp
iptables -A FORWARD -p icmp -f
iptables -t mangle -A POSTROUTING -p icmp
ip netns exec c2 iptables -t raw -A PREROUTING -p icmp
ip netns exec c1 ping -c 2 -s 3000 172.17.0.3
iptables-save -c
ip netns exec c2 iptables-save -c
iptables -Z
ip netns exec c2 iptables -Z
iptables -A FORWARD -m conntrack --ctstate NEW,ESTABLISHED -p icmp
ip netns exec c1 ping -c 2 -s 3000 172.17.0.3
iptables-save -c
ip netns exec c2 iptables-save -c
conntrack -L
