import { ApiError } from "../http/apiError.js";
import type { OperationHandler } from "./types.js";

/** Turns a failed ping into a 500 naming the store (the cause is logged, never shown). */
function check(what: string, ping: Promise<void>): Promise<void> {
  return ping.catch((cause: unknown) => {
    throw new ApiError("server_error", `The ${what} does not answer`, {}, { cause });
  });
}

/**
 * GET /api/v1/health — no key needed; 500 naming the store when the metadata store or the blob
 * store does not answer. Both are asked on every call, so health recovers as soon as they do.
 */
export const getHealth: OperationHandler<"getHealth"> = async ({ ctx }) => {
  await Promise.all([check("metadata store", ctx.storage.metadata.ping()), check("file store", ctx.storage.blobs.ping())]);
  return { status: 200, body: { success: true, status: "ok", version: ctx.apiVersion } };
};
