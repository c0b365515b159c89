/**
 * The contract's types, generated from openapi.yaml (`aethercdn/types`), with friendly aliases.
 */
import type { components, operations, paths } from "../generated/openapi.js";

export type { components, operations, paths };

/** A stored file (`components.schemas.File`). */
export type AetherFile = components["schemas"]["File"];
/** A folder (`components.schemas.Folder`). */
export type AetherFolder = components["schemas"]["Folder"];
/** Account statistics (`components.schemas.Stats`). */
export type UserStats = components["schemas"]["Stats"];
/** Pagination of `listFiles` (`components.schemas.Pagination`). */
export type Pagination = components["schemas"]["Pagination"];
/** Every error code the API can answer with (`components.schemas.ErrorCode`). */
export type ErrorCode = components["schemas"]["ErrorCode"];
/** The error envelope (`components.schemas.Error`). */
export type ErrorEnvelope = components["schemas"]["Error"];
/** Body of `updateFile` (`components.schemas.FileUpdate`). */
export type FileUpdate = components["schemas"]["FileUpdate"];
/** Body of `createFolder` (`components.schemas.FolderCreate`). */
export type FolderCreate = components["schemas"]["FolderCreate"];
/** Query of `listFiles`. */
export type ListFilesQuery = NonNullable<operations["listFiles"]["parameters"]["query"]>;
