// JSON Schema -> node-llama-cpp's GbnfJsonSchema, and the model's arguments back, on the
// REAL tool schemas of @modelcontextprotocol/server-everything
// (tests/fixtures/everything-tool-schemas.json, its tools/list result) and on handwritten
// schemas for what it lacks (nested objects, anyOf, allOf, $ref, tuples). Every converted
// schema must be one node-llama-cpp accepts: its grammar is built and parses a sample.
import { ChatMLChatWrapper, getLlama, type GbnfJsonSchema, type Llama } from "node-llama-cpp";
import { beforeAll, describe, expect, it } from "vitest";
import everything from "../tests/fixtures/everything-tool-schemas.json" with { type: "json" };
import { restoreArguments, toModelParameters } from "./function-schema.js";
import type { JsonSchema } from "./runner.js";

type Schema = { [key: string]: unknown };

function toolSchema(name: string): JsonSchema {
  const tool = everything.tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`server-everything has no tool ${name}`);
  return tool.inputSchema as JsonSchema;
}

/** The keys each form of node-llama-cpp's GbnfJsonSchema may have (utils/gbnfJson/types.d.ts). */
const FORMS: Array<{ is: (schema: Schema) => boolean; keys: string[] }> = [
  { is: (schema) => "$ref" in schema, keys: ["$ref", "description", "$defs"] },
  { is: (schema) => "oneOf" in schema, keys: ["oneOf", "description", "$defs"] },
  { is: (schema) => "const" in schema, keys: ["const", "description"] },
  { is: (schema) => "enum" in schema, keys: ["enum", "description"] },
  { is: (schema) => schema.type === "object", keys: ["type", "properties", "additionalProperties", "minProperties", "maxProperties", "description", "$defs"] },
  { is: (schema) => schema.type === "array", keys: ["type", "items", "prefixItems", "minItems", "maxItems", "description", "$defs"] },
  { is: (schema) => schema.type === "string" && "format" in schema, keys: ["type", "format", "description"] },
  { is: (schema) => schema.type === "string", keys: ["type", "minLength", "maxLength", "description"] },
  { is: (schema) => typeof schema.type === "string" || Array.isArray(schema.type), keys: ["type", "description"] },
];
const IMMUTABLE = ["string", "number", "integer", "boolean", "null"];

/**
 * Checks that every node is a GbnfJsonSchema form with no other keys (node-llama-cpp reads
 * an unknown node as `null` without an error, so building the grammar alone proves little)
 * and returns a value valid for it: `nulls` picks null wherever the schema allows it.
 */
function sample(schema: unknown, nulls: boolean, defs: Schema = {}): unknown {
  if (typeof schema !== "object" || schema === null) throw new Error(`not a schema: ${JSON.stringify(schema)}`);
  const node = schema as Schema;
  const form = FORMS.find((candidate) => candidate.is(node));
  if (!form) throw new Error(`not a GbnfJsonSchema form: ${JSON.stringify(node)}`);
  const extra = Object.keys(node).filter((key) => !form.keys.includes(key));
  if (extra.length > 0) throw new Error(`keys node-llama-cpp ignores: ${extra.join(", ")} in ${JSON.stringify(node)}`);
  const scope = { ...defs, ...(node.$defs as Schema | undefined) };
  if (typeof node.$ref === "string") return sample(scope[node.$ref.replace("#/$defs/", "")], nulls, scope);
  if (Array.isArray(node.oneOf)) {
    const nullBranch = node.oneOf.find((branch) => (branch as Schema).type === "null");
    return sample(nulls && nullBranch ? nullBranch : node.oneOf[0], nulls, scope);
  }
  if ("const" in node) return node.const;
  if (Array.isArray(node.enum)) return nulls && node.enum.includes(null) ? null : node.enum[0];
  if (node.type === "object") {
    const properties = Object.entries((node.properties as Schema | undefined) ?? {});
    return Object.fromEntries(properties.map(([key, value]) => [key, sample(value, nulls, scope)]));
  }
  if (node.type === "array") {
    const tuple = ((node.prefixItems as unknown[] | undefined) ?? []).map((item) => sample(item, nulls, scope));
    return node.items === undefined ? tuple : [...tuple, sample(node.items, nulls, scope)];
  }
  if (node.type === "string") return "format" in node ? "2025-01-02T03:04:05Z" : "x".repeat(Math.max(1, Number(node.minLength ?? 1)));
  const types = (Array.isArray(node.type) ? node.type : [node.type]) as string[];
  if (!types.every((type) => IMMUTABLE.includes(type))) throw new Error(`unknown type in ${JSON.stringify(node)}`);
  const type = nulls && types.includes("null") ? "null" : types[0];
  return { string: "x", number: 1.5, integer: 2, boolean: true, null: null }[type as "string"];
}

