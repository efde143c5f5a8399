/** What every benchmark module under bench/ exports, so that bench/index.ts can run it. */
export interface BenchmarkModule {
  /** Runs the benchmark; `args` are the command-line words after its name. */
  run(args: string[]): Promise<void>;
}
