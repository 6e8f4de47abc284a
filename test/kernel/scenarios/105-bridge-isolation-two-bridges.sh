# Two Docker bridges: DOCKER-ISOLATION stages drop traffic between them
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
ip -n c1 route add default via 172.17.0.1
ip -n c2 link set lo up
ip -n c2 addr add 172.17.0.3/16 dev eth0
ip -n c2 link set eth0 up
ip -n c2 route add default via 172.17.0.1
ip link add br-net1 type bridge
ip addr add 172.18.0.1/16 dev br-net1
ip link set br-net1 up
ip netns add c3
ip link add veth3 type veth peer name eth0 netns c3
ip link set veth3 master br-net1
ip link set veth3 up
ip -n c3 link set lo up
ip -n c3 addr add 172.18.0.2/16 dev eth0
ip -n c3 link set eth0 up
ip -n c3 route add default via 172.18.0.1
sysctl -w net.ipv4.ip_forward=1
iptables -N DOCKER-ISOLATION-STAGE-1
iptables -N DOCKER-ISOLATION-STAGE-2
iptables -P FORWARD DROP
iptables -A FORWARD -j DOCKER-ISOLATION-STAGE-1
iptables -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables -A FORWARD -o br-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -i br-net1 ! -o br-net1 -j ACCEPT
iptables -A FORWARD -i br-net1 -o br-net1 -j ACCEPT
iptables -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
iptables -A DOCKER-ISOLATION-STAGE-1 -i br-net1 ! -o br-net1 -j DOCKER-ISOLATION-STAGE-2
iptables -A DOCKER-ISOLATION-STAGE-1 -j RETURN
iptables -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
iptables -A DOCKER-ISOLATION-STAGE-2 -o br-net1 -j DROP
iptables -A DOCKER-ISOLATION-STAGE-2 -j RETURN
ip netns exec c1 ping -c 2 -i 0.01 -W 1 172.18.0.2 || true
ip netns exec c3 ping -c 1 -W 1 172.17.0.3 || true
ip netns exec c1 ping -c 3 -i 0.01 172.17.0.3
iptables-save -c
conntrack -L
ebtables -L --Lc