let llama: Llama;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: "never" });
});

/** Builds node-llama-cpp's grammar for the converted schema and has it parse samples (with values, and with every allowed null). */
async function expectAccepted(converted: GbnfJsonSchema): Promise<void> {
  const grammar = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(converted);
  for (const nulls of [false, true]) {
    const value = sample(converted, nulls);
    expect(grammar.parse(JSON.stringify(value))).toEqual(value);
  }
}

describe("toModelParameters on server-everything's tools", () => {
  it("keeps required numbers as they are (get-sum) and drops $schema", () => {
    expect(toModelParameters(toolSchema("get-sum"))).toEqual({
      type: "object",
      properties: { a: { type: "number", description: "First number." }, b: { type: "number", description: "Second number." } },
    });
  });

  it("keeps a required string (echo)", () => {
    expect(toModelParameters(toolSchema("echo"))).toEqual({ type: "object", properties: { message: { type: "string", description: "Message to echo." } } });
  });

  it("keeps an enum and makes an optional boolean with a default nullable (get-annotated-message)", () => {
    const converted = toModelParameters(toolSchema("get-annotated-message")) as Schema;
    expect(converted.properties).toEqual({
      messageType: { enum: ["error", "success", "debug"], description: "Type of message to demonstrate different annotation patterns." },
      includeImage: { type: ["boolean", "null"], description: "Whether to include an example image. Default: false. Optional (null for the default)." },
    });
  });

  it("describes defaults of optional numbers (trigger-long-running-operation)", () => {
    const converted = toModelParameters(toolSchema("trigger-long-running-operation")) as Schema;
    expect(converted.properties).toEqual({
      duration: { type: ["number", "null"], description: "Duration of the operation in seconds. Default: 10. Optional (null for the default)." },
      steps: { type: ["number", "null"], description: "Number of steps in the operation. Default: 5. Optional (null for the default)." },
    });
  });

  it("moves minimum and maximum into the description of an optional number (get-resource-links)", () => {
    const converted = toModelParameters(toolSchema("get-resource-links")) as Schema;
    expect(converted.properties).toEqual({
      count: {
        type: ["number", "null"],
        description: "Number of resource links to return (1-10). Minimum: 1, maximum: 10. Default: 3. Optional (null for the default).",
      },
    });
  });

  it("keeps a required enum of a tool with an output schema (get-structured-content)", () => {
    expect(toModelParameters(toolSchema("get-structured-content"))).toEqual({
      type: "object",
      properties: { location: { enum: ["New York", "Chicago", "Los Angeles"], description: "Choose city." } },
    });
  });

  it("adds null to an optional enum and describes a format the grammar does not enforce (gzip-file-as-resource)", () => {
    const properties = (toModelParameters(toolSchema("gzip-file-as-resource")) as Schema).properties as Schema;
    expect(properties.outputType).toMatchObject({ enum: ["resourceLink", "resource", null] });
    expect(properties.data).toMatchObject({ type: ["string", "null"] });
    expect((properties.data as Schema).description).toContain("Format: uri.");
    expect(properties.data).not.toHaveProperty("format");
  });

  it("gives a tool without arguments an object that takes none (get-env, get-tiny-image)", () => {
    expect(toModelParameters(toolSchema("get-env"))).toEqual({ type: "object", properties: {} });
    expect(toModelParameters(toolSchema("get-tiny-image"))).toEqual({ type: "object", properties: {} });
  });

  it.each(everything.tools.map((tool) => [tool.name, tool.inputSchema] as const))(
    "%s: node-llama-cpp builds the grammar, parses samples and documents the function",
    async (name, inputSchema) => {
      const converted = toModelParameters(inputSchema as JsonSchema);
      await expectAccepted(converted);
      const { contextText } = new ChatMLChatWrapper().generateContextState({
        chatHistory: [{ type: "user", text: "hi" }],
        availableFunctions: { [name]: { description: "test", params: converted } },
      });
      expect(contextText.toString()).toContain(`function ${name}(params: {`);
    },
  );
});

