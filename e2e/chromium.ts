import { existsSync } from "node:fs";

/** A system Chromium when there is one (`CHROMIUM_PATH`, or Debian's), else Playwright's own. */
export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((path): path is string => Boolean(path) && existsSync(path!));
}

/** Headless WebGL2 through SwiftShader, and no calls home (this machine has no internet). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-default-apps",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--ignore-gpu-blocklist",
];
