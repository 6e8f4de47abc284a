t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
echo "=== iptables"
t iptables -A INPUT -s 1.2.3.400 -j ACCEPT
t iptables -A INPUT -s 1.2.3.4/33 -j ACCEPT
t iptables -A INPUT -j FOO
t iptables -A FOO -j ACCEPT
t iptables -L FOO
t iptables -D INPUT 5
t iptables -D INPUT -s 1.1.1.1 -j ACCEPT
t iptables -I INPUT 3 -j ACCEPT
t iptables -R INPUT 2 -j ACCEPT
t iptables -N X
t iptables -N X
t iptables -A INPUT -j X
t iptables -X X
t iptables -A X -j DROP
t iptables -F INPUT
t iptables -X X
t iptables -N Y
t iptables -A Y -j ACCEPT
t iptables -X Y
t iptables -N A1
t iptables -N A2
t iptables -A A1 -j A2
t iptables -A A2 -j A1
t iptables -A INPUT -j A1
t iptables -F A2
t iptables --foo
t iptables -A INPUT -p tcp --dport 99999 -j ACCEPT
t iptables -A INPUT --dport 80 -j ACCEPT
t iptables -A INPUT -p foo -j ACCEPT
t iptables -A INPUT -m foo -j ACCEPT
t iptables -t foo -L
t iptables -P X DROP
t iptables -P INPUT FOO
t iptables -E A1 B1
t iptables -E NOPE B2
t iptables -C INPUT -j ACCEPT
t iptables -C INPUT -j DROP
t iptables -A INPUT ! -p tcp -j ACCEPT
t iptables -A INPUT -p tcp ! --dport 80 -j ACCEPT
t iptables -A INPUT ! -i eth0 -j ACCEPT
t iptables -A INPUT -s ! 1.2.3.4 -j ACCEPT
t iptables -w -A INPUT -j ACCEPT
t iptables -A INPUT -j ACCEPT extra
t iptables -A
t iptables -Z FORWARD
t iptables -A INPUT -j DNAT --to-destination 1.2.3.4
t iptables -t nat -A INPUT -j DNAT --to-destination 1.2.3.4
t iptables -L -n --line-numbers INPUT
t iptables -F
t iptables -X
echo "=== iptables-legacy"
t iptables-legacy -A INPUT -s 1.2.3.400 -j ACCEPT
t iptables-legacy -A INPUT -s 1.2.3.4/33 -j ACCEPT
t iptables-legacy -A INPUT -j FOO
t iptables-legacy -A FOO -j ACCEPT
t iptables-legacy -L FOO
t iptables-legacy -D INPUT 5
t iptables-legacy -D INPUT -s 1.1.1.1 -j ACCEPT
t iptables-legacy -I INPUT 3 -j ACCEPT
t iptables-legacy -R INPUT 2 -j ACCEPT
t iptables-legacy -N X
t iptables-legacy -N X
t iptables-legacy -A INPUT -j X
t iptables-legacy -X X
t iptables-legacy -A X -j DROP
t iptables-legacy -F INPUT
t iptables-legacy -X X
t iptables-legacy -N Y
t iptables-legacy -A Y -j ACCEPT
t iptables-legacy -X Y
t iptables-legacy -N A1
t iptables-legacy -N A2
t iptables-legacy -A A1 -j A2
t iptables-legacy -A A2 -j A1
t iptables-legacy -A INPUT -j A1
t iptables-legacy -F A2
t iptables-legacy --foo
t iptables-legacy -A INPUT -p tcp --dport 99999 -j ACCEPT
t iptables-legacy -A INPUT --dport 80 -j ACCEPT
t iptables-legacy -A INPUT -p foo -j ACCEPT
t iptables-legacy -A INPUT -m foo -j ACCEPT
t iptables-legacy -t foo -L
t iptables-legacy -P X DROP
t iptables-legacy -P INPUT FOO
t iptables-legacy -E A1 B1
t iptables-legacy -E NOPE B2
t iptables-legacy -C INPUT -j ACCEPT
t iptables-legacy -C INPUT -j DROP
t iptables-legacy -A INPUT ! -p tcp -j ACCEPT
t iptables-legacy -A INPUT -p tcp ! --dport 80 -j ACCEPT
t iptables-legacy -A INPUT ! -i eth0 -j ACCEPT
t iptables-legacy -A INPUT -s ! 1.2.3.4 -j ACCEPT
t iptables-legacy -w -A INPUT -j ACCEPT
t iptables-legacy -A INPUT -j ACCEPT extra
t iptables-legacy -A
t iptables-legacy -Z FORWARD
t iptables-legacy -A INPUT -j DNAT --to-destination 1.2.3.4
t iptables-legacy -t nat -A INPUT -j DNAT --to-destination 1.2.3.4
t iptables-legacy -L -n --line-numbers INPUT
t iptables-legacy -F
t iptables-legacy -X