/** A schema with what server-everything's tools lack: nested objects, anyOf, allOf, $ref, tuples, free-form values. */
const SEARCH_SCHEMA: JsonSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    query: { type: "string", minLength: 1, pattern: "^[a-z ]+$", description: "What to look for" },
    filter: {
      type: "object",
      properties: {
        kind: { type: "string", enum: ["file", "folder"] },
        limit: { type: "integer", minimum: 1, default: 10 },
        tags: { type: "array", items: { type: "string" }, uniqueItems: true },
        owner: { $ref: "#/definitions/person" },
      },
      required: ["kind"],
      additionalProperties: false,
    },
    target: {
      anyOf: [
        { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
        { type: "object", properties: { url: { type: "string", format: "uri" }, depth: { type: "number" } }, required: ["url"] },
      ],
    },
    since: { type: "string", format: "date-time" },
    extra: {},
    labels: { type: "object", additionalProperties: { type: "string" } },
    point: { type: "array", items: [{ type: "number" }, { type: "number" }], additionalItems: false },
    mode: { const: "fast" },
    score: { type: ["number", "null"] },
    merged: { allOf: [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, { properties: { b: { type: "boolean" } } }] },
    either: { oneOf: [{ type: "string" }, { type: "integer" }], description: "A name or an id" },
    nullableName: { type: "string", nullable: true },
  },
  required: ["query", "target", "mode", "point", "merged"],
  definitions: { person: { type: "object", properties: { name: { type: "string" }, email: { type: "string", format: "email" } }, required: ["name"] } },
};

