/** Editable lists of the server form: one value a row (args), or name/value rows (env, headers). */
import type { KeyValueRow } from "./draft.js";

/** One text field a row, with add and remove buttons. */
export function ListRows({ label, values, onChange, testId }: { label: string; values: string[]; onChange(values: string[]): void; testId: string }) {
  return (
    <div className="servers-rows" data-testid={testId}>
      {values.map((value, index) => (
        <div className="servers-row-line" key={index}>
          <input className="input servers-mono" aria-label={`${label} ${index + 1}`} value={value} onChange={(event) => onChange(values.map((old, position) => (position === index ? event.target.value : old)))} />
          <button type="button" className="button button-small button-quiet" aria-label={`Remove ${label.toLowerCase()} ${index + 1}`} onClick={() => onChange(values.filter((_, position) => position !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button button-small servers-add-row" onClick={() => onChange([...values, ""])}>
        Add {label.toLowerCase()}
      </button>
    </div>
  );
}

/** Name/value rows; `secret` shows values as password fields. */
export function KeyValueRows({ label, rows, onChange, testId, secret = false }: { label: string; rows: KeyValueRow[]; onChange(rows: KeyValueRow[]): void; testId: string; secret?: boolean }) {
  const update = (index: number, change: Partial<KeyValueRow>) => onChange(rows.map((row, position) => (position === index ? { ...row, ...change } : row)));
  return (
    <div className="servers-rows" data-testid={testId}>
      {rows.map((row, index) => (
        <div className="servers-row-line" key={index}>
          <input className="input servers-mono" aria-label={`${label} ${index + 1} name`} placeholder="NAME" value={row.key} onChange={(event) => update(index, { key: event.target.value })} />
          <input className="input servers-mono" type={secret ? "password" : "text"} aria-label={`${label} ${index + 1} value`} placeholder="value" value={row.value} onChange={(event) => update(index, { value: event.target.value })} />
          <button type="button" className="button button-small button-quiet" aria-label={`Remove ${label.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((_, position) => position !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button button-small servers-add-row" onClick={() => onChange([...rows, { key: "", value: "" }])}>
        Add {label.toLowerCase()}
      </button>
    </div>
  );
}
