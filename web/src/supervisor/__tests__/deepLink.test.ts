import { describe, expect, it } from 'vitest';
import { attentionFromHash, attentionHash } from '../deepLink';

describe('attention deep link', () => {
  it('reads #/attention/<id> and nothing else', () => {
    expect(attentionFromHash('#/attention/123')).toBe(123);
    expect(attentionFromHash(attentionHash(7))).toBe(7);
    for (const bad of ['', '#', '#/attention/', '#/attention/0', '#/attention/-1', '#/attention/1x', '#/attentions/1', '#/attention/99999999999999999'])
      expect(attentionFromHash(bad)).toBeNull();
  });
});
