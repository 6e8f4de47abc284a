// TCP flows captured with tcpdump on the real kernel (fixtures/tcp-*.sh → fixtures/tcp-*.kernel.txt):
// every line's flags, relative sequence numbers, advertised window, MSS and window-scale options and
// lengths must equal the simulator's. What the kernel leaves to chance is masked: ephemeral ports,
// the initial sequence numbers (absolute in SYNs and SYN-ACKs), timestamp values.
// Re-record: npx node test/unit/stack/tcp-window.ts record (as root).
import { readFileSync, writeFileSync } from 'node:fs';
import { httpResponse } from '../../../src/docker/http.ts';

export const TCP_FIXTURES = ['tcp-veth', 'tcp-lo', 'tcp-nat', 'tcp-rmem', 'tcp-noscale', 'tcp-sizes', 'tcp-route-mtu', 'tcp-lo-http'] as const;

const dir = new URL('./fixtures/', import.meta.url);

export function fixtureScript(name: string): string {
  return readFileSync(new URL(`${name}.sh`, dir), 'utf8');
}

export function recordedKernel(name: string): string {
  return readFileSync(new URL(`${name}.kernel.txt`, dir), 'utf8');
}

// `serve http` on the kernel: a python server that answers every request head with the same bytes
// as the simulator's (nginx's fixed response) and closes when the client does.
const SERVE_PY = String.raw`import socket, sys
RESP = ${JSON.stringify(httpResponse('nginx'))}.encode()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(5)
while True:
    c, _ = s.accept(); buf = b''
    while True:
        d = c.recv(65536)
        if not d: break
        buf += d
        while b'\r\n\r\n' in buf:
            _, buf = buf.split(b'\r\n\r\n', 1); c.sendall(RESP)
    c.close()
`;

/** The fixture as the kernel runs it: in a scratch directory, `serve http` as a python server. */
export function kernelScript(text: string): string {
  const body = text.replace(/^(ip netns exec \S+ )serve http --port (\d+) &$/gm, '$1python3 "$PW_TMP/serve.py" $2 &\nsleep 0.5');
  return `PW_TMP=$(mktemp -d)\ncd "$PW_TMP"\ncat > serve.py <<'PWPY'\n${SERVE_PY}PWPY\n${body}`;
}

/** Masks what is left to chance; keeps flags, windows, options and lengths. */
export function normaliseCapture(text: string): string {
  const ports = new Map<string, string>();
  return text
    .split('\n')
    .map((l) =>
      l
        .replace(/\.(\d{5})\b/g, (m, p: string) => (Number(p) >= 32768 ? `.${ports.get(p) ?? (ports.set(p, `P${ports.size + 1}`), ports.get(p))}` : m))
        .replace(/(Flags \[S\.?\], )seq \d+/, '$1seq ISN')
        .replace(/(Flags \[S\.\], seq ISN, )ack \d+/, '$1ack ISN+1')
        .replace(/TS val \d+ ecr \d+/, 'TS val V ecr E'),
    )
    .join('\n');
}

if (process.argv[2] === 'record') {
  const { runOnKernel } = await import('../../kernel/lib/oracle.ts');
  for (const name of TCP_FIXTURES) {
    const r = runOnKernel(kernelScript(fixtureScript(name)));
    writeFileSync(new URL(`${name}.kernel.txt`, dir), r.output);
    console.log(`${name}: status ${r.status}`);
  }
}
