/** Outbox and sent history (filled in by the outbox work). */
export function OutboxView() {
  return (
    <section aria-labelledby="outbox-heading" className="panel">
      <h2 id="outbox-heading">Outbox</h2>
      <p>Nothing waiting to be sent.</p>
    </section>
  );
}
