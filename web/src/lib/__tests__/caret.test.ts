// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { insertAtCaret } from '../caret';

describe('insertAtCaret', () => {
  it('inserts at the caret and puts the caret after the insertion', () => {
    expect(insertAtCaret('hola mundo', '😀', 4, 4)).toEqual({ value: 'hola😀 mundo', caret: 6 });
    expect(insertAtCaret('', '👍', 0, 0)).toEqual({ value: '👍', caret: 2 });
    expect(insertAtCaret('abc', '🎉', 0, 0)).toEqual({ value: '🎉abc', caret: 2 });
  });

  it('replaces a selection', () => {
    expect(insertAtCaret('hola mundo', '🌍', 5, 10)).toEqual({ value: 'hola 🌍', caret: 7 });
    // A backwards selection is the same range.
    expect(insertAtCaret('hola mundo', '🌍', 10, 5)).toEqual({ value: 'hola 🌍', caret: 7 });
  });

  it('goes at the end without a usable caret', () => {
    expect(insertAtCaret('hola', '😀')).toEqual({ value: 'hola😀', caret: 6 });
    expect(insertAtCaret('hola', '😀', null, null)).toEqual({ value: 'hola😀', caret: 6 });
    expect(insertAtCaret('hola', '😀', 99, 99)).toEqual({ value: 'hola😀', caret: 6 });
  });
});
