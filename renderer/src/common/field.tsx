import { useId, type ReactNode } from 'react';

/** A labelled form control with short help underneath, wired for screen readers. */
export function Field({
  label,
  help,
  children,
}: {
  label: string;
  help?: string;
  children: (id: string, helpId: string | undefined) => ReactNode;
}) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, helpId)}
      {help && (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      )}
    </div>
  );
}
