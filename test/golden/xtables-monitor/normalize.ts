// What varies between two runs of the same trace (on the kernel or in the simulator): trace ids,
// MAC addresses, IP ids and ephemeral ports. Handles, verdicts, interfaces and rule texts stay.
// Only the first traced packet is kept: later ones depend on retransmission timing.
export function normalizeTrace(text: string): string {
  const lines = text.split('\n').filter((l) => /^(PACKET| TRACE):/.test(l));
  const first = /^(?:PACKET| TRACE): 2 ([0-9a-f]{8}) /.exec(lines[0] ?? '')?.[1];
  return lines
    .filter((l) => l.includes(` ${first} `))
    .map((l) =>
      l
        .replace(` ${first} `, ' ID1 ')
        .replace(/MACSRC=\S+/, 'MACSRC=M')
        .replace(/MACDST=\S+/, 'MACDST=M')
        .replace(/ ID=\d+/, ' ID=N')
        .replace(/SPORT=\d+/, 'SPORT=N'),
    )
    .join('\n');
}
