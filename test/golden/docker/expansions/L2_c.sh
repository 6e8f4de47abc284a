# docker run -d --name c1 -p 8080:80 nginx
iptables -t nat -N DOCKER >/dev/null
iptables -t filter -N DOCKER >/dev/null
iptables -t filter -N DOCKER-ISOLATION >/dev/null
iptables -t filter -A DOCKER-ISOLATION -j RETURN >/dev/null
iptables -t filter -N DOCKER-USER >/dev/null
iptables -t filter -A DOCKER-USER -j RETURN >/dev/null
iptables -t filter -I FORWARD -j DOCKER-USER >/dev/null
ip link add docker0 txqueuelen 0 type bridge >/dev/null
ip link set docker0 address 02:42:9f:49:dd:a3 >/dev/null
ip addr add 172.17.0.1/16 brd + dev docker0 >/dev/null
ip link set docker0 up >/dev/null
iptables -t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE >/dev/null
iptables -t nat -I DOCKER -i docker0 -j RETURN >/dev/null
iptables -t filter -I FORWARD -i docker0 -o docker0 -j ACCEPT >/dev/null
iptables -t filter -I FORWARD -i docker0 ! -o docker0 -j ACCEPT >/dev/null
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER >/dev/null
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER >/dev/null
iptables -t filter -I FORWARD -o docker0 -j DOCKER >/dev/null
iptables -t filter -I FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT >/dev/null
iptables -t filter -I FORWARD -j DOCKER-ISOLATION >/dev/null
iptables -t filter -D FORWARD -j DOCKER-USER >/dev/null
iptables -t filter -I FORWARD -j DOCKER-USER >/dev/null
ip netns add c1 >/dev/null
ip -n c1 link set lo up >/dev/null
ip link add vethe198829 txqueuelen 0 type veth peer name veth69100a1 txqueuelen 0 >/dev/null
ip link set vethe198829 master docker0 >/dev/null
ip link set vethe198829 up >/dev/null
ip link set veth69100a1 netns c1 >/dev/null
ip -n c1 link set veth69100a1 name eth0 >/dev/null
ip -n c1 link set eth0 address 02:42:ac:11:00:02 >/dev/null
ip -n c1 addr add 172.17.0.2/16 brd + dev eth0 >/dev/null
ip -n c1 link set eth0 up >/dev/null
ip -n c1 route add default via 172.17.0.1 >/dev/null
iptables -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80 >/dev/null
iptables -t filter -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT >/dev/null
iptables -t nat -A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE >/dev/null
docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80 >/dev/null 2>&1 &
ip netns exec c1 nginx -g 'daemon off;' >/dev/null 2>&1 &
echo 3d0dfd47b7e266fc4d68ad5df3dfec5fb157eb3bd59cef101d630a19de624b62
# docker network create -o com.docker.network.bridge.name=br-1a2b3c4d5e6f net1
ip link add br-1a2b3c4d5e6f txqueuelen 0 type bridge >/dev/null
ip link set br-1a2b3c4d5e6f address 02:42:ce:d8:da:af >/dev/null
ip addr add 172.18.0.1/16 brd + dev br-1a2b3c4d5e6f >/dev/null
ip link set br-1a2b3c4d5e6f up >/dev/null
iptables -t nat -I POSTROUTING -s 172.18.0.0/16 ! -o br-1a2b3c4d5e6f -j MASQUERADE >/dev/null
iptables -t nat -I DOCKER -i br-1a2b3c4d5e6f -j RETURN >/dev/null
iptables -t filter -I FORWARD -i br-1a2b3c4d5e6f -o br-1a2b3c4d5e6f -j ACCEPT >/dev/null
iptables -t filter -I FORWARD -i br-1a2b3c4d5e6f ! -o br-1a2b3c4d5e6f -j ACCEPT >/dev/null
iptables -t filter -I FORWARD -o br-1a2b3c4d5e6f -j DOCKER >/dev/null
iptables -t filter -I FORWARD -o br-1a2b3c4d5e6f -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT >/dev/null
iptables -t filter -D FORWARD -j DOCKER-ISOLATION >/dev/null
iptables -t filter -I FORWARD -j DOCKER-ISOLATION >/dev/null
iptables -t filter -I DOCKER-ISOLATION -i br-1a2b3c4d5e6f -o docker0 -j DROP >/dev/null
iptables -t filter -I DOCKER-ISOLATION -i docker0 -o br-1a2b3c4d5e6f -j DROP >/dev/null
iptables -t filter -D FORWARD -j DOCKER-USER >/dev/null
iptables -t filter -I FORWARD -j DOCKER-USER >/dev/null
echo ef96b4532a8fad43f2e921c5fa5629bb636b1e1a66b75306a85582528813137c
# docker run -d --name c2 --network net1 -p 9090:80 nginx
ip netns add c2 >/dev/null
ip -n c2 link set lo up >/dev/null
ip link add veth821785f txqueuelen 0 type veth peer name veth0a9f0d7 txqueuelen 0 >/dev/null
ip link set veth821785f master br-1a2b3c4d5e6f >/dev/null
ip link set veth821785f up >/dev/null
ip link set veth0a9f0d7 netns c2 >/dev/null
ip -n c2 link set veth0a9f0d7 name eth0 >/dev/null
ip -n c2 link set eth0 address 02:42:ac:12:00:02 >/dev/null
ip -n c2 addr add 172.18.0.2/16 brd + dev eth0 >/dev/null
ip -n c2 link set eth0 up >/dev/null
ip -n c2 route add default via 172.18.0.1 >/dev/null
iptables -t nat -A DOCKER ! -i br-1a2b3c4d5e6f -p tcp -m tcp --dport 9090 -j DNAT --to-destination 172.18.0.2:80 >/dev/null
iptables -t filter -A DOCKER -d 172.18.0.2/32 ! -i br-1a2b3c4d5e6f -o br-1a2b3c4d5e6f -p tcp -m tcp --dport 80 -j ACCEPT >/dev/null
iptables -t nat -A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE >/dev/null
docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 9090 -container-ip 172.18.0.2 -container-port 80 >/dev/null 2>&1 &
ip netns exec c2 iptables -t nat -N DOCKER_OUTPUT >/dev/null
ip netns exec c2 iptables -t nat -I OUTPUT -d 127.0.0.11 -j DOCKER_OUTPUT >/dev/null
ip netns exec c2 iptables -t nat -N DOCKER_POSTROUTING >/dev/null
ip netns exec c2 iptables -t nat -I POSTROUTING -d 127.0.0.11 -j DOCKER_POSTROUTING >/dev/null
ip netns exec c2 iptables -t nat -I DOCKER_OUTPUT -d 127.0.0.11 -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:59069 >/dev/null
ip netns exec c2 iptables -t nat -I DOCKER_POSTROUTING -s 127.0.0.11 -p udp --sport 59069 -j SNAT --to-source :53 >/dev/null
ip netns exec c2 iptables -t nat -I DOCKER_OUTPUT -d 127.0.0.11 -p tcp --dport 53 -j DNAT --to-destination 127.0.0.11:42267 >/dev/null
ip netns exec c2 iptables -t nat -I DOCKER_POSTROUTING -s 127.0.0.11 -p tcp --sport 42267 -j SNAT --to-source :53 >/dev/null
ip netns exec c2 dockerd-embedded-dns -udp 127.0.0.11:59069 -tcp 127.0.0.11:42267 >/dev/null 2>&1 &
sh -c 'printf '\''nameserver 127.0.0.11\noptions ndots:0\n'\'' 2>/dev/null >/etc/netns/c2/resolv.conf || true' >/dev/null
ip netns exec c2 nginx -g 'daemon off;' >/dev/null 2>&1 &
echo 45d52a0d4da2e4db4a3924cba7928c8f531a1ec3242f11424d02acf4a6c41de9

