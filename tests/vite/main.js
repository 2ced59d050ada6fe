// A bundler consumer: Vite resolves "tim-sns" through the package's `default` export condition
// (the browser build) and emits the .wasm that `init()` fetches as a hashed asset.
import init, { genUserSig, decodeUserSig, verifyUserSig } from "tim-sns";

const out = document.getElementById("result");
try {
  await init();
  const options = { sdkAppId: 1400000000, secretKey: "vite-consumer-key", identifier: "administrator" };
  const sig = genUserSig({ ...options, time: 1700000000, expireSeconds: 3600 });
  const decoded = decodeUserSig(sig);
  const verified = verifyUserSig(sig, { ...options, now: 1700000100 });
  const wrongKey = verifyUserSig(sig, { ...options, secretKey: "another-key", now: 1700000100 });
  out.textContent = JSON.stringify({
    sig,
    decoded,
    verified: { valid: verified.valid, reason: verified.reason ?? null },
    wrongKey: { valid: wrongKey.valid, reason: wrongKey.reason ?? null, errorCode: wrongKey.errorCode ?? null },
  });
} catch (error) {
  out.textContent = JSON.stringify({ error: String(error?.message ?? error) });
}
