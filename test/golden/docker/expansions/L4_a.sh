# dockerd &
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
iptables -t filter -A FORWARD -i docker0 -j ACCEPT >/dev/null
iptables -t filter -A DOCKER ! -i docker0 -o docker0 -j DROP >/dev/null
ipset add docker-ext-bridges-v4 172.17.0.0/16 >/dev/null
iptables -t filter -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2 >/dev/null
iptables -t filter -I DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP >/dev/null

