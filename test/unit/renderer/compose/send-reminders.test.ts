import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../../shared/domain/account';
import { sendReminders } from '../../../../renderer/src/compose/send-checks';
import { swapSignature } from '../../../../renderer/src/compose/new-message';
import { sendLaterPresets } from '../../../../renderer/src/compose/send-later';

describe('reminders before sending', () => {
  it('asks about an empty subject', () => {
    expect(sendReminders('  ', 'Hi', 0)).toEqual([{ kind: 'no-subject' }]);
    expect(sendReminders('Plans', 'Hi', 0)).toEqual([]);
  });

  it.each([
    ['The plans are attached.', 'attached'],
    ['See the attachment', 'attachment'],
    ['Die Datei ist angehängt.', 'angehängt'],
    ['Im Anhang findest du alles.', 'Anhang'],
    ['Voir la pièce jointe.', 'pièce jointe'],
    ['Ci-joint le devis.', 'Ci-joint'],
  ])('asks about "%s" with nothing attached', (body, word) => {
    expect(sendReminders('Plans', body, 0)).toEqual([{ kind: 'no-attachment', word }]);
    expect(sendReminders('Plans', body, 1)).toEqual([]);
  });

  it('ignores the word in a quote, in the signature and inside other words', () => {
    expect(sendReminders('Re', '> see attached\nThanks', 0)).toEqual([]);
    expect(sendReminders('Re', 'Thanks\n-- \nAttachments welcome', 0)).toEqual([]);
    expect(sendReminders('Re', 'Mein Anhänger ist rot. The detached house.', 0)).toEqual([]);
  });
});

const identity = (signature: string, signatureHtml?: string): Identity => ({
  id: 'i',
  name: 'Ada',
  address: 'ada@example.test',
  signature,
  ...(signatureHtml ? { signatureHtml } : {}),
});

describe('the signature follows From', () => {
  const work = identity('Ada Lovelace\nAnalytical Engines Ltd');
  const home = identity('Ada', '<p><strong>Ada</strong></p>');

  it('replaces the old signature and keeps every paragraph the user wrote', () => {
    const body =
      '<p>Dear Bob,</p><p></p><p>The <em>plans</em>.</p><p>--</p><p>Ada Lovelace</p><p>Analytical Engines Ltd</p>';
    expect(swapSignature({ html: body, text: '' }, 'rich', work, home)?.html).toBe(
      '<p>Dear Bob,</p><p></p><p>The <em>plans</em>.</p><p>-- </p><p><strong>Ada</strong></p>',
    );
  });

  it('leaves a signature the user edited alone', () => {
    const body = '<p>Hi</p><p>--</p><p>Ada, on holiday</p>';
    expect(swapSignature({ html: body, text: '' }, 'rich', work, home)).toBeNull();
  });

  it('adds a signature to a body that had none, and removes it for a sender without one', () => {
    const none = identity('');
    expect(swapSignature({ html: '<p>Hi</p>', text: '' }, 'rich', none, home)?.html).toBe(
      '<p>Hi</p><p></p><p></p><p>-- </p><p><strong>Ada</strong></p>',
    );
    expect(swapSignature({ html: '', text: 'Hi\n\n-- \nAda' }, 'plain', home, none)?.text).toBe('Hi');
  });

  it('swaps in plain text the same way', () => {
    const text = 'Hi Bob\n\n-- \nAda Lovelace\nAnalytical Engines Ltd';
    expect(swapSignature({ html: '', text }, 'plain', work, home)?.text).toBe('Hi Bob\n\n-- \nAda');
  });
});

describe('send later presets', () => {
  it('offers in an hour, tomorrow 8:00 and the coming Monday 8:00', () => {
    const monday = new Date(2026, 10, 30, 15, 20); // Monday 30 Nov 2026, 15:20 local
    const [hour, tomorrow, nextMonday] = sendLaterPresets(monday);
    expect(hour!.at.getTime() - monday.getTime()).toBe(3_600_000);
    expect(tomorrow!.at).toEqual(new Date(2026, 11, 1, 8, 0));
    expect(nextMonday!.at).toEqual(new Date(2026, 11, 7, 8, 0));
    const friday = new Date(2026, 11, 4, 9, 0);
    expect(sendLaterPresets(friday)[2]!.at).toEqual(new Date(2026, 11, 7, 8, 0));
  });
});
