// A link that reopens the page with the same call: the endpoint and the body in the URL's
// fragment, which browsers never send to a server. Nothing else goes in it: no configuration,
// so never the secret key or a usersig (the body of a v4/sns call carries neither).

/** The page's URL with `#command=…&body=…`. */
export function shareLink(command, bodyText) {
  const url = new URL(location.href);
  url.hash = new URLSearchParams({ command, body: bodyText }).toString();
  return url.href;
}

/**
 * The call in a fragment made by `shareLink`, if it names one of `commands`; else null.
 * @param {string} hash `location.hash`
 * @param {string[]} commands
 */
export function readShared(hash, commands) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const command = params.get("command");
  const body = params.get("body");
  return command && commands.includes(command) && body !== null ? { command, bodyText: body } : null;
}
