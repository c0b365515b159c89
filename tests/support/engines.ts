/**
 * Tests that need a real engine (PostgreSQL, Ceph RGW) declare themselves through
 * `describeWithEngine`: when the binaries are missing the file shows one skipped test whose name
 * says how to install them; under `CI=true` that test fails instead, so CI can never go green by
 * skipping.
 */
import { describe, it } from "vitest";

/** An engine a test file needs. */
export interface Engine {
  /** Human name, e.g. "Ceph RADOS Gateway". */
  name: string;
  /** True when its binaries are installed. */
  installed(): boolean;
  /** The command that installs them. */
  hint: string;
}

/** `describe(title, body)` when `engine` is installed; a skip with the reason (or a CI failure) when not. */
export function describeWithEngine(title: string, engine: Engine, body: () => void): void {
  if (engine.installed()) {
    describe(title, body);
    return;
  }
  describe(title, () => {
    if (process.env.CI === "true") {
      it(`${engine.name} is installed (CI=true)`, () => {
        throw new Error(`${engine.name} is missing: run \`${engine.hint}\` (the .ci/run script does)`);
      });
    } else {
      it.skip(`skipped: ${engine.name} is missing — install it with \`${engine.hint}\``, () => {});
    }
  });
}
