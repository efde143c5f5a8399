/**
 * JSON Schema of function parameters (as MCP tools and OpenAI functions write them) to
 * the subset node-llama-cpp's grammar accepts (its `GbnfJsonSchema`), and the model's
 * arguments back to what the function expects.
 *
 * node-llama-cpp forces every property of an object (`required` is ignored, see the
 * `GbnfJsonObjectSchema` docs), knows `oneOf` but not `anyOf`/`allOf`, and reads a schema
 * it does not recognise as `null`. So: an optional property becomes nullable and the
 * model's `null` for it is dropped again by {@link restoreArguments}; `anyOf` becomes
 * `oneOf`; `allOf` is merged; a keyword the grammar cannot enforce is dropped, and said in
 * the description where the model should know it (minimum, pattern, default…).
 */
import type { GbnfJsonSchema } from "node-llama-cpp";
import type { JsonSchema } from "./runner.js";

type Schema = { [key: string]: unknown };
type Literal = string | number | boolean | null;

const IMMUTABLE_TYPES = new Set(["string", "number", "integer", "boolean", "null"]);
/** String formats the grammar enforces itself; others go to the description. */
const GRAMMAR_FORMATS = new Set(["date-time", "date", "time"]);
/** Keywords that only constrain, listed in the description as hints for the model. */
const HINT_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "pattern"] as const;
/** Keywords that give a schema its shape; a schema without any accepts any value. */
const SHAPE_KEYWORDS = ["type", "properties", "additionalProperties", "items", "prefixItems", "enum", "const", "$ref", "anyOf", "oneOf", "allOf"];
/** Keywords of a schema with alternatives that every alternative inherits. */
const STRUCTURE_KEYWORDS = new Set(["type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength", "format"]);
/** Depth past which a schema is taken as "any value" (guards against cycles through `$ref`). */
const MAX_DEPTH = 64;

/** Any JSON value, in the subset the grammar accepts. */
const ANY_VALUE: GbnfJsonSchema = {
  oneOf: [{ type: ["string", "number", "boolean", "null"] }, { type: "array" }, { type: "object", additionalProperties: true }],
};

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);
const isLiteral = (value: unknown): value is Literal =>
  value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));

interface Conversion {
  root: Schema;
  /** Converted `$defs`/`definitions` of the root, by name (referenced as `#/$defs/<name>`). */
  defs: Record<string, GbnfJsonSchema>;
}

/**
 * Converts a function's parameters schema (an object schema) to node-llama-cpp's
 * `GbnfJsonSchema`. Rules:
 * - a property not in `required` becomes nullable (`type: [T, "null"]`, `enum` plus
 *   `null`, or `oneOf` with `{type: "null"}`) and its description says so, with its
 *   `default` if it has one;
 * - `anyOf`/`oneOf` become `oneOf`; `allOf` is merged into one schema; `type` arrays
 *   with `object`/`array` become `oneOf`; OpenAPI's `nullable: true` adds `null`;
 * - `$ref` to `#/$defs/…` or `#/definitions/…` of the root stays a reference (to root
 *   `$defs`); any other local pointer is inlined; cycles and remote refs accept any value;
 * - kept as the grammar enforces them: `enum`, `const`, `minLength`/`maxLength`,
 *   `minItems`/`maxItems`, `items`/`prefixItems` (draft-07 tuple `items` too), string
 *   `format` date-time/date/time;
 * - described, not enforced: minimum, maximum, exclusive bounds, multipleOf, pattern,
 *   other formats, uniqueItems, `default`;
 * - dropped: `$schema`, `$id`, `title`, `examples`, `not`, `if`/`then`/`else`, `required`
 *   (all properties are forced), and the rest;
 * - an object with declared properties accepts no others (node-llama-cpp's default)
 *   unless `additionalProperties` is a schema; one without declared properties accepts any;
 * - a schema without a shape (`{}`, `true`) accepts any JSON value.
 */
export function toModelParameters(schema: JsonSchema): GbnfJsonSchema {
  const conversion: Conversion = { root: schema, defs: {} };
  const shaped = schema.type === undefined && !("properties" in schema) ? schema : { type: "object", ...schema };
  const converted = convert(shaped, conversion, 0);
  if (Object.keys(conversion.defs).length === 0) return converted;
  return { ...(converted as Schema), $defs: conversion.defs } as GbnfJsonSchema;
}

