import { describe, expect, it } from 'vitest';
import { checkAddress, encodedSize, formatMailbox } from '../../../shared/domain/compose';

describe('recipient addresses', () => {
  it('accepts IDN domains and plain ASCII addresses', () => {
    expect(checkAddress('jane@x.org', false)).toEqual({ ok: true });
    expect(checkAddress('info@bücher.example', false)).toEqual({ ok: true });
  });

  it('allows a non-ASCII local part only when the server announces SMTPUTF8, and warns when unknown', () => {
    expect(checkAddress('jörg@x.org', true)).toEqual({ ok: true });
    expect(checkAddress('jörg@x.org', false)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/SMTPUTF8/),
    });
    expect(checkAddress('jörg@x.org', null)).toMatchObject({
      ok: true,
      warning: expect.stringMatching(/SMTPUTF8/),
    });
  });

  it('says what is wrong with what is not an address', () => {
    expect(checkAddress('bob@', null)).toMatchObject({ ok: false });
    expect(checkAddress('bob', null)).toMatchObject({ ok: false, reason: expect.stringContaining('bob') });
    expect(checkAddress('bob@localhost', null)).toMatchObject({ ok: false });
    expect(checkAddress('a b@x.org', null)).toMatchObject({ ok: false });
  });
});

describe('a recipient as header text', () => {
  it('quotes a name that needs it and leaves a plain one alone', () => {
    expect(formatMailbox({ name: 'Doe, Jane', address: 'jane@x.org' })).toBe('"Doe, Jane" <jane@x.org>');
    expect(formatMailbox({ name: 'Jane Doe', address: 'jane@x.org' })).toBe('Jane Doe <jane@x.org>');
    expect(formatMailbox({ name: 'Say "hi"\r\n', address: 'a@b.org' })).toBe('"Say \\"hi\\"" <a@b.org>');
    expect(formatMailbox({ name: '', address: 'a@b.org' })).toBe('a@b.org');
  });
});

describe('message size', () => {
  it('estimates base64 growth so the SIZE warning fires before the server refuses', () => {
    expect(encodedSize(3 * 1024 * 1024)).toBeGreaterThan(4 * 1024 * 1024);
  });
});
