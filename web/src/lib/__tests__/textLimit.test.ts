// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { COUNTER_FROM, MAX_TEXT, countText } from '../textLimit';

describe('countText', () => {
  it('counts what is sent (trimmed) in code points, as the server does', () => {
    expect(countText('  hola \n')).toEqual({ length: 4, near: false, over: false });
    // An emoji is two UTF-16 units but one character for WhatsApp's count.
    expect(countText('👍'.repeat(10)).length).toBe(10);
  });

  it('shows the counter near the limit and refuses past it', () => {
    expect(countText('a'.repeat(COUNTER_FROM - 1)).near).toBe(false);
    expect(countText('a'.repeat(COUNTER_FROM)).near).toBe(true);
    expect(countText('a'.repeat(MAX_TEXT)).over).toBe(false);
    expect(countText('a'.repeat(MAX_TEXT + 1)).over).toBe(true);
    expect(countText('👍'.repeat(MAX_TEXT)).over).toBe(false);
  });
});
