/**
 * Hono-style opt-outs for the shared store suites: a backend passes
 * `skip: [{ reason: "…", tests: ["exact test name", …] }]` and those tests are reported as
 * skipped instead of silently missing. A name that matches no test fails the run, so a renamed
 * test cannot leave a stale, meaningless skip behind.
 */
import { it } from "vitest";

/** One group of tests a backend cannot run, with the reason. */
export interface SkipEntry {
  /** Why the backend skips these tests (shown nowhere but in the code: keep it honest). */
  reason: string;
  /** Exact names of the skipped tests. */
  tests: string[];
}

/** `it` that honours a skip list, plus a check that every listed name was used. */
export interface SkippableIt {
  /** Declares a test, or a skipped test when its name is in the skip list. */
  (name: string, fn: () => Promise<void> | void, timeoutMs?: number): void;
  /** Throws if a skip entry names a test that was never declared. */
  assertAllSkipsUsed(): void;
}

/** Builds a {@link SkippableIt} for one suite run. */
export function skippableIt(skip: readonly SkipEntry[] = []): SkippableIt {
  const skipped = new Set(skip.flatMap((entry) => entry.tests));
  const declared = new Set<string>();
  const test = (name: string, fn: () => Promise<void> | void, timeoutMs?: number): void => {
    declared.add(name);
    (skipped.has(name) ? it.skip : it)(name, fn, timeoutMs);
  };
  return Object.assign(test, {
    assertAllSkipsUsed(): void {
      const unknown = [...skipped].filter((name) => !declared.has(name));
      if (unknown.length > 0) throw new Error(`Skip list names unknown tests: ${unknown.join(", ")}`);
    },
  });
}
