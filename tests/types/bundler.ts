// Browser/bundler consumer under moduleResolution "bundler" (resolves the "default" condition).
import init, { genUserSig, decodeUserSig, type DecodedUserSig } from "tim-sns";

export async function main(): Promise<DecodedUserSig> {
  await init();
  return decodeUserSig(genUserSig({ sdkAppId: 1, secretKey: "k", identifier: "a" }));
}
// @ts-expect-error identifier must be a string
genUserSig({ sdkAppId: 1, secretKey: "k", identifier: 42 });
