t() { echo "\$ $*"; rc=0; "$@" 2>&1 || rc=$?; echo "rc=$rc"; }
t ebtables-legacy -L
t ebtables-legacy -t nat -A PREROUTING -j ACCEPT
t ebtables-legacy -t broute -L
t ebtables-legacy -V
