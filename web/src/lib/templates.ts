// Approved WhatsApp templates: `{{n}}` placeholders filled with the agent's values.
// Pure, and the same rules as the server (atiende/domain/templates.py): a body takes as many
// values as its highest placeholder; none may be blank, hold a line break or pass 1024
// characters. Bodies and values are user text: rendered as text, never as markup.

import type { Template } from './types';

const PLACEHOLDER = /\{\{(\d+)\}\}/g;
export const MAX_PARAM = 1024;

/** How many values the body takes ({{1}} … {{n}}: the highest n). */
export function placeholderCount(body: string): number {
  let max = 0;
  for (const m of body.matchAll(PLACEHOLDER)) max = Math.max(max, Number(m[1]));
  return max;
}

/** A piece of the rendered text: literal text, or the value of placeholder `n`. */
export type Segment = { kind: 'text'; text: string } | { kind: 'param'; n: number; value: string; filled: boolean };

/**
 * The body cut into text and placeholders, each placeholder with its value (or, while it is
 * blank, `{{n}}` itself so that the preview shows what is still missing).
 */
export function templateSegments(body: string, params: readonly string[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of body.matchAll(PLACEHOLDER)) {
    const i = m.index ?? 0;
    if (i > at) out.push({ kind: 'text', text: body.slice(at, i) });
    const n = Number(m[1]);
    const v = params[n - 1] ?? '';
    const filled = v.trim() !== '';
    out.push({ kind: 'param', n, value: filled ? v : m[0], filled });
    at = i + m[0].length;
  }
  if (at < body.length) out.push({ kind: 'text', text: body.slice(at) });
  return out;
}

/** The text the customer receives (a blank value leaves its `{{n}}`). */
export function renderTemplate(body: string, params: readonly string[]): string {
  return templateSegments(body, params)
    .map((s) => (s.kind === 'text' ? s.text : s.value))
    .join('');
}

/** Why the values do not fit the body, or null. `n` is the 1-based placeholder at fault. */
export type TemplateProblem =
  | { code: 'count'; needed: number; given: number }
  | { code: 'empty'; n: number }
  | { code: 'newline'; n: number }
  | { code: 'tooLong'; n: number };

export function templateProblem(body: string, params: readonly string[]): TemplateProblem | null {
  const needed = placeholderCount(body);
  if (params.length !== needed) return { code: 'count', needed, given: params.length };
  for (let i = 0; i < params.length; i++) {
    const v = params[i]!;
    if (v.trim() === '') return { code: 'empty', n: i + 1 };
    if (/[\r\n]/.test(v)) return { code: 'newline', n: i + 1 };
    if (v.length > MAX_PARAM) return { code: 'tooLong', n: i + 1 };
  }
  return null;
}

/** One input per placeholder, values kept when the agent switches back to a template. */
export function paramsFor(t: Pick<Template, 'body' | 'params'>, previous: readonly string[] = []): string[] {
  const n = Math.max(placeholderCount(t.body), typeof t.params === 'number' && t.params > 0 ? t.params : 0);
  return Array.from({ length: n }, (_, i) => previous[i] ?? '');
}

/** What is sent: the values as typed, without the spaces around them. */
export function cleanParams(params: readonly string[]): string[] {
  return params.map((v) => v.trim());
}

// --- supervisors: a new template ---

export const NAME_RE = /^[a-z0-9_]{1,512}$/;
export const LANGUAGE_RE = /^[a-z]{2}(_[A-Z]{2})?$/;
export const MAX_BODY = 1024;

export interface TemplateDraft {
  name: string;
  language: string;
  body: string;
}

export type DraftField = keyof TemplateDraft;
export type DraftProblem = 'name' | 'language' | 'bodyEmpty' | 'bodyTooLong' | 'bodyGap';

/**
 * Problems of a new template by field: what the server refuses, and placeholders that are not
 * numbered 1, 2, 3… without gaps (Meta refuses those).
 */
export function draftProblems(d: TemplateDraft): Partial<Record<DraftField, DraftProblem>> {
  const out: Partial<Record<DraftField, DraftProblem>> = {};
  if (!NAME_RE.test(d.name.trim())) out.name = 'name';
  if (!LANGUAGE_RE.test(d.language.trim())) out.language = 'language';
  const body = d.body.trim();
  if (!body) out.body = 'bodyEmpty';
  else if (body.length > MAX_BODY) out.body = 'bodyTooLong';
  else {
    const used = new Set([...body.matchAll(PLACEHOLDER)].map((m) => Number(m[1])));
    const max = placeholderCount(body);
    if (used.has(0)) out.body = 'bodyGap';
    for (let n = 1; n <= max && !out.body; n++) {
      if (!used.has(n)) {
        out.body = 'bodyGap';
        break;
      }
    }
  }
  return out;
}

/** The request body of a new template. */
export function draftPayload(d: TemplateDraft): TemplateDraft {
  return { name: d.name.trim(), language: d.language.trim(), body: d.body.trim() };
}
