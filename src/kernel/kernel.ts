// The simulated machine: one clock, one dmesg ring, one run record, many network namespaces.
// Pure: time only moves when a caller advances it; ids come from counters, never from a clock.
// OWNER: stack (see DEVELOPERS.md). This file pins the names other modules rely on.
import type { KernelEvent, Nanos, PacketRecord } from '../scenario/record.ts';

/** The initial network namespace (the host) is named ''. `ip netns add` names are never empty. */
export const INIT_NETNS = '';

export interface KernelOptions {
  /** Seed for everything the real kernel leaves to chance (ephemeral ports, ICMP ids, IP ids, MACs). */
  seed?: number;
  /** When false, only counters and state are kept (benchmarks): no events, no packet records. */
  record?: boolean;
}

export class Kernel {
  /** Virtual time in nanoseconds since boot of the scenario. */
  now: Nanos = 0;
  readonly recording: boolean;
  readonly events: KernelEvent[] = [];
  readonly packets: PacketRecord[] = [];
  /** dmesg ring: [time, line] pairs; `dmesg` formats the timestamp. */
  readonly dmesg: Array<{ t: Nanos; line: string }> = [];
  /** Index of the command currently running, for PacketRecord.command. */
  currentCommand = -1;
  private nextSkbId = 1;
  readonly seed: number;

  constructor(options: KernelOptions = {}) {
    this.seed = options.seed ?? 1;
    this.recording = options.record ?? true;
  }

  newSkbId(): number {
    return this.nextSkbId++;
  }

  emit(event: KernelEvent): void {
    if (this.recording) this.events.push(event);
  }

  log(line: string, netns: string, pkt: number): void {
    this.dmesg.push({ t: this.now, line });
    this.emit({ type: 'log', t: this.now, netns, pkt, line });
  }
}
