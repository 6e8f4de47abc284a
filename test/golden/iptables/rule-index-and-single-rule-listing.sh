t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t iptables -D INPUT 1
t iptables -R INPUT 1 -j DROP
t iptables -N X
t iptables -D X 1
t iptables -R X 1 -j DROP
t iptables -A X -s 10.0.0.1 -j ACCEPT
t iptables -A X -p tcp --dport 22 -m comment --comment hi -j DROP
t iptables -R X 5 -j DROP
t iptables -D X 5
t iptables -R X 3 -j DROP
t iptables -D X 3
t iptables -R NOPE 1 -j DROP
t iptables -D NOPE 1
t iptables -v -R X 1 -s 10.0.0.1 -j ACCEPT
t iptables -L X 1
t iptables -L X 2
t iptables -L X 2 -n
t iptables -L X 2 -v
t iptables -L X 2 -v -n -x
t iptables -L X 2 --line-numbers
t iptables -L X 2 --line-numbers -n -v
t iptables -nL X 2
t iptables -L X 3
t iptables -L X 3 -n
t iptables -L X 0
t iptables -L X abc
t iptables -L X 1 2
t iptables -L NOPE 1
t iptables -L INPUT 1
t iptables -L -Z X 1
t iptables -L X 1 -Z
t iptables -Z X 1 -L
t iptables -Z -L X -n
t iptables -S X 2
t iptables -S X 3
t iptables -t raw -v -A PREROUTING -j NOTRACK
t iptables -t raw -v -A OUTPUT -j CT --notrack
t iptables -t raw -S
t iptables -t raw -L
t iptables -t raw -L -n -v --line-numbers
t iptables -t raw -L PREROUTING 1 --line-numbers
t iptables -t raw -C PREROUTING -j NOTRACK
t iptables -t raw -C PREROUTING -j CT --notrack
t iptables -t raw -D PREROUTING -j NOTRACK
t iptables -t raw -S
t iptables-legacy -D INPUT 1
t iptables-legacy -R INPUT 1 -j DROP
t iptables-legacy -N X
t iptables-legacy -D X 1
t iptables-legacy -R X 1 -j DROP
t iptables-legacy -A X -s 10.0.0.1 -j ACCEPT
t iptables-legacy -A X -p tcp --dport 22 -m comment --comment hi -j DROP
t iptables-legacy -R X 5 -j DROP
t iptables-legacy -D X 5
t iptables-legacy -R X 3 -j DROP
t iptables-legacy -D X 3
t iptables-legacy -R NOPE 1 -j DROP
t iptables-legacy -D NOPE 1
t iptables-legacy -v -R X 1 -s 10.0.0.1 -j ACCEPT
t iptables-legacy -L X 1
t iptables-legacy -L X 2
t iptables-legacy -L X 2 -n
t iptables-legacy -L X 2 -v
t iptables-legacy -L X 2 -v -n -x
t iptables-legacy -L X 2 --line-numbers
t iptables-legacy -L X 2 --line-numbers -n -v
t iptables-legacy -nL X 2
t iptables-legacy -L X 3
t iptables-legacy -L X 3 -n
t iptables-legacy -L X 0
t iptables-legacy -L X abc
t iptables-legacy -L X 1 2
t iptables-legacy -L NOPE 1
t iptables-legacy -L INPUT 1
t iptables-legacy -L -Z X 1
t iptables-legacy -L X 1 -Z
t iptables-legacy -Z X 1 -L
t iptables-legacy -Z -L X -n
t iptables-legacy -S X 2
t iptables-legacy -S X 3
t iptables-legacy -t raw -v -A PREROUTING -j NOTRACK
t iptables-legacy -t raw -v -A OUTPUT -j CT --notrack
t iptables-legacy -t raw -S
t iptables-legacy -t raw -L
t iptables-legacy -t raw -L -n -v --line-numbers
t iptables-legacy -t raw -L PREROUTING 1 --line-numbers
t iptables-legacy -t raw -C PREROUTING -j NOTRACK
t iptables-legacy -t raw -D PREROUTING -j NOTRACK
t iptables-legacy -t raw -S
iptables-save -t raw
iptables-legacy-save -t raw
t iptables -v -R X 9 -s 10.0.0.9 -j ACCEPT
t iptables -v -R NOPE 1 -j ACCEPT
