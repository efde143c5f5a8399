/** Adding or editing one server: fields per transport, checked as typed, tested, saved. */
import { useId, useMemo, useState, type ReactNode } from "react";
import { useHearth } from "../../store/index.js";
import { ServerTestView } from "./Diagnostics.js";
import { draftFromForm, errorsOfMessage, tokenChange, validateForm, type FieldErrors, type FieldKey, type ServerForm as Form, type Transport } from "./draft.js";
import { KeyValueRows, ListRows } from "./Rows.js";

const TRANSPORTS: Array<{ value: Transport; label: string }> = [
  { value: "Process", label: "Process (stdio)" },
  { value: "Http", label: "HTTP" },
  { value: "WebSocket", label: "WebSocket" },
];

/** A labelled field with its error below it (`field-error`, tied by aria-describedby). */
function Field({ label, field, errors, hint, children }: { label: string; field: FieldKey; errors: FieldErrors; hint?: ReactNode; children(props: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }): ReactNode }) {
  const id = useId();
  const error = errors[field];
  return (
    <div className="servers-field" data-field={field}>
      <label htmlFor={id} className="servers-label">
        {label}
      </label>
      {children({ id, "aria-invalid": error !== undefined, "aria-describedby": error !== undefined ? `${id}-error` : undefined })}
      {hint !== undefined ? <p className="servers-hint muted">{hint}</p> : null}
      {error !== undefined ? (
        <p className="servers-field-error" id={`${id}-error`} data-testid="field-error" data-field={field}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A group of rows (args, env, headers) with its error. */
function RowsField({ label, field, errors, children }: { label: string; field: FieldKey; errors: FieldErrors; children: ReactNode }) {
  const error = errors[field];
  return (
    <fieldset className="servers-field servers-fieldset" data-field={field}>
      <legend className="servers-label">{label}</legend>
      {children}
      {error !== undefined ? (
        <p className="servers-field-error" data-testid="field-error" data-field={field}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function ServerForm({ initial, previousId, onClose }: { initial: Form; previousId: string | undefined; onClose(): void }) {
  const [form, setForm] = useState(initial);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const testResult = useHearth((state) => state.mcpTest);
  const testing = useHearth((state) => state.mcpTesting);
  const testServer = useHearth((state) => state.testServer);
  const clearServerTest = useHearth((state) => state.clearServerTest);
  const saveServer = useHearth((state) => state.saveServer);
  // A new server's empty fields are not shouted at: a field's error shows once it was
  // edited, or all of them once Save or Test was tried.
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set(previousId === undefined ? [] : Object.keys(initial)));
  const [showAll, setShowAll] = useState(false);
  const localErrors = useMemo(() => validateForm(form), [form]);
  const shownErrors = Object.fromEntries(Object.entries(localErrors).filter(([field]) => showAll || touched.has(field) || field === "form")) as FieldErrors;
  const errors: FieldErrors = { ...serverErrors, ...shownErrors };
  const valid = Object.keys(localErrors).length === 0;

  const change = (patch: Partial<Form>) => {
    setForm((old) => ({ ...old, ...patch }));
    setTouched((old) => new Set([...old, ...Object.keys(patch)]));
    setServerErrors({});
    if (testResult !== undefined) clearServerTest();
  };

  const test = () => {
    setShowAll(true);
    if (!valid) return;
    const useSaved = previousId !== undefined && form.tokenSaved && form.tokenAction === "keep" && form.type !== "Process";
    const token = form.type !== "Process" && form.tokenAction === "set" && form.token !== "" ? form.token : undefined;
    void testServer(draftFromForm(form), token, useSaved ? previousId : undefined);
  };

  const save = async () => {
    setSaving(true);
    const result = await saveServer(draftFromForm(form), tokenChange(form), previousId);
    setSaving(false);
    if (result.ok) {
      clearServerTest();
      onClose();
      return;
    }
    setServerErrors(result.code === "config_invalid" ? errorsOfMessage(result.message) : { form: result.message });
  };

  const cancel = () => {
    clearServerTest();
    onClose();
  };

  return (
    <form
      className="servers-form"
      data-testid="server-form"
      aria-labelledby="server-form-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setShowAll(true);
        if (valid && !saving) void save();
      }}
    >
      <h2 id="server-form-title" className="servers-section-title">
        {previousId === undefined ? "Add a server" : `Edit ${previousId}`}
      </h2>

      <div className="servers-grid">
        <Field label="Id" field="id" errors={errors} hint="Unique; used in tool names and approval rules.">
          {(props) => <input {...props} className="input servers-mono" name="id" data-testid="field-id" value={form.id} onChange={(event) => change({ id: event.target.value })} autoFocus />}
        </Field>
        <Field label="Name" field="name" errors={errors} hint="Shown in the app; defaults to the id.">
          {(props) => <input {...props} className="input" name="name" data-testid="field-name" value={form.name} onChange={(event) => change({ name: event.target.value })} />}
        </Field>
        <Field label="Tool prefix" field="toolPrefix" errors={errors} hint="Tools are offered as prefix_tool.">
          {(props) => <input {...props} className="input servers-mono" name="tool_prefix" data-testid="field-tool-prefix" value={form.toolPrefix} onChange={(event) => change({ toolPrefix: event.target.value })} />}
        </Field>
        <Field label="Transport" field="type" errors={errors}>
          {(props) => (
            <select {...props} className="input" name="type" data-testid="field-type" value={form.type} onChange={(event) => change({ type: event.target.value as Transport })}>
              {TRANSPORTS.map((transport) => (
                <option key={transport.value} value={transport.value}>
                  {transport.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label className="switch servers-enabled">
        <input type="checkbox" data-testid="field-enabled" checked={form.enabled} onChange={(event) => change({ enabled: event.target.checked })} />
        Enabled (start it with Hearth)
      </label>

      {form.type === "Process" ? (
        <>
          <Field label="Command" field="command" errors={errors} hint="A program on your PATH (npx, uvx, node) or a full path.">
            {(props) => <input {...props} className="input servers-mono" name="command" data-testid="field-command" value={form.command} onChange={(event) => change({ command: event.target.value })} />}
          </Field>
          <RowsField label="Arguments (one per row)" field="args" errors={errors}>
            <ListRows label="Argument" values={form.args} testId="field-args" onChange={(args) => change({ args })} />
          </RowsField>
          <Field label="Working folder" field="workDir" errors={errors} hint="Optional; defaults to the folder Hearth runs in.">
            {(props) => <input {...props} className="input servers-mono" name="work_dir" data-testid="field-work-dir" value={form.workDir} onChange={(event) => change({ workDir: event.target.value })} />}
          </Field>
          <RowsField label="Environment variables" field="env" errors={errors}>
            <KeyValueRows label="Variable" rows={form.env} testId="field-env" onChange={(env) => change({ env })} />
          </RowsField>
        </>
      ) : (
        <>
          <Field label="URL" field="url" errors={errors} hint={form.type === "Http" ? "http:// or https://" : "ws:// or wss://"}>
            {(props) => <input {...props} className="input servers-mono" name="url" type="url" data-testid="field-url" value={form.url} onChange={(event) => change({ url: event.target.value })} />}
          </Field>
          <RowsField label="Headers" field="headers" errors={errors}>
            <KeyValueRows label="Header" rows={form.headers} testId="field-headers" onChange={(headers) => change({ headers })} />
          </RowsField>
          <TokenField form={form} errors={errors} change={change} />
          <Field label="Timeout (seconds)" field="timeout" errors={errors} hint="Optional; defaults to the global tool timeout.">
            {(props) => <input {...props} className="input servers-narrow" name="timeout_secs" inputMode="decimal" data-testid="field-timeout" value={form.timeout} onChange={(event) => change({ timeout: event.target.value })} />}
          </Field>
        </>
      )}

      {errors.form !== undefined ? (
        <p className="servers-field-error" data-testid="field-error" data-field="form" role="alert">
          {errors.form}
        </p>
      ) : null}

      <div className="servers-actions">
        <button type="button" className="button" data-testid="test-connection" disabled={testing} onClick={test}>
          {testing ? "Testing…" : "Test connection"}
        </button>
        <button type="submit" className="button button-primary" data-testid="save-server" disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" className="button button-quiet" data-testid="cancel-server" onClick={cancel}>
          Cancel
        </button>
        {!valid && showAll ? <span className="servers-field-error">Fix the fields marked above to test or save.</span> : null}
      </div>
      {testResult !== undefined ? <ServerTestView result={testResult} /> : null}
    </form>
  );
}

/** The bearer token: "set"/"not set"; empty keeps it; "Remove" clears it. */
function TokenField({ form, errors, change }: { form: Form; errors: FieldErrors; change(patch: Partial<Form>): void }) {
  const state = form.tokenAction === "remove" ? "will be removed" : form.tokenAction === "set" && form.token !== "" ? "will be replaced" : form.tokenSaved ? "set" : "not set";
  return (
    <Field
      label="Bearer token"
      field="token"
      errors={errors}
      hint={
        <>
          Currently <strong data-testid="token-state">{state}</strong>. Leave empty to keep it; it is never shown again.
        </>
      }
    >
      {(props) => (
        <div className="servers-row-line">
          <input
            {...props}
            className="input servers-mono"
            type="password"
            name="bearer_token"
            autoComplete="off"
            data-testid="field-token"
            value={form.token}
            disabled={form.tokenAction === "remove"}
            onChange={(event) => change({ token: event.target.value, tokenAction: event.target.value === "" ? "keep" : "set" })}
          />
          {form.tokenAction === "remove" ? (
            <button type="button" className="button button-small" onClick={() => change({ tokenAction: "keep" })}>
              Keep it
            </button>
          ) : form.tokenSaved ? (
            <button type="button" className="button button-small" data-testid="remove-token" onClick={() => change({ token: "", tokenAction: "remove" })}>
              Remove
            </button>
          ) : null}
        </div>
      )}
    </Field>
  );
}
