#!/usr/bin/env python3
"""Extracts every JSON sample from the API spec and the user's seed documents into
tests/fixtures/<endpoint>/<source>-<nn>-<request|response>.json (docs' // comments stripped).

Usage: python3 scripts/extract-fixtures.py SPEC_DIR SEEDS_DIR
Run it again when the docs change; the output is committed so tests never read the docs.
"""
import json
import pathlib
import re
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SEED_ENDPOINTS = {"000": "friend_add", "001": "friend_import", "002": "friend_add", "003": "group_add"}
ENDPOINTS = {
    "friend_add", "friend_import", "friend_update", "friend_delete", "friend_delete_all", "friend_check",
    "friend_get", "friend_get_list", "black_list_add", "black_list_delete", "black_list_get",
    "black_list_check", "group_add", "group_delete", "group_get",
}


def strip_comments(text):
    # `//` comments as the docs write them: to end of line, outside strings (URLs contain // too).
    out = []
    for line in text.splitlines():
        in_string = False
        for i, ch in enumerate(line):
            if ch == '"' and (i == 0 or line[i - 1] != "\\"):
                in_string = not in_string
            elif not in_string and line.startswith("//", i):
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


def samples(text):
    """Every top-level JSON object in `text`, in order."""
    decoder = json.JSONDecoder()
    text = strip_comments(text)
    found, i = [], 0
    while (i := text.find("{", i)) >= 0:
        try:
            obj, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            i += 1
            continue
        if isinstance(obj, dict) and obj:
            found.append(obj)
        i = end
    return found


def kind(obj):
    return "response" if "ActionStatus" in obj or "ErrorCode" in obj else "request"


def write(endpoint, source, items):
    folder = OUT / endpoint
    folder.mkdir(parents=True, exist_ok=True)
    for n, obj in enumerate(items, 1):
        path = folder / f"{source}-{n:02d}-{kind(obj)}.json"
        path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def spec_sections(path):
    """Splits a spec page at '## N. `command`' headings."""
    current, chunks = "envelope" if path.name == "README.md" else None, {}
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        m = re.match(r"^## \d+\. `([a-z_]+)`", line)
        if m:
            current = m.group(1)
        if current:
            chunks[current] = chunks.get(current, "") + line
    return chunks


def main(spec_dir, seeds_dir):
    for page in [f"{name}.md" for name in ("README", "friends", "blacklist", "lists")]:
        for endpoint, text in spec_sections(pathlib.Path(spec_dir) / page).items():
            blocks = "\n".join(re.findall(r"```json\n(.*?)```", text, re.S))
            write(endpoint if endpoint in ENDPOINTS else "envelope", f"spec-{page.removesuffix('.md').lower()}", samples(blocks))
    webhooks = pathlib.Path(spec_dir) / "webhooks.md"
    write("webhooks", "spec-webhooks", samples("\n".join(re.findall(r"```json\n(.*?)```", webhooks.read_text(), re.S))))
    for seed in sorted(pathlib.Path(seeds_dir).glob("0*.txt")):
        prefix = seed.name[:3]
        text = seed.read_text(encoding="utf-8")
        if prefix == "001":  # the REST tree comes first; the friend_import page starts at its heading
            text = text[text.find("Sample request"):]
        write(SEED_ENDPOINTS[prefix], f"seed-{prefix}", samples(text))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
