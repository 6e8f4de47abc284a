// Worlds: named scripts of plain commands that set up a machine's surroundings before a scenario
// (`packetwalk run --world NAME`, `world="NAME"` on a scenario). A world is only shorthand:
// `packetwalk run --print-world NAME` prints it, and the printed script runs on a real host too,
// except the `serve` lines (packetwalk's stand-in for a DNS and a web server; see serve in
// src/userland/shell.ts).
//
//   lanhost (192.168.1.2) ─┐
//                          ├─ br-lan 192.168.1.1 [gateway] wan0 203.0.113.2 ── 203.0.113.1 [internet]
//   host eth0 (192.168.1.180) ┘        routes (no NAT)                     114.114.114.114, 8.8.8.8 (DNS)
//                                                                          93.184.216.34 www.example.com (HTTP)

export interface World {
  name: string;
  description: string;
  script: string;
}

const LAN = `# World "lan": this machine (the host) has eth0 192.168.1.180/24 on a home LAN. The LAN's
# router is the namespace "gateway" (192.168.1.1; its public side is 203.0.113.2);
# "lanhost" is another machine on the LAN (192.168.1.2); "internet" holds the public hosts:
# 114.114.114.114 and 8.8.8.8 (DNS servers), 93.184.216.34 (www.example.com, a web server on
# port 80). The host and lanhost use 114.114.114.114 as their DNS server.
ip netns add gateway
ip netns add internet
ip netns add lanhost
ip -n gateway link set lo up
ip -n internet link set lo up
ip -n lanhost link set lo up
# A real host's loopback is up (docker-proxy serves 127.0.0.1:PORT through it).
ip link set lo up

# The LAN: a switch (bridge br-lan in the gateway) with the host and lanhost plugged in.
ip -n gateway link add br-lan type bridge
ip -n gateway link set br-lan up
ip -n gateway addr add 192.168.1.1/24 dev br-lan
ip link add eth0 type veth peer name lan-host netns gateway
ip -n gateway link set lan-host master br-lan
ip -n gateway link set lan-host up
ip addr add 192.168.1.180/24 dev eth0
ip link set eth0 up
ip route add default via 192.168.1.1
ip -n lanhost link add eth0 type veth peer name lan-peer netns gateway
ip -n gateway link set lan-peer master br-lan
ip -n gateway link set lan-peer up
ip -n lanhost addr add 192.168.1.2/24 dev eth0
ip -n lanhost link set eth0 up
ip -n lanhost route add default via 192.168.1.1

# The uplink: the gateway routes the LAN (no NAT: the internet routes 192.168.1.0/24 back to it,
# so the internet's servers see the LAN's own addresses).
ip -n gateway link add wan0 type veth peer name uplink netns internet
ip -n gateway addr add 203.0.113.2/24 dev wan0
ip -n gateway link set wan0 up
ip -n internet addr add 203.0.113.1/24 dev uplink
ip -n internet link set uplink up
ip -n gateway route add default via 203.0.113.1
ip -n internet route add 192.168.1.0/24 via 203.0.113.2
ip netns exec gateway sysctl -q -w net.ipv4.ip_forward=1

# The internet's public hosts, all answered by the namespace "internet".
ip -n internet addr add 114.114.114.114/32 dev lo
ip -n internet addr add 8.8.8.8/32 dev lo
ip -n internet addr add 93.184.216.34/32 dev lo
ip netns exec internet serve dns --port 53 www.example.com=93.184.216.34 example.com=93.184.216.34 www.baidu.com=93.184.216.34 &
ip netns exec internet serve http --port 80 &
echo "nameserver 114.114.114.114" > /etc/resolv.conf
echo "nameserver 114.114.114.114" > /etc/netns/lanhost/resolv.conf
`;

const DOCKER_HOST = `${LAN}
# World "docker-host" = "lan" + the Docker daemon (its version: --docker-version).
dockerd &
`;

export const WORLDS: Record<string, World> = {
  lan: { name: 'lan', description: 'the host on a LAN (eth0 192.168.1.180) behind a gateway, an internet with DNS (8.8.8.8, 114.114.114.114) and www.example.com', script: LAN },
  'docker-host': { name: 'docker-host', description: '`lan` with dockerd running', script: DOCKER_HOST },
};

export function worldNames(): string[] {
  return Object.keys(WORLDS);
}

/** The world's script; throws a readable error for an unknown name. */
export function worldScript(name: string): string {
  const w = Object.hasOwn(WORLDS, name) ? WORLDS[name] : undefined;
  if (!w) throw new Error(`Unknown world \`${name}\`; known worlds: ${worldNames().join(', ')}`);
  return w.script;
}
