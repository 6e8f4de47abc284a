# SNAT/MASQUERADE with port ranges: a source port inside the range is kept (a remapped one would be random, so none is)
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
ip addr add 203.0.113.100/24 dev veth-s
iptables -t nat -A POSTROUTING -p udp --sport 1500 -j SNAT --to-source 203.0.113.100:1024-2000
iptables -t nat -A POSTROUTING -p udp --sport 4031 -j MASQUERADE --to-ports 4000-4100
iptables -A FORWARD -p udp -j ACCEPT
ip netns exec server nc -u -l -k -p 5353 &
sleep 1
echo b | ip netns exec client nc -u -w 1 -p 1500 203.0.113.2 5353
echo c | ip netns exec client nc -u -w 1 -p 4031 203.0.113.2 5353
sleep 1
iptables-save -c
conntrack -L
