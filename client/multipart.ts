/**
 * `multipart/form-data` bodies: the text fields, then one file part. Either a web `ReadableStream`
 * whose file bytes are pulled from the source as the network takes them (never buffered whole),
 * or, for a `Blob`, a composite `Blob` (the file is referenced, not copied) that every fetch can
 * send, including browsers talking HTTP/1.1, where streamed request bodies are refused.
 * Browser-safe: only web APIs.
 */

/** The file part. */
export interface FilePart {
  /** Field name (the API wants `file`). */
  field: string;
  /** File name sent in the part's `filename`. */
  name: string;
  /** Media type of the part. */
  type: string;
  /** The bytes. */
  stream: ReadableStream<Uint8Array>;
}

const encoder = new TextEncoder();

function randomBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `----aethercdn${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Escapes a name the way browsers do in multipart headers (WHATWG: `"`, CR, LF as %22, %0D, %0A). */
function escapeName(value: string): string {
  return value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** The bytes around the file: fields and part header before, closing boundary after. */
function envelope(fields: ReadonlyArray<readonly [string, string]>, file: Omit<FilePart, "stream">) {
  const boundary = randomBoundary();
  let head = "";
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.name)}"\r\n` +
    `Content-Type: ${file.type.replace(/[\r\n]/g, "")}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return { head, tail, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The body as one `Blob` built from the fields, the file `Blob` itself and the closing boundary.
 * Its size is known (fetch sends a Content-Length), nothing is streamed or copied.
 */
export function multipartBlob(
  fields: ReadonlyArray<readonly [string, string]>,
  file: Omit<FilePart, "stream"> & { blob: Blob },
): { body: Blob; contentType: string } {
  const { head, tail, contentType } = envelope(fields, file);
  return { body: new Blob([encoder.encode(head), file.blob, encoder.encode(tail)]), contentType };
}

/**
 * Builds the body. `onFileBytes(n)` is called as each chunk of the file leaves the stream.
 * Once `signal` aborts, the body errors and the source is cancelled: fetch implementations
 * (Node 20's undici) keep draining a request body after an abort, which would otherwise read an
 * endless or huge source to its end in a tight loop.
 * Returns the stream and the `Content-Type` to send with it.
 */
export function multipartBody(
  fields: ReadonlyArray<readonly [string, string]>,
  file: FilePart,
  onFileBytes?: (bytes: number) => void,
  signal?: AbortSignal,
): { body: ReadableStream<Uint8Array>; contentType: string } {
  const { head, tail, contentType } = envelope(fields, file);
  const reader = file.stream.getReader();
  let stage: "head" | "file" | "done" = "head";
  let onAbort: (() => void) | undefined;
  const finish = () => {
    stage = "done";
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  };
  const stop = (controller: ReadableStreamDefaultController<Uint8Array>, reason: unknown) => {
    if (stage === "done") return;
    finish();
    controller.error(reason);
    reader.cancel(reason).catch(() => undefined);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!signal) return;
      onAbort = () => stop(controller, signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      if (signal?.aborted) return stop(controller, signal.reason);
      if (stage === "head") {
        stage = "file";
        controller.enqueue(encoder.encode(head));
        return;
      }
      if (stage === "file") {
        const { done, value } = await reader.read();
        if (stage !== "file") return; // aborted while reading
        if (!done) {
          onFileBytes?.(value.byteLength);
          controller.enqueue(value);
          return;
        }
        finish();
        controller.enqueue(encoder.encode(tail));
        controller.close();
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return { body, contentType };
}
