#!/usr/bin/env node
// Runs the Prism mock server for openapi.yaml (static examples; no network access needed).
//
//   npm run mock                      listens on http://127.0.0.1:4010
//   MOCK_PORT=5000 npm run mock       another port (MOCK_HOST overrides 127.0.0.1)
//   npm run mock -- --errors          extra arguments are passed to `prism mock`
//
// Paths in openapi.yaml carry the full /api/v1 prefix, so the mock answers the same URLs as the
// real server: http://127.0.0.1:4010/api/v1/files ...
// Select responses with `Prefer: code=404` or `Prefer: example=<name>`.
//
// Prism only checks that a key header is present and accepts any value. A small front in this
// process answers first: a request for a secured operation without a well-formed key (the
// pattern the spec's security schemes state, `^ak_…$`), in `Authorization: Bearer …` or
// `X-API-Key`, gets the spec's 401 envelope, as the real server answers it; everything else is
// passed to Prism (on an internal port of the loopback interface), streamed both ways.
// SIGINT/SIGTERM/SIGHUP are forwarded to Prism; this process exits with Prism's exit code.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { createServer as createNetServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismBin = path.join(root, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
const specPath = path.join(root, "openapi.yaml");
const host = process.env.MOCK_HOST || "127.0.0.1";
const port = process.env.MOCK_PORT || "4010";

if (!/^\d+$/.test(port) || Number(port) > 65535) {
  console.error(`mock: MOCK_PORT must be a port number, got "${port}"`);
  process.exit(2);
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * What the front needs from the spec: the secured operations (method + exact path), the key
 * pattern (stated in the security schemes' descriptions) and the 401 answer's example.
 */
export function loadFront(spec) {
  const routes = [];
  for (const [template, item] of Object.entries(spec.paths ?? {})) {
    const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const security = op.security ?? spec.security ?? [];
      routes.push({ method: method.toUpperCase(), re, secured: security.length > 0 && !security.some((req) => Object.keys(req).length === 0) });
    }
  }
  const patterns = new Set();
  for (const scheme of Object.values(spec.components?.securitySchemes ?? {})) {
    for (const m of String(scheme.description ?? "").matchAll(/`(\^ak_[^`]*\$)`/g)) patterns.add(m[1]);
  }
  if (patterns.size !== 1) throw new Error(`mock: expected one ak_ key pattern in the security schemes' descriptions, found ${patterns.size}`);
  const unauthorized = spec.components?.responses?.Unauthorized;
  const media = unauthorized?.content?.["application/json"];
  const example = Object.values(media?.examples ?? {})[0]?.value;
  if (!example) throw new Error("mock: components.responses.Unauthorized has no application/json example");
  const headerExample = (name) => {
    const ref = unauthorized.headers?.[name]?.$ref;
    const header = ref ? spec.components.headers[ref.split("/").pop()] : unauthorized.headers?.[name];
    return header?.example;
  };
  return {
    routes,
    keyPattern: new RegExp([...patterns][0]),
    unauthorizedBody: JSON.stringify(example),
    wwwAuthenticate: String(headerExample("WWW-Authenticate") ?? 'Bearer realm="aethercdn"'),
    requestId: String(headerExample("X-Request-Id") ?? example.error?.requestId ?? ""),
  };
}

/** The keys a request presents, read as the reference server reads them. */
export function presentedKeys(headers) {
  const keys = [];
  const bearer = /^Bearer[ ]+(\S*)\s*$/i.exec(headers.authorization ?? "");
  if (bearer) keys.push(bearer[1]);
  if (typeof headers["x-api-key"] === "string") keys.push(headers["x-api-key"].trim());
  return keys;
}

/** True when the front answers 401 itself: a secured operation, and no well-formed key. */
export function refusesKey(front, method, url, headers) {
  const pathname = url.split("?")[0];
  const route = front.routes.find((r) => r.method === method && r.re.test(pathname));
  return Boolean(route?.secured) && !presentedKeys(headers).some((k) => front.keyPattern.test(k));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

async function waitForPrism(origin, child) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      await fetch(`${origin}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function main() {
  const front = loadFront(YAML.parse(readFileSync(specPath, "utf8")));
  const internalPort = await freePort();
  const internal = `http://127.0.0.1:${internalPort}`;
  const publicOrigin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const child = spawn(process.execPath, [prismBin, "mock", specPath, "-h", "127.0.0.1", "-p", String(internalPort), ...process.argv.slice(2)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Prism's own log, with its internal address shown as the public one.
  for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    from.setEncoding("utf8");
    from.on("data", (text) => to.write(text.split(internal).join(publicOrigin)));
  }

  const server = createServer((req, res) => {
    if (refusesKey(front, req.method ?? "GET", req.url ?? "/", req.headers)) {
      req.resume();
      res.writeHead(401, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(front.unauthorizedBody),
        "WWW-Authenticate": front.wwwAuthenticate,
        "X-Request-Id": front.requestId,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Headers": "*",
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "*",
      });
      res.end(req.method === "HEAD" ? undefined : front.unauthorizedBody);
      return;
    }
    const upstream = request(`${internal}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
      res.end(`mock: Prism did not answer: ${err.message}\n`);
    });
    req.pipe(upstream);
  });

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      server.close();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on("error", (err) => {
    console.error(`mock: cannot start Prism: ${err.message}`);
    process.exit(1);
  });
  let failed = false;
  child.on("exit", (code, signal) => {
    server.close();
    if (failed) process.exit(1);
    if (signal) {
      // Re-raise so our parent sees the same termination signal.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });

  if (!(await waitForPrism(internal, child))) {
    console.error("mock: Prism did not start");
    failed = true;
    if (child.exitCode === null) child.kill("SIGTERM");
    return;
  }
  server.on("error", (err) => {
    console.error(`mock: cannot listen on ${publicOrigin}: ${err.message}`);
    failed = true;
    child.kill("SIGTERM");
  });
  server.listen(Number(port), host, () => {
    console.log(`mock: Prism mock of openapi.yaml listening on ${publicOrigin} (e.g. ${publicOrigin}/api/v1/health)`);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err && err.message ? err.message : err);
    process.exit(1);
  });
}
