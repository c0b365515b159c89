import type { OperationHandler } from "./types.js";

/** DELETE /api/v1/folders/{id} — only an empty folder (else 409 `conflict`). */
export const deleteFolder: OperationHandler<"deleteFolder"> = async ({ path, principal, ctx }) => {
  await ctx.storage.metadata.deleteFolder(principal.userId, path.id);
  return { status: 200, body: { success: true } };
};
