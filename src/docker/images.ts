// The images a scenario may run. An image only decides which programs a container has, which
// server it starts, and which ports it exposes (for -P).
import { ScriptError } from '../userland/tool.ts';

export interface Image {
  /** Programs on the image's PATH that packetwalk models. */
  tools: readonly string[];
  /** ENTRYPOINT prepended to the command (curlimages/curl). */
  entrypoint?: readonly string[];
  /** Default CMD. */
  cmd: readonly string[];
  /** EXPOSE, for -P. */
  expose: readonly string[];
  /** An ENTRYPOINT script that only shows in `docker ps` (it execs the CMD). */
  shownEntrypoint?: string;
  /** Programs that are busybox applets in this image (their output is busybox's, not iputils'/iproute2's). */
  applets?: readonly string[];
}

const BUSYBOX = ['sh', 'ping', 'nc', 'wget', 'sleep', 'cat', 'echo', 'true', 'ip', 'hostname', 'nslookup', 'traceroute', 'top'];
/** The busybox applets whose output differs from the host tools of the same name. */
const APPLETS = ['ping', 'ip'];
const DEBIAN = ['sh', 'bash', 'sleep', 'cat', 'echo', 'true', 'hostname'];

export const IMAGES: Record<string, Image> = {
  busybox: { tools: BUSYBOX, cmd: ['sh'], expose: [], applets: APPLETS },
  alpine: { tools: BUSYBOX, cmd: ['/bin/sh'], expose: [], applets: APPLETS },
  debian: { tools: DEBIAN, cmd: ['bash'], expose: [] },
  nginx: { tools: [...DEBIAN, 'nginx', 'curl'], cmd: ['nginx', '-g', 'daemon off;'], expose: ['80/tcp'], shownEntrypoint: '/docker-entrypoint.sh' },
  'curlimages/curl': { tools: [...BUSYBOX, 'curl'], entrypoint: ['curl'], cmd: ['--help'], expose: [], applets: APPLETS },
  caddy: { tools: [...BUSYBOX, 'caddy'], cmd: ['caddy', 'run', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'], expose: ['80/tcp', '443/tcp', '443/udp', '2019/tcp'], applets: APPLETS },
};

/** Programs that stay up and serve: started in the background, never waited for. */
export const SERVERS = new Set(['nginx', 'caddy']);
/** Programs that just keep a container alive (or wait for a terminal): nothing to simulate. */
export const IDLERS = new Set(['sh', '/bin/sh', 'bash', 'sleep', 'top', 'tail', 'cat']);

/** "nginx:1.19-alpine" → "nginx"; "docker.io/library/busybox" → "busybox". */
export function imageKey(ref: string): string {
  let name = ref.replace(/@sha256:[0-9a-f]+$/, '');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  name = name.replace(/^docker\.io\//, '').replace(/^library\//, '');
  return name;
}

export function lookupImage(ref: string): Image {
  const image = IMAGES[imageKey(ref)];
  if (!image) {
    throw new ScriptError(`Unsupported image \`${ref}\`; packetwalk models: ${Object.keys(IMAGES).join(', ')} (any tag)`);
  }
  return image;
}

/** The main process of a container: ENTRYPOINT + (CMD from the command line, or the image's). */
export function mainProcess(image: Image, cmd: string[]): string[] {
  return [...(image.entrypoint ?? []), ...(cmd.length ? cmd : image.cmd)];
}

/**
 * A command as it runs in the image: a busybox applet is called through busybox (`busybox ping …`),
 * so the simulator prints the applet's layout and the kernel oracle runs the same applet.
 */
export function inImage(image: Image, argv: readonly string[]): string[] {
  const prog = argv[0]?.split('/').pop() ?? '';
  return image.applets?.includes(prog) ? ['busybox', prog, ...argv.slice(1)] : [...argv];
}
