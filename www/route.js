// Where the page's online calls go. Served by `tim-sns page`, the page sends them through its own
// origin (the command's forwarder), so the browser makes no cross-origin call; served anywhere
// else, it calls the server directly, and a call the browser blocks for CORS is said to be one,
// with the command that avoids it.

/** The forwarder's routes, as `tim-sns page` serves them (pkg-template/bin/forward.mjs). */
const FORWARD = "/_forward/";
/** What the forwarder offers; the page ships this file saying "none" for every other server. */
const INFO = "forwarding.json";

/**
 * What the page's own server offers: `{ upstream }` (a base URL or null) when it is `tim-sns page`,
 * `null` for any other server (which serves the page's own copy of the file, saying so).
 */
export async function detectForwarder() {
  try {
    const r = await fetch(INFO, { cache: "no-store", credentials: "omit" });
    if (!r.ok || !/^application\/json/.test(r.headers.get("content-type") ?? "")) return null;
    const info = await r.json();
    return info?.forwarding === true ? { upstream: typeof info.upstream === "string" ? info.upstream : null } : null;
  } catch {
    return null;
  }
}

const trimmed = (url) => url.trim().replace(/\/+$/, "");

/**
 * The client options that pick the server, and a label for people.
 * @param {{ upstream: string | null } | null} forwarder from `detectForwarder`
 * @param {{ region?: { id: string, domain: string, backupDomain: string }, backup: boolean, baseUrl?: string }} choice
 * @returns {{ options: { region?: string, backupDomain?: boolean, baseUrl?: string }, direct: string, forwarded: boolean, label: string }}
 *   `direct` is the base URL the call reaches in the end
 */
export function route(forwarder, { region, backup, baseUrl }) {
  if (region) {
    const direct = forwarder?.upstream ?? `https://${backup ? region.backupDomain : region.domain}`;
    if (forwarder) {
      return { options: { baseUrl: `${location.origin}${FORWARD}${backup ? "backup" : "region"}/${region.id}` }, direct, forwarded: true, label: `${region.id} via this page's server → ${direct}` };
    }
    return { options: { region: region.id, backupDomain: backup }, direct, forwarded: false, label: region.id };
  }
  const base = trimmed(baseUrl ?? "");
  if (forwarder?.upstream && base === trimmed(forwarder.upstream)) {
    return { options: { baseUrl: `${location.origin}${FORWARD}upstream` }, direct: base, forwarded: true, label: `${base} via this page's server` };
  }
  return { options: { baseUrl: base }, direct: base, forwarded: false, label: base };
}

/**
 * After a call with no reply from `direct` (a base URL the browser called itself): whether the
 * server is up but refused this page's origin (CORS), told by a request the browser may send
 * without asking (mode "no-cors", no credentials, to the server's root: it carries no usersig).
 * @returns {Promise<string>} one line for the user
 */
export async function explainNoReply(direct, isRegion) {
  const origin = new URL(direct).origin;
  try {
    await fetch(`${origin}/`, { mode: "no-cors", cache: "no-store", credentials: "omit" });
  } catch {
    return `No reply from ${origin}: is the server up and the URL right?`;
  }
  const command = isRegion ? "npx tim-sns page" : `npx tim-sns page --upstream ${direct}`;
  return `${origin} answered, but the browser refused its reply to this page: the server does not allow this page's origin (CORS). Run \`${command}\` and open the page it prints: it sends the calls through its own origin.`;
}
