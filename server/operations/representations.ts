/** Storage records → the spec's response schemas. */
import type { components } from "../../generated/openapi.js";
import type { FileRecord, FolderRecord } from "../storage/index.js";

type ApiFile = components["schemas"]["File"];
type ApiFolder = components["schemas"]["Folder"];

/** The spec's `File` for a record; `url` is the absolute download URL under `publicUrl`. */
export function toApiFile(file: FileRecord, publicUrl: string): ApiFile {
  return {
    id: file.id,
    name: file.name,
    size: file.size,
    url: `${publicUrl}/api/v1/files/${encodeURIComponent(file.id)}/download`,
    mimeType: file.mimeType,
    folderId: file.folderId,
    description: file.description,
    tags: file.tags,
    sha256: file.sha256,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
  };
}

/** The spec's `Folder` for a record. */
export function toApiFolder(folder: FolderRecord): ApiFolder {
  return { id: folder.id, name: folder.name, parentId: folder.parentId, createdAt: folder.createdAt };
}
