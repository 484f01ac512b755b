import type { AccountSummary } from '../../../shared/domain/account';

/** The accounts list (deepened by the accounts work: edit, default, remove, identities, signatures). */
export function AccountsView({ accounts, onAdd }: { accounts: AccountSummary[]; onAdd: () => void }) {
  return (
    <section aria-labelledby="accounts-heading" className="panel">
      <h2 id="accounts-heading">Accounts</h2>
      <ul className="plain-list">
        {accounts.map((account) => (
          <li key={account.id}>
            <strong>{account.label}</strong> — {account.smtp.host}:{account.smtp.port}
          </li>
        ))}
      </ul>
      <button type="button" onClick={onAdd}>
        Add account
      </button>
    </section>
  );
}
