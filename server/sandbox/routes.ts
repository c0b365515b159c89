/**
 * The sandbox's own routes, outside `/api` and outside the contract: `POST /__sandbox/reset`
 * restores the seeded state and answers what was seeded. Anything else under `/__sandbox/` is
 * the usual 404 (405 with `Allow: POST` for another method on the reset).
 */
import express, { type Request, type Response } from "express";
import { ApiError } from "../http/apiError.js";
import type { TenantSummary } from "./seed.js";

/** The path of the reset. */
export const RESET_PATH = "/__sandbox/reset";

/** The router (for `AppExtensions.routes`). */
export function sandboxRoutes(reset: () => Promise<TenantSummary[]>): express.Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.post(RESET_PATH, async (_req: Request, res: Response) => {
    const tenants = await reset();
    res.setHeader("Cache-Control", "no-store");
    res.status(200).json({ success: true, tenants });
  });
  router.all(RESET_PATH, (req: Request) => {
    throw new ApiError("method_not_allowed", `${req.method} is not allowed here; use POST`, { Allow: "POST" });
  });
  router.all("/__sandbox/{*rest}", (req: Request) => {
    throw new ApiError("not_found", `No route ${req.method} ${req.path}`);
  });
  return router;
}
