# Rulesets die with their namespace: after `ip netns del` and `ip netns add` of the same name,
# iptables (both backends) and ebtables start empty and nothing of the old rules counts traffic.
ip netns add x
ip netns add peer
ip netns exec x iptables -A INPUT -p icmp -j DROP
ip netns exec x iptables-legacy -A INPUT -p icmp -j DROP
ip netns exec x ebtables -A FORWARD -p IPv4 -j DROP
ip netns del x
ip netns add x
ip link add eth0 netns x type veth peer name eth0 netns peer
ip -n x addr add 10.9.0.1/24 dev eth0
ip -n x link set eth0 up
ip -n peer addr add 10.9.0.2/24 dev eth0
ip -n peer link set eth0 up
ip netns exec peer ping -c 2 -i 0.2 10.9.0.1 >/dev/null
ip netns exec x iptables -A INPUT -p icmp -j ACCEPT
ip netns exec peer ping -c 1 10.9.0.1 >/dev/null
ip netns exec x iptables-save -c
ip netns exec x iptables-legacy-save -c
ip netns exec x ebtables -L --Lc
ip netns exec x conntrack -L
