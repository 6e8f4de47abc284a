# Two containers on one bridge; ebtables FORWARD counts and drops by IPv4 fields.
ip netns add c1
ip netns add c2
ip link add br0 type bridge
ip link set br0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master br0
ip link set veth2 master br0
ip link set veth1 up
ip link set veth2 up
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c2 addr add 172.18.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
sysctl -qw net.bridge.bridge-nf-call-iptables=0
ebtables -N CNT
ebtables -A CNT -p IPv4 --ip-proto icmp -j RETURN
ebtables -A FORWARD -p IPv4 -j CNT
ebtables -A FORWARD -p IPv4 --ip-src 172.18.0.2 --ip-dst 172.18.0.3 -j ACCEPT
ebtables -A FORWARD -p IPv4 -i veth2 -o veth1 -j CONTINUE
ebtables -A FORWARD -p IPv4 --ip-proto udp -j DROP
ip netns exec c1 ping -c 3 -i 0.2 172.18.0.3 > /dev/null
ip netns exec c2 ping -c 2 -i 0.2 -s 100 172.18.0.2 > /dev/null
ebtables -L --Lc --Ln | grep -e '-p IPv4'
