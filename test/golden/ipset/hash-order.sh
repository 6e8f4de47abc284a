t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
# Members are listed in hash order (jhash2 of the element with the set's initval): fixed initvals
# make it reproducible, collisions grow buckets, deletions leave holes that later adds reuse.
t ipset create n hash:net initval 0x12345678
t ipset add n 172.17.0.0/16
t ipset add n 172.18.0.0/16
t ipset add n 172.19.0.0/16
t ipset add n 10.1.0.0/16
t ipset add n 10.2.0.0/16
t ipset add n 192.168.1.7
t ipset add n 192.168.1.0/24
t ipset add n 10.10.10.10/8
t ipset list n
t ipset save n
t ipset test n 10.200.1.1
t ipset test n 192.168.1.7/32
t ipset test n 192.168.1.9/32
t ipset test n 192.168.1.0/25
t ipset del n 172.18.0.0/16
t ipset del n 10.0.0.0/8
t ipset list n
t ipset add n 10.0.0.0/8
t ipset list n
t ipset create i hash:ip initval 0x00000001 hashsize 64
t ipset add i 10.0.0.0/28
t ipset list i
t ipset add i 10.0.0.8/30
t ipset -exist add i 10.0.0.8/30
t ipset add i 10.0.0.16/30
t ipset test i 10.0.0.17/30
t ipset del i 10.0.0.2
t ipset del i 10.0.0.0/30
t ipset -exist del i 10.0.0.0/30
t ipset list i
t ipset flush i
t ipset list i
t ipset add i 10.0.0.1
t ipset list i
