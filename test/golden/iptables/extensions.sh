iptables -A INPUT -j LOG --log-level 0 --log-uid
iptables -A INPUT -j LOG --log-level 1 --log-uid
iptables -A INPUT -j LOG --log-level 2 --log-uid
iptables -A INPUT -j LOG --log-level 3 --log-uid
iptables -A INPUT -j LOG --log-level 4 --log-uid
iptables -A INPUT -j LOG --log-level 5 --log-uid
iptables -A INPUT -j LOG --log-level 6 --log-uid
iptables -A INPUT -j LOG --log-level 7 --log-uid
iptables -A INPUT -p icmp ! --icmp-type 3/3 -j ACCEPT
iptables -A INPUT -p icmp --icmp-type any -j ACCEPT
iptables -A INPUT -p tcp -m multiport ! --dports 80,443 -j ACCEPT
iptables -A INPUT -m mark ! --mark 0x1 -j ACCEPT
iptables -A INPUT -m conntrack ! --ctstate NEW --ctorigdst 1.2.3.0/24 --ctproto tcp --ctdir REPLY -j ACCEPT
iptables -A INPUT -m state ! --state INVALID -j ACCEPT
iptables -A INPUT -m addrtype ! --src-type LOCAL,UNICAST -j ACCEPT
iptables -A INPUT -m limit --limit 60/min --limit-burst 10 -j ACCEPT
iptables -A INPUT -m limit --limit 3/hour -j ACCEPT
iptables -A INPUT -p tcp ! --sport 1:1000 --dport 22 --tcp-flags SYN,ACK SYN -j ACCEPT
iptables -A INPUT -s 10.1.2.3/8 -d 0/0 -j ACCEPT
iptables -A INPUT -s 10.0.0.0/255.0.255.0 -j ACCEPT
iptables -A INPUT -s 1.1.1.1,2.2.2.2 -j ACCEPT
iptables -A INPUT -i veth+ -j ACCEPT
iptables -A INPUT -m comment --comment 'a "q" b' -j ACCEPT
iptables -A INPUT -m comment --comment simple -j ACCEPT
iptables -A INPUT -p tcp
iptables -t mangle -A PREROUTING -j MARK --set-mark 0x1/0xff
iptables -t mangle -A PREROUTING -j MARK --and-mark 0xf
iptables -t mangle -A PREROUTING -j MARK --or-mark 0xf
iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark
iptables -t mangle -A PREROUTING -j CONNMARK --set-mark 1
iptables -t raw -A OUTPUT -j NOTRACK
iptables-save
iptables -L -n
iptables -L
iptables -t mangle -L
iptables -t nat -L

