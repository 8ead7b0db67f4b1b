#!/usr/bin/env python3
"""Validate framework documents against docs/schemas/framework.schema.json with an
independent validator (the `jsonschema` package). Arguments: files, or `--server URL EMAIL
PASSWORD` to validate every framework a running Koers exports."""
import json
import pathlib
import sys
import urllib.request

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs/schemas/framework.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(SCHEMA)
validator = jsonschema.Draft202012Validator(SCHEMA)


def check(name, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"{name}: /{'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
    return not errors


def fetch(url, token=None, body=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode() if body else None)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        return json.load(r)


ok = True
args = sys.argv[1:]
if args and args[0] == "--server":
    base, email, password = args[1:4]
    token = fetch(f"{base}/api/v1/sessions", body={"email": email, "password": password})["token"]
    items = fetch(f"{base}/api/v1/frameworks", token)["items"]
    if not items:
        print("no frameworks exported", file=sys.stderr)
        ok = False
    for f in items:
        ok &= check(f["key"], fetch(f"{base}/api/v1/frameworks/{f['key']}/export", token))
    print(f"{len(items)} exported frameworks checked")
else:
    files = args or sorted(str(p) for p in (ROOT / "crates/koers-domain/frameworks").glob("*.json"))
    for path in files:
        ok &= check(path, json.loads(pathlib.Path(path).read_text()))
    print(f"{len(files)} framework files checked")
sys.exit(0 if ok else 1)