function convert(input: unknown, conversion: Conversion, depth: number): GbnfJsonSchema {
  if (!isSchema(input) || depth > MAX_DEPTH) return input === false ? { type: "null" } : ANY_VALUE;
  const schema = input.allOf === undefined ? input : mergeAllOf(input);
  const description = describe(schema);
  const converted = convertShape(schema, conversion, depth);
  const nullable = schema.nullable === true ? makeNullable(converted) : converted;
  return description === undefined ? nullable : ({ ...(nullable as Schema), description } as GbnfJsonSchema);
}

function convertShape(schema: Schema, conversion: Conversion, depth: number): GbnfJsonSchema {
  if (typeof schema.$ref === "string") return convertRef(schema.$ref, conversion, depth);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) {
    const shared = structureOf(schema);
    // `{type: "object", properties…, anyOf: [{required: ["a"]}, {required: ["b"]}]}` only
    // constrains: keep the shape, drop the alternatives.
    if (alternatives.every((branch) => isSchema(branch) && !hasShape(branch)) && hasShape(shared)) {
      return convertShape(shared, conversion, depth);
    }
    return oneOf(alternatives.map((branch) => convert(withShared(branch, shared), conversion, depth + 1)));
  }
  if (schema.const !== undefined) return isLiteral(schema.const) ? { const: schema.const } : ANY_VALUE;
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter(isLiteral);
    if (values.length > 0) return { enum: values };
  }
  const type = schema.type ?? impliedType(schema);
  if (Array.isArray(type)) {
    const types = type.filter((name): name is string => typeof name === "string");
    if (types.every((name) => IMMUTABLE_TYPES.has(name)) && types.length > 0) return { type: types as ("string" | "null")[] };
    return oneOf(types.map((name) => convertShape({ ...schema, type: name }, conversion, depth + 1)));
  }
  switch (type) {
    case "string":
      return convertString(schema);
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return { type: type as "number" | "integer" | "boolean" | "null" };
    case "object":
      return convertObject(schema, conversion, depth);
    case "array":
      return convertArray(schema, conversion, depth);
    default:
      return ANY_VALUE;
  }
}

function convertRef(ref: string, conversion: Conversion, depth: number): GbnfJsonSchema {
  const named = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  if (named) {
    const [, folder = "", name = ""] = named;
    const target = (conversion.root[folder] as Schema | undefined)?.[name];
    if (!isSchema(target)) return ANY_VALUE;
    if (!(name in conversion.defs)) {
      conversion.defs[name] = ANY_VALUE; // placeholder while converting, so a recursive ref ends
      conversion.defs[name] = convert(target, conversion, depth + 1);
    }
    return { $ref: `#/$defs/${name}` } as GbnfJsonSchema;
  }
  const target = resolvePointer(conversion.root, ref);
  return target === undefined ? ANY_VALUE : convert(target, conversion, depth + 1);
}

function convertString(schema: Schema): GbnfJsonSchema {
  if (typeof schema.format === "string" && GRAMMAR_FORMATS.has(schema.format)) {
    return { type: "string", format: schema.format as "date-time" | "date" | "time" };
  }
  const result: { type: "string"; minLength?: number; maxLength?: number } = { type: "string" };
  if (typeof schema.minLength === "number" && schema.minLength > 0) result.minLength = schema.minLength;
  if (typeof schema.maxLength === "number" && schema.maxLength >= 0) result.maxLength = schema.maxLength;
  return result;
}

function convertObject(schema: Schema, conversion: Conversion, depth: number): GbnfJsonSchema {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const declared = isSchema(schema.properties) ? schema.properties : undefined;
  const properties: Record<string, GbnfJsonSchema> = {};
  for (const [key, propertySchema] of Object.entries(declared ?? {})) {
    const converted = convert(propertySchema, conversion, depth + 1);
    properties[key] = required.has(key) ? converted : optional(converted, isSchema(propertySchema) ? propertySchema.default : undefined);
  }
  const extra = schema.additionalProperties;
  const additionalProperties: GbnfJsonSchema | boolean =
    isSchema(extra) && hasShape(extra) ? convert(extra, conversion, depth + 1) : declared === undefined && extra !== false;
  if (additionalProperties === false) return { type: "object", properties };
  const result: Schema = { type: "object", properties, additionalProperties };
  if (typeof schema.minProperties === "number") result.minProperties = schema.minProperties;
  if (typeof schema.maxProperties === "number") result.maxProperties = schema.maxProperties;
  return result as GbnfJsonSchema;
}

