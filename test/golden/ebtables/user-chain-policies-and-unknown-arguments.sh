t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t ebtables -N A1
t ebtables -N A2 -P RETURN
t ebtables -N A3 -P DROP
t ebtables -N A4 -P ACCEPT
t ebtables -N A5
t ebtables -P A5 DROP
t ebtables -N A6 -P RETURN
t ebtables -P A6 ACCEPT
t ebtables -t nat -N N1 -P DROP
t ebtables -L
t ebtables-save
t ebtables -E A3 B3
t ebtables -X A6
t ebtables-save
t ebtables -A FORWARD --bogus
t ebtables -A FORWARD --bogus x
t ebtables -A FORWARD -Y
t ebtables -A FORWARD -p IPv4 --ip-src 1.2.3.4 --bogus
t ebtables -L --bogus
t ebtables -N Z1
t ebtables -N C1
t ebtables -E Z1 A0
t ebtables -L
t ebtables-save
