import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../electron/core/smtp/transcript';

describe('Transcript', () => {
  it('removes AUTH arguments and every SASL line, keeps the rest of the conversation', () => {
    const t = new Transcript();
    const user = Buffer.from('ada@example.test').toString('base64');
    const pass = Buffer.from('s3cret!').toString('base64');
    t.server('220 mx ESMTP');
    t.client('EHLO laptop');
    t.client(`AUTH LOGIN ${user}`);
    t.server('334 UGFzc3dvcmQ6');
    t.client(pass);
    t.server('235 2.7.0 Accepted');
    t.client('QUIT');
    expect(t.lines).toEqual([
      'S: 220 mx ESMTP',
      'C: EHLO laptop',
      'C: AUTH LOGIN [redacted]',
      'S: 334 [redacted]',
      'C: [redacted]',
      'S: 235 2.7.0 Accepted',
      'C: QUIT',
    ]);
    expect(t.lines.join('\n')).not.toContain(pass);
    expect(t.lines.join('\n')).not.toContain(user);
  });

  it('redacts an XOAUTH2 token sent inline', () => {
    const t = new Transcript();
    t.client('AUTH XOAUTH2 dXNlcj1hZGFAZXhhbXBsZS50ZXN0AWF1dGg9QmVhcmVyIHlhMjkuQQEB');
    expect(t.lines).toEqual(['C: AUTH XOAUTH2 [redacted]']);
  });
});