function convertArray(schema: Schema, conversion: Conversion, depth: number): GbnfJsonSchema {
  const result: Schema = { type: "array" };
  const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  if (tuple) result.prefixItems = tuple.map((item) => convert(item, conversion, depth + 1));
  const items = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
  if (items !== undefined && !(isSchema(items) && !hasShape(items))) {
    result.items = items === false ? undefined : convert(items, conversion, depth + 1);
    if (items === false) result.maxItems = tuple?.length ?? 0;
  }
  if (typeof schema.minItems === "number") result.minItems = schema.minItems;
  if (typeof schema.maxItems === "number") result.maxItems = schema.maxItems;
  if (result.items === undefined) delete result.items;
  return result as GbnfJsonSchema;
}

/** The property is optional: null stands for "left out", and the description says so. */
function optional(schema: GbnfJsonSchema, defaultValue: unknown): GbnfJsonSchema {
  const note = defaultValue === undefined ? "Optional (null leaves it out)" : "Optional (null for the default)";
  const { description = "" } = schema as { description?: string };
  return { ...(makeNullable(schema) as Schema), description: joinSentences([description, note]) } as GbnfJsonSchema;
}

function makeNullable(schema: GbnfJsonSchema): GbnfJsonSchema {
  const { description: _description, ...shape } = schema as Schema;
  const keys = Object.keys(shape);
  if (Array.isArray(shape.type) || (keys.length === 1 && typeof shape.type === "string" && IMMUTABLE_TYPES.has(shape.type))) {
    const types = Array.isArray(shape.type) ? shape.type : [shape.type];
    return { ...schema, type: types.includes("null") ? types : [...types, "null"] } as GbnfJsonSchema;
  }
  if (Array.isArray(shape.enum)) return { ...schema, enum: shape.enum.includes(null) ? shape.enum : [...shape.enum, null] } as GbnfJsonSchema;
  if (shape.const !== undefined) {
    const { const: value, ...others } = schema as Schema;
    return value === null ? schema : ({ ...others, enum: [value, null] } as GbnfJsonSchema);
  }
  if (Array.isArray(shape.oneOf) && !shape.$defs) {
    const nullable = shape.oneOf.some((branch) => isSchema(branch) && (branch.type === "null" || (Array.isArray(branch.type) && branch.type.includes("null"))));
    return nullable ? schema : ({ ...schema, oneOf: [...shape.oneOf, { type: "null" }] } as GbnfJsonSchema);
  }
  return { oneOf: [shape as GbnfJsonSchema, { type: "null" }] } as GbnfJsonSchema;
}

function oneOf(branches: GbnfJsonSchema[]): GbnfJsonSchema {
  const flat = branches.flatMap((branch) => {
    const { oneOf: inner, ...rest } = branch as Schema;
    return Array.isArray(inner) && Object.keys(rest).length === 0 ? (inner as GbnfJsonSchema[]) : [branch];
  });
  const unique = flat.filter((branch, index) => flat.findIndex((other) => JSON.stringify(other) === JSON.stringify(branch)) === index);
  return unique.length === 1 ? unique[0]! : { oneOf: unique };
}

/** The description the model reads: the schema's own, then what the grammar does not enforce, then the default. */
function describe(schema: Schema): string | undefined {
  const hints: string[] = HINT_KEYWORDS.filter((key) => schema[key] !== undefined).map((key) => `${key}: ${JSON.stringify(schema[key])}`);
  if (typeof schema.format === "string" && !GRAMMAR_FORMATS.has(schema.format)) hints.push(`format: ${schema.format}`);
  if (schema.uniqueItems === true) hints.push("items unique");
  const sentences = [typeof schema.description === "string" ? schema.description : "", hints.join(", ")];
  if (schema.default !== undefined) sentences.push(`Default: ${JSON.stringify(schema.default)}`);
  return joinSentences(sentences);
}

/** Joins non-empty texts as sentences: "Count. Minimum: 1. Default: 3." */
function joinSentences(texts: readonly string[]): string | undefined {
  const sentences = texts
    .map((text) => text.trim())
    .filter((text) => text !== "")
    .map((text) => `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?:;]$/.test(text) ? "" : "."}`);
  return sentences.length === 0 ? undefined : sentences.join(" ");
}

function impliedType(schema: Schema): string | undefined {
  if (isSchema(schema.properties) || schema.additionalProperties !== undefined) return "object";
  if (schema.items !== undefined || schema.prefixItems !== undefined) return "array";
  return undefined;
}

const hasShape = (schema: Schema): boolean => SHAPE_KEYWORDS.some((key) => key in schema);

/** The keywords of a schema with `anyOf`/`oneOf` that its branches share (not its description, default…). */
function structureOf(schema: Schema): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => STRUCTURE_KEYWORDS.has(key)));
}

