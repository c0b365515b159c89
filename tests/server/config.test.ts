// Configuration values the contract depends on are checked at start-up (server/config.ts).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, MAX_PUBLIC_URL_LENGTH } from "../../server/config.js";
import { OpenApiOracle, type JsonObject } from "../support/openapi-oracle.js";

describe("PUBLIC_URL", () => {
  it("is short enough for every file's url to stay within the spec's File.url maxLength", async () => {
    const oracle = await OpenApiOracle.load();
    const url = ((((oracle.raw.components as JsonObject).schemas as JsonObject).File as JsonObject).properties as JsonObject).url as JsonObject;
    const longestId = 64;
    expect(MAX_PUBLIC_URL_LENGTH + "/api/v1/files/".length + longestId + "/download".length).toBeLessThanOrEqual(Number(url.maxLength));
  });

  it("longer is refused with a ConfigError naming the variable; at the limit it is taken", () => {
    const at = `https://${"a".repeat(MAX_PUBLIC_URL_LENGTH - "https://".length)}`;
    expect(loadConfig({ PUBLIC_URL: at }).publicUrl).toBe(at);
    expect(() => loadConfig({ PUBLIC_URL: `${at}b` })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: `${at}b` })).toThrow(/^PUBLIC_URL must be at most 1900 characters/);
  });
});
