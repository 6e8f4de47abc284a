t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables -X INPUT
t iptables -A INPUT -j INPUT
t iptables -A INPUT -j FORWARD
t iptables -v -A INPUT -s 1.2.3.4,5.6.7.8 -p tcp --dport 22 -m comment --comment hi -j LOG --log-prefix "x "
t iptables -v -I INPUT -i eth0 ! -d 10.0.0.0/8 -j DROP
t iptables -v -D INPUT -i eth0 ! -d 10.0.0.0/8 -j DROP
t iptables -N C
t iptables -v -A INPUT -f -j C
t iptables -v -A INPUT ! -p udp -g C
t iptables-legacy -X INPUT
t iptables-legacy -A INPUT -j INPUT
t iptables-legacy -A INPUT -j FORWARD
t iptables-legacy -v -A INPUT -s 1.2.3.4,5.6.7.8 -p tcp --dport 22 -m comment --comment hi -j LOG --log-prefix "x "
t iptables-legacy -v -I INPUT -i eth0 ! -d 10.0.0.0/8 -j DROP
t iptables-legacy -v -D INPUT -i eth0 ! -d 10.0.0.0/8 -j DROP
t iptables-legacy -N C
t iptables-legacy -v -A INPUT -f -j C
t iptables-legacy -v -A INPUT ! -p udp -g C

