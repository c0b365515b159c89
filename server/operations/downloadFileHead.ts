import { sendFileContent } from "../http/download.js";
import type { OperationHandler } from "./types.js";

/** HEAD /api/v1/files/{id}/download — the download's headers without the body. */
export const downloadFileHead: OperationHandler<"downloadFileHead"> = async ({ path, principal, ctx, req, res }) => {
  const file = await ctx.storage.metadata.getFile(principal.userId, path.id);
  await sendFileContent(req, res, file, ctx.storage, ctx.usage);
  return { status: "streamed" };
};
