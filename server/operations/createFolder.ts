import { normalizeName } from "../format/fileName.js";
import type { OperationHandler } from "./types.js";
import { toApiFolder } from "./representations.js";

/** POST /api/v1/folders — a folder at the top level or inside `parentId`. */
export const createFolder: OperationHandler<"createFolder"> = async ({ body, principal, ctx }) => {
  const folder = await ctx.storage.metadata.createFolder(principal.userId, {
    name: normalizeName(body.name),
    parentId: body.parentId ?? null,
  });
  return { status: 201, body: { success: true, folder: toApiFolder(folder) } };
};
