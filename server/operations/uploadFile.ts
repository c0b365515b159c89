import { detectMimeType } from "../format/mimeType.js";
import { sanitizeFileName } from "../format/fileName.js";
import { parseTags } from "../format/tags.js";
import { ApiError } from "../http/apiError.js";
import { commitUpload, storedParts } from "../http/uploadStorage.js";
import type { OperationHandler } from "./types.js";
import { toApiFile } from "./representations.js";

interface UploadFields {
  folderId?: string;
  description?: string;
  tags?: string;
}

/**
 * POST /api/v1/files/upload — by the time this runs the `file` part is already durable in the
 * blob store (streamed by `uploadStorage.ts`); this commits the row. Any throw here leaves the
 * blob to `discardUploads`.
 */
export const uploadFile: OperationHandler<"uploadFile"> = async ({ req, principal, ctx }) => {
  const parts = storedParts(req);
  const part = parts.find((p) => p.fieldname === "file");
  if (!part) throw new ApiError("bad_request", 'The form must carry the file in a part named "file"');
  if (parts.length > 1) throw new ApiError("bad_request", "Send exactly one file per upload");
  const fields = req.body as UploadFields;
  const name = sanitizeFileName(part.originalname);
  const record = await ctx.storage.metadata.createFile({
    userId: principal.userId,
    folderId: fields.folderId ?? null,
    name,
    size: part.size,
    mimeType: detectMimeType(part.mimetype, name),
    description: fields.description ?? null,
    tags: parseTags(fields.tags),
    sha256: part.sha256,
    blobKey: part.blobKey,
  });
  commitUpload(req, part);
  return { status: 201, body: { success: true, file: toApiFile(record, ctx.config.publicUrl) } };
};
