// Node CommonJS consumer under moduleResolution "nodenext".
import sns = require("tim-sns");

const sig: string = sns.genUserSig({ sdkAppId: 1, secretKey: "k", identifier: "a" });
const valid: boolean = sns.verifyUserSig(sig, { sdkAppId: 1, secretKey: "k" }).valid;
console.log(valid, sns.decodeUserSig(sig).identifier);
// @ts-expect-error misspelt option
sns.verifyUserSig(sig, { sdkappid: 1, secretKey: "k" });
