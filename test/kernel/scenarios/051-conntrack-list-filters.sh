# conntrack -L with filters (-p, -s, -d, --src-nat, --dst-nat, --state) over NATed TCP, UDP and ICMP flows
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
iptables -t nat -A POSTROUTING -o veth-s -p icmp -j MASQUERADE
iptables -t nat -A PREROUTING -d 203.0.113.1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.1.2:80
iptables -A FORWARD -m conntrack --ctstate NEW,ESTABLISHED,RELATED -j ACCEPT
ip netns exec client nc -l -k -p 80 &
ip netns exec server nc -u -l -k -p 5353 &
sleep 1
ip netns exec client ping -c 2 -i 0.01 203.0.113.2
ip netns exec server nc -z 203.0.113.1 8080
echo hi | ip netns exec client nc -u -w 1 -p 4020 203.0.113.2 5353
sleep 1
conntrack -L -p tcp
conntrack -L -p icmp
conntrack -L -s 10.0.1.2
conntrack -L -d 203.0.113.1
conntrack -L --src-nat
conntrack -L --dst-nat
conntrack -L -p tcp --state TIME_WAIT
iptables-save -c
conntrack -L
