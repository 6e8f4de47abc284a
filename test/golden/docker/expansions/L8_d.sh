# dockerd &
iptables -t nat -N DOCKER >/dev/null
iptables -t filter -N DOCKER >/dev/null
iptables -t filter -N DOCKER-FORWARD >/dev/null
iptables -t filter -N DOCKER-BRIDGE >/dev/null
iptables -t filter -N DOCKER-CT >/dev/null
iptables -t filter -N DOCKER-INTERNAL >/dev/null
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER >/dev/null
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER >/dev/null
iptables -t filter -I FORWARD -j DOCKER-FORWARD >/dev/null
iptables -t filter -I DOCKER-FORWARD -j DOCKER-BRIDGE >/dev/null
iptables -t filter -I DOCKER-FORWARD -j DOCKER-INTERNAL >/dev/null
iptables -t filter -I DOCKER-FORWARD -j DOCKER-CT >/dev/null
iptables -t filter -N DOCKER-USER >/dev/null
iptables -t filter -I FORWARD -j DOCKER-USER >/dev/null
ip link add docker0 txqueuelen 0 type bridge >/dev/null
ip link set docker0 address fe:99:3d:44:c1:ca >/dev/null
ip addr add 172.17.0.1/16 brd + dev docker0 >/dev/null
ip link set docker0 up >/dev/null
iptables -t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE >/dev/null
iptables -t filter -A DOCKER-FORWARD -i docker0 -j ACCEPT >/dev/null
iptables -t filter -A DOCKER ! -i docker0 -o docker0 -j DROP >/dev/null
iptables -t filter -A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT >/dev/null
iptables -t filter -A DOCKER-BRIDGE -o docker0 -j DOCKER >/dev/null
# docker network create --internal --subnet 172.19.0.0/16 -o com.docker.network.bridge.name=br-0123456789ab internal1
ip link add br-0123456789ab txqueuelen 0 type bridge >/dev/null
ip link set br-0123456789ab address fe:47:b7:e2:66:fc >/dev/null
ip addr add 172.19.0.1/16 brd + dev br-0123456789ab >/dev/null
ip link set br-0123456789ab up >/dev/null
iptables -t filter -I DOCKER-INTERNAL ! -d 172.19.0.0/16 -i br-0123456789ab -j DROP >/dev/null
iptables -t filter -I DOCKER-INTERNAL ! -s 172.19.0.0/16 -o br-0123456789ab -j DROP >/dev/null
iptables -t filter -A DOCKER-FORWARD -i br-0123456789ab -o br-0123456789ab -j ACCEPT >/dev/null
echo 9f49dda33d0dfd47b7e266fc4d68ad5df3dfec5fb157eb3bd59cef101d630a19
# docker run -d --name c1 --network internal1 busybox sleep 1d
ip netns add c1 >/dev/null
ip -n c1 link set lo up >/dev/null
ip link add vetha855825 txqueuelen 0 type veth peer name veth20dd0ad txqueuelen 0 netns c1 >/dev/null
ip link set vetha855825 master br-0123456789ab >/dev/null
ip link set vetha855825 up >/dev/null
ip -n c1 link set veth20dd0ad name eth0 >/dev/null
ip -n c1 link set eth0 address 8a:13:ce:da:45:2a >/dev/null
ip -n c1 addr add 172.19.0.2/16 brd + dev eth0 >/dev/null
ip netns exec c1 sysctl -q -w net.ipv6.conf.eth0.disable_ipv6=1 >/dev/null
ip -n c1 link set eth0 up >/dev/null
ip netns exec c1 iptables -t nat -N DOCKER_OUTPUT >/dev/null
ip netns exec c1 iptables -t nat -I OUTPUT -d 127.0.0.11 -j DOCKER_OUTPUT >/dev/null
ip netns exec c1 iptables -t nat -N DOCKER_POSTROUTING >/dev/null
ip netns exec c1 iptables -t nat -I POSTROUTING -d 127.0.0.11 -j DOCKER_POSTROUTING >/dev/null
ip netns exec c1 iptables -t nat -I DOCKER_OUTPUT -d 127.0.0.11 -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:44818 >/dev/null
ip netns exec c1 iptables -t nat -I DOCKER_POSTROUTING -s 127.0.0.11 -p udp --sport 44818 -j SNAT --to-source :53 >/dev/null
ip netns exec c1 iptables -t nat -I DOCKER_OUTPUT -d 127.0.0.11 -p tcp --dport 53 -j DNAT --to-destination 127.0.0.11:34651 >/dev/null
ip netns exec c1 iptables -t nat -I DOCKER_POSTROUTING -s 127.0.0.11 -p tcp --sport 34651 -j SNAT --to-source :53 >/dev/null
ip netns exec c1 dockerd-embedded-dns -udp 127.0.0.11:44818 -tcp 127.0.0.11:34651 >/dev/null 2>&1 &
sh -c 'printf '\''nameserver 127.0.0.11\noptions ndots:0\n'\'' 2>/dev/null >/etc/netns/c1/resolv.conf || true' >/dev/null
echo de624b62e1988293ef96b4532a8fad43f2e921c5fa5629bb636b1e1a66b75306

