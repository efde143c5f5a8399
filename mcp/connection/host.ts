/**
 * What the host application lends to servers: roots, sampling and elicitation. The
 * client declares a capability only when the host supplies its callback, so servers see
 * an honest capability list (MCP 2025-06-18, Lifecycle: capability negotiation).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type ElicitRequest,
  type ElicitResult,
  type Root,
} from "@modelcontextprotocol/sdk/types.js";

/** Context handed to every host callback. */
export interface HostRequestContext {
  serverId: string;
  /** Aborts when the server cancels the request or the connection closes. */
  signal: AbortSignal;
}

/** Callbacks the host supplies; each one it leaves out is a capability not declared. */
export interface HostCallbacks {
  /** Folders or files the servers may work within (`roots/list`). */
  roots?: (context: HostRequestContext) => Root[] | Promise<Root[]>;
  /** Lets a server ask the host's model for a completion (`sampling/createMessage`). */
  sampling?: (params: CreateMessageRequest["params"], context: HostRequestContext) => Promise<CreateMessageResult>;
  /**
   * Lets a server ask the user for input (`elicitation/create`). Form defaults from the
   * requested schema are applied by the SDK to the accepted content (SEP-1034).
   */
  elicitation?: (params: ElicitRequest["params"], context: HostRequestContext) => Promise<ElicitResult>;
}

/** The capabilities to declare for `host`. */
export function clientCapabilities(host: HostCallbacks): ClientCapabilities {
  const capabilities: ClientCapabilities = {};
  if (host.roots) capabilities.roots = { listChanged: true };
  if (host.sampling) capabilities.sampling = {};
  // The form shape with applyDefaults is what SDK 1.32 and the conformance suite expect.
  if (host.elicitation) capabilities.elicitation = { form: { applyDefaults: true } };
  return capabilities;
}

/** Installs the request handlers for the callbacks `host` supplies. */
export function installHostHandlers(client: Client, host: HostCallbacks, serverId: string): void {
  const { roots, sampling, elicitation } = host;
  if (roots) {
    client.setRequestHandler(ListRootsRequestSchema, async (_request, extra) => ({
      roots: await roots({ serverId, signal: extra.signal }),
    }));
  }
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) =>
      sampling(request.params, { serverId, signal: extra.signal }),
    );
  }
  if (elicitation) {
    client.setRequestHandler(ElicitRequestSchema, (request, extra) =>
      elicitation(request.params, { serverId, signal: extra.signal }),
    );
  }
}
