/**
 * The server form's state, turned into a `ServerDraft` for the contract's `ServerDraftSchema`
 * (the config file's own schema), and that schema's issues turned into the form's fields.
 */
import type { ServerDraft, ServerEntry } from "../../../../app/contract/mcp-channels.js";
import { ServerDraftSchema } from "../../../../app/contract/mcp-channels.js";

export type Transport = "Process" | "Http" | "WebSocket";

/** `value` as a number when it reads as one; otherwise as typed, so the schema names the field. */
export function numberOrText(value: string): number | string {
  return value.trim() === "" || !Number.isFinite(Number(value)) ? value : Number(value);
}

/** One key/value row (env variables, headers). */
export interface KeyValueRow {
  key: string;
  value: string;
}

/** What to do with the saved bearer token: keep it, set a new one, or remove it. */
export type TokenAction = "keep" | "set" | "remove";

/** The form as the user edits it: strings everywhere, as typed. */
export interface ServerForm {
  id: string;
  name: string;
  toolPrefix: string;
  enabled: boolean;
  type: Transport;
  command: string;
  args: string[];
  workDir: string;
  env: KeyValueRow[];
  url: string;
  headers: KeyValueRow[];
  timeout: string;
  token: string;
  /** Whether the saved server has a token ("set") — shown next to the token field. */
  tokenSaved: boolean;
  tokenAction: TokenAction;
  /** Parts of the definition the form does not edit, kept as they were. */
  resources: string[] | undefined;
}

/** The fields an error can sit next to; `form` for anything else. */
export type FieldKey = "id" | "name" | "toolPrefix" | "enabled" | "type" | "command" | "args" | "workDir" | "env" | "url" | "headers" | "timeout" | "token" | "form";

export type FieldErrors = Partial<Record<FieldKey, string>>;

/** An empty form for a new server of `type`. */
export function emptyForm(type: Transport = "Process"): ServerForm {
  return { id: "", name: "", toolPrefix: "", enabled: true, type, command: "", args: [], workDir: "", env: [], url: "", headers: [], timeout: "", token: "", tokenSaved: false, tokenAction: "keep", resources: undefined };
}

const rowsOf = (map: Record<string, string> | undefined): KeyValueRow[] => Object.entries(map ?? {}).map(([key, value]) => ({ key, value }));

/** The form for editing a saved server. */
export function formFromEntry(entry: ServerEntry): ServerForm {
  const definition = entry.definition;
  const form: ServerForm = {
    ...emptyForm(definition.source.type),
    id: definition.id,
    name: definition.name ?? "",
    toolPrefix: definition.tool_prefix ?? "",
    enabled: definition.enabled ?? true,
    tokenSaved: entry.bearerToken === "set",
    resources: definition.resources,
  };
  const source = definition.source;
  if (source.type === "Process") {
    return { ...form, command: source.command, args: [...(source.args ?? [])], workDir: source.work_dir ?? "", env: rowsOf(source.env) };
  }
  return { ...form, url: source.url, headers: rowsOf(source.headers), timeout: source.timeout_secs === undefined ? "" : String(source.timeout_secs) };
}

/** Rows as a map; rows with neither key nor value are left out. */
function mapOf(rows: readonly KeyValueRow[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const row of rows) if (row.key !== "" || row.value !== "") map[row.key] = row.value;
  return map;
}

/** The definition the form describes (unvalidated: `ServerDraftSchema` says what is wrong). */
export function draftFromForm(form: ServerForm): ServerDraft {
  const base = {
    id: form.id.trim(),
    ...(form.name.trim() === "" ? {} : { name: form.name.trim() }),
    enabled: form.enabled,
    ...(form.toolPrefix === "" ? {} : { tool_prefix: form.toolPrefix }),
    ...(form.resources === undefined ? {} : { resources: form.resources }),
  };
  if (form.type === "Process") {
    const env = mapOf(form.env);
    return {
      ...base,
      source: {
        type: "Process",
        command: form.command.trim(),
        args: form.args,
        ...(form.workDir.trim() === "" ? {} : { work_dir: form.workDir.trim() }),
        ...(Object.keys(env).length === 0 ? {} : { env }),
      },
    };
  }
  const headers = mapOf(form.headers);
  const timeout = form.timeout.trim();
  const timeoutValue = timeout === "" ? undefined : numberOrText(timeout);
  return {
    ...base,
    source: {
      type: form.type,
      url: form.url.trim(),
      ...(timeoutValue === undefined ? {} : { timeout_secs: timeoutValue as number }),
      ...(Object.keys(headers).length === 0 ? {} : { headers }),
    },
  };
}

/** The form's field for a zod issue path of a server definition. */
export function fieldOfPath(path: readonly PropertyKey[]): FieldKey {
  const [first, second] = path;
  if (first === "id") return "id";
  if (first === "name") return "name";
  if (first === "tool_prefix") return "toolPrefix";
  if (first === "enabled") return "enabled";
  if (first === "source") {
    switch (second) {
      case "command":
        return "command";
      case "args":
        return "args";
      case "work_dir":
        return "workDir";
      case "env":
        return "env";
      case "url":
        return "url";
      case "headers":
        return "headers";
      case "timeout_secs":
        return "timeout";
      case "type":
        return "type";
      default:
        return "form";
    }
  }
  return "form";
}

/** Each field's first problem, by the config's own rules; empty when the form is valid. */
export function validateForm(form: ServerForm): FieldErrors {
  const errors: FieldErrors = {};
  const result = ServerDraftSchema.safeParse(draftFromForm(form));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = fieldOfPath(issue.path);
      errors[field] ??= issue.message;
    }
  }
  const keyed = (rows: readonly KeyValueRow[]) => rows.some((row) => row.key.trim() === "" && row.value !== "");
  if (form.type === "Process" && keyed(form.env)) errors.env ??= "each value needs a name";
  if (form.type !== "Process" && keyed(form.headers)) errors.headers ??= "each value needs a name";
  return errors;
}

/** The token change to send: a new one, its removal, or nothing. */
export function tokenChange(form: ServerForm): string | null | undefined {
  // Only Http and WebSocket servers send one; the Process form has no token field.
  if (form.type === "Process") return undefined;
  if (form.tokenAction === "remove") return null;
  if (form.tokenAction === "set" && form.token !== "") return form.token;
  return undefined;
}

/**
 * The fields a `config_invalid` message from the core names: it lists its issues as
 * `servers[0].source.url: not a URL`, one a line; anything else stays on the form.
 */
export function errorsOfMessage(message: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const match of message.matchAll(/(?:^|\s)(?:servers\[\d+\]\.)?((?:id|name|tool_prefix|enabled|resources|bearer_token|source)(?:[.[][A-Za-z0-9_\]]*)*): (.+)$/gm)) {
    const path = match[1]!.split(".").flatMap((part) => part.split(/\[|\]/).filter((piece) => piece !== ""));
    errors[fieldOfPath(path)] ??= match[2]!;
  }
  if (Object.keys(errors).length === 0) errors.form = message;
  return errors;
}
