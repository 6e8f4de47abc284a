// Plain-language notes for iptables rules, generated from the rule's own text (its matches and
// target), so a reader who does not speak iptables can follow a rule table.
import { splitRule } from './iptables-text.ts';

const CT_STATES: Record<string, string> = {
  NEW: 'start a new connection',
  ESTABLISHED: 'belong to a known connection',
  RELATED: 'are related to a known connection (an ICMP error, an FTP data flow)',
  INVALID: 'conntrack cannot place in any connection',
  UNTRACKED: 'are not tracked by conntrack',
  DNAT: 'had their destination rewritten by DNAT',
  SNAT: 'had their source rewritten by SNAT',
};

function ctStates(list: string, negated: boolean): string {
  const names = list.split(',');
  const set = new Set(names);
  let phrase: string;
  if (set.size === 2 && set.has('RELATED') && set.has('ESTABLISHED')) phrase = 'belong to or are related to a known connection';
  else phrase = names.map((n) => CT_STATES[n] ?? `are in state ${n}`).join(' or ');
  return negated ? `that does not satisfy: ${phrase}` : `that ${phrase}`;
}

function iface(name: string, verb: string, negated: boolean): string {
  const not = negated ? 'not ' : '';
  if (name.endsWith('+')) return `${not}${verb} an interface whose name starts with ${name.slice(0, -1)}`;
  return `${not}${verb} ${name}`;
}

function addr(text: string): string {
  return text.endsWith('/32') ? text.slice(0, -3) : text;
}

