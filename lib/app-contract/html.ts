/**
 * A small HTML tokenizer for the app contract: the start tags of a document with their attributes and line, and
 * the text of each `<script>` and `<style>`. It is not a browser's parser; it reads what Vite writes and refuses
 * what a browser would have to guess at (an unterminated tag, comment or quoted value, a raw-text element that
 * never closes), because a check that guesses can be fooled.
 */

export interface HtmlTag {
  /** Lower-case tag name. */
  readonly name: string;
  /** Attribute name (lower-case) → value ('' when the attribute has no value). */
  readonly attributes: ReadonlyMap<string, string>;
  /** 1-based line where the tag starts. */
  readonly line: number;
  /** For `<script>` and `<style>`: the text up to its closing tag. */
  readonly text?: string;
}

export type HtmlParse =
  | { readonly ok: true; readonly tags: readonly HtmlTag[] }
  | { readonly ok: false; readonly line: number; readonly error: string };

const RAW_TEXT = new Set(['script', 'style']);

export function parseHtml(html: string): HtmlParse {
  const tags: HtmlTag[] = [];
  const lineAt = (index: number) => html.slice(0, index).split('\n').length;
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open === -1) break;
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      if (end === -1) return { ok: false, line: lineAt(open), error: 'a comment is never closed (no "-->")' };
      i = end + 3;
      continue;
    }
    if (html.startsWith('<!', open) || html.startsWith('</', open) || html.startsWith('<?', open)) {
      const end = html.indexOf('>', open);
      if (end === -1) return { ok: false, line: lineAt(open), error: 'a tag is never closed (no ">")' };
      i = end + 1;
      continue;
    }
    const nameMatch = /^<([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(open, open + 64));
    if (!nameMatch) {
      i = open + 1;
      continue;
    }
    const name = nameMatch[1].toLowerCase();
    const attributes = new Map<string, string>();
    let j = open + nameMatch[0].length;
    let closed = false;
    while (j < html.length) {
      const rest = html.slice(j);
      const space = /^[\s/]+/.exec(rest);
      if (space) {
        j += space[0].length;
        continue;
      }
      if (rest.startsWith('>')) {
        j += 1;
        closed = true;
        break;
      }
      const attribute = /^([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/.exec(rest);
      if (!attribute)
        return {
          ok: false,
          line: lineAt(j),
          error: `<${name}> has a malformed attribute or an unterminated quoted value`,
        };
      const quoteOpened =
        /^[^\s"'>/=]+\s*=\s*["']/.test(rest) && attribute[2] === undefined && attribute[3] === undefined;
      if (quoteOpened) return { ok: false, line: lineAt(j), error: `<${name}> has an unterminated quoted value` };
      attributes.set(attribute[1].toLowerCase(), attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
      j += attribute[0].length;
    }
    if (!closed) return { ok: false, line: lineAt(open), error: `<${name}> is never closed (no ">")` };
    let text: string | undefined;
    if (RAW_TEXT.has(name)) {
      const close = html.toLowerCase().indexOf(`</${name}`, j);
      if (close === -1) return { ok: false, line: lineAt(open), error: `<${name}> is never closed (no </${name}>)` };
      text = html.slice(j, close);
      j = close;
    }
    tags.push({ name, attributes, line: lineAt(open), text });
    i = j;
  }
  return { ok: true, tags };
}
