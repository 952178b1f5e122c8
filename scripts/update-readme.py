#!/usr/bin/env python3
"""Regenerates the rule table in README.md from `cloudtrail-lint rules --format markdown`.

usage: scripts/update-readme.py [path/to/cloudtrail-lint]   (default .build/debug/cloudtrail-lint)
"""
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/cloudtrail-lint")
table = subprocess.run([binary, "rules", "--format", "markdown"], check=True, capture_output=True, text=True).stdout
readme = (root / "README.md").read_text()
new, count = re.subn(r"\| Rule \| Category \|.*?\n(?=\n)", lambda _: table, readme, count=1, flags=re.S)
if count != 1:
    sys.exit("README.md has no rule table to replace")
(root / "README.md").write_text(new)
