"""Drives the official PyPI UserSig library (tls-sig-api-v2==1.1) for the interop tests.

stdin:  {"mint": [{sdkappid, key, identifier, time, expire}, ...],
         "check": [{sig, key}, ...]}
stdout: {"minted": [sig, ...],
         "checked": [{"doc": {...} | null, "valid": bool, "error": str | null}, ...]}

"check" applies the library's own algorithm to a sig: undo the *-_ substitution, base64-decode,
inflate, parse the JSON and recompute TLS.sig with the library's HMAC over the decoded fields.
"""
import base64
import json
import sys
import time
import zlib

import TLSSigAPIv2


def mint(item):
    api = TLSSigAPIv2.TLSSigAPIv2(item["sdkappid"], item["key"])
    real_time = time.time
    time.time = lambda: item["time"]
    try:
        return api.gen_sig(item["identifier"], item["expire"])
    finally:
        time.time = real_time


def check(item):
    try:
        raw = TLSSigAPIv2.base64_decode_url(item["sig"].encode())
        doc = json.loads(zlib.decompress(raw).decode("utf-8"))
        api = TLSSigAPIv2.TLSSigAPIv2(doc["TLS.sdkappid"], item["key"])
        expected = api._TLSSigAPIv2__hmacsha256(
            doc["TLS.identifier"], doc["TLS.time"], doc["TLS.expire"], doc.get("TLS.userbuf")
        ).decode()
        return {"doc": doc, "valid": expected == doc["TLS.sig"], "error": None}
    except Exception as e:  # report, never crash the batch
        return {"doc": None, "valid": False, "error": f"{type(e).__name__}: {e}"}


def main():
    request = json.load(sys.stdin)
    json.dump(
        {
            "minted": [mint(i) for i in request.get("mint", [])],
            "checked": [check(i) for i in request.get("check", [])],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
