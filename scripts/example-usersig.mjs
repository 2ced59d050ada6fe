// What a Node admin script does with tim-sns today: mint the admin UserSig, read it back,
// check it, and see a refusal explained. No Tencent account needed.
import { genUserSig, decodeUserSig, verifyUserSig, explainError } from "tim-sns";

const sdkAppId = Number(process.env.TIM_SDKAPPID ?? 1400000000);
const identifier = process.env.TIM_IDENTIFIER ?? "administrator";
// A throwaway demo key unless a real one is in the environment; never hard-code real keys.
const secretKey = process.env.TIM_SECRET_KEY ?? "demo-key-for-the-example-only";

const sig = genUserSig({ sdkAppId, secretKey, identifier, expireSeconds: 7 * 86400 });
const d = decodeUserSig(sig);
console.log(`minted a UserSig for ${d.identifier} (SDKAppID ${d.sdkAppId}), valid until ${new Date(d.expiresAt * 1000).toISOString()}`);
console.log("verify with the right key:", verifyUserSig(sig, { sdkAppId, secretKey, identifier }).valid ? "valid" : "refused");
const wrong = verifyUserSig(sig, { sdkAppId, secretKey: "not-the-key", identifier });
console.log(`verify with a wrong key: ${wrong.reason} -> server error ${wrong.errorCode}: ${explainError(wrong.errorCode).hint}`);
