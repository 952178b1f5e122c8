#!/usr/bin/env python3
"""Benchmark baseline: validate every record of CloudTrail log files with Python `jsonschema`,
using this project's own exported schemas (Schemas/), each record against its eventVersion's schema.

usage: bench-jsonschema.py FILE.json[.gz]...
"""
import gzip
import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

root = Path(__file__).resolve().parent.parent / "Schemas"
index = json.loads((root / "index.json").read_text())
resources = []
for path in root.rglob("*.json"):
    if path.name == "index.json":
        continue
    doc = json.loads(path.read_text())
    resources.append((doc["$id"], Resource.from_contents(doc, default_specification=DRAFT202012)))
registry = Registry().with_resources(resources)
validators = {}
for version, name in index["versions"].items():
    schema = json.loads((root / name).read_text())
    validators[version] = Draft202012Validator(schema, registry=registry)

records = errors = 0
for name in sys.argv[1:]:
    opener = gzip.open if name.endswith(".gz") else open
    with opener(name, "rb") as f:
        doc = json.load(f)
    for record in doc.get("Records", []):
        v = validators.get(record.get("eventVersion"))
        records += 1
        if v is None or not v.is_valid(record):
            errors += 1
print(f"records={records} errors={errors}")
