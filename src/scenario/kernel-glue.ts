// The few kernel calls the interpreter itself makes (the tools make all others).
import type { Kernel } from '../kernel/kernel.ts';

/** Moves virtual time forward, running what falls due (timers, background traffic). */
export function advanceTime(kernel: Kernel, ns: number): void {
  const k = kernel as unknown as { advance?: (ns: number) => void };
  if (typeof k.advance === 'function') k.advance(ns);
  else kernel.now += ns;
}

/** True when `ip netns add NAME` made this namespace ('' is the host). */
export function netnsExists(kernel: Kernel, name: string): boolean {
  const k = kernel as unknown as { netns?: (name: string) => unknown; namespaces?: Map<string, unknown> };
  if (name === '') return true;
  if (k.namespaces instanceof Map) return k.namespaces.has(name);
  return false;
}
