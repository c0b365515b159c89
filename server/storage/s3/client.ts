/**
 * The S3 client the server uses, set up for S3-compatible stores as well as AWS: credentials
 * from the SDK's standard chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, instance
 * roles…), checksums only where the API requires them (since SDK 3.729 the default streams
 * bodies as `aws-chunked` with trailing checksums, which Ceph RGW 16 refuses with 411 and other
 * stores mishandle), a bounded connection pool and timeouts so an unreachable store fails a
 * request instead of hanging it.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** Where the store is and how to reach it. */
export interface S3Settings {
  /** Custom endpoint (MinIO, R2, Ceph RGW…); omit for AWS. */
  endpoint?: string;
  /** Region (default `us-east-1`, which most S3-compatible stores accept). */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most self-hosted stores need. */
  forcePathStyle?: boolean;
  /** Explicit credentials; by default the SDK's standard chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Most sockets open to the store at once (default 256). */
  maxSockets?: number;
}

// The SDK warns once per process that its releases from 2027 on need Node 22. The version here is
// pinned (package.json) and README states which Node versions are tested; the multi-line warning
// would only break the server's one-line start-up errors.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Milliseconds to open a connection to the store before the attempt fails. */
export const S3_CONNECT_TIMEOUT_MS = 5_000;
/** Milliseconds a store socket may stay silent (no bytes either way) before the request fails. */
export const S3_SOCKET_TIMEOUT_MS = 120_000;

/** A client for `settings`. Call `destroy()` when done. */
export function createS3Client(settings: S3Settings): S3Client {
  const maxSockets = settings.maxSockets ?? 256;
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region ?? "us-east-1",
    forcePathStyle: settings.forcePathStyle ?? false,
    credentials: settings.credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: S3_CONNECT_TIMEOUT_MS,
      socketTimeout: S3_SOCKET_TIMEOUT_MS,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    }),
  });
}
