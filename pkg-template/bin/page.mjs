// `tim-sns page`: serves the debugging page that ships in the package, with the package's browser
// build beside it, and forwards the page's calls to the service through the same origin
// (bin/forward.mjs), so that a region the browser could not reach for CORS works.
import { fileURLToPath } from "node:url";
import { forwarder, upstreamBase } from "./forward.mjs";
import { portFlag } from "./listen.mjs";

/** The command's help text. */
export const PAGE_HELP = `Usage: tim-sns page [--port 8080] [--upstream URL] [--quiet]

Serves the debugging page that ships in this package on 127.0.0.1, with the package's browser
build beside it. Open the printed URL: calls go to an emulator in the tab until you switch to a
region or a base URL. The page's calls to a region go through this server to the region's
documented domain (or its backup domain), so the browser makes no cross-origin call; the reply
comes back unchanged. --upstream URL sends them to that base URL instead (a private gateway, a
tim-sns emulator); the page's custom base URL set to the same URL goes through this server too.
One line per forwarded call is logged, with the usersig redacted (--quiet: none). Secret keys stay
in the page's memory. --port 0 picks a free port.`;

/**
 * Runs `tim-sns page`.
 * @param {string[]} argv the arguments after `page`
 * @param {Function} options the CLI's argument parser (`options(argv, spec)`)
 * @param {(message: string, code?: number) => never} fail prints one line and exits
 */
export async function pageCommand(argv, options, fail) {
  const { values } = options(argv, { port: { type: "string", default: "8080" }, upstream: { type: "string" }, quiet: { type: "boolean" } });
  if (values.help) return console.log(PAGE_HELP);
  let upstream;
  try {
    upstream = values.upstream === undefined ? undefined : upstreamBase(values.upstream);
  } catch (e) {
    fail(e.message, 2);
  }
  const [{ serve }, { regions }] = await Promise.all([import("./static-server.mjs"), import("../node/index.mjs")]);
  const handle = forwarder({ regions: regions(), upstream, log: values.quiet ? undefined : (line) => console.log(line) });
  // The page imports ../pkg/web.js (its layout in the repository): map /pkg/ to this package.
  const root = (path) => fileURLToPath(new URL(path, import.meta.url));
  try {
    const { url } = await serve(root("../www/"), { port: portFlag(values), mounts: { "/pkg/": root("../") }, handle });
    console.log(`tim-sns debugging page: ${url}   (Ctrl-C to stop)`);
    console.log(upstream ? `forwarding the page's calls to ${upstream}` : "forwarding the page's region calls to the regions' documented domains");
  } catch (e) {
    // A port in use (or not allowed) is the listen failure of every command that serves (exit 6).
    if (e?.code === "EADDRINUSE" || e?.code === "EACCES") {
      fail(`port ${values.port} on 127.0.0.1 ${e.code === "EADDRINUSE" ? "is in use" : "is not allowed for this user"}: choose another with --port N (--port 0 picks a free one)`, 6);
    }
    fail(`cannot serve the page: ${e.message}`);
  }
}
