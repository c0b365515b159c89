import type { OperationHandler } from "./types.js";
import { toApiFolder } from "./representations.js";

/** GET /api/v1/folders — every folder of the caller, by name. */
export const listFolders: OperationHandler<"listFolders"> = async ({ principal, ctx }) => {
  const folders = await ctx.storage.metadata.listFolders(principal.userId);
  return { status: 200, body: { success: true, folders: folders.map(toApiFolder) } };
};
