/**
 * `aethercdn/client` — the typed client for the AetherCDN API (browser-safe entry).
 * In Node, the `node` export condition resolves to `./node.ts`, which adds file paths and Node
 * streams as upload sources and `downloadFileToPath`.
 */
export { createAetherClient } from "./core.js";
export type {
  AetherClient,
  AetherClientOptions,
  AetherHelpers,
  Download,
  DownloadOptions,
  IterateFilesOptions,
  RequestHeaders,
  RequestOptions,
  TransferProgress,
  UploadFileInput,
} from "./core.js";
export { AetherApiError, AetherNetworkError } from "./errors.js";
export type { RetryOptions } from "./retry.js";
export type * from "./types.js";
