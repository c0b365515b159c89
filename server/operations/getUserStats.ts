import { formatBytes } from "../format/humanSize.js";
import type { OperationHandler } from "./types.js";

/** GET /api/v1/user/stats — counters kept in step with every change (no scans). */
export const getUserStats: OperationHandler<"getUserStats"> = async ({ principal, ctx }) => {
  const stats = await ctx.storage.metadata.getStats(principal.userId);
  return {
    status: 200,
    body: {
      success: true,
      stats: {
        totalFiles: stats.totalFiles,
        totalSize: stats.totalSize,
        totalFolders: stats.totalFolders,
        storageUsed: formatBytes(stats.totalSize),
        bandwidthUsed: formatBytes(stats.bandwidthBytes),
        bandwidthUsedBytes: stats.bandwidthBytes,
      },
    },
  };
};
