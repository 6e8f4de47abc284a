# xt_set: hash:net and hash:ip sets tested on dst/src, inverted, two directions against a one-dimension set (the first flag counts), and an ipset del taking effect at once
ip link set lo up
ipset create n hash:net
ipset create i hash:ip
ipset add n 127.0.0.0/8
ipset add i 127.0.0.2
iptables -A OUTPUT -m set --match-set n dst
iptables -A OUTPUT -m set ! --match-set n dst
iptables -A OUTPUT -m set --match-set i dst
iptables -A OUTPUT -m set --match-set i src
iptables -A OUTPUT -m set ! --match-set i src,dst
iptables -A OUTPUT -m set --match-set i dst,src
ping -c 1 -W 1 127.0.0.1 >/dev/null
ping -c 2 -W 1 127.0.0.2 >/dev/null
ipset del n 127.0.0.0/8
ping -c 1 -W 1 127.0.0.3 >/dev/null
iptables -L OUTPUT -v -n -x
