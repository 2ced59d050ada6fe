// A tiny static file server for the debugging page and the browser tests: no dependencies,
// 127.0.0.1 only, GET/HEAD only, and nothing outside `root` (neither by `..` nor a symlink).
// A `handle` option takes requests first (`tim-sns page` forwards the page's calls with it).
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

function inside(base, p) {
  return p === base || p.startsWith(base.endsWith(sep) ? base : base + sep);
}

/**
 * Serves the files under `root` on http://127.0.0.1:<port>/ (port 0: a free one).
 * @param {string} root directory to serve
 * @param {{ port?: number, mounts?: Record<string, string>,
 *   handle?: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<boolean> }} [options]
 *   `mounts` serves other directories under URL prefixes, e.g. `{ "/pkg/": "/path/to/package" }`
 *   (prefixes end with `/`); `handle` sees every request first and resolves to true when it answered
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} `url` ends with `/`
 */
export async function serve(root, { port = 0, mounts = {}, handle } = {}) {
  const rootBase = await realpath(resolve(root));
  // Longest prefix first, so that a mount inside another wins.
  const bases = await Promise.all(Object.entries(mounts).map(async ([prefix, dir]) => {
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) throw new Error(`mount prefix must start and end with "/": ${prefix}`);
    return [prefix, await realpath(resolve(dir))];
  }));
  bases.sort((a, b) => b[0].length - a[0].length);

  const server = createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (handle && (await handle(req, res))) return;
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("Allow", "GET, HEAD");
        return send(405, "method not allowed\n");
      }
      // Work on the raw request target: a client may send `..` or `%2e%2e` unnormalised.
      const rawPath = (req.url ?? "/").split(/[?#]/, 1)[0];
      let pathname;
      try {
        pathname = decodeURIComponent(rawPath);
      } catch {
        return send(400, "bad request\n");
      }
      if (!pathname.startsWith("/") || pathname.includes("\0") || pathname.includes("\\")) {
        return send(400, "bad request\n");
      }
      const [prefix, base] = bases.find(([p]) => pathname.startsWith(p)) ?? ["/", rootBase];
      let file = resolve(base, "." + pathname.slice(prefix.length - 1));
      if (!inside(base, file)) return send(403, "forbidden\n");

      let info;
      try {
        file = await realpath(file);
        if (!inside(base, file)) return send(403, "forbidden\n");
        info = await stat(file);
        if (info.isDirectory()) {
          if (!pathname.endsWith("/")) {
            res.writeHead(301, { Location: rawPath + "/", "Cache-Control": "no-store" });
            return res.end();
          }
          file = resolve(file, "index.html");
          info = await stat(file);
        }
      } catch {
        return send(404, "not found\n");
      }
      if (!info.isFile()) return send(404, "not found\n");

      res.writeHead(200, {
        "Content-Type": MIME[extname(file).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": info.size,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      if (req.method === "HEAD") return res.end();
      const stream = createReadStream(file);
      stream.on("error", () => res.destroy());
      stream.pipe(res);
    } catch {
      if (!res.headersSent) send(500, "internal error\n");
      else res.destroy();
    }
  });

  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", fail);
      ok();
    });
  });
  const bound = server.address().port;

  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        server.closeAllConnections();
      }),
  };
}
