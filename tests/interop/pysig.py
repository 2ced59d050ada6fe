"""Drives the official PyPI UserSig library (tls-sig-api-v2==1.1) for the interop tests.

Reads one JSON request on stdin and writes one JSON answer on stdout, so a whole batch costs a
single interpreter start:

stdin:  {"mint":  [{"sdkappid": int, "key": str, "identifier": str, "time": int, "expire": int,
                    "userbuf": hex str (optional)}, ...],
         "check": [{"sig": str, "key": str}, ...]}
stdout: {"library": version, "python": version,
         "minted":  [sig, ...],
         "checked": [{"doc": {...} | null, "valid": bool, "error": str | null}, ...]}

"mint" calls the library's gen_sig (gen_sig_with_userbuf when a userbuf is given) with its clock
(time.time) fixed to the item's time.

"check" applies the library's own algorithm to a sig: undo the * - _ substitution, base64-decode
and inflate (the library's base64_decode_url and zlib), parse the JSON, recompute TLS.sig with the
library's private HMAC method over the decoded fields and compare it with the sig's TLS.sig.
A sig that cannot be read is reported with "error", never by crashing the batch.
"""
import json
import sys
import zlib
from importlib import metadata
from unittest import mock

import TLSSigAPIv2


def mint(item):
    api = TLSSigAPIv2.TLSSigAPIv2(item["sdkappid"], item["key"])
    # The library reads int(time.time()) from the module it imported.
    with mock.patch.object(TLSSigAPIv2.time, "time", lambda: item["time"]):
        if item.get("userbuf") is not None:
            return api.gen_sig_with_userbuf(item["identifier"], item["expire"], bytes.fromhex(item["userbuf"]))
        return api.gen_sig(item["identifier"], item["expire"])


def check(item):
    try:
        raw = TLSSigAPIv2.base64_decode_url(item["sig"].encode("ascii"))
        doc = json.loads(zlib.decompress(raw).decode("utf-8"))
        api = TLSSigAPIv2.TLSSigAPIv2(doc["TLS.sdkappid"], item["key"])
        expected = api._TLSSigAPIv2__hmacsha256(
            doc["TLS.identifier"], doc["TLS.time"], doc["TLS.expire"], doc.get("TLS.userbuf")
        ).decode("ascii")
        return {"doc": doc, "valid": expected == doc["TLS.sig"], "error": None}
    except Exception as e:  # report, never crash the batch
        return {"doc": None, "valid": False, "error": f"{type(e).__name__}: {e}"}


def main():
    # Read bytes and decode as UTF-8 ourselves: the locale's encoding may not be UTF-8.
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    answer = {
        "library": metadata.version("tls-sig-api-v2"),
        "python": sys.version.split()[0],
        "minted": [mint(i) for i in request.get("mint", [])],
        "checked": [check(i) for i in request.get("check", [])],
    }
    # ensure_ascii (the default) keeps stdout plain ASCII whatever the locale.
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