describe("toModelParameters on the rest of JSON Schema", () => {
  const converted = toModelParameters(SEARCH_SCHEMA) as Schema;
  const properties = converted.properties as Schema;

  it("keeps minLength, describes pattern", () => {
    expect(properties.query).toEqual({ type: "string", minLength: 1, description: 'What to look for. Pattern: "^[a-z ]+$".' });
  });

  it("converts a nested object: its optional properties nullable, the object itself optional", () => {
    expect(properties.filter).toEqual({
      oneOf: [
        {
          type: "object",
          properties: {
            kind: { enum: ["file", "folder"] },
            limit: { type: ["integer", "null"], description: "Minimum: 1. Default: 10. Optional (null for the default)." },
            tags: { oneOf: [{ type: "array", items: { type: "string" } }, { type: "null" }], description: "Items unique. Optional (null leaves it out)." },
            owner: { oneOf: [{ $ref: "#/$defs/person" }, { type: "null" }], description: "Optional (null leaves it out)." },
          },
        },
        { type: "null" },
      ],
      description: "Optional (null leaves it out).",
    });
  });

  it("turns anyOf into oneOf, each branch converted", () => {
    expect(properties.target).toEqual({
      oneOf: [
        { type: "object", properties: { path: { type: "string" } } },
        {
          type: "object",
          properties: {
            url: { type: "string", description: "Format: uri." },
            depth: { type: ["number", "null"], description: "Optional (null leaves it out)." },
          },
        },
      ],
    });
  });

  it("moves definitions to $defs and keeps the reference", () => {
    expect(converted.$defs).toEqual({
      person: {
        type: "object",
        properties: { name: { type: "string" }, email: { type: ["string", "null"], description: "Format: email. Optional (null leaves it out)." } },
      },
    });
  });

  it("keeps the formats the grammar enforces", () => {
    expect(properties.since).toEqual({ oneOf: [{ type: "string", format: "date-time" }, { type: "null" }], description: "Optional (null leaves it out)." });
  });

  it("reads a schema without a shape as any value, and an object without properties as a map", () => {
    expect(JSON.stringify(properties.extra)).toContain('{"type":"object","additionalProperties":true}');
    expect(properties.labels).toMatchObject({ oneOf: [{ type: "object", properties: {}, additionalProperties: { type: "string" } }, { type: "null" }] });
  });

  it("turns a draft-07 tuple into prefixItems with no more items", () => {
    expect(properties.point).toEqual({ type: "array", prefixItems: [{ type: "number" }, { type: "number" }], maxItems: 2 });
  });

  it("keeps const, type arrays, oneOf; merges allOf; reads OpenAPI's nullable", () => {
    expect(properties.mode).toEqual({ const: "fast" });
    expect(properties.score).toEqual({ type: ["number", "null"], description: "Optional (null leaves it out)." });
    expect(properties.merged).toEqual({
      type: "object",
      properties: { a: { type: "string" }, b: { type: ["boolean", "null"], description: "Optional (null leaves it out)." } },
    });
    expect(properties.either).toEqual({ oneOf: [{ type: "string" }, { type: "integer" }, { type: "null" }], description: "A name or an id. Optional (null leaves it out)." });
    expect(properties.nullableName).toEqual({ type: ["string", "null"], description: "Optional (null leaves it out)." });
  });

  it("has a check that refuses what node-llama-cpp would silently read as null", () => {
    expect(() => sample({ type: "object", properties: { a: { anyOf: [{ type: "string" }] } } }, false)).toThrow(/not a GbnfJsonSchema form/);
    expect(() => sample({ type: "string", pattern: "a+" }, false)).toThrow(/keys node-llama-cpp ignores: pattern/);
  });

  it("is accepted by node-llama-cpp", async () => {
    await expectAccepted(converted as GbnfJsonSchema);
  });

  it("keeps a recursive $defs reference and follows local pointers", async () => {
    const tree: JsonSchema = {
      type: "object",
      properties: { root: { $ref: "#/$defs/node" }, copy: { $ref: "#/properties/root" } },
      required: ["root", "copy"],
      $defs: { node: { type: "object", properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } }, required: ["value", "children"] } },
    };
    const result = toModelParameters(tree) as Schema;
    expect(result.properties).toEqual({ root: { $ref: "#/$defs/node" }, copy: { $ref: "#/$defs/node" } });
    expect(result.$defs).toEqual({
      node: { type: "object", properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" } } } },
    });
    const grammar = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(result as GbnfJsonSchema);
    const value = { root: { value: "a", children: [{ value: "b", children: [] }] }, copy: { value: "c", children: [] } };
    expect(grammar.parse(JSON.stringify(value))).toEqual(value);
  });

  it("reads pydantic's Optional (anyOf with null, a title, a null default) as one nullable value", async () => {
    const pydantic: JsonSchema = {
      title: "get_forecastArguments",
      type: "object",
      properties: {
        city: { title: "City", type: "string" },
        days: { anyOf: [{ type: "integer" }, { type: "null" }], default: null, title: "Days" },
        unit: { $ref: "#/$defs/Unit", default: "celsius" },
      },
      required: ["city"],
      $defs: { Unit: { enum: ["celsius", "fahrenheit"], title: "Unit", type: "string" } },
    };
    const result = toModelParameters(pydantic) as Schema;
    expect(result.properties).toEqual({
      city: { type: "string" },
      days: { oneOf: [{ type: "integer" }, { type: "null" }], description: "Default: null. Optional (null for the default)." },
      unit: { oneOf: [{ $ref: "#/$defs/Unit" }, { type: "null" }], description: 'Default: "celsius". Optional (null for the default).' },
    });
    expect(result.$defs).toEqual({ Unit: { enum: ["celsius", "fahrenheit"] } });
    await expectAccepted(result as GbnfJsonSchema);
    expect(restoreArguments({ city: "Oslo", days: null, unit: "celsius" }, pydantic)).toEqual({ city: "Oslo", unit: "celsius" });
  });

  it("keeps constraint-only alternatives out of the shape", () => {
    const oneRequired: JsonSchema = { type: "object", properties: { id: { type: "string" }, name: { type: "string" } }, anyOf: [{ required: ["id"] }, { required: ["name"] }] };
    expect(toModelParameters(oneRequired)).toEqual({
      type: "object",
      properties: {
        id: { type: ["string", "null"], description: "Optional (null leaves it out)." },
        name: { type: ["string", "null"], description: "Optional (null leaves it out)." },
      },
    });
  });
});

