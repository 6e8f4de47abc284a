t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t ebtables -A INPUT -p IPv4
t ebtables -A INPUT --log
t ebtables -A INPUT -j FOO
t ebtables -I INPUT 9 -j ACCEPT
t ebtables -D INPUT 9
t ebtables -N X
t ebtables -N X
t ebtables -E X Y
t ebtables -P INPUT RETURN
t ebtables -P Y DROP
t ebtables -A INPUT -p IPv4 --ip-src 1.2.3.4 -j ACCEPT
t ebtables -A INPUT --ip-src 1.2.3.4 -j ACCEPT
t ebtables -A INPUT -p ARP -j Y
ebtables -L
t ebtables -X
t ebtables -D INPUT -p ARP -j Y
t ebtables -X
ebtables -L --Ln
ebtables-save
