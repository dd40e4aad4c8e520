"""Where the platforms' public payloads and schemas live: the repository's own fixtures/ (see its SOURCES.md)."""

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parents[1] / "fixtures"