/** One sentence describing what a rule does, from its `iptables-save` text (`-A CHAIN …`). */
export function ruleNote(ruleText: string): string {
  const argv = splitRule(ruleText);
  const conds: string[] = [];
  let proto = '';
  let action = 'Count';
  let tail = '';
  let negate = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1] ?? '';
    const neg = negate;
    negate = false;
    switch (a) {
      case '!': negate = true; break;
      case '-A': i++; break;
      case '-s': conds.push(`${neg ? 'not ' : ''}from ${addr(v)}`); i++; break;
      case '-d': conds.push(`${neg ? 'not ' : ''}to ${addr(v)}`); i++; break;
      case '-i': conds.push(iface(v, 'arriving on', neg)); i++; break;
      case '-o': conds.push(iface(v, 'leaving through', neg)); i++; break;
      case '-p': proto = neg ? `non-${v.toUpperCase()}` : v.toUpperCase(); i++; break;
      case '-m': i++; break;
      case '--ctstate': case '--state': conds.push(ctStates(v, neg)); i++; break;
      case '--ctorigdst': conds.push(`originally sent to ${addr(v)}`); i++; break;
      case '--ctorigdstport': conds.push(`originally sent to port ${v}`); i++; break;
      case '--ctdir': conds.push(v === 'ORIGINAL' ? 'in the direction that opened the connection' : 'in the reply direction'); i++; break;
      case '--dport': case '--destination-port': conds.push(`${neg ? 'not ' : ''}to port ${v.replace(':', '-')}`); i++; break;
      case '--sport': case '--source-port': conds.push(`${neg ? 'not ' : ''}from port ${v.replace(':', '-')}`); i++; break;
      case '--dports': conds.push(`${neg ? 'not ' : ''}to ports ${v}`); i++; break;
      case '--sports': conds.push(`${neg ? 'not ' : ''}from ports ${v}`); i++; break;
      case '--dst-type': conds.push(v === 'LOCAL' ? `${neg ? 'not ' : ''}addressed to one of this host's own addresses` : `${neg ? 'not ' : ''}addressed to a ${v.toLowerCase()} address`); i++; break;
      case '--src-type': conds.push(v === 'LOCAL' ? `${neg ? 'not ' : ''}sent from one of this host's own addresses` : `${neg ? 'not ' : ''}sent from a ${v.toLowerCase()} address`); i++; break;
      case '--limit-iface-in': case '--limit-iface-out': break;
      case '--icmp-type': conds.push(`${neg ? 'not ' : ''}of ICMP type ${v}`); i++; break;
      case '--tcp-flags': conds.push(`with TCP flags ${argv[i + 2] ?? ''} set among ${v}`); i += 2; break;
      case '--syn': conds.push(neg ? 'that are not connection-opening SYNs' : 'that are connection-opening SYNs'); break;
      case '--physdev-is-bridged': conds.push(`${neg ? 'not ' : ''}crossing a bridge`); break;
      case '--physdev-in': conds.push(iface(v, 'entering the bridge from', neg)); i++; break;
      case '--physdev-out': conds.push(iface(v, 'leaving the bridge through', neg)); i++; break;
      case '--mark': conds.push(`${neg ? 'not ' : ''}marked ${v}`); i++; break;
      case '--src-range': conds.push(`from ${v}`); i++; break;
      case '--dst-range': conds.push(`to ${v}`); i++; break;
      case '--limit': conds.push(`at most ${v}`); i++; break;
      case '--limit-burst': i++; break;
      case '--comment': tail += ` Comment: “${v}”.`; i++; break;
      case '--match-set': {
        const dir = argv[i + 2] ?? 'dst';
        conds.push(`${neg ? 'not ' : ''}whose ${dir.startsWith('src') ? 'source' : 'destination'} is in ipset ${v}`);
        i += 2;
        break;
      }
      case '--physdev-is-in': conds.push(`${neg ? 'not ' : ''}entering through a bridge port`); break;
      case '--physdev-is-out': conds.push(`${neg ? 'not ' : ''}leaving through a bridge port`); break;
      case '-j': case '-g': {
        const goto = a === '-g';
        ({ action, tail } = target(v, argv.slice(i + 2), tail, goto));
        i = argv.length;
        break;
      }
      default:
        // an option this page does not explain: name it rather than pretend the rule matches everything
        if (a.startsWith('--')) {
          const hasValue = v !== '' && !v.startsWith('-') && v !== '!';
          conds.push(`${neg ? 'not ' : ''}matching \`${hasValue ? `${a} ${v}` : a}\``);
          if (hasValue) i++;
        }
        break;
    }
  }
  const what = proto ? `${proto} packets` : 'packets';
  const body = conds.length ? `${what} ${conds.join(', ')}` : proto ? what : 'every packet';
  const sentence = action.includes('%') ? action.replace('%', body) : `${action} ${body}`;
  return `${sentence}.${tail}`;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function target(name: string, args: string[], tail: string, goto: boolean): { action: string; tail: string } {
  switch (name) {
    case 'ACCEPT': return { action: 'Accept', tail };
    case 'DROP': return { action: 'Drop', tail };
    case 'RETURN': return { action: 'Return % to the chain that sent them here', tail };
    case 'REJECT': {
      const w = option(args, '--reject-with') ?? 'icmp-port-unreachable';
      return { action: 'Reject', tail: `${tail} The sender gets ${w}.` };
    }
    case 'MASQUERADE': return { action: 'Masquerade', tail: `${tail} Their source becomes the address of the interface they leave through.` };
    case 'SNAT': return { action: 'Source-NAT', tail: `${tail} Their source becomes ${option(args, '--to-source') ?? '?'}.` };
    case 'DNAT': return { action: 'Destination-NAT', tail: `${tail} Their destination becomes ${option(args, '--to-destination') ?? '?'}.` };
    case 'REDIRECT': {
      const port = option(args, '--to-ports');
      return { action: 'Redirect to this host', tail: port ? `${tail} Their destination port becomes ${port}.` : tail };
    }
    case 'LOG': {
      const prefix = option(args, '--log-prefix');
      return { action: 'Log', tail: `${tail} ${prefix ? `The kernel log line starts with “${prefix}”; ` : ''}the packet goes on to the next rule.` };
    }
    case 'TRACE': return { action: 'Trace', tail: `${tail} Every rule they meet afterwards is logged.` };
    case 'MARK': return { action: 'Mark', tail: `${tail} The mark is set with ${args.filter((x) => x.startsWith('--')).join(' ')} ${option(args, '--set-xmark') ?? option(args, '--set-mark') ?? ''}`.trimEnd() + '.' };
    case 'CONNMARK': return { action: 'Set the connection mark of %', tail };
    case 'NOTRACK': case 'CT': return { action: 'Exempt from connection tracking', tail };
    case 'CHECKSUM': return { action: 'Fill in the checksum of', tail };
    default:
      return goto
        ? { action: `Send % to chain ${name}`, tail: `${tail} Unlike a jump, they do not come back here.` }
        : { action: `Send % to chain ${name}`, tail: `${tail} If ${name} returns them, the next rule here applies.` };
  }
}

/** The note for a chain's policy row (built-in chains) or its end (user chains). */
export function policyNote(chain: string, policy: string): string {
  if (policy === '-') return `Packets that reach the end of ${chain} return to the chain that sent them here.`;
  return `Packets that reach the end of ${chain} are ${policy === 'DROP' ? 'dropped' : 'accepted'} (the chain's policy).`;
}
