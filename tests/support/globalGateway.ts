/**
 * vitest global setup: with `AETHER_TEST_BLOBS=s3`, one throwaway Ceph RADOS Gateway
 * (tests/support/ceph.ts) and one bucket for the whole run, reached by every test through
 * `AETHER_TEST_S3_ENDPOINT` / `AETHER_TEST_S3_BUCKET`; `startServer` then keeps each test server's
 * file bytes under a prefix of its own in that bucket (see tests/support/server.ts), so the HTTP
 * suite runs unchanged on S3. `.ci/run` runs tests/server that way on PostgreSQL + the gateway.
 * Without the variable this does nothing.
 */
import { startGateway, type Gateway } from "./ceph.js";

let gateway: Gateway | undefined;

export async function setup(): Promise<void> {
  if (process.env.AETHER_TEST_BLOBS !== "s3") return;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  gateway = await startGateway();
  process.env.AETHER_TEST_S3_ENDPOINT = gateway.endpoint;
  process.env.AETHER_TEST_S3_BUCKET = await gateway.createBucket("aether-http-suite");
}

export async function teardown(): Promise<void> {
  await gateway?.close();
}
