/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Without the binary a
 * browser test is skipped with the install command — except under `CI=true`, where it fails.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Flags for a headless run on a closed network (no background connections, no sandbox as root). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** True when the browser is installed. */
export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

/** Launches a fresh headless Chromium (a new temporary profile each time). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The engine descriptor for `describeWithEngine` (tests/support/engines.ts). */
export const CHROMIUM_ENGINE = { name: `Chromium (${CHROMIUM})`, installed: chromiumInstalled, hint: "apt-get install -y chromium" };
