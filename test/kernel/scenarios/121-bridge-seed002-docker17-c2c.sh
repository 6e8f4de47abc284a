# Seed 002: container to container through Docker 17.06's rules (DOCKER-USER, single DOCKER-ISOLATION chain, bridge 192.168.0.0/20); its counters are asserted exactly
ip netns add c1
ip netns add c2
ip link add docker0 type bridge
ip addr add 192.168.0.1/20 dev docker0
ip link set docker0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link set veth1 master docker0
ip link set veth1 up
ip link add veth2 type veth peer name eth0 netns c2
ip link set veth2 master docker0
ip link set veth2 up
ip -n c1 link set lo up
ip -n c1 addr add 192.168.0.2/20 dev eth0
ip -n c1 link set eth0 up
ip -n c1 route add default via 192.168.0.1
ip -n c2 link set lo up
ip -n c2 addr add 192.168.0.3/20 dev eth0
ip -n c2 link set eth0 up
ip -n c2 route add default via 192.168.0.1
sysctl -w net.ipv4.ip_forward=1
iptables-restore <<'EOF'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 192.168.0.0/20 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER-ISOLATION -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
EOF
ip netns exec c1 ping -c 1 192.168.0.3
ip netns exec c2 ping -c 1 192.168.0.2
ip netns exec c1 ping -c 3 -i 0.01 192.168.0.3
iptables-save -c
conntrack -L
