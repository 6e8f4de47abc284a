// The Linux bridge: ports, the forwarding database (learning, ageing), and per-port options.
// The frame path through it (br_handle_frame → br_nf → br_forward / br_pass_frame_up) is in
// ipv4.ts together with the rest of the packet path, so one queue drives everything.
import type { Mac } from './addr.ts';
import type { Device } from './device.ts';
import type { Nanos } from '../scenario/record.ts';

export interface FdbEntry {
  mac: Mac;
  /** The port the MAC was learned on (or the bridge's own port for `permanent` local entries). */
  port: string;
  /** Local entries: the bridge's and ports' own MACs (`bridge fdb show` prints them `permanent`). */
  local: boolean;
  updated: Nanos;
}

export interface BridgePort {
  bridge: Device;
  dev: Device;
  hairpin: boolean;
  learning: boolean;
  flood: boolean;
  /** port number as the kernel allocates it (1-based, lowest free). */
  portNo: number;
}

export interface BridgeState {
  ports: Map<string, BridgePort>;
  fdb: Map<Mac, FdbEntry>;
  /** bridge ageing_time in nanoseconds (default 300 s). */
  ageingTime: Nanos;
  /** Set when the user set the MAC (`ip link set br0 address …`): it no longer follows the ports. */
  macSetByUser: boolean;
  /** A port joined once (br_port_state_selection ran): carrier and operstate follow the ports from then on. */
  hadPort: boolean;
  /** Set by `ip link set BR mtu N` (BROPT_MTU_SET_BY_USER): the MTU no longer follows the ports. */
  mtuSetByUser: boolean;
}

export const BRIDGE_AGEING_DEFAULT: Nanos = 300e9;

export function newBridgeState(): BridgeState {
  return { ports: new Map(), fdb: new Map(), ageingTime: BRIDGE_AGEING_DEFAULT, macSetByUser: false, hadPort: false, mtuSetByUser: false };
}

/** br_fdb_find with ageing: an entry older than ageing_time is gone. */
export function fdbLookup(br: BridgeState, mac: Mac, now: Nanos): FdbEntry | undefined {
  const e = br.fdb.get(mac);
  if (!e) return undefined;
  if (!e.local && now - e.updated > br.ageingTime) {
    br.fdb.delete(mac);
    return undefined;
  }
  return e;
}

/** br_fdb_update: learn SRC on PORT (never overrides a local entry). */
export function fdbLearn(br: BridgeState, mac: Mac, port: string, now: Nanos): void {
  if (parseInt(mac.slice(0, 2), 16) & 1) return; // multicast source: never learned
  const e = br.fdb.get(mac);
  if (e?.local) return;
  br.fdb.set(mac, { mac, port, local: false, updated: now });
}
