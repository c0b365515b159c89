import type { OperationHandler } from "./types.js";

/**
 * DELETE /api/v1/files/{id} — the row (and its counters) go first, then the blob; a crash in
 * between leaves an orphan blob that the start-up sweep removes.
 */
export const deleteFile: OperationHandler<"deleteFile"> = async ({ path, principal, ctx, req }) => {
  const file = await ctx.storage.metadata.deleteFile(principal.userId, path.id);
  await ctx.storage.blobs.delete(file.blobKey).catch((err: unknown) => {
    req.log?.warn({ err, blobKey: file.blobKey }, "blob left for the sweep");
  });
  return { status: 200, body: { success: true } };
};
