/** Downloads of model files: resumable HTTP downloads and pulling a model into the catalog. */
export { downloadFile, type DownloadFileOptions, type DownloadFileResult } from "./download-file.js";
export { SpeedMeter, type DownloadProgress, type ProgressListener } from "./progress.js";
export { pullModel, type PullOptions, type PullResult } from "./pull.js";
