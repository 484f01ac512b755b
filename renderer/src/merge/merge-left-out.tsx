import { useId } from 'react';
import type { MergeSkippedRow } from '../../../shared/domain/mail-merge';
import './merge-left-out.css';

/** Rows left out of a merge, each with its spreadsheet row number and why: never silently dropped. */
export function MergeLeftOut({
  skipped,
  headingLevel = 3,
}: {
  skipped: MergeSkippedRow[];
  headingLevel?: 3 | 4;
}) {
  const headingId = useId();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <section className="merge-left-out" aria-labelledby={headingId}>
      <Heading id={headingId}>
        {skipped.length === 0
          ? 'No rows left out'
          : `${skipped.length} row${skipped.length === 1 ? '' : 's'} left out`}
      </Heading>
      {skipped.length === 0 ? (
        <p>Every row has an address and a value for each placeholder.</p>
      ) : (
        <>
          <p>These rows are not sent. Fix them in the list and send to it again.</p>
          <ul className="merge-skipped" aria-label="Rows left out">
            {skipped.map((s) => (
              <li key={s.row} data-row={s.row}>
                <span className="merge-row-number">Row {s.row}</span>
                <span>{s.detail.replace(/^Row \d+:\s*/, '')}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
