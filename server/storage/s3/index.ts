/**
 * Entry point of the S3 blob backend. Kept out of `../index.ts` so that a server storing bytes on
 * disk never loads the AWS SDK: only code that asks for S3 imports this file.
 */
import { S3ServiceException } from "@aws-sdk/client-s3";

export { S3BlobStore, type S3BlobStoreOptions } from "./S3BlobStore.js";
export { createS3Client, S3_CONNECT_TIMEOUT_MS, S3_SOCKET_TIMEOUT_MS, type S3Settings } from "./client.js";

/**
 * One line saying why the bucket cannot be used (start-up, `aether migrate`): missing bucket,
 * refused credentials, unreachable endpoint, no credentials at all.
 */
export function describeS3Failure(err: unknown, bucket: string, endpoint: string | undefined): string {
  const where = endpoint ? `at ${endpoint}` : "on AWS";
  if (err instanceof S3ServiceException) {
    const status = err.$metadata.httpStatusCode;
    if (status === 404 || err.name === "NotFound" || err.name === "NoSuchBucket") {
      return `S3 bucket "${bucket}" does not exist ${where}; create it or set S3_BUCKET`;
    }
    if (status === 403 || status === 401) {
      return `S3 ${where} refused the credentials for bucket "${bucket}" (HTTP ${status}); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket's policy`;
    }
    if (status === 301 || err.name === "PermanentRedirect") {
      return `S3 bucket "${bucket}" is in another region; set S3_REGION`;
    }
    return `S3 ${where} answered ${err.name} (HTTP ${status ?? "?"}) for bucket "${bucket}"`;
  }
  const e = err as (Error & { code?: string }) | undefined;
  if (e?.name === "CredentialsProviderError") {
    return `no S3 credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or another source of the AWS SDK's chain)`;
  }
  const cause = e?.code ?? e?.name ?? "error";
  const detail = (e?.message ?? String(err)).split("\n")[0];
  return `cannot reach S3 ${where} (${cause}: ${detail}); check S3_ENDPOINT and that the store is running`;
}
