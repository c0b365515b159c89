/**
 * A small fault-injecting HTTP proxy for proving the suite: it forwards to a real server and
 * breaks its answers in one chosen way, like a buggy implementation would.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The ways the proxy can break the server behind it. */
export type Fault =
  | { kind: "wrong-status"; operation: { method: string; path: RegExp }; status: number }
  | { kind: "missing-field"; operation: { method: string; path: RegExp }; field: string }
  | { kind: "server-error"; operation: { method: string; path: RegExp } }
  | { kind: "leak-tenant"; from: string; to: string }
  /**
   * A lax router: another spelling of a spec path (any letter case in its literal segments,
   * doubled or trailing slashes) is sent on as the spec path with `key`'s authority — a route
   * that skips the guards, the hole `path_shapes` hunts. `templates` are the spec's paths.
   */
  | { kind: "lax-routes"; templates: string[]; key: string };

function matches(req: IncomingMessage, op: { method: string; path: RegExp }): boolean {
  return req.method === op.method && op.path.test((req.url ?? "").split("?")[0] ?? "");
}

/** The spec path a lax router would take `url` for, when `url` is another spelling of one. */
function laxCanonical(url: string, templates: string[]): string | undefined {
  const [path = "", ...query] = url.split("?");
  const squashed = path.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const literals = (t: string) => t.split("/").filter((seg) => !seg.includes("{")).length;
  for (const template of [...templates].sort((a, b) => literals(b) - literals(a))) {
    const segs = template.split("/");
    const re = new RegExp(`^${segs.map((seg) => (seg.includes("{") ? "([^/]+)" : escape(seg))).join("/")}$`, "i");
    const m = re.exec(squashed);
    if (!m) continue;
    let n = 1;
    const canonical = segs.map((seg) => (seg.includes("{") ? (m[n++] ?? "") : seg)).join("/");
    return canonical === path ? undefined : [canonical, ...query].join("?");
  }
  return undefined;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the proxy on 127.0.0.1; resolves with its origin and a close function. */
export async function startFaultProxy(upstream: string, fault: Fault): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    try {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string" && !["host", "connection", "content-length", "transfer-encoding"].includes(name)) headers[name] = value;
      }
      if (fault.kind === "leak-tenant") {
        if (headers.authorization === `Bearer ${fault.from}`) headers.authorization = `Bearer ${fault.to}`;
        if (headers["x-api-key"] === fault.from) headers["x-api-key"] = fault.to;
      }
      if (fault.kind === "server-error" && matches(req, fault.operation)) {
        await body(req);
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ success: false, error: { code: "server_error", message: "injected failure" } }));
        return;
      }
      let forwardUrl = req.url ?? "/";
      if (fault.kind === "lax-routes") {
        const canonical = laxCanonical(forwardUrl, fault.templates);
        if (canonical !== undefined) {
          forwardUrl = canonical;
          delete headers["x-api-key"];
          headers.authorization = `Bearer ${fault.key}`;
        }
      }
      const payload = req.method === "GET" || req.method === "HEAD" ? undefined : await body(req);
      const upstreamRes = await fetch(`${upstream}${forwardUrl}`, {
        method: req.method ?? "GET",
        headers,
        ...(payload && payload.length > 0 && { body: new Uint8Array(payload) }),
        redirect: "manual",
      });
      let out = Buffer.from(await upstreamRes.arrayBuffer());
      let status = upstreamRes.status;
      if (fault.kind === "wrong-status" && matches(req, fault.operation) && status < 300) status = fault.status;
      if (fault.kind === "missing-field" && matches(req, fault.operation) && status < 300) {
        const json = JSON.parse(out.toString("utf8")) as Record<string, unknown>;
        delete json[fault.field];
        out = Buffer.from(JSON.stringify(json));
      }
      const outHeaders: Record<string, string> = {};
      upstreamRes.headers.forEach((value, name) => {
        if (!["content-length", "transfer-encoding", "connection", "content-encoding", "keep-alive"].includes(name)) outHeaders[name] = value;
      });
      if (req.method !== "HEAD") outHeaders["content-length"] = String(out.length);
      else if (upstreamRes.headers.get("content-length")) outHeaders["content-length"] = upstreamRes.headers.get("content-length") ?? "0";
      res.writeHead(status, outHeaders);
      res.end(req.method === "HEAD" ? undefined : out);
    } catch (err) {
      res.writeHead(502, { "Content-Type": "text/plain" });
      res.end(`proxy error: ${String(err)}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
