/**
 * Checking values on their way into the database. JSON columns: what goes in must come
 * back equal, so values JSON would silently change (undefined, functions, NaN, Dates,
 * Maps, cycles) are refused instead of stored wrong. Records are checked against the
 * contract's schemas, so a bad value is an `invalid_value` naming the field, not a SQLite
 * constraint error.
 */
import type { z } from "zod";
import { StoreError } from "./errors.js";

/** Where the store reads the time: milliseconds since the epoch (`Date.now` unless a test gives another). */
export type Clock = () => number;

/**
 * Throws `invalid_value`, naming `what` and the first field at fault, unless `value` fits
 * `schema`. Callers store the value itself, not the schema's parse of it: parsing drops
 * keys the schema does not name (an MCP content item's `annotations`, say), and what is
 * read back must equal what was written.
 */
export function check(schema: z.ZodType, value: unknown, what: string): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? "" : ` (${issue.path.join(".")})`;
  throw new StoreError("invalid_value", `${what} is not valid${field}: ${issue?.message ?? "invalid"}`);
}

/** A non-negative whole number from an option, or `fallback` when absent; `invalid_value` otherwise. */
export function countOption(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StoreError("invalid_value", `${what} must be a whole number of 0 or more, not ${value}`);
  }
  return value;
}

/**
 * `value` as JSON text. Throws `invalid_value`, naming `what` ("setting \"theme\"") and the
 * offending part, when the value would not read back equal. Object properties that are
 * undefined are left out, as JSON does: reading them back gives undefined all the same.
 */
export function toJson(value: unknown, what: string): string {
  const problem = jsonProblem(value, "value", new Set());
  if (problem !== undefined) throw new StoreError("invalid_value", `${what} cannot be stored as JSON: ${problem}`);
  return JSON.stringify(value);
}

/** `value` as JSON text, or null when it is undefined (an absent optional column). */
export function toOptionalJson(value: unknown, what: string): string | null {
  return value === undefined ? null : toJson(value, what);
}

/** Parses a JSON column written by {@link toJson}. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

function jsonProblem(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}`;
    case "undefined":
    case "function":
    case "symbol":
    case "bigint":
      return `${path} is a ${typeof value}`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return `${path} refers to itself`;
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index++) {
        const problem = jsonProblem(object[index], `${path}[${index}]`, ancestors);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    const prototype = Object.getPrototypeOf(object) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      return `${path} is a ${object.constructor?.name ?? "non-plain object"}, not a plain object`;
    }
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined) continue;
      const problem = jsonProblem(item, `${path}.${key}`, ancestors);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(object);
  }
}
