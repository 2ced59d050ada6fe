// A bundler consumer: Vite resolves "tim-sns" through the package's `default` export condition.
import init, { genUserSig, decodeUserSig, verifyUserSig } from "tim-sns";

const out = document.getElementById("result");
try {
  await init();
  const opts = { sdkAppId: 1400000000, secretKey: "vite-key", identifier: "administrator" };
  const sig = genUserSig({ ...opts, time: 1700000000, expireSeconds: 3600 });
  const decoded = decodeUserSig(sig);
  const verified = verifyUserSig(sig, { ...opts, now: 1700000000 });
  out.textContent = JSON.stringify({ decoded, valid: verified.valid });
} catch (error) {
  out.textContent = JSON.stringify({ error: String(error) });
}
