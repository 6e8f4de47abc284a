# ebtables filter DROP by MAC, nat chains on forwarded and host traffic, FORWARD policy DROP.
# (IGMP reports a new bridge sends are not modelled: the OUTPUT/POSTROUTING rules match ICMP only.)
ip netns add c1
ip netns add c2
ip link add br0 type bridge
ip addr add 172.18.0.1/16 dev br0
ip link set br0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth1 master br0
ip link set veth2 master br0
ip link set veth1 up
ip link set veth2 up
ip -n c1 link set eth0 address 02:42:ac:12:00:02
ip -n c2 link set eth0 address 02:42:ac:12:00:03
ip -n c1 addr add 172.18.0.2/16 dev eth0
ip -n c2 addr add 172.18.0.3/16 dev eth0
ip -n c1 link set eth0 up
ip -n c2 link set eth0 up
sysctl -qw net.bridge.bridge-nf-call-iptables=0
ebtables -t nat -A PREROUTING -p IPv4 -s 02:42:ac:12:00:02 -j CONTINUE
ebtables -t nat -A PREROUTING -p IPv4 -d 02:42:ac:12:00:00/ff:ff:ff:ff:ff:00 -j ACCEPT
ebtables -t nat -A OUTPUT -p IPv4 --ip-proto icmp -j ACCEPT
ebtables -t nat -A POSTROUTING -p IPv4 -o veth2 --ip-proto icmp -j ACCEPT
ebtables -A INPUT -p IPv4 --ip-dst 172.18.0.1 -j ACCEPT
ebtables -A OUTPUT -p IPv4 --ip-src 172.18.0.1 --ip-proto icmp -j ACCEPT
ebtables -A FORWARD -p ARP -j ACCEPT
ebtables -A FORWARD -p IPv4 -s 02:42:ac:12:00:02 --ip-proto icmp -j DROP
ebtables -P FORWARD DROP
ip netns exec c1 ping -c 2 -i 0.2 -W 1 172.18.0.3 > /dev/null || echo "c1 -> c2 blocked"
ip netns exec c2 ping -c 2 -i 0.2 -W 1 172.18.0.2 > /dev/null || echo "c2 -> c1 blocked"
ping -c 3 -i 0.2 172.18.0.2 > /dev/null
ip netns exec c2 ping -c 1 172.18.0.1 > /dev/null
ebtables -L --Lc | grep -e '-p IPv4'
ebtables -t nat -L --Lc | grep -e '-p IPv4'
