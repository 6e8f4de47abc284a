# Container sends UDP (a DNS-like query) to the internet: MASQUERADE on the first datagram
# Topology: container c1 172.17.0.2 on bridge docker0 172.17.0.1; host eth0 192.168.1.10 -- inet 192.168.1.1 (198.51.100.7 on its lo)
ip netns add c1
ip netns add inet
ip link add docker0 type bridge
ip addr add 172.17.0.1/16 dev docker0
ip link set docker0 up
ip link add veth1 type veth peer name eth0 netns c1
ip link set veth1 master docker0
ip link set veth1 up
ip -n c1 link set lo up
ip -n c1 addr add 172.17.0.2/16 dev eth0
ip -n c1 link set eth0 up
ip -n c1 route add default via 172.17.0.1
ip link add eth0 type veth peer name eth0 netns inet
ip addr add 192.168.1.10/24 dev eth0
ip link set eth0 up
ip -n inet link set lo up
ip -n inet addr add 192.168.1.1/24 dev eth0
ip -n inet addr add 198.51.100.7/32 dev lo
ip -n inet link set eth0 up
ip route add default via 192.168.1.1
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
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
EOF
ip netns exec inet nc -u -l -k -p 53 &
sleep 1
echo query | ip netns exec c1 nc -u -w 1 -p 5000 198.51.100.7 53
echo again | ip netns exec c1 nc -u -w 1 -p 5000 198.51.100.7 53
sleep 1
iptables-save -c
conntrack -L
