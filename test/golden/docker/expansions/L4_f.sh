# dockerd --icc=false &
ipset -exist create docker-ext-bridges-v4 hash:net family inet >/dev/null
ipset flush docker-ext-bridges-v4 >/dev/null
iptables -t nat -N DOCKER >/dev/null
iptables -t filter -N DOCKER >/dev/null
iptables -t filter -N DOCKER-ISOLATION-STAGE-1 >/dev/null
iptables -t filter -N DOCKER-ISOLATION-STAGE-2 >/dev/null
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER >/dev/null
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER >/dev/null
iptables -t filter -I FORWARD -m set --match-set docker-ext-bridges-v4 dst -j DOCKER >/dev/null
iptables -t filter -I FORWARD -j DOCKER-ISOLATION-STAGE-1 >/dev/null
iptables -t filter -I FORWARD -m set --match-set docker-ext-bridges-v4 dst -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT >/dev/null
iptables -t filter -N DOCKER-USER >/dev/null
iptables -t filter -A DOCKER-USER -j RETURN >/dev/null
iptables -t filter -I FORWARD -j DOCKER-USER >/dev/null
ip link add docker0 txqueuelen 0 type bridge >/dev/null
ip link set docker0 address fe:99:3d:44:c1:ca >/dev/null
ip addr add 172.17.0.1/16 brd + dev docker0 >/dev/null
ip link set docker0 up >/dev/null
iptables -t nat -I POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE >/dev/null
iptables -t nat -I DOCKER -i docker0 -j RETURN >/dev/null
iptables -t filter -A FORWARD -i docker0 -o docker0 -j DROP >/dev/null
iptables -t filter -A FORWARD -i docker0 ! -o docker0 -j ACCEPT >/dev/null
iptables -t filter -A DOCKER ! -i docker0 -o docker0 -j DROP >/dev/null
ipset add docker-ext-bridges-v4 172.17.0.0/16 >/dev/null
iptables -t filter -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2 >/dev/null
iptables -t filter -I DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP >/dev/null
sysctl -w net.bridge.bridge-nf-call-iptables=1 >/dev/null
# docker run -d --name c1 -p 8080:80 nginx
ip netns add c1 >/dev/null
ip -n c1 link set lo up >/dev/null
ip link add vethde624b6 txqueuelen 0 type veth peer name veth56eac3e txqueuelen 0 netns c1 >/dev/null
ip link set vethde624b6 master docker0 >/dev/null
ip link set vethde624b6 up >/dev/null
ip -n c1 link set veth56eac3e name eth0 >/dev/null
ip -n c1 link set eth0 address e2:82:ef:b4:2a:ad >/dev/null
ip -n c1 addr add 172.17.0.2/16 brd + dev eth0 >/dev/null
ip netns exec c1 sysctl -q -w net.ipv6.conf.eth0.disable_ipv6=1 >/dev/null
ip -n c1 link set eth0 up >/dev/null
ip -n c1 route add default via 172.17.0.1 >/dev/null
iptables -t raw -A PREROUTING -d 172.17.0.2/32 ! -i docker0 -p tcp -m tcp --dport 80 -j DROP >/dev/null
iptables -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80 >/dev/null
iptables -t filter -I DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT >/dev/null
docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8080 -container-ip 172.17.0.2 -container-port 80 >/dev/null 2>&1 &
ip netns exec c1 nginx -g 'daemon off;' >/dev/null 2>&1 &
echo 9f49dda33d0dfd47b7e266fc4d68ad5df3dfec5fb157eb3bd59cef101d630a19

