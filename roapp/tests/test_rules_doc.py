"""The manual stays true to the repository: docs/rules.md has an entry for every rule a test names, its proofs
name their rule, and every relative link of README.md and docs/ leads to a file (and heading) that exists.

Plain file reading: no database, no network, so it runs the same on SQLite and PostgreSQL.
"""

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
THIS = Path(__file__).resolve()

# A rule id as tests write it (test_R21_..., "R15-R18", "(R7)"), not part of a longer word or number.
RULE_ID = re.compile(r"(?<![A-Za-z0-9])(R\d+)(?!\d)")
ENTRY = re.compile(r"^### (R\d+) — ", re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.MULTILINE)
SKIPPED_DIRS = {"node_modules", "site-packages", "__pycache__", "test-artifacts", "mutants"}  # mutants: `make mutants`


def _in_repository(path: Path) -> bool:
    """Not inside a virtualenv, a cache or any hidden folder (.venv, .git) that sits in the working tree."""
    parts = path.relative_to(ROOT).parts[:-1]
    return not any(part.startswith(".") or part in SKIPPED_DIRS for part in parts)


@cache
def repository_test_modules() -> dict[str, str]:
    """Every test module of the repository (test*.py), by its path from the root, with its text."""
    found = {}
    for path in sorted(ROOT.rglob("test*.py")):
        if _in_repository(path) and path.resolve() != THIS:
            found[path.relative_to(ROOT).as_posix()] = path.read_text(encoding="utf-8")
    return found


def manual_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def rule_entries() -> dict[str, str]:
    """Each rule's entry in docs/rules.md: from its heading to the next heading of any level."""
    text = RULES.read_text(encoding="utf-8")
    entries = {}
    for match in ENTRY.finditer(text):
        following = re.compile(r"^#{1,3} ", re.MULTILINE).search(text, match.end())
        entries[match.group(1)] = text[match.start() : following.start() if following else len(text)]
    return entries


def names_rule(text: str, rule: str) -> bool:
    return any(m.group(1) == rule for m in RULE_ID.finditer(text))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text, lower-case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The anchors of a page's headings; a repeated heading gets -1, -2, ... as on GitHub."""
    found, seen = set(), {}
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        repeats = seen.get(base, 0)
        seen[base] = repeats + 1
        found.add(base if repeats == 0 else f"{base}-{repeats}")
    return found


def links(page: Path) -> list[str]:
    """Link and image targets of a page, outside code blocks and code spans."""
    text = CODE_SPAN.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
    return LINK.findall(text)


def proof_links(entry: str) -> list[str]:
    """The test files an entry links as its proof (paths from the root)."""
    proof = re.search(r"^Proof: (.*?)(?:\n\n|\Z)", entry, re.MULTILINE | re.DOTALL)
    assert proof, f"no 'Proof:' line in:\n{entry}"
    targets = LINK.findall(proof.group(1))
    return [(RULES.parent / target).resolve().relative_to(ROOT).as_posix() for target in targets]


def test_every_rule_a_test_names_has_an_entry_in_the_rules_page():
    entries = rule_entries()
    missing = {}
    for path, text in repository_test_modules().items():
        for rule in {m.group(1) for m in RULE_ID.finditer(text)} - set(entries):
            missing.setdefault(rule, []).append(path)
    assert not missing, f"rules named by tests but without a '### Rn — ...' entry in docs/rules.md: {missing}"


def test_every_relative_link_of_the_manual_leads_to_a_file_and_heading_that_exist():
    broken = []
    for page in manual_pages():
        for target in links(page):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: — not in the repository
                continue
            path_part, _, anchor = target.partition("#")
            destination = (page.parent / path_part).resolve() if path_part else page.resolve()
            where = f"{page.relative_to(ROOT)}: {target}"
            if not destination.is_relative_to(ROOT):
                broken.append(f"{where} (outside the repository)")
                continue
            if not destination.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                broken.append(f"{where} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_every_test_file_given_as_a_rules_proof_names_that_rule():
    files = repository_test_modules()
    wrong = []
    for rule, entry in rule_entries().items():
        for path in proof_links(entry):
            if path not in files:
                wrong.append(f"{rule}: {path} is not a test file of the repository")
            elif not names_rule(files[path], rule):
                wrong.append(f"{rule}: {path} does not name {rule}")
    assert not wrong, "\n".join(wrong)


def test_every_test_file_that_names_a_rule_is_listed_as_its_proof():
    """So a rule's proof list stays complete, and "Proof: not yet built." goes once a test names the rule."""
    files = repository_test_modules()
    unlisted = []
    for rule, entry in rule_entries().items():
        naming = {path for path, text in files.items() if names_rule(text, rule)}
        if missing := sorted(naming - set(proof_links(entry))):
            unlisted.append(f"{rule}: add {', '.join(missing)}")
        if not naming and "Proof: not yet built." not in entry:
            unlisted.append(f"{rule}: no test names it; its entry must say 'Proof: not yet built.'")
    fix = "python scripts/rule_proofs.py rewrites them"
    assert not unlisted, f"docs/rules.md proof lines out of date ({fix}):\n" + "\n".join(unlisted)


def test_the_test_names_the_manual_cites_exist():
    defined = {name for text in repository_test_modules().values() for name in re.findall(r"def (test_\w+)", text)}
    cited = {
        (page.relative_to(ROOT).as_posix(), name)
        for page in manual_pages()
        for name in re.findall(r"`(test_\w+)`", page.read_text(encoding="utf-8"))
    }
    unknown = sorted(f"{page}: {name}" for page, name in cited if name not in defined)
    assert not unknown, "tests cited in the manual that no test file defines:\n" + "\n".join(unknown)
