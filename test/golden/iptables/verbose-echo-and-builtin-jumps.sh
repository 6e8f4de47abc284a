t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
for B in iptables iptables-legacy; do
t $B -X INPUT
t $B -A INPUT -j INPUT
t $B -A INPUT -j FORWARD
t $B -v -A INPUT -s 1.2.3.4,5.6.7.8 -p tcp --dport 22 -m comment --comment hi -j LOG --log-prefix "x "
t $B -v -I INPUT -i eth0 ! -d 10.0.0.0/8 -j DROP
t $B -v -D INPUT -i eth0 ! -d 10.0.0.0/8 -j DROP
t $B -N C
t $B -v -A INPUT -f -j C
t $B -v -A INPUT ! -p udp -g C
done
