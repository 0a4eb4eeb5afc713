import { describe, expect, it } from 'vitest';
import { blankDraft, createPayload, draftOf, missingOnCreate, patchPayload, verdict } from '../channelModel';
import type { Channel, ChannelTest } from '../types';

const channel: Channel = {
  id: 4,
  name: 'Ventas MX',
  phone_number_id: '100200300400500',
  display_phone_number: '525550001000',
  waba_id: '200300400500600',
  portfolio_id: 'default',
  graph_base_url: 'https://graph.facebook.com',
  graph_version: 'v23.0',
  entry_campaign_id: 1,
  access_token_set: true,
  app_secret_set: true,
  verify_token_set: true,
};

describe('a channel draft', () => {
  it('starts from the channel with empty secrets and the number with its plus', () => {
    const d = draftOf(channel);
    expect(d.display_phone_number).toBe('+525550001000');
    expect([d.access_token, d.app_secret, d.verify_token]).toEqual(['', '', '']);
  });

  it('a new one names each missing field, secrets included', () => {
    expect(Object.keys(missingOnCreate(blankDraft()))).toEqual([
      'name',
      'phone_number_id',
      'display_phone_number',
      'entry_campaign_id',
      'access_token',
      'app_secret',
      'verify_token',
    ]);
    const full = { ...blankDraft(1), name: 'A', phone_number_id: '1', display_phone_number: '+1', access_token: 't', app_secret: 's', verify_token: 'v' };
    expect(missingOnCreate(full)).toEqual({});
    expect(createPayload({ ...full, name: '  A  ' })).toMatchObject({ name: 'A', entry_campaign_id: 1, graph_version: 'v23.0' });
  });
});

describe('what an edit sends', () => {
  it('nothing when nothing changed (the plus of the number is no change)', () => {
    expect(patchPayload(channel, draftOf(channel))).toEqual({});
  });

  it('only the fields changed and the secrets typed', () => {
    const d = { ...draftOf(channel), name: 'Ventas', access_token: 'EAAG-new', graph_version: ' v24.0 ', entry_campaign_id: 2 };
    expect(patchPayload(channel, d)).toEqual({ name: 'Ventas', access_token: 'EAAG-new', graph_version: 'v24.0', entry_campaign_id: 2 });
  });
});

describe('the words of Probar conexión', () => {
  const base: ChannelTest = {
    problem: null,
    detail: '',
    meta_code: null,
    meta_message: null,
    verified_name: 'atiende demo',
    display_phone_number: '+52 55 5000 1000',
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
  };
  const quality = (q: string | null) => (q === 'GREEN' ? 'alta' : '?');

  it('all well: the verified name and the quality', () => {
    expect(verdict(base, channel, quality)).toMatchObject({ ok: true, key: 'channels.test.ok', params: { name: 'atiende demo', quality: 'alta' } });
  });

  it('a problem by its key, with what fills it', () => {
    const t = { ...base, problem: 'display_mismatch' as const, display_phone_number: '+1 555-000-1111' };
    expect(verdict(t, channel, quality)).toMatchObject({
      ok: false,
      key: 'channels.test.display_mismatch',
      params: { remote: '+1 555-000-1111', stored: '+525550001000' },
    });
    const token = { ...base, problem: 'invalid_token' as const, meta_code: 190, meta_message: 'Invalid OAuth access token' };
    expect(verdict(token, channel, quality).key).toBe('channels.test.invalid_token');
  });
});
