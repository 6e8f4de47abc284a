# dockerd &
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

