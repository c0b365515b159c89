/**
 * A `multipart/form-data` body as a web `ReadableStream`: the text fields, then one file part
 * whose bytes are pulled from the source stream as the network takes them (never buffered
 * whole). Browser-safe: only web APIs.
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

/**
 * Builds the body. `onFileBytes(n)` is called as each chunk of the file leaves the stream.
 * Returns the stream and the `Content-Type` to send with it.
 */
export function multipartBody(
  fields: ReadonlyArray<readonly [string, string]>,
  file: FilePart,
  onFileBytes?: (bytes: number) => void,
): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = randomBoundary();
  let head = "";
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.name)}"\r\n` +
    `Content-Type: ${file.type.replace(/[\r\n]/g, "")}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const reader = file.stream.getReader();
  let stage: "head" | "file" | "done" = "head";
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === "head") {
        stage = "file";
        controller.enqueue(encoder.encode(head));
        return;
      }
      if (stage === "file") {
        const { done, value } = await reader.read();
        if (!done) {
          onFileBytes?.(value.byteLength);
          controller.enqueue(value);
          return;
        }
        stage = "done";
        controller.enqueue(encoder.encode(tail));
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
