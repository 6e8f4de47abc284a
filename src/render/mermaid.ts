// Mermaid text is emitted into `<pre class="mermaid">` and parsed by Mermaid in the browser, so a
// label must be safe twice: Mermaid's own syntax (quotes, brackets, `#` entities, `;`) and HTML
// (the page escapes the text node; Mermaid then renders labels as text, never as markup).

/**
 * A label for a quoted Mermaid node or edge text (`id["…"]`, `-->|"…"|`): characters Mermaid
 * treats as syntax become its `#name;` entity codes, so `<script>` shows as text.
 */
export function mermaidLabel(text: string): string {
  let out = '';
  for (const ch of text) {
    switch (ch) {
      case '"': out += '#quot;'; break;
      case '#': out += '#35;'; break;
      case '<': out += '#lt;'; break;
      case '>': out += '#gt;'; break;
      case '&': out += '#amp;'; break;
      case '[': out += '#91;'; break;
      case ']': out += '#93;'; break;
      case '{': out += '#123;'; break;
      case '}': out += '#125;'; break;
      case '|': out += '#124;'; break;
      case ';': out += '#59;'; break;
      case '`': out += '#96;'; break;
      case '\n': out += ' '; break;
      default: out += ch;
    }
  }
  return out;
}

/** A sequenceDiagram message or note text: unquoted, ends at the line; `;` and `#` are syntax (a colon after the first is text). */
export function mermaidMessage(text: string): string {
  return mermaidLabel(text);
}

/** A Mermaid identifier: letters, digits and `_` only, never a keyword (`end`, `graph`…). */
export function mermaidId(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_]/g, '_');
  return `id_${id}`;
}
