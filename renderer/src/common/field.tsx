import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

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

type TextInputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'aria-describedby'
>;

/** The common case of Field: a single-line text input whose value is a string. */
export function TextField({
  label,
  help,
  value,
  onChange,
  ...input
}: { label: string; help?: string; value: string; onChange: (value: string) => void } & TextInputProps) {
  return (
    <Field label={label} {...(help !== undefined ? { help } : {})}>
      {(id, helpId) => (
        <input
          {...input}
          id={id}
          aria-describedby={helpId}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
