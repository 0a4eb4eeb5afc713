// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { initials } from '../names';

describe('initials', () => {
  it('takes up to two initials of words', () => {
    expect(initials('María González')).toBe('MG');
    expect(initials('ana maría lópez')).toBe('AM');
    expect(initials('@lucia_torres')).toBe('LT');
    expect(initials('Óscar')).toBe('Ó');
  });
  it('is empty for a phone number', () => {
    expect(initials('+52 1 55 9876 5432')).toBe('');
    expect(initials('')).toBe('');
  });
});
