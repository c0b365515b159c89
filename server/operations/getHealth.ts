import type { OperationHandler } from "./types.js";

/** GET /api/v1/health — no key needed. */
export const getHealth: OperationHandler<"getHealth"> = async ({ ctx }) => ({
  status: 200,
  body: { success: true, status: "ok", version: ctx.apiVersion },
});
