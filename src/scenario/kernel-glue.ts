// The few kernel calls the interpreter itself makes (the tools make all others).
import type { Kernel } from '../kernel/kernel.ts';

/** Moves virtual time forward, running what falls due on the way (packets in flight, timers). */
export function advanceTime(kernel: Kernel, ns: number): void {
  kernel.advance(ns);
}

/** True when the namespace exists ('' is the host; `ip netns add NAME` makes the others). */
export function netnsExists(kernel: Kernel, name: string): boolean {
  return kernel.namespaces.has(name);
}
