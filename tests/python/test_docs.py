"""The reference pages under docs/ cannot rot: every ```python block runs (the blocks of
one page in order, in one shared namespace, from a scratch directory), every relative
Markdown link in docs/*.md and README.md points at something that exists (and, for a
link into a Markdown page, at one of its headings), and a fenced block announced as
`<!-- verbatim: path -->` is exactly that file of the repository."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = REPO_ROOT / "docs"
PAGES = sorted(DOCS_DIR.glob("*.md"))
LINKED_FILES = [*PAGES, REPO_ROOT / "README.md"]

# The reference pages of issue #8; each but cpp.md carries runnable Python examples.
EXPECTED_PAGES = {
    "index.md",
    "money-and-calendar.md",
    "staff-and-policy.md",
    "clients-and-routines.md",
    "marketing-plans.md",
    "job-tickets.md",
    "ledger-and-reconciliation.md",
    "evaluation.md",
    "persistence.md",
    "errors.md",
    "cpp.md",
}
PAGES_WITHOUT_PYTHON = {"cpp.md"}

_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$\n?", re.M | re.S
)
_INLINE_CODE = re.compile(r"(`+).+?\1", re.S)
_INLINE_LINK = re.compile(  # [text](target "title"), ![alt](target), [text](<target>)
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
    r"\(\s*(?:<([^>]*)>|([^()\s]+))(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.M)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_VERBATIM = re.compile(r"<!--\s*verbatim:\s*(\S+)\s*-->\s*\n")


@dataclass(frozen=True)
class Block:
    info: str
    body: str
    line: int  # 1-based line of the first line of the body in its page
    start: int  # offset of the opening fence
    end: int  # offset just past the closing fence


def _blocks(text: str) -> list[Block]:
    return [
        Block(m.group("info").strip(), m.group("body"), text.count("\n", 0, m.start("body")) + 1, m.start(), m.end())
        for m in _FENCE.finditer(text)
    ]


def _python_blocks(page: Path) -> list[Block]:
    return [b for b in _blocks(page.read_text(encoding="utf-8")) if b.info.split()[:1] == ["python"]]


def _without_fences(text: str) -> str:
    """The text with its fenced blocks blanked out (kept line for line)."""
    for block in reversed(_blocks(text)):
        text = text[: block.start] + "\n" * text.count("\n", block.start, block.end) + text[block.end :]
    return text


def _prose(text: str) -> str:
    """The text without fenced blocks and inline code (kept line for line)."""
    return _INLINE_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), _without_fences(text))


def _links(path: Path) -> list[tuple[int, str]]:
    prose = _prose(path.read_text(encoding="utf-8"))
    found = [(prose.count("\n", 0, m.start()) + 1, m.group(1) or m.group(2)) for m in _INLINE_LINK.finditer(prose)]
    found += [(prose.count("\n", 0, m.start()) + 1, m.group(1)) for m in _REFERENCE_DEF.finditer(prose)]
    return sorted(found)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: link markup and code ticks dropped, lower case,
    punctuation removed, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for m in _HEADING.finditer(_without_fences(page.read_text(encoding="utf-8"))):
        slug = _slug(m.group(1))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def _rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


# ----------------------------------------------------------------- the pages


def test_the_reference_pages_exist() -> None:
    assert {p.name for p in PAGES} >= EXPECTED_PAGES


def test_every_page_is_linked_from_the_index() -> None:
    linked = {target.split("#")[0] for _, target in _links(DOCS_DIR / "index.md")}
    assert {p.name for p in PAGES} - {"index.md"} <= linked


@pytest.mark.parametrize("page", [p for p in PAGES if p.name not in PAGES_WITHOUT_PYTHON], ids=lambda p: p.name)
def test_page_has_python_examples(page: Path) -> None:
    assert _python_blocks(page), f"{_rel(page)} has no ```python example"


# ----------------------------------------------------------------- the examples run


@pytest.mark.parametrize("page", [p for p in PAGES if _python_blocks(p)], ids=lambda p: p.name)
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    for block in _python_blocks(page):
        # Padding the source puts traceback line numbers on the page's own lines.
        code = compile("\n" * (block.line - 1) + block.body, str(page), "exec")
        try:
            exec(code, namespace)  # noqa: S102 - running the documentation is the point
        except Exception as exc:
            where = f"{_rel(page)}:{block.line}"
            raise AssertionError(f"{where}: the example fails with {type(exc).__name__}: {exc}") from exc


# ----------------------------------------------------------------- links and verbatim copies


@pytest.mark.parametrize("path", LINKED_FILES, ids=_rel)
def test_relative_links_resolve(path: Path) -> None:
    broken = []
    for line, target in _links(path):
        if _SCHEME.match(target) or target.startswith("//"):
            continue  # an absolute URL
        file_part, _, fragment = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(REPO_ROOT):
            continue  # the rule book beside the checkout (../shared): not part of this repository
        if not resolved.exists():
            broken.append(f"{_rel(path)}:{line}: {target} -> {resolved} does not exist")
        elif fragment and resolved.suffix == ".md" and fragment not in _anchors(resolved):
            broken.append(f"{_rel(path)}:{line}: {target} -> no heading #{fragment} in {resolved.name}")
    assert not broken, "\n".join(broken)


def test_links_are_found() -> None:
    # Guards the link checker itself: the index links every page.
    assert len(_links(DOCS_DIR / "index.md")) >= len(EXPECTED_PAGES) - 1


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_verbatim_blocks_match_their_files(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = {b.start: b for b in _blocks(text)}
    for m in _VERBATIM.finditer(text):
        block = blocks.get(m.end())
        assert block is not None, f"{_rel(page)}: <!-- verbatim: {m.group(1)} --> is not followed by a fenced block"
        source = REPO_ROOT / m.group(1)
        assert block.body == source.read_text(encoding="utf-8"), f"{_rel(page)}: its copy of {m.group(1)} is stale"