/** A branch of `anyOf`/`oneOf` with the keywords its parent shares merged in (the branch's win). */
function withShared(branch: unknown, shared: Schema): unknown {
  if (!isSchema(branch) || Object.keys(shared).length === 0) return branch;
  return mergeAllOf({ ...branch, allOf: [shared] });
}

function mergeAllOf(schema: Schema): Schema {
  const { allOf, ...rest } = schema;
  let merged: Schema = rest;
  for (const part of Array.isArray(allOf) ? allOf : []) {
    if (!isSchema(part)) continue;
    const inner = part.allOf === undefined ? part : mergeAllOf(part);
    merged = {
      ...inner,
      ...merged,
      properties: { ...(isSchema(inner.properties) ? inner.properties : {}), ...(isSchema(merged.properties) ? merged.properties : {}) },
      required: [...(Array.isArray(inner.required) ? inner.required : []), ...(Array.isArray(merged.required) ? merged.required : [])],
    };
  }
  if (Object.keys(merged.properties as Schema).length === 0 && !isSchema(rest.properties)) delete merged.properties;
  return merged;
}

/** Resolves a local JSON pointer (`#/properties/a/items`) against the root schema. */
function resolvePointer(root: Schema, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let target: unknown = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    target = isSchema(target) || Array.isArray(target) ? (target as Schema)[key] : undefined;
  }
  return target;
}

/**
 * The model's arguments as the function expects them: a `null` the model chose for an
 * optional property (one not in `required`) is dropped, recursively through nested
 * objects, arrays, `$ref`, `allOf` and the `anyOf`/`oneOf` branch the object matches (the
 * one whose properties are the object's keys, as the grammar forces them all). `schema` is
 * the original schema, not the converted one. Everything else is kept as it is.
 */
export function restoreArguments(args: unknown, schema: JsonSchema): Record<string, unknown> {
  const restored = restore(args, schema, schema, 0);
  return isSchema(restored) ? restored : {};
}

function restore(value: unknown, input: unknown, root: Schema, depth: number): unknown {
  const schema = resolved(input, root, depth);
  if (schema === undefined) return value;
  if (Array.isArray(value)) {
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    return value.map((item, index) => restore(item, index < tuple.length ? tuple[index] : rest, root, depth + 1));
  }
  if (!isSchema(value)) return value;
  const objectSchema = matchingObjectSchema(value, schema, root, depth);
  if (objectSchema === undefined) return value;
  const properties = isSchema(objectSchema.properties) ? objectSchema.properties : {};
  const required = new Set(Array.isArray(objectSchema.required) ? objectSchema.required : []);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const declared = Object.hasOwn(properties, key);
    if (item === null && declared && !required.has(key)) continue;
    result[key] = restore(item, declared ? properties[key] : objectSchema.additionalProperties, root, depth + 1);
  }
  return result;
}

/** The schema with `$ref` followed and `allOf` merged; undefined past the depth limit or for a non-schema. */
function resolved(input: unknown, root: Schema, depth: number): Schema | undefined {
  let schema = input;
  for (let hops = 0; isSchema(schema) && typeof schema.$ref === "string"; hops++) {
    if (hops > MAX_DEPTH) return undefined;
    schema = resolvePointer(root, schema.$ref);
  }
  if (!isSchema(schema) || depth > MAX_DEPTH) return undefined;
  return schema.allOf === undefined ? schema : mergeAllOf(schema);
}

/** The object schema (the schema itself, or one of its alternatives) that `value` was generated for. */
function matchingObjectSchema(value: Schema, schema: Schema, root: Schema, depth: number): Schema | undefined {
  const candidates = objectCandidates(schema, root, depth);
  const keys = Object.keys(value);
  const propertyKeys = (candidate: Schema) => Object.keys(isSchema(candidate.properties) ? candidate.properties : {});
  return (
    candidates.find((candidate) => propertyKeys(candidate).length === keys.length && keys.every((key) => propertyKeys(candidate).includes(key))) ??
    candidates.find((candidate) => keys.every((key) => propertyKeys(candidate).includes(key))) ??
    candidates[0]
  );
}

function objectCandidates(schema: Schema, root: Schema, depth: number): Schema[] {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(alternatives)) return isSchema(schema.properties) ? [schema] : [];
  const shared = structureOf(schema);
  return alternatives.flatMap((branch) => {
    const candidate = resolved(withShared(resolved(branch, root, depth + 1), shared), root, depth + 1);
    return candidate === undefined ? [] : objectCandidates(candidate, root, depth + 1);
  });
}
