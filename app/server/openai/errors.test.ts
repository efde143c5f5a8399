/**
 * Each factory gives its status, OpenAI's type and a stable code, and the body has
 * OpenAI's error shape with nothing else in it (no stack, no cause).
 */
import { describe, expect, it } from "vitest";
import {
  contextLengthExceeded,
  forbidden,
  invalidRequest,
  modelNotFound,
  notFound,
  OpenAiHttpError,
  payloadTooLarge,
  serverError,
  unauthorized,
} from "./errors.js";

describe("OpenAiHttpError factories", () => {
  it.each([
    [invalidRequest("bad", "messages[0].content", "invalid_type"), 400, "invalid_request_error", "invalid_type", "messages[0].content"],
    [invalidRequest("bad"), 400, "invalid_request_error", null, null],
    [unauthorized("no key"), 401, "authentication_error", "invalid_api_key", null],
    [forbidden("not yours", "tool_not_allowed"), 403, "invalid_request_error", "tool_not_allowed", null],
    [modelNotFound("llama"), 404, "invalid_request_error", "model_not_found", "model"],
    [notFound("/v1/nothing"), 404, "not_found_error", "not_found", null],
    [payloadTooLarge(1024), 413, "invalid_request_error", "request_too_large", null],
    [contextLengthExceeded("too long"), 400, "invalid_request_error", "context_length_exceeded", "messages"],
    [serverError("broke"), 500, "server_error", "server_error", null],
    [serverError("broke", "engine_failed"), 500, "server_error", "engine_failed", null],
  ])("%#: status, type, code and param", (error, status, type, code, param) => {
    expect(error).toBeInstanceOf(OpenAiHttpError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
  });

  it("names the model and the way to list models", () => {
    expect(modelNotFound("qwen3-8b").message).toBe("The model `qwen3-8b` does not exist; GET /v1/models lists the models this server has");
  });

  it("names the path and the size limit", () => {
    expect(notFound("/v1/engines").message).toContain("/v1/engines");
    expect(payloadTooLarge(4_194_304).message).toContain("4194304 bytes");
  });
});

describe("toBody", () => {
  it("is OpenAI's error shape, with exactly its four fields", () => {
    const body = invalidRequest("Invalid 'temperature'", "temperature", "invalid_value").toBody();
    expect(body).toStrictEqual({
      error: { message: "Invalid 'temperature'", type: "invalid_request_error", param: "temperature", code: "invalid_value" },
    });
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });

  it("keeps the cause out of the body", () => {
    const cause = new Error("secret path /home/user/model.gguf");
    const error = new OpenAiHttpError(500, "server_error", cause.message, { code: "server_error", cause });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error.toBody())).not.toContain("stack");
    expect(error.toBody().error).toStrictEqual({ message: cause.message, type: "server_error", param: null, code: "server_error" });
  });
});

