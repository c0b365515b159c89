import { ApiError } from "../http/apiError.js";
import type { FileCursor, FileRecord } from "../storage/index.js";
import type { OperationHandler } from "./types.js";
import { toApiFile } from "./representations.js";

/** `nextCursor` for the page ending with `last`: base64url of `createdAt|id`. */
export function encodeCursor(last: Pick<FileRecord, "createdAt" | "id">): string {
  return Buffer.from(`${last.createdAt}|${last.id}`, "utf8").toString("base64url");
}

/**
 * The position a `cursor` names; 400 for anything that is not one of ours (its date and id are
 * then checked by storage, `assertCursor`, like any keyset position).
 */
export function decodeCursor(cursor: string): FileCursor {
  const [createdAt, id, extra] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (extra !== undefined || createdAt === undefined || id === undefined || encodeCursor({ createdAt, id }) !== cursor) {
    throw new ApiError("bad_request", "request/query/cursor is not a cursor this server issued");
  }
  return { createdAt, id };
}

/** GET /api/v1/files — a page of the caller's files, newest first, by offset or by cursor. */
export const listFiles: OperationHandler<"listFiles"> = async ({ query, principal, ctx, req }) => {
  // The validator fills in offset's default (0): ask the query string whether it was sent.
  if (query.cursor !== undefined && new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1)).has("offset")) {
    throw new ApiError("bad_request", "Send either cursor or offset, not both");
  }
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const page = await ctx.storage.metadata.listFiles(principal.userId, {
    ...(query.folderId !== undefined && { folderId: query.folderId }),
    limit,
    offset,
    ...(after && { after }),
  });
  const last = page.files.at(-1);
  return {
    status: 200,
    body: {
      success: true,
      files: page.files.map((f) => toApiFile(f, ctx.config.publicUrl)),
      pagination: { total: page.total, limit, offset, nextCursor: page.hasMore && last ? encodeCursor(last) : null },
    },
  };
};
