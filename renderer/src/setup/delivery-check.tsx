import { useEffect, useState } from 'react';
import {
  DELIVERY_STATUS_LABELS,
  type DeliveryCheck,
  type DeliveryStatus,
  type DeliveryVerdict,
} from '../../../shared/domain/delivery-check';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';
import './delivery-check.css';

const KIND_LABELS: Record<DeliveryVerdict['kind'], string> = {
  spf: 'SPF',
  dmarc: 'DMARC',
};

const KIND_HELP: Record<DeliveryVerdict['kind'], string> = {
  spf: 'which servers may send for the domain',
  dmarc: 'what receivers do with mail that fails',
};

const ICON: Record<DeliveryStatus, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };

/** The worst status first: that is the one the summary line speaks of. */
const SEVERITY: DeliveryStatus[] = ['fail', 'warn', 'unknown', 'pass'];

type State =
  | { key: string; phase: 'done'; check: DeliveryCheck }
  | { key: string; phase: 'failed'; error: MailroomError };

/** Runs the check for this From address and server, again whenever either changes; null while it runs. */
export function useDeliveryCheck(from: string, smtpHost: string, smtpPort?: number): State | null {
  const key = JSON.stringify([from, smtpHost, smtpPort]);
  const [state, setState] = useState<State | null>(null);
  useEffect(() => {
    if (!from || !smtpHost) return;
    let live = true;
    void mailroom()
      .checkDelivery({ from, smtpHost, ...(smtpPort ? { smtpPort } : {}) })
      .then((result) => {
        if (!live) return;
        setState(
          result.ok
            ? { key, phase: 'done', check: result.value }
            : { key, phase: 'failed', error: result.error },
        );
      });
    return () => {
      live = false;
    };
  }, [key, from, smtpHost, smtpPort]);
  // A result for other values says nothing about these.
  return state && state.key === key ? state : null;
}

interface Props {
  from: string;
  smtpHost: string;
  smtpPort?: number | undefined;
  /** The heading level where it is shown: 3 in the wizard, 5 under an identity in Accounts. */
  level?: 3 | 4 | 5;
  /** Accounts: one summary line that opens to the verdicts. */
  compact?: boolean;
}

/**
 * "Will it arrive?": the From domain's SPF and DMARC, read for mail through this server, each with
 * what receivers will do and the fix. Advice only: nothing here stops saving or sending.
 */
export function DeliveryCheckSection({ from, smtpHost, smtpPort, level = 3, compact = false }: Props) {
  const state = useDeliveryCheck(from, smtpHost, smtpPort);
  const Heading = `h${level}` as const;
  const domain = from.slice(from.lastIndexOf('@') + 1);

  return (
    <section
      className={`delivery-check${compact ? ' delivery-check-compact' : ''}`}
      aria-label={`Delivery check for ${from}`}
      aria-busy={state ? undefined : true}
      data-delivery-check={state?.phase ?? 'checking'}
    >
      <Heading className="delivery-check-heading">Delivery check</Heading>
      {!state && (
        <p className="delivery-check-lead" role="status">
          <span className="delivery-spinner" aria-hidden="true" />
          Reading {domain}’s SPF and DMARC records…
        </p>
      )}
      {state?.phase === 'failed' && (
        <p className="delivery-check-lead" role="status">
          The delivery check did not run: {state.error.message}
        </p>
      )}
      {state?.phase === 'done' &&
        (compact ? <CompactResult check={state.check} /> : <FullResult check={state.check} />)}
    </section>
  );
}

function worstOf(check: DeliveryCheck): DeliveryStatus {
  return SEVERITY.find((s) => check.checks.some((c) => c.status === s)) ?? 'pass';
}

function leadFor(check: DeliveryCheck, worst: DeliveryStatus): string {
  const through = check.provider ?? check.smtpHost;
  switch (worst) {
    case 'pass':
      return `Mail from ${check.from} sent through ${through} passes ${check.domain}’s SPF and DMARC checks.`;
    case 'warn':
      return `Mail from ${check.from} sent through ${through} may land in spam.`;
    case 'fail':
      return `Mail from ${check.from} sent through ${through} is likely to be rejected or put in spam.`;
    default:
      return `Mailroom could not tell whether mail from ${check.from} sent through ${through} will arrive.`;
  }
}

function FullResult({ check }: { check: DeliveryCheck }) {
  const worst = worstOf(check);
  return (
    <>
      <p className={`delivery-check-lead delivery-lead-${worst}`}>{leadFor(check, worst)}</p>
      <ul className="delivery-verdicts">
        {check.checks.map((verdict) => (
          <Verdict key={verdict.kind} verdict={verdict} />
        ))}
      </ul>
      <p className="delivery-check-footnote">
        {check.note ? `${check.note} ` : ''}This is advice: it never stops you saving or sending.
      </p>
    </>
  );
}

function CompactResult({ check }: { check: DeliveryCheck }) {
  const worst = worstOf(check);
  return (
    <details className="delivery-check-details" open={worst === 'fail' || worst === 'warn'}>
      <summary>
        <span className="delivery-chips">
          {check.checks.map((v) => (
            <span key={v.kind} className={`delivery-chip delivery-${v.status}`}>
              <span aria-hidden="true">{ICON[v.status]}</span> {KIND_LABELS[v.kind]}:{' '}
              {DELIVERY_STATUS_LABELS[v.status].toLowerCase()}
            </span>
          ))}
        </span>
      </summary>
      <FullResult check={check} />
    </details>
  );
}

function Verdict({ verdict }: { verdict: DeliveryVerdict }) {
  return (
    <li
      className={`delivery-verdict delivery-${verdict.status}`}
      data-kind={verdict.kind}
      data-status={verdict.status}
    >
      <span className="delivery-icon" aria-hidden="true">
        {ICON[verdict.status]}
      </span>
      <div className="delivery-verdict-body">
        <p className="delivery-verdict-title">
          <strong>{KIND_LABELS[verdict.kind]}</strong>
          <span className="delivery-kind-help"> · {KIND_HELP[verdict.kind]}</span>
          <span className="delivery-status-text">{DELIVERY_STATUS_LABELS[verdict.status]}</span>
        </p>
        <p className="delivery-words">{verdict.words}</p>
        {verdict.hint && (
          <p className="delivery-fix">
            <strong>Fix:</strong> {verdict.hint}
          </p>
        )}
        {verdict.record && (
          <p className="delivery-record">
            <span className="visually-hidden">Published record: </span>
            <code>{verdict.record}</code>
          </p>
        )}
      </div>
    </li>
  );
}
