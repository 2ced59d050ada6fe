// Node ESM consumer under moduleResolution "nodenext". Compiles only if the package's types
// resolve and every @ts-expect-error line really is an error.
import init, {
  genUserSig, decodeUserSig, verifyUserSig, isValidationError, isUserSigError,
  type GenUserSigOptions, type DecodedUserSig, type VerifyUserSigResult, type UserSigRefusal, type Violation,
} from "tim-sns";

await init();

const opts: GenUserSigOptions = { sdkAppId: 1400000000, secretKey: "k", identifier: "administrator", expireSeconds: 86400 };
const sig: string = genUserSig(opts);
const d: DecodedUserSig = decodeUserSig(sig);
const expiresAt: number = d.expiresAt;
const r: VerifyUserSigResult = verifyUserSig(sig, { sdkAppId: d.sdkAppId, secretKey: "k", now: expiresAt });
const reason: UserSigRefusal | undefined = r.reason;
if (reason === "bad-signature" || reason === "expired" || reason === "malformed") console.log(r.errorCode);
genUserSig({ ...opts, userBuf: new Uint8Array([1, 2]) });
genUserSig({ ...opts, userBuf: [1, 2] });

try {
  genUserSig(opts);
} catch (e) {
  if (isValidationError(e)) {
    const v: Violation[] = e.violations;
    console.log(v.map((x) => `${x.path}: ${x.rule}`));
  } else if (isUserSigError(e)) {
    const code: number = e.errorCode;
    console.log(code, e.reason);
  }
}

// @ts-expect-error misspelt option (sdkAppID)
genUserSig({ sdkAppID: 1, secretKey: "k", identifier: "a" });
// @ts-expect-error wrong value type
genUserSig({ sdkAppId: "1400000000", secretKey: "k", identifier: "a" });
// @ts-expect-error missing required option
genUserSig({ sdkAppId: 1, identifier: "a" });
// @ts-expect-error not a refusal reason
const bad: UserSigRefusal = "wrong-key";
// @ts-expect-error misspelt result field
console.log(d.expiresAT, bad);

import { validate, type ValidateOptions, type SnsCommand } from "tim-sns";
const cmd: SnsCommand = "friend_add";
const vopts: ValidateOptions = { softLimits: false, userIdCharset: "strict" };
const found: Violation[] = validate(cmd, { From_Account: "a" }, vopts);
console.log(found.length);
// @ts-expect-error not a command
validate("friend_get_all", {});
// @ts-expect-error not a charset mode
validate("friend_get", {}, { userIdCharset: "ascii" });