describe("restoreArguments", () => {
  it("drops the nulls the model chose for optional properties of server-everything's tools", () => {
    expect(restoreArguments({ messageType: "error", includeImage: null }, toolSchema("get-annotated-message"))).toEqual({ messageType: "error" });
    expect(restoreArguments({ duration: null, steps: 3 }, toolSchema("trigger-long-running-operation"))).toEqual({ steps: 3 });
    expect(restoreArguments({ count: null }, toolSchema("get-resource-links"))).toEqual({});
    expect(restoreArguments({ a: 1, b: 2 }, toolSchema("get-sum"))).toEqual({ a: 1, b: 2 });
  });

  it("keeps a null for a required property", () => {
    const schema: JsonSchema = { type: "object", properties: { value: { type: ["string", "null"] } }, required: ["value"] };
    expect(restoreArguments({ value: null }, schema)).toEqual({ value: null });
  });

  it("recurses into nested objects, $ref, anyOf branches, allOf and arrays", () => {
    const args = {
      query: "cats",
      filter: { kind: "file", limit: null, tags: null, owner: { name: "Ann", email: null } },
      target: { url: "https://example.com", depth: null },
      since: null,
      extra: null,
      labels: null,
      point: [1, 2],
      mode: "fast",
      score: null,
      merged: { a: "x", b: null },
      either: null,
      nullableName: null,
    };
    expect(restoreArguments(args, SEARCH_SCHEMA)).toEqual({
      query: "cats",
      filter: { kind: "file", owner: { name: "Ann" } },
      target: { url: "https://example.com" },
      point: [1, 2],
      mode: "fast",
      merged: { a: "x" },
    });
    const list: JsonSchema = {
      type: "object",
      properties: { items: { type: "array", items: { type: "object", properties: { id: { type: "number" }, note: { type: "string" } }, required: ["id"] } } },
      required: ["items"],
    };
    expect(restoreArguments({ items: [{ id: 1, note: null }, { id: 2, note: "b" }] }, list)).toEqual({ items: [{ id: 1 }, { id: 2, note: "b" }] });
  });

  it("picks the anyOf branch whose properties the object has", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        shape: {
          anyOf: [
            { type: "object", properties: { radius: { type: "number" }, label: { type: "string" } }, required: ["radius"] },
            { type: "object", properties: { width: { type: "number" }, label: { type: "string" } }, required: ["width", "label"] },
          ],
        },
      },
      required: ["shape"],
    };
    expect(restoreArguments({ shape: { radius: 1, label: null } }, schema)).toEqual({ shape: { radius: 1 } });
    expect(restoreArguments({ shape: { width: 1, label: null } }, schema)).toEqual({ shape: { width: 1, label: null } });
  });

  it("returns an object for anything that is not one", () => {
    expect(restoreArguments(undefined, toolSchema("get-env"))).toEqual({});
    expect(restoreArguments([1], toolSchema("get-env"))).toEqual({});
  });
});
