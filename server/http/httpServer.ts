/**
 * The Node HTTP server the app runs on, with every connection-level limit set (main.ts and the
 * tests use this, so both run with the same limits):
 * - `headersTimeout`: the request line and headers must arrive within `HEADERS_TIMEOUT_SECONDS`
 *   (checked every second, not Node's default 30 s sweep);
 * - an idle timeout of `REQUEST_IDLE_TIMEOUT_SECONDS`: a socket that moves no byte either way
 *   for that long is destroyed — a stalled upload body (multer then fails and its temp file is
 *   removed) or a download the client stopped reading; no overall request timeout, since a
 *   large upload on a slow line may take hours while it keeps moving;
 * - `keepAliveTimeout` for idle keep-alive connections;
 * - at most `MAX_CONNECTIONS_PER_ADDRESS` open connections per client address: one more gets a
 *   raw 429 envelope and is closed before its request is read.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import type { ServerConfig } from "../config.js";

type ConnectionLimits = Pick<
  ServerConfig,
  "requestIdleTimeoutSeconds" | "headersTimeoutSeconds" | "keepAliveTimeoutSeconds" | "maxConnectionsPerAddress"
>;

function refusal(max: number): string {
  const body = JSON.stringify({
    success: false,
    error: { code: "rate_limited", message: `Too many connections from this address (at most ${max}); retry later` },
  });
  return [
    "HTTP/1.1 429 Too Many Requests",
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Retry-After: 1",
    "Cache-Control: no-store",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/** Caps open connections per remote address on `server`. */
export function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const n = open.get(address) ?? 0;
    if (n >= max) {
      socket.on("error", () => undefined);
      socket.end(refusal(max));
      socket.setTimeout(1_000, () => socket.destroy());
      return;
    }
    open.set(address, n + 1);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/** Applies the idle, header and keep-alive timeouts and the per-address cap to `server`. */
export function applyConnectionLimits(server: Server, limits: ConnectionLimits): Server {
  server.requestTimeout = 0;
  server.headersTimeout = limits.headersTimeoutSeconds * 1000;
  server.keepAliveTimeout = limits.keepAliveTimeoutSeconds * 1000;
  // A socket idle for `server.timeout` ms emits "timeout"; Node destroys it only when nobody
  // listens (on the request, the response or the server), so destroy it here whatever else listens.
  server.timeout = limits.requestIdleTimeoutSeconds * 1000;
  server.on("timeout", (socket: Socket) => socket.destroy());
  limitConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  return server;
}

/** A new HTTP server (not listening) with every limit of `config` applied. */
export function createHttpServer(config: ConnectionLimits): Server {
  return applyConnectionLimits(createServer({ connectionsCheckingInterval: 1_000 }), config);
}
