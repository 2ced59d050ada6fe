// The forwarder of `tim-sns page`: the page's calls reach the service through the page's own
// origin, because Tencent's REST API is made for servers and its documents promise no answer to a
// browser's CORS preflight. Routes (POST only, same origin only):
//   /_forward/region/<id>/v4/...   to https://<the region's documented domain>/v4/...
//   /_forward/backup/<id>/v4/...   to https://<the region's backup domain>/v4/...
//   /_forward/upstream/v4/...      to the --upstream base URL (when given)
//   GET /forwarding.json           what this forwarder offers, for the page to detect it (the
//                                  page ships a file of that name saying "no forwarding", so a
//                                  static host answers it without a 404)
// With --upstream, the region routes go to the upstream too (a private gateway, an emulator, tests).
// The request and the reply pass unchanged (method, query, body, content type, status); only
// documented hosts or the upstream the operator chose are reached, never a URL from the request.

/** The URL prefix of every forwarder route. */
export const FORWARD_PREFIX = "/_forward/";
/** Where the page asks what the forwarder offers. */
export const INFO_PATH = "/forwarding.json";

// A friend_import of 1000 items with remarks and custom tags stays far below this; the cap only
// keeps a runaway client from filling the memory.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** `url` with the value of every `usersig` query parameter replaced, as every log line shows it. */
export const redact = (url) => url.replace(/([?&]usersig=)[^&#]*/gi, "$1REDACTED");

/**
 * Checks the --upstream option: an http(s) base URL with no query; returns it without a trailing
 * slash, or throws an Error saying what is wrong.
 * @param {string} text
 */
export function upstreamBase(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--upstream must be a base URL such as http://127.0.0.1:8080, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--upstream must be an http or https URL, got "${text}"`);
  if (url.search || url.hash) throw new Error(`--upstream takes a base URL without query or fragment, got "${text}"`);
  return url.href.replace(/\/+$/, "");
}

/**
 * A request handler for the static server's `handle` option.
 * @param {{ regions: { id: string, domain: string, backupDomain: string }[], upstream?: string,
 *   log?: (line: string) => void }} options `regions` as the package's `regions()` returns them;
 *   `upstream` a base URL from `upstreamBase`; `log` gets one line per forwarded call (usersig redacted)
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<boolean>}
 *   resolves to false for requests that are not the forwarder's
 */
export function forwarder({ regions, upstream, log = () => {} }) {
  const byId = new Map(regions.map((r) => [r.id, r]));
  const refuse = (res, status, text) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(`tim-sns page: ${text}\n`);
    return true;
  };

  /** The base URL a route goes to, and the rest of the path; `null` for an unknown route. */
  function target(path) {
    const m = /^\/_forward\/(?:(region|backup)\/([a-z-]+)|(upstream))(\/v4\/.*)$/.exec(path);
    if (!m) return null;
    if (m[3]) return upstream ? { base: upstream, rest: m[4] } : null;
    const region = byId.get(m[2]);
    if (!region) return null;
    return { base: upstream ?? `https://${m[1] === "backup" ? region.backupDomain : region.domain}`, rest: m[4] };
  }

  return async (req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith(FORWARD_PREFIX) && url !== INFO_PATH) return false;
    // Only the page itself: a call from another site's page (which a browser would send with its
    // Origin) is refused, and so is a Host other than this loopback server (DNS rebinding).
    const host = req.headers.host ?? "";
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return refuse(res, 403, "forwarding serves this machine's page only");
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return refuse(res, 403, `forwarding refused for origin ${origin}`);
    if (url === INFO_PATH) {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify({ forwarding: true, upstream: upstream ?? null }));
      return true;
    }
    const [path, query = ""] = url.split(/\?(.*)/s, 2);
    const to = target(path);
    if (!to) return refuse(res, 404, `no such forwarding route: ${path}`);
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return refuse(res, 405, "forwarding takes POST only, as the service does");
    }
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return refuse(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    }
    const destination = `${to.base}${to.rest}${query ? `?${query}` : ""}`;
    const started = Date.now();
    let reply;
    try {
      const headers = {};
      if (req.headers["content-type"]) headers["content-type"] = req.headers["content-type"];
      reply = await fetch(destination, { method: "POST", headers, body: Buffer.concat(chunks), redirect: "manual" });
    } catch (error) {
      // The URL's query holds the usersig: the message names the host only.
      const reason = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);
      log(`${new Date().toISOString()} POST ${redact(destination)} -> no reply (${reason})`);
      return refuse(res, 502, `no reply from ${new URL(destination).origin} (${reason})`);
    }
    const body = Buffer.from(await reply.arrayBuffer());
    const headers = { "cache-control": "no-store" };
    const type = reply.headers.get("content-type");
    if (type) headers["content-type"] = type;
    res.writeHead(reply.status, headers).end(body);
    const code = /"ErrorCode"\s*:\s*(-?\d+)/.exec(body.toString("utf8"))?.[1] ?? "-";
    log(`${new Date().toISOString()} POST ${redact(destination)} -> ${reply.status} ErrorCode ${code} (${Date.now() - started} ms)`);
    return true;
  };
}
