/**
 * The channels of the models page (issue 7): the local models with their size,
 * quantisation and context; loading one with GPU layers and context size (progress and
 * the backend in `model.statusChanged`); downloads from the recommended list or an `hf:`
 * URI with progress, cancel and resume; delete; the remote provider, whose API key goes
 * in and never comes out ("set" / "not set").
 */
import { z } from "zod";

const Id = z.string().min(1);
const Empty = z.object({}).strict();

/** A GGUF file of the models folder. */
export const LocalModelSchema = z.object({
  /** The `models.list` id: `local:<fileName>`. */
  id: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  /** `ready`: its header was read; `unreadable`: `error` says why. */
  status: z.enum(["ready", "unreadable"]),
  architecture: z.string().optional(),
  /** The file's type as llama.cpp names it: `Q4_K_M`, `Q8_0`, `F16`… */
  quantization: z.string().optional(),
  /** The context it was trained for, in tokens. */
  contextLength: z.number().optional(),
  parameters: z.number().optional(),
  error: z.string().optional(),
  loaded: z.boolean(),
});
export type LocalModel = z.infer<typeof LocalModelSchema>;

/** A download that stopped before its end; pulling the same URI again resumes it. */
export const PartialDownloadSchema = z.object({ fileName: z.string(), bytes: z.number() });

/** A model Hearth recommends, downloadable by its URI. */
export const RecommendedModelSchema = z.object({
  uri: z.string(),
  name: z.string(),
  description: z.string().optional(),
  sizeBytes: z.number().optional(),
});

/** One download's progress, sent as `models.downloadUpdated`. */
export const DownloadStateSchema = z.object({
  downloadId: z.string(),
  uri: z.string(),
  /** The file it becomes, once known. */
  fileName: z.string().optional(),
  state: z.enum(["running", "done", "cancelled", "error"]),
  bytes: z.number(),
  totalBytes: z.number().optional(),
  error: z.string().optional(),
});
export type DownloadState = z.infer<typeof DownloadStateSchema>;

/** The remote OpenAI-compatible provider as the page shows it. */
export const RemoteProviderViewSchema = z.object({
  baseUrl: z.string().optional(),
  model: z.string().optional(),
  apiKey: z.enum(["set", "not set"]),
});

const GpuLayers = z.union([z.literal("auto"), z.literal("max"), z.number().int().min(0).max(10_000)]);
const ContextSize = z.union([z.literal("auto"), z.number().int().min(256).max(1_048_576)]);
const HttpUrl = z.string().url().refine((url) => /^https?:\/\//.test(url), "must start with http:// or https://");

export const modelsInvokeChannels = {
  "models.listLocal": { input: Empty, output: z.object({ folder: z.string(), models: z.array(LocalModelSchema), partial: z.array(PartialDownloadSchema) }) },
  /** Loads a model now (unloading the one in memory when no turn uses it); progress and the backend arrive as `model.statusChanged`. */
  "models.load": { input: z.object({ modelId: Id, gpuLayers: GpuLayers.optional(), contextSize: ContextSize.optional() }).strict(), output: z.object({ started: z.boolean() }) },
  "models.unload": { input: Empty, output: z.object({ unloaded: z.boolean() }) },
  "models.recommended": { input: Empty, output: z.array(RecommendedModelSchema) },
  /** Starts (or resumes) a download of an `hf:` URI or https URL; progress arrives as `models.downloadUpdated`. */
  "models.download": { input: z.object({ uri: z.string().min(1).max(2_000) }).strict(), output: z.object({ downloadId: z.string() }) },
  "models.cancelDownload": { input: z.object({ downloadId: Id }).strict(), output: z.object({ cancelled: z.boolean() }) },
  "models.listDownloads": { input: Empty, output: z.array(DownloadStateSchema) },
  /** Deletes a model file (refused with `busy` while it is loaded). */
  "models.delete": { input: z.object({ fileName: Id }).strict(), output: z.object({ deleted: z.boolean() }) },
  "models.getRemote": { input: Empty, output: RemoteProviderViewSchema },
  /** Sets the remote provider (`apiKey`: a new key, `null` to remove it, absent to keep it); `remove: true` forgets the provider. */
  "models.setRemote": {
    input: z.union([z.object({ baseUrl: HttpUrl, model: z.string().min(1).max(200), apiKey: z.string().min(1).max(10_000).nullable().optional() }).strict(), z.object({ remove: z.literal(true) }).strict()]),
    output: RemoteProviderViewSchema,
  },
  /** Asks the server for its models with these settings; `ok: false` says why (unreachable, 401…). */
  "models.testRemote": {
    input: z.object({ baseUrl: HttpUrl, model: z.string().min(1).max(200), apiKey: z.string().max(10_000).optional(), useSavedKey: z.boolean().optional() }).strict(),
    output: z.object({ ok: z.boolean(), models: z.array(z.string()).optional(), error: z.string().optional() }),
  },
} as const;

export const modelsEventChannels = {
  "models.downloadUpdated": DownloadStateSchema,
} as const;
