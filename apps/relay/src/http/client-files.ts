import { existsSync } from "node:fs";
import { resolve } from "node:path";
import express from "express";

/**
 * Serves the built client. Hashed files under /assets/ never change, so browsers and CDNs may keep
 * them forever; index.html is revalidated so that a new build is picked up at once.
 */
export function clientFiles(dir: string): express.RequestHandler {
  const root = resolve(dir);
  const index = resolve(root, "index.html");
  const files = express.static(root, {
    index: false,
    setHeaders(res, path) {
      res.setHeader("Cache-Control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return (req, res, next) => {
    if (!existsSync(index)) {
      res.status(503).type("text/plain").send(`The client is not built yet (no ${index}). Run \`npm run build\`; \`npm start\` does it for you.\n`);
      return;
    }
    files(req, res, () => {
      if (req.method !== "GET" && req.method !== "HEAD") return next();
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(index);
    });
  };
}
