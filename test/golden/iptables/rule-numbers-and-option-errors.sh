t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables -A INPUT -j ACCEPT
t iptables -D INPUT 0
t iptables -I INPUT 0 -j ACCEPT
t iptables -D INPUT abc
t iptables -R INPUT -j ACCEPT
t iptables -S INPUT 5
t iptables -Z INPUT 5
t iptables -A INPUT -s 1.2.3.4 -d
t iptables -P INPUT
t iptables -E INPUT
t iptables -A INPUT -p tcp --dport 1:2:3 -j ACCEPT
t iptables -A INPUT -m tcp --dport 80 -j ACCEPT
t iptables -A INPUT -p tcp --tcp-flags SYN -j ACCEPT
t iptables -A INPUT -i verylonginterfacename0 -j ACCEPT
t iptables -N verylongchainnamethatistoolong12
t iptables -A INPUT -j LOG --log-prefix 123456789012345678901234567890
t iptables -A INPUT -m comment -j ACCEPT
t iptables -A INPUT -j ACCEPT -j DROP
t iptables -A INPUT -p icmp --icmp-type foo -j ACCEPT
t iptables-legacy -A INPUT -j ACCEPT
t iptables-legacy -D INPUT 0
t iptables-legacy -I INPUT 0 -j ACCEPT
t iptables-legacy -D INPUT abc
t iptables-legacy -R INPUT -j ACCEPT
t iptables-legacy -S INPUT 5
t iptables-legacy -Z INPUT 5
t iptables-legacy -A INPUT -s 1.2.3.4 -d
t iptables-legacy -P INPUT
t iptables-legacy -E INPUT
t iptables-legacy -A INPUT -p tcp --dport 1:2:3 -j ACCEPT
t iptables-legacy -A INPUT -m tcp --dport 80 -j ACCEPT
t iptables-legacy -A INPUT -p tcp --tcp-flags SYN -j ACCEPT
t iptables-legacy -A INPUT -i verylonginterfacename0 -j ACCEPT
t iptables-legacy -N verylongchainnamethatistoolong12
t iptables-legacy -A INPUT -j LOG --log-prefix 123456789012345678901234567890
t iptables-legacy -A INPUT -m comment -j ACCEPT
t iptables-legacy -A INPUT -j ACCEPT -j DROP
t iptables-legacy -A INPUT -p icmp --icmp-type foo -j ACCEPT

