// The rule-layout scenarios of ../shared/reference/docker-rules/dumps (a … g′) and of moby's
// generated iptables docs, written with docker commands. Each runs after
// `sysctl -w net.ipv4.ip_forward=1`, as on the hosts those references were captured on (so dockerd
// leaves the FORWARD policy alone, as they show).

/** dumps/<LAYOUT>_<SCEN>.txt: docker0, then per scenario. */
export const DUMP_SCENARIOS: Record<string, string> = {
  a: 'dockerd &\n',
  b: 'docker run -d --name c1 -p 8080:80 nginx\n',
  c: [
    'docker run -d --name c1 -p 8080:80 nginx',
    'docker network create -o com.docker.network.bridge.name=br-1a2b3c4d5e6f net1',
    'docker run -d --name c2 --network net1 -p 9090:80 nginx',
  ].join('\n') + '\n',
  d: [
    'dockerd &',
    'docker network create --internal --subnet 172.19.0.0/16 -o com.docker.network.bridge.name=br-0123456789ab internal1',
    'docker run -d --name c1 --network internal1 busybox sleep 1d',
  ].join('\n') + '\n',
  e: 'dockerd --userland-proxy=false &\ndocker run -d --name c1 -p 8080:80 nginx\n',
  f: 'dockerd --icc=false &\ndocker run -d --name c1 -p 8080:80 nginx\n',
  g: 'docker run -d --name c1 -p 127.0.0.1:8080:80 nginx\n',
  g_noproxy: 'dockerd --userland-proxy=false &\ndocker run -d --name c1 -p 127.0.0.1:8080:80 nginx\n',
};

const usernet = (opts: string, publish = '-p 8080:80') => [
  `docker network create -o com.docker.network.bridge.name=bridge1 ${opts}--subnet 192.0.2.0/24 --gateway 192.0.2.1 bridge1`,
  `docker run -d --network bridge1 ${publish} --name c1 busybox`,
].join('\n') + '\n';

/** moby-iptablesdoc/<tag>/generated/<name>.md (swarm-portmap is not modelled). */
export const DOC_SCENARIOS: Record<string, string> = {
  'new-daemon': 'dockerd &\n',
  'usernet-portmap': usernet(''),
  'usernet-portmap-lo': usernet('', '-p 127.0.0.1:8080:80'),
  'usernet-portmap-noproxy': 'dockerd --userland-proxy=false &\n' + usernet(''),
  'usernet-portmap-noicc': usernet('-o com.docker.network.bridge.enable_icc=false '),
  'usernet-internal': [
    'docker network create -o com.docker.network.bridge.name=bridgeICC --internal --subnet 192.0.2.0/24 --gateway 192.0.2.1 bridgeICC',
    'docker run -d --network bridgeICC --name c1 busybox',
    'docker network create -o com.docker.network.bridge.name=bridgeNoICC -o com.docker.network.bridge.enable_icc=false --internal --subnet 198.51.100.0/24 --gateway 198.51.100.1 bridgeNoICC',
    'docker run -d --network bridgeNoICC --name c2 busybox',
  ].join('\n') + '\n',
  'usernet-portmap-routed': usernet('-o com.docker.network.bridge.gateway_mode_ipv4=routed '),
  'usernet-portmap-natunprot': usernet('-o com.docker.network.bridge.gateway_mode_ipv4=nat-unprotected '),
};

/** The moby doc tags and the Docker version each documents. */
export const DOC_VERSIONS: Record<string, string> = {
  'v28.0.0': '28.0.0',
  'v28.1.1': '28.1.1',
  'v28.2.1': '28.2.1',
  'v28.5.2': '28.5.2',
  'docker-v29.7.2': '29.7.2',
};

/** A version of each layout, for the dumps. */
export const LAYOUT_VERSIONS: Record<string, string> = {
  L1a: '17.03.2', L1b: '17.05.0', L2: '18.02.0', L3: '20.10.24', L4: '28.0.0', L5: '28.1.1', L6: '28.2.1', L7: '28.5.2', L8: '29.7.2',
};

/** The `iptables -S` blocks of a moby doc, by table (filter/nat/raw), as validate_ordered.py reads them. */
export function docBlocks(markdown: string): Map<string, string[]> {
  const res = new Map<string, string[]>();
  const re = /<summary>iptables commands<\/summary>\n\n([\s\S]*?)<\/details>/g;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const lines = m[1].split('\n').map((l) => l.trim()).filter((l) => l.startsWith('-'));
    if (lines.includes('-P FORWARD ACCEPT')) res.set('filter', lines);
    else if (lines.includes('-P POSTROUTING ACCEPT')) res.set('nat', lines);
    else if (lines.includes('-P PREROUTING ACCEPT')) res.set('raw', lines);
  }
  return res;
}
