/**
 * Picks and loads llama.cpp's compute backend: a GPU one (CUDA, Vulkan, Metal) when asked
 * for and working, else the CPU, with the reason. It only uses binaries already installed
 * (node-llama-cpp's prebuilt packages): llama.cpp is never built or downloaded at run
 * time, because an app must not start a compiler or reach the network to open a model.
 */
import { getLlama, getLlamaGpuTypes, type Llama, type LlamaOptions } from "node-llama-cpp";
import { ModelError } from "../errors.js";

/** Which GPU backend to use: `"auto"` picks the best that works (CUDA, then Vulkan; Metal on Apple silicon); `false` uses the CPU only. */
export type GpuSetting = "auto" | "cuda" | "vulkan" | "metal" | false;

/** The backend llama.cpp runs on. */
export type Backend = "cuda" | "vulkan" | "metal" | "cpu";

/** A loaded backend and, when it is the CPU, why. */
export interface LoadedBackend {
  llama: Llama;
  /** Why the CPU is in use (a sentence for people); `undefined` when a GPU backend is. */
  cpuReason: string | undefined;
}

/** How to load a backend. */
export interface BackendOptions {
  /** Most CPU threads llama.cpp may use (node-llama-cpp's `maxThreads`). */
  threads: number;
  /** Receives llama.cpp's log lines; left out, node-llama-cpp prints warnings and errors to the console. */
  onLog?: (level: string, message: string) => void;
}

const GPU_NAMES = { cuda: "CUDA", vulkan: "Vulkan", metal: "Metal" } as const;

/**
 * Loads the backend for `gpu`. A GPU backend that fails to load (no driver, no binary for
 * it) falls back to the CPU, and `cpuReason` says so.
 *
 * @throws ModelError `no_backend` when not even the CPU binary loads.
 */
export async function loadBackend(gpu: GpuSetting, options: BackendOptions): Promise<LoadedBackend> {
  const common: LlamaOptions = {
    build: "never",
    skipDownload: true,
    progressLogs: false,
    maxThreads: options.threads,
    ...(options.onLog ? { logger: options.onLog } : {}),
  };
  if (gpu === false) return { llama: await loadCpu(common), cpuReason: "the GPU is turned off in the settings (gpu: false)" };
  if (gpu === "metal" && process.platform !== "darwin") {
    // node-llama-cpp quietly turns "metal" into "auto" elsewhere; asking for Metal means Metal.
    return { llama: await loadCpu(common), cpuReason: "Metal is only available on macOS; using the CPU" };
  }

  if (gpu === "auto") {
    // "auto" tries each GPU backend it detects, then the CPU, all inside node-llama-cpp.
    const llama = await getLlama({ ...common, gpu: "auto" }).catch((error: unknown) => {
      throw noBackend(error);
    });
    return { llama, cpuReason: llama.gpu === false ? await explainAutoCpu() : undefined };
  }

  const name = GPU_NAMES[gpu];
  let llama: Llama;
  try {
    llama = await getLlama({ ...common, gpu });
  } catch (error) {
    return { llama: await loadCpu(common), cpuReason: `the ${name} backend failed to load (${describe(error)}); using the CPU` };
  }
  if (llama.gpu === gpu) return { llama, cpuReason: undefined };
  // node-llama-cpp resolves a GPU type that is invalid on this platform to "auto"; honour the request instead.
  await llama.dispose();
  return { llama: await loadCpu(common), cpuReason: `${name} is not available on this platform; using the CPU` };
}

/** The backend name of a loaded Llama. */
export function backendOf(llama: Llama): Backend {
  return llama.gpu === false ? "cpu" : llama.gpu;
}

async function loadCpu(common: LlamaOptions): Promise<Llama> {
  try {
    return await getLlama({ ...common, gpu: false });
  } catch (error) {
    throw noBackend(error);
  }
}

function noBackend(error: unknown): ModelError {
  return new ModelError(
    "no_backend",
    `No llama.cpp binary could be loaded for ${process.platform}-${process.arch} (${describe(error)}); ` +
      "reinstall node-llama-cpp with its prebuilt binaries (llama.cpp is never built at run time)",
    { cause: error },
  );
}

async function explainAutoCpu(): Promise<string> {
  const detected = (await getLlamaGpuTypes("supported")).filter((type) => type !== false);
  if (detected.length === 0) {
    const possible = (await getLlamaGpuTypes("allValid")).filter((type) => type !== false).map((type) => GPU_NAMES[type]);
    return `no GPU that llama.cpp can use was found${possible.length > 0 ? ` (looked for ${possible.join(", ")})` : ""}; using the CPU`;
  }
  return `the ${detected.map((type) => GPU_NAMES[type]).join(" and ")} backend failed to load (see the log); using the CPU`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // NoBinaryFoundError's message is only its own name, which tells a user nothing.
  return error.message && error.message !== error.name ? `${error.name}: ${error.message}` : `${error.name}: no working binary or driver`;
}
