t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t ipset list
t ipset save
t ipset create docker-ext-bridges-v4 hash:net family inet
t ipset create docker-ext-bridges-v4 hash:net family inet
t ipset -exist create docker-ext-bridges-v4 hash:net family inet
t ipset list docker-ext-bridges-v4
t ipset add docker-ext-bridges-v4 172.17.0.0/16
t ipset add docker-ext-bridges-v4 172.17.0.0/16
t ipset -exist add docker-ext-bridges-v4 172.17.0.0/16
t ipset list docker-ext-bridges-v4
t ipset save docker-ext-bridges-v4
t ipset list -t docker-ext-bridges-v4
t ipset test docker-ext-bridges-v4 172.17.3.4
t ipset test docker-ext-bridges-v4 8.8.8.8
t ipset test docker-ext-bridges-v4 172.17.0.0/16
t ipset test docker-ext-bridges-v4 172.17.0.0/24
t ipset -q test docker-ext-bridges-v4 8.8.8.8
t ipset add docker-ext-bridges-v4 10.0.0.0/0
t ipset add docker-ext-bridges-v4 10.0.0.0/33
t ipset add docker-ext-bridges-v4 foo
t ipset add nosuch 1.2.3.4
t ipset del docker-ext-bridges-v4 1.2.3.0/24
t ipset -exist del docker-ext-bridges-v4 1.2.3.0/24
t ipset create h hash:ip
t ipset add h 10.0.0.7/32
t ipset list h
t ipset list -n
t ipset -n list
t ipset create z hash:foo
t ipset bogus
t ipset create
t ipset create x
t ipset add h
t ipset list h docker-ext-bridges-v4
t iptables -A FORWARD -m set --match-set docker-ext-bridges-v4 dst -j ACCEPT
t iptables -A FORWARD -m set ! --match-set h src,dst -m comment --comment x -j ACCEPT
t iptables -A FORWARD -m set --match-set nosuch dst -j ACCEPT
t iptables -A FORWARD -m set -j ACCEPT
t iptables -A FORWARD -m set --match-set h foo -j ACCEPT
t iptables -A FORWARD -m set --match-set h -j ACCEPT
t iptables -A FORWARD -m set --match-set h dst --match-set h src -j ACCEPT
t iptables -A FORWARD -m set --match-set h dst,dst,src,src,dst,dst,src -j ACCEPT
t iptables -S FORWARD
t iptables -L FORWARD
t iptables -L FORWARD -v -n
t iptables-legacy -A FORWARD -m set --match-set nosuch dst -j ACCEPT
t iptables-legacy -A FORWARD -m set --match-set h dst -j ACCEPT
t iptables-legacy -S FORWARD
t ipset list -t h
t ipset destroy h
t ipset destroy nosuch
t ipset flush h
t ipset list h
t iptables-legacy -F
t iptables -F
t ipset list -t
t ipset destroy
t ipset list
t ipset version
