/**
 * The byte-count format of `storageUsed` / `bandwidthUsed` ("Sizes in statistics" in
 * openapi.yaml). It lives with the client (client/humanSize.ts), whose command line prints sizes
 * the same way; the server uses that one definition.
 */
export { formatBytes } from "../../client/humanSize.js";
