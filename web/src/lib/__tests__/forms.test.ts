// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../api';
import { FormRegistry } from '../forms';
import { opened } from './fixtures';

function registry() {
  const form = vi.fn(() => new Promise<never>(() => {}));
  const host = { api: { form } as unknown as Api, errorText: () => '', fieldErrorTexts: () => ({}) };
  return { forms: new FormRegistry(host), form };
}

describe('FormRegistry', () => {
  it('keeps one form per open attention and segment; a read-only one is fresh each time', () => {
    const { forms, form } = registry();
    const a = opened(1);
    const f = forms.formFor(a, false);
    expect(forms.formFor(a, false)).toBe(f);
    expect(forms.formFor({ ...a, segment: (a.segment ?? 0) + 1 }, false)).not.toBe(f);
    expect(forms.formFor(a, true)).not.toBe(forms.formFor(a, true));
    expect(form).toHaveBeenCalledTimes(4);
  });

  it('forgets the forms of attentions that left my hands, and all of them on clear', () => {
    const { forms } = registry();
    const one = forms.formFor(opened(1), false);
    const two = forms.formFor(opened(2), false);
    forms.drop([1]);
    expect(forms.formFor(opened(1), false)).not.toBe(one);
    expect(forms.formFor(opened(2), false)).toBe(two);
    forms.clear();
    expect(forms.formFor(opened(2), false)).not.toBe(two);
  });
});
