// WhatsApp's formatting in a message, as a tree of nodes the bubble renders as elements with
// text inside: `*bold*`, `_italic_`, `~strike~`, ```monospace``` (a block), `inline code`, and
// http/https links. Nothing here is ever HTML: a `<b>` the customer typed stays those three
// characters. Pure, no DOM.

import { linkifyit } from 'linkify-it';

export type RichNode =
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: RichNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'mono'; text: string };

const EMPHASIS = { '*': 'bold', _: 'italic', '~': 'strike' } as const;
type Marker = keyof typeof EMPHASIS;

// Only links written with http:// or https://: no bare domains, e-mails, ftp: or mailto:.
const linkify = linkifyit()
  .set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false })
  .add('ftp:', null)
  .add('mailto:', null)
  .add('//', null);

/** A letter or digit: a marker touching one (snake_case, 2*3*4) is not formatting. */
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

/** The text of a message as formatted nodes. */
export function parseRich(text: string): RichNode[] {
  const out: RichNode[] = [];
  // ```monospace``` first: nothing inside it is formatted, and it may span lines.
  splitBy(text, /```([\s\S]+?)```/g, (mono) => out.push({ kind: 'mono', text: mono }), (rest) =>
    splitBy(rest, /`([^`\n]+)`/g, (code) => out.push({ kind: 'code', text: code }), (plain) => out.push(...links(plain))),
  );
  return out;
}

/** Calls `inside` for each match's group and `between` for the text around the matches. */
function splitBy(text: string, re: RegExp, inside: (s: string) => void, between: (s: string) => void): void {
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) between(text.slice(last, m.index));
    inside(m[1] ?? '');
    last = m.index + m[0].length;
  }
  if (last < text.length) between(text.slice(last));
}

/** Links first (an URL's `_` or `~` is not formatting), emphasis in the text between them. */
function links(text: string): RichNode[] {
  const out: RichNode[] = [];
  let last = 0;
  for (const m of linkify.match(text) ?? []) {
    const href = httpUrl(m.url);
    if (href === null) continue;
    if (m.index > last) out.push(...emphasis(text.slice(last, m.index)));
    out.push({ kind: 'link', href, text: m.raw });
    last = m.lastIndex;
  }
  if (last < text.length) out.push(...emphasis(text.slice(last)));
  return out;
}

function httpUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * `*bold*`, `_italic_`, `~strike~`, nested, as WhatsApp reads them: the opening marker after
 * a space or punctuation and before a non-space, the closing one after a non-space and before
 * the end, a space or punctuation, both on one line.
 */
function emphasis(text: string): RichNode[] {
  const out: RichNode[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const close = c in EMPHASIS && opens(text, i) ? closing(text, i) : -1;
    if (close < 0) {
      plain += c;
      i++;
      continue;
    }
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
    out.push({ kind: EMPHASIS[c as Marker], children: emphasis(text.slice(i + 1, close)) });
    i = close + 1;
  }
  if (plain) out.push({ kind: 'text', text: plain });
  return out;
}

function opens(text: string, i: number): boolean {
  const before = text[i - 1];
  const after = text[i + 1];
  return (before === undefined || !WORD.test(before)) && after !== undefined && !SPACE.test(after) && after !== text[i];
}

/** Where the marker opened at `i` closes on its line, or -1. */
function closing(text: string, i: number): number {
  const c = text[i];
  for (let j = i + 2; j < text.length; j++) {
    const ch = text[j]!;
    if (ch === '\n') return -1;
    if (ch !== c || SPACE.test(text[j - 1]!)) continue;
    const next = text[j + 1];
    if (next === undefined || !WORD.test(next)) return j;
  }
  return -1;
}
