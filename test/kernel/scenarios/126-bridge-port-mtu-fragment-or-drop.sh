# A bridge port with a smaller MTU than the frames it must send: with bridge-nf-call-iptables, br_nf_dev_queue_xmit drops a
# DF frame and fragments one without DF (-M dont, and the fragments of a 3028-byte datagram) at the port's MTU; without
# br_netfilter (call-iptables 0) br_dev_queue_push_xmit drops it. c2's answers die at veth2 (over its MTU).
# Topology: containers c1 172.17.0.2 (veth1) and c2 172.17.0.3 (veth2, host side mtu 1400) on bridge docker0 172.17.0.1
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
ip link set veth2 mtu 1400
iptables -A FORWARD -p icmp
ip netns exec c2 iptables -t raw -A PREROUTING -p icmp
ip netns exec c1 ping -c 1 -W 1 172.17.0.3 > /dev/null
ip netns exec c1 ping -c 1 -W 1 -s 1400 172.17.0.3 || echo rc=$?
ip netns exec c1 ping -c 1 -W 1 -s 1400 -M dont 172.17.0.3 || echo rc=$?
ip netns exec c1 ping -c 1 -W 1 -s 3000 172.17.0.3 || echo rc=$?
iptables-save -c
ip netns exec c2 iptables-save -c
sysctl -w net.bridge.bridge-nf-call-iptables=0
ip netns exec c1 ping -c 1 -W 1 -s 1400 -M dont 172.17.0.3 || echo rc=$?
ip netns exec c2 iptables-save -c
