# Docker 20.10's filter rules for container-to-container traffic on docker0
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
iptables-restore <<'EOF'
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
ip netns exec c1 ping -c 3 -i 0.01 172.17.0.3
ip netns exec c2 nc -l -k -p 80 &
sleep 1
ip netns exec c1 nc -z 172.17.0.3 80
sleep 1
iptables-save -c
conntrack -L
ebtables -L --Lc
