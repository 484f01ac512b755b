import { useEffect, useState, type FormEvent } from 'react';
import type { AccountSummary } from '../../../shared/domain/account';
import type { AccountSendingLimits, SendingLimits } from '../../../shared/domain/mail-merge';
import { MAX_PER_DAY, MAX_PER_MINUTE } from '../../../shared/domain/sending-limit-bounds';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import { ErrorNotice } from '../common/error-notice';
import { TextField } from '../common/field';
import { LimitsSourceLink } from '../merge/limits-source-link';
import { limitSource, limitWords } from '../merge/merge-pace-text';
import { useAccountAction } from './use-account-action';

const asField = (n: number | null | undefined) => (n == null ? '' : String(n));

/** '' is no limit; anything else must be a whole number of at least 1. */
function parseLimit(value: string, max: number): number | null | 'invalid' {
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (!/^\d+$/.test(trimmed)) return 'invalid';
  const n = Number(trimmed);
  return n >= 1 && n <= max ? n : 'invalid';
}

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** What the per-minute limit being typed means for a list: its spacing, or an example until it is a number. */
function perMinuteHelp(value: string): string {
  const n = parseLimit(value, MAX_PER_MINUTE);
  const spacing =
    typeof n !== 'number'
      ? '20 a minute is one every 3 seconds'
      : n === 60
        ? '60 a minute is one a second'
        : n < 60
          ? `${n} a minute is one every ${decimal.format(60 / n)} seconds`
          : `${n} a minute is ${decimal.format(n / 60)} a second`;
  return `Spread evenly: ${spacing}. Empty: no limit.`;
}

/**
 * How fast a mail merge from this account may go: the provider's published limit (with its page)
 * when the server is a known provider, and the user's own limits for their own server, which win.
 */
export function SendingLimitsForm({ account, onClose }: { account: AccountSummary; onClose: () => void }) {
  const [limits, setLimits] = useState<AccountSendingLimits | null>(null);
  const [loadError, setLoadError] = useState<MailroomError | null>(null);
  const [perMinute, setPerMinute] = useState('');
  const [perDay, setPerDay] = useState('');
  const [problem, setProblem] = useState('');
  const [saved, setSaved] = useState(false);
  const save = useAccountAction();

  useEffect(() => {
    let current = true;
    void mailroom()
      .getSendingLimits({ accountId: account.id })
      .then((result) => {
        if (!current) return;
        if (!result.ok) return setLoadError(result.error);
        setLimits(result.value);
        setPerMinute(asField(result.value.own?.perMinute));
        setPerDay(asField(result.value.own?.perDay));
      });
    return () => {
      current = false;
    };
  }, [account.id]);

  async function store(next: SendingLimits | null) {
    setSaved(false);
    await save.run(
      () => mailroom().setSendingLimits({ accountId: account.id, limits: next }),
      (value) => {
        setLimits(value);
        setPerMinute(asField(value.own?.perMinute));
        setPerDay(asField(value.own?.perDay));
        setSaved(true);
      },
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const minute = parseLimit(perMinute, MAX_PER_MINUTE);
    const day = parseLimit(perDay, MAX_PER_DAY);
    if (minute === 'invalid' || day === 'invalid') {
      setProblem('Enter whole numbers of at least 1, or leave a field empty for no limit.');
      return;
    }
    setProblem('');
    void store(minute === null && day === null ? null : { perMinute: minute, perDay: day });
  }

  const provider = limits?.provider ?? null;
  const effective = limits?.effective;
  const effectiveWords = effective ? limitWords(effective) : null;

  return (
    <form onSubmit={submit} aria-label={`Sending limits of ${account.label}`} noValidate>
      <fieldset className="sending-limits">
        <legend>Sending limits</legend>
        {loadError && <ErrorNotice error={loadError} title="The limits could not be read" />}
        {!limits && !loadError && <p role="status">Reading the limits…</p>}
        {limits && (
          <>
            <p>
              Messages sent to a list from this account go at most{' '}
              <strong>{effectiveWords ?? 'as fast as the server takes them (no limit known)'}</strong>
              {effective?.source === 'account' ? ', as you set below.' : '.'}
            </p>
            {provider ? (
              <p className="field-help-block">
                {limitSource(provider)}. <LimitsSourceLink limits={provider} />
                {limits.own && ' Your own limits below apply instead.'}
              </p>
            ) : (
              <p className="field-help-block">
                {account.smtp.host} is not a provider Mailroom knows the limits of. If your server or your
                plan has a limit, enter it so that a list never goes over it.
              </p>
            )}
            <TextField
              label="Messages a minute"
              help={perMinuteHelp(perMinute)}
              inputMode="numeric"
              value={perMinute}
              onChange={setPerMinute}
            />
            <TextField
              label="Messages a day"
              help="Counted over any 24 hours, with every message from this account. Empty: no limit."
              inputMode="numeric"
              value={perDay}
              onChange={setPerDay}
            />
            {problem && (
              <p className="form-problem" role="alert">
                {problem}
              </p>
            )}
            {save.error && <ErrorNotice error={save.error} title="The limits were not saved" />}
            <div className="actions" aria-live="polite">
              {saved && <span role="status">Limits saved.</span>}
              {limits.own && (
                <button type="button" disabled={save.busy} onClick={() => void store(null)}>
                  {provider ? `Use ${provider.providerName ?? 'the provider'}’s limits` : 'Remove my limits'}
                </button>
              )}
              <button type="button" onClick={onClose}>
                Close
              </button>
              <button type="submit" className="primary" disabled={save.busy}>
                {save.busy ? 'Saving…' : 'Save limits'}
              </button>
            </div>
          </>
        )}
      </fieldset>
    </form>
  );
}
