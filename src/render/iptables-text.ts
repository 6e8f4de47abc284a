// Parses what `iptables-save -c` and `iptables -nvL --line-numbers` print, so rule tables show the
// tool's exact text (the printers belong to the iptables tool; views only split their output).

export interface SavedChain {
  name: string;
  /** `ACCEPT`/`DROP` for built-in chains, `-` for user chains. */
  policy: string;
  packets: number;
  bytes: number;
}

export interface SavedRule {
  chain: string;
  /** 1-based position in its chain, as `iptables -L --line-numbers` numbers it. */
  num: number;
  packets: number;
  bytes: number;
  /** The rule as printed, without the counters: `-A FORWARD -o docker0 -j DOCKER`. */
  text: string;
}

export interface SavedTable {
  name: string;
  chains: SavedChain[];
  rules: SavedRule[];
}

const CHAIN_LINE = /^:(\S+) (\S+) \[(\d+):(\d+)\]$/;
const RULE_LINE = /^(?:\[(\d+):(\d+)\] )?(-A (\S+).*)$/;

/** Splits `iptables-save [-c]` output into tables; comments and COMMIT are dropped. */
export function parseSave(text: string): SavedTable[] {
  const tables: SavedTable[] = [];
  let current: SavedTable | undefined;
  const perChain = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = { name: line.slice(1).trim(), chains: [], rules: [] };
      tables.push(current);
      perChain.clear();
      continue;
    }
    if (!current) continue;
    const chain = CHAIN_LINE.exec(line);
    if (chain) {
      current.chains.push({ name: chain[1], policy: chain[2], packets: Number(chain[3]), bytes: Number(chain[4]) });
      continue;
    }
    const rule = RULE_LINE.exec(line);
    if (rule) {
      const name = rule[4];
      const num = (perChain.get(name) ?? 0) + 1;
      perChain.set(name, num);
      current.rules.push({ chain: name, num, packets: Number(rule[1] ?? 0), bytes: Number(rule[2] ?? 0), text: rule[3] });
    }
  }
  return tables;
}

export interface ListedChain {
  name: string;
  /** `Chain FORWARD (policy DROP 0 packets, 0 bytes)` as printed. */
  header: string;
  /** The column header line (`num   pkts bytes target …`) as printed. */
  columns: string;
  rows: Array<{ num: number; packets: string; line: string }>;
}

/** Splits `iptables -nvL --line-numbers` output into chains, keeping each line as printed. */
export function parseList(text: string): ListedChain[] {
  const chains: ListedChain[] = [];
  let current: ListedChain | undefined;
  for (const line of text.split('\n')) {
    const header = /^Chain (\S+) /.exec(line);
    if (header) {
      current = { name: header[1], header: line, columns: '', rows: [] };
      chains.push(current);
      continue;
    }
    if (!current || line.trim() === '') continue;
    if (current.columns === '' && /^\s*num\s/.test(line)) {
      current.columns = line;
      continue;
    }
    const row = /^(\d+)\s+(\S+)/.exec(line);
    if (row) current.rows.push({ num: Number(row[1]), packets: row[2], line });
  }
  return chains;
}

/** Splits a saved rule into argv the way the shell would (double quotes around comments). */
export function splitRule(text: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inArg = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"' && i + 1 < text.length) { cur += text[++i]; continue; }
      if (ch === quote) { quote = undefined; continue; }
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") { quote = ch; inArg = true; continue; }
    if (ch === ' ' || ch === '\t') {
      if (inArg) args.push(cur);
      cur = '';
      inArg = false;
      continue;
    }
    cur += ch;
    inArg = true;
  }
  if (inArg) args.push(cur);
  return args;
}
