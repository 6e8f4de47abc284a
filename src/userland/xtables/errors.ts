// How iptables reports failures. The kinds mirror xtables_error()'s exit codes and layouts:
//   param   (exit 2) "iptables v1.8.9 (nf_tables): MSG" + "Try `iptables -h' …"
//   bare    (exit 2) "MSG" + "Try …"  (Bad argument `x')
//   kernel  (exit 1) "iptables: MSG"   (libiptc/nft errno strings, "No chain/target/match by that name.")
//   tagged  (exit 1) "iptables v1.8.9 (nf_tables): MSG" with no Try line
//   netlink (exit 4) "iptables v1.8.9 (nf_tables):  MSG" (nft batch errors, two spaces)
//   version (exit 3) "iptables v1.8.9 (nf_tables): MSG" + "Perhaps iptables or your kernel needs to be upgraded."
import type { Backend } from '../../kernel/netfilter/types.ts';

export type XtErrorKind = 'param' | 'bare' | 'kernel' | 'tagged' | 'netlink' | 'version';

export class XtError extends Error {
  readonly kind: XtErrorKind;
  /** The legacy backend's wording when it differs. */
  readonly legacyMessage: string | undefined;
  constructor(kind: XtErrorKind, message: string, legacyMessage?: string) {
    super(message);
    this.kind = kind;
    this.legacyMessage = legacyMessage;
  }
}

export const XT_VERSION = '1.8.9';

export function backendTag(backend: Backend): string {
  return backend === 'nft' ? 'nf_tables' : 'legacy';
}

export function exitCodeOf(e: XtError): number {
  switch (e.kind) {
    case 'param':
    case 'bare':
      return 2;
    case 'netlink':
      return 4;
    case 'version':
      return 3;
    default:
      return 1;
  }
}

/**
 * Formats an error as `prog` prints it. `line` is set inside iptables-restore (the
 * "Error occurred at line: N" line of parameter problems).
 */
export function formatXtError(e: XtError, prog: string, backend: Backend, line?: number): string {
  const head = `${prog} v${XT_VERSION} (${backendTag(backend)}):`;
  const message = backend === 'legacy' && e.legacyMessage !== undefined ? e.legacyMessage : e.message;
  const at = line !== undefined ? `Error occurred at line: ${line}\n` : '';
  const tryLine = `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
  switch (e.kind) {
    case 'param':
      return `${head} ${message}\n${at}${tryLine}`;
    case 'bare':
      return `${message}\n${at}${tryLine}`;
    case 'kernel':
      return `iptables: ${message}\n`;
    case 'tagged':
      return `${head} ${message}\n`;
    case 'netlink':
      return `${head}  ${message}\n`;
    case 'version':
      return `${head} ${message}\nPerhaps ${prog.startsWith('ebtables') ? 'ebtables' : 'iptables'} or your kernel needs to be upgraded.\n`;
  }
}

export const param = (msg: string): XtError => new XtError('param', msg);
export const kernelErr = (msg: string): XtError => new XtError('kernel', msg);
