# A client reaches a port published on the router's outer address from the inside (DNAT + SNAT loopback)
# Topology: client 10.0.1.2 -- (veth-c 10.0.1.1) host (veth-s 203.0.113.1) -- server 203.0.113.2
ip netns add client
ip netns add server
ip link add veth-c type veth peer name eth0 netns client
ip link add veth-s type veth peer name eth0 netns server
ip addr add 10.0.1.1/24 dev veth-c
ip addr add 203.0.113.1/24 dev veth-s
ip link set veth-c up
ip link set veth-s up
ip -n client link set lo up
ip -n client addr add 10.0.1.2/24 dev eth0
ip -n client link set eth0 up
ip -n client route add default via 10.0.1.1
ip -n server link set lo up
ip -n server addr add 203.0.113.2/24 dev eth0
ip -n server link set eth0 up
ip -n server route add default via 203.0.113.1
sysctl -w net.ipv4.ip_forward=1
ip netns add client2
ip link add veth-c2 type veth peer name eth0 netns client2

ip addr add 10.0.2.1/24 dev veth-c2
ip link set veth-c2 up
ip -n client2 link set lo up
ip -n client2 addr add 10.0.2.2/24 dev eth0
ip -n client2 link set eth0 up
ip -n client2 route add default via 10.0.2.1
iptables -t nat -A PREROUTING -d 203.0.113.1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.1.2:80
iptables -t nat -A POSTROUTING -s 10.0.0.0/16 -d 10.0.1.2 -p tcp --dport 80 -j MASQUERADE
iptables -A FORWARD -d 10.0.1.2 -p tcp --dport 80 -j ACCEPT
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
ip netns exec client nc -l -k -p 80 &
sleep 1
ip netns exec client2 nc -z 203.0.113.1 8080
ip netns exec server nc -z 203.0.113.1 8080
sleep 1
iptables-save -c
conntrack -L
