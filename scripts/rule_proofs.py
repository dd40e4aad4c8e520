"""Rewrite the "Proof:" line of every rule in docs/rules.md from the test files that name that rule.

Run from the repository root after adding or moving tests: `python scripts/rule_proofs.py`.
roapp/tests/test_rules_doc.py fails while a proof line is out of date.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {".venv", "venv", "mutants", ".git", "node_modules"}


def test_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("test*.py")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts) and path.name != "test_rules_doc.py"
    ]


def files_naming(rule: str, files: list[Path]) -> list[str]:
    pattern = re.compile(rf"(?<![A-Za-z0-9]){rule}(?!\d)")
    return sorted(path.relative_to(ROOT).as_posix() for path in files if pattern.search(path.read_text("utf-8")))


def main() -> None:
    doc = ROOT / "docs/rules.md"
    files = test_files()
    lines, rule = [], None
    for line in doc.read_text("utf-8").split("\n"):
        heading = re.match(r"### (R\d+) ", line)
        if heading:
            rule = heading.group(1)
        if rule and line.startswith("Proof:"):
            proofs = files_naming(rule, files)
            line = "Proof: " + ", ".join(f"[{f}](../{f})" for f in proofs) + "." if proofs else "Proof: not yet built."
        lines.append(line)
    doc.write_text("\n".join(lines), "utf-8")


if __name__ == "__main__":
    main()
