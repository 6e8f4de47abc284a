echo "=== iptables"
iptables -N DOCKER
iptables -N DOCKER-USER
iptables -N AAA
iptables -A DOCKER-USER -j RETURN
iptables -A FORWARD -j DOCKER-USER
iptables -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A FORWARD -o docker0 -j DOCKER
iptables -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT
iptables -A INPUT -p udp --sport 53:60 -j DROP
iptables -A INPUT -p icmp --icmp-type echo-request -j LOG --log-prefix "PING: " --log-level 4
iptables -A INPUT -m comment --comment "hello world" -j ACCEPT
iptables -A INPUT -m multiport -p tcp --dports 80,443,8000:8080 -j REJECT
iptables -A INPUT -p tcp --syn -j REJECT --reject-with tcp-reset
iptables -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT
iptables -A INPUT -m mark --mark 0x1/0xff -j ACCEPT
iptables -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j ACCEPT
iptables -A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT
iptables -A INPUT -p all ! -s 1.2.3.4 -j ACCEPT
iptables -A INPUT -p 47 -j ACCEPT
iptables -A INPUT -m limit --limit 5/min -j LOG
iptables -A INPUT -m physdev --physdev-in veth0 --physdev-is-bridged -j ACCEPT
iptables -A OUTPUT -g AAA
iptables -P FORWARD DROP
iptables -t nat -N DOCKER
iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
iptables -t nat -A DOCKER -i docker0 -j RETURN
iptables -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
iptables -t nat -A POSTROUTING -o eth0 -j SNAT --to-source 1.2.3.4
iptables -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080
iptables -t raw -A PREROUTING -p icmp -j TRACE
iptables -t raw -A PREROUTING -j CT --notrack
iptables -t mangle -A PREROUTING -j MARK --set-mark 5
iptables -t mangle -A PREROUTING -j CONNMARK --save-mark
iptables -t mangle -A POSTROUTING -p sctp -j CHECKSUM --checksum-fill
echo "--- save"
iptables-save
echo "--- S"
iptables -S
echo "--- L"
iptables -L
echo "--- nvL"
iptables -nvL --line-numbers
echo "--- t nat nvxL"
iptables -t nat -nvxL
echo "--- raw L"
iptables -t raw -L -n
iptables -t security -L -n
echo "=== iptables-legacy"
iptables-legacy -N DOCKER
iptables-legacy -N DOCKER-USER
iptables-legacy -N AAA
iptables-legacy -A DOCKER-USER -j RETURN
iptables-legacy -A FORWARD -j DOCKER-USER
iptables-legacy -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables-legacy -A FORWARD -o docker0 -j DOCKER
iptables-legacy -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
iptables-legacy -A FORWARD -i docker0 -o docker0 -j ACCEPT
iptables-legacy -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
iptables-legacy -A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT
iptables-legacy -A INPUT -p udp --sport 53:60 -j DROP
iptables-legacy -A INPUT -p icmp --icmp-type echo-request -j LOG --log-prefix "PING: " --log-level 4
iptables-legacy -A INPUT -m comment --comment "hello world" -j ACCEPT
iptables-legacy -A INPUT -m multiport -p tcp --dports 80,443,8000:8080 -j REJECT
iptables-legacy -A INPUT -p tcp --syn -j REJECT --reject-with tcp-reset
iptables-legacy -A INPUT -m state --state NEW,ESTABLISHED -j ACCEPT
iptables-legacy -A INPUT -m mark --mark 0x1/0xff -j ACCEPT
iptables-legacy -A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j ACCEPT
iptables-legacy -A INPUT -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT
iptables-legacy -A INPUT -p all ! -s 1.2.3.4 -j ACCEPT
iptables-legacy -A INPUT -p 47 -j ACCEPT
iptables-legacy -A INPUT -m limit --limit 5/min -j LOG
iptables-legacy -A INPUT -m physdev --physdev-in veth0 --physdev-is-bridged -j ACCEPT
iptables-legacy -A OUTPUT -g AAA
iptables-legacy -P FORWARD DROP
iptables-legacy -t nat -N DOCKER
iptables-legacy -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
iptables-legacy -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
iptables-legacy -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
iptables-legacy -t nat -A DOCKER -i docker0 -j RETURN
iptables-legacy -t nat -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80
iptables-legacy -t nat -A POSTROUTING -o eth0 -j SNAT --to-source 1.2.3.4
iptables-legacy -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080
iptables-legacy -t raw -A PREROUTING -p icmp -j TRACE
iptables-legacy -t raw -A PREROUTING -j CT --notrack
iptables-legacy -t mangle -A PREROUTING -j MARK --set-mark 5
iptables-legacy -t mangle -A PREROUTING -j CONNMARK --save-mark
iptables-legacy -t mangle -A POSTROUTING -p sctp -j CHECKSUM --checksum-fill
echo "--- save"
iptables-legacy-save
echo "--- S"
iptables-legacy -S
echo "--- L"
iptables-legacy -L
echo "--- nvL"
iptables-legacy -nvL --line-numbers
echo "--- t nat nvxL"
iptables-legacy -t nat -nvxL
echo "--- raw L"
iptables-legacy -t raw -L -n
iptables-legacy -t security -L -n

