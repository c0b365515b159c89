import { sendFileContent } from "../http/download.js";
import type { OperationHandler } from "./types.js";

/** GET /api/v1/files/{id}/download — the bytes, with ranges and conditional requests. */
export const downloadFile: OperationHandler<"downloadFile"> = async ({ path, principal, ctx, req, res }) => {
  const file = await ctx.storage.metadata.getFile(principal.userId, path.id);
  await sendFileContent(req, res, file, ctx.storage, ctx.usage);
  return { status: "streamed" };
};
