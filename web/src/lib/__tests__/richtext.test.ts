// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { type RichNode, parseRich } from '../richtext';

const t = (text: string): RichNode => ({ kind: 'text', text });

describe('parseRich', () => {
  it('plain text stays one text node', () => {
    expect(parseRich('Hola, ¿cómo estás?')).toEqual([t('Hola, ¿cómo estás?')]);
    expect(parseRich('')).toEqual([]);
  });

  it('reads WhatsApp formatting, nested too', () => {
    expect(parseRich('es *muy* importante')).toEqual([t('es '), { kind: 'bold', children: [t('muy')] }, t(' importante')]);
    expect(parseRich('_cursiva_ y ~tachado~')).toEqual([
      { kind: 'italic', children: [t('cursiva')] },
      t(' y '),
      { kind: 'strike', children: [t('tachado')] },
    ]);
    expect(parseRich('*_ambas_*')).toEqual([{ kind: 'bold', children: [{ kind: 'italic', children: [t('ambas')] }] }]);
    expect(parseRich('usa `npm ci` y ```a *b*\n  c```')).toEqual([
      t('usa '),
      { kind: 'code', text: 'npm ci' },
      t(' y '),
      { kind: 'mono', text: 'a *b*\n  c' },
    ]);
  });

  it('leaves markers that are not formatting as they are', () => {
    for (const s of ['2*3*4', 'snake_case_name', '* no *', 'a ** b', '*abierto', 'precio ~ 5', '*dos\nlíneas*', '``', '```']) {
      expect(parseRich(s)).toEqual([t(s)]);
    }
  });

  it('makes http and https links, nothing else', () => {
    expect(parseRich('mira https://ejemplo.com/a_b_c?x=1~2 ahora.')).toEqual([
      t('mira '),
      { kind: 'link', href: 'https://ejemplo.com/a_b_c?x=1~2', text: 'https://ejemplo.com/a_b_c?x=1~2' },
      t(' ahora.'),
    ]);
    expect(parseRich('(http://a.pe/x)')).toEqual([
      t('('),
      { kind: 'link', href: 'http://a.pe/x', text: 'http://a.pe/x' },
      t(')'),
    ]);
    for (const s of ['javascript:alert(1)', 'ftp://a.pe/x', 'mailto:a@b.pe', 'ejemplo.com', 'a@b.pe', '//a.pe/x', 'data:text/html,<b>x</b>']) {
      expect(parseRich(s).some((n) => n.kind === 'link')).toBe(false);
    }
  });

  it('hostile text is text: tags and entities are never markup', () => {
    const hostile = '<img src=x onerror=alert(1)> *<script>alert(1)</script>* &lt;b&gt; <a href="javascript:x">y</a>';
    const nodes = parseRich(hostile);
    const flat = (ns: RichNode[]): string =>
      ns.map((n) => ('children' in n ? flat(n.children) : n.text)).join('');
    // Every character is still there, only the formatting markers are consumed.
    expect(flat(nodes)).toBe(hostile.replace('*<script>alert(1)</script>*', '<script>alert(1)</script>'));
    expect(JSON.stringify(nodes)).not.toContain('"kind":"link"');
  });

  it('does not blow up on long or pathological input', () => {
    const long = '*_~'.repeat(5000) + 'x';
    expect(parseRich(long).length).toBeGreaterThan(0);
    expect(parseRich('`'.repeat(10_000)).length).toBeGreaterThan(0);
  });
});
