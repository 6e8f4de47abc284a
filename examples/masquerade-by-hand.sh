# The same mechanics without Docker: a "container" namespace behind a host that forwards and
# masquerades. Runs unchanged on a real Linux host (as root) and in packetwalk.
ip netns add c1
ip netns add wan
ip link add veth0 type veth peer name eth0 netns c1
ip link add up0 type veth peer name eth0 netns wan
ip addr add 172.17.0.1/16 dev veth0
ip addr add 10.0.0.1/24 dev up0
ip link set veth0 up
ip link set up0 up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip -n wan addr add 10.0.0.2/24 dev eth0
ip -n wan link set eth0 up
ip -n wan addr add 114.114.114.114/32 dev lo
ip -n wan link set lo up
ip -n wan route add default via 10.0.0.1
ip route add default via 10.0.0.2
sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o veth0 -j MASQUERADE
iptables -A FORWARD -o veth0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -i veth0 ! -o veth0 -j ACCEPT
ip netns exec c1 ping -c 3 114.114.114.114
iptables-save -c
conntrack -L
