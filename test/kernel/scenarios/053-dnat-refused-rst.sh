# A refused connection through DNAT: the RST, the only reply, deletes the entry at once
# (nf_ct_kill), yet the skb still holds it: FORWARD sees it ESTABLISHED in the reply direction
# and POSTROUTING un-DNATs it, so the client takes the refusal at once and never resends its SYN.
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
iptables -t nat -A PREROUTING -d 203.0.113.1 -p tcp --dport 8081 -j DNAT --to-destination 10.0.1.2:81
iptables -A FORWARD -p tcp --tcp-flags RST RST -m conntrack --ctstate ESTABLISHED --ctdir REPLY --ctstatus SEEN_REPLY -j ACCEPT
iptables -A FORWARD -p tcp --tcp-flags RST RST -j ACCEPT
iptables -A FORWARD -p tcp -m conntrack --ctstate NEW,DNAT -j ACCEPT
iptables -t mangle -A POSTROUTING -o veth-s -p tcp --tcp-flags RST RST -s 10.0.1.2 --sport 81
iptables -t mangle -A POSTROUTING -o veth-s -p tcp --tcp-flags RST RST -s 203.0.113.1 --sport 8081
ip netns exec server nc -z -w 2 203.0.113.1 8081 || echo refused
sleep 1
iptables-save -c
conntrack -L
