import type { OperationHandler } from "./types.js";

/** GET /api/v1/health — no key needed; 500 when the metadata store does not answer. */
export const getHealth: OperationHandler<"getHealth"> = async ({ ctx }) => {
  await ctx.storage.metadata.ping();
  return { status: 200, body: { success: true, status: "ok", version: ctx.apiVersion } };
};
