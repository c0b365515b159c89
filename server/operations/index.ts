/**
 * Every operation of openapi.yaml and its handler. The `satisfies` clause makes a missing or
 * misnamed operationId a compile error; tests/server/operations.test.ts checks the same against
 * the spec at run time.
 */
import { createFolder } from "./createFolder.js";
import { deleteFile } from "./deleteFile.js";
import { deleteFolder } from "./deleteFolder.js";
import { downloadFile } from "./downloadFile.js";
import { downloadFileHead } from "./downloadFileHead.js";
import { getFile } from "./getFile.js";
import { getHealth } from "./getHealth.js";
import { getUserStats } from "./getUserStats.js";
import { listFiles } from "./listFiles.js";
import { listFolders } from "./listFolders.js";
import { updateFile } from "./updateFile.js";
import { uploadFile } from "./uploadFile.js";
import type { OperationHandler, OperationId } from "./types.js";

/** operationId → handler, for every operation of the spec. */
export const operationHandlers = {
  listFiles,
  uploadFile,
  getFile,
  updateFile,
  deleteFile,
  downloadFile,
  downloadFileHead,
  listFolders,
  createFolder,
  deleteFolder,
  getUserStats,
  getHealth,
} satisfies { [Op in OperationId]: OperationHandler<Op> };
