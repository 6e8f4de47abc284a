// The annotated rule table: the tool's exact rule text (iptables-save -c or iptables -nvL
// --line-numbers), counters, the rules that packets hit highlighted, a generated plain-language
// note per rule and the author's notes beside it.
import type { Element, ElementContent } from 'hast';
import { h } from './hast.ts';
import type { ListedChain, SavedTable } from './iptables-text.ts';
import { policyNote, ruleNote } from './notes.ts';

export const RULE_LAYOUTS = ['save', 'list'] as const;
export type RuleLayout = (typeof RULE_LAYOUTS)[number];

/** `CHAIN:NUM` for a rule, `CHAIN:policy` for a chain's policy (its end). */
export type RuleKey = string;

export function ruleKey(chain: string, num: number | 'policy'): RuleKey {
  return `${chain}:${num}`;
}

export interface RulesTableInput {
  table: SavedTable;
  layout: RuleLayout;
  /** `iptables -nvL --line-numbers` output, parsed; required for layout `list`. */
  list?: ListedChain[];
  /** Only these chains, in this order (default: all, as the tool lists them). */
  chains?: string[];
  /** Counters added by one step, shown instead of the totals. */
  delta?: { label: string; counters: Map<RuleKey, { packets: number; bytes: number }> };
  /** Rules to highlight; default: those whose packet counter (or delta) is not zero. */
  hits?: Set<RuleKey>;
  /** Caption for the figure (default: the table name and layout). */
  caption?: string;
  /** Generated notes (default true). */
  notes?: boolean;
  /** Author notes per rule, as hast phrasing content. */
  authorNotes?: Map<RuleKey, ElementContent[]>;
}

function noteCell(generated: string | undefined, author: ElementContent[] | undefined): Element {
  return h('td', { className: ['packetwalk-note'] }, [
    generated !== undefined && h('span', { className: ['packetwalk-note-generated'] }, [generated]),
    author && h('span', { className: ['packetwalk-note-author'] }, author),
  ]);
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function rulesTable(input: RulesTableInput): Element {
  const { table, layout } = input;
  const showNotes = input.notes ?? true;
  const chainNames = input.chains ?? table.chains.map((c) => c.name);
  const counterOf = (key: RuleKey, packets: number, bytes: number) => {
    if (!input.delta) return { packets, bytes };
    return input.delta.counters.get(key) ?? { packets: 0, bytes: 0 };
  };
  const isHit = (key: RuleKey, packets: number) => (input.hits ? input.hits.has(key) : packets !== 0);
  const show = (n: number) => (input.delta ? signed(n) : String(n));
  const rows: Element[] = [];
  const headCells = layout === 'save' ? ['pkts', 'bytes', 'rule'] : ['iptables -nvL --line-numbers'];
  if (showNotes || input.authorNotes?.size) headCells.push('note');

  for (const name of chainNames) {
    const chain = table.chains.find((c) => c.name === name);
    if (!chain) continue;
    const policyKey = ruleKey(name, 'policy');
    const rules = table.rules.filter((r) => r.chain === name);
    const cols = headCells.length;
    if (layout === 'save') {
      const pc = counterOf(policyKey, chain.packets, chain.bytes);
      rows.push(
        h('tr', { className: ['packetwalk-chain', ...(chain.policy !== '-' && isHit(policyKey, pc.packets) ? ['packetwalk-hit'] : [])] }, [
          h('td', { className: ['packetwalk-count'] }, [chain.policy === '-' ? '' : show(pc.packets)]),
          h('td', { className: ['packetwalk-count'] }, [chain.policy === '-' ? '' : show(pc.bytes)]),
          h('td', {}, [h('code', {}, [`:${chain.name} ${chain.policy} [${chain.packets}:${chain.bytes}]`])]),
          cols > 3 && noteCell(showNotes ? policyNote(name, chain.policy) : undefined, input.authorNotes?.get(policyKey)),
        ]),
      );
      for (const rule of rules) {
        const key = ruleKey(name, rule.num);
        const c = counterOf(key, rule.packets, rule.bytes);
        rows.push(
          h('tr', { ...(isHit(key, c.packets) ? { className: ['packetwalk-hit'] } : {}), dataRule: key }, [
            h('td', { className: ['packetwalk-count'] }, [show(c.packets)]),
            h('td', { className: ['packetwalk-count'] }, [show(c.bytes)]),
            h('td', {}, [h('code', {}, [`[${rule.packets}:${rule.bytes}] ${rule.text}`])]),
            cols > 3 && noteCell(showNotes ? ruleNote(rule.text) : undefined, input.authorNotes?.get(key)),
          ]),
        );
      }
    } else {
      const listed = input.list?.find((c) => c.name === name);
      if (!listed) continue;
      rows.push(
        h('tr', { className: ['packetwalk-chain', ...(chain.policy !== '-' && isHit(policyKey, counterOf(policyKey, chain.packets, chain.bytes).packets) ? ['packetwalk-hit'] : [])] }, [
          h('td', {}, [h('code', {}, [listed.header])]),
          cols > 1 && noteCell(showNotes ? policyNote(name, chain.policy) : undefined, input.authorNotes?.get(policyKey)),
        ]),
        h('tr', { className: ['packetwalk-columns'] }, [h('td', {}, [h('code', {}, [listed.columns])]), cols > 1 && h('td', {}, [])]),
      );
      for (const row of listed.rows) {
        const key = ruleKey(name, row.num);
        const rule = rules.find((r) => r.num === row.num);
        const packets = rule ? counterOf(key, rule.packets, rule.bytes).packets : Number(row.packets) || 0;
        rows.push(
          h('tr', { ...(isHit(key, packets) ? { className: ['packetwalk-hit'] } : {}), dataRule: key }, [
            h('td', {}, [h('code', {}, [row.line])]),
            cols > 1 && noteCell(showNotes && rule ? ruleNote(rule.text) : undefined, input.authorNotes?.get(key)),
          ]),
        );
      }
    }
  }
  const caption = input.caption ?? `${table.name} table${input.delta ? `: counters added by ${input.delta.label}` : ''}`;
  return h('figure', { className: ['packetwalk-rules'], dataTable: table.name, dataLayout: layout }, [
    h('figcaption', {}, [caption]),
    h('table', {}, [
      h('thead', {}, [h('tr', {}, headCells.map((c) => h('th', { scope: 'col' }, [c])))]),
      h('tbody', {}, rows),
    ]),
  ]);
}
