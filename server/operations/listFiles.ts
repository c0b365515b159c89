import type { OperationHandler } from "./types.js";
import { toApiFile } from "./representations.js";

/** GET /api/v1/files — a page of the caller's files, newest first. */
export const listFiles: OperationHandler<"listFiles"> = async ({ query, principal, ctx }) => {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const page = await ctx.storage.metadata.listFiles(principal.userId, {
    ...(query.folderId !== undefined && { folderId: query.folderId }),
    limit,
    offset,
  });
  return {
    status: 200,
    body: {
      success: true,
      files: page.files.map((f) => toApiFile(f, ctx.config.publicUrl)),
      pagination: { total: page.total, limit, offset },
    },
  };
};
