# nat chains see nothing until conntrack is in use, then only each flow's first packet
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
iptables -t nat -A PREROUTING -p icmp
iptables -t nat -A INPUT -p icmp
iptables -t nat -A OUTPUT -p icmp
iptables -t nat -A POSTROUTING -p icmp
iptables -t nat -A PREROUTING -p tcp
iptables -t nat -A POSTROUTING -p tcp
ip netns exec client ping -c 3 -i 0.01 203.0.113.2
iptables-save -c -t nat
iptables -A FORWARD -m conntrack --ctstate NEW
ip netns exec client ping -c 3 -i 0.01 203.0.113.2
ip netns exec client ping -c 2 -i 0.01 10.0.1.1
ping -c 2 -i 0.01 10.0.1.2
ip netns exec server nc -l -k -p 80 &
sleep 1
ip netns exec client nc -z 203.0.113.2 80
sleep 1
iptables-save -c
conntrack -L
