"""Facts spelled once: the rating scale in core/ratings.py, colours in core/palette.py.

Every other module derives its codes, spellings and colours from those two,
so a new rating or a new shade is one edit. This test reads the source tree
and names any string literal that spells a rating or a colour elsewhere.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import workbench
from workbench.core.ratings import RATING_SCALE

PACKAGE = Path(workbench.__file__).parent
SCALE_MODULE = PACKAGE / "core" / "ratings.py"
PALETTE_MODULE = PACKAGE / "core" / "palette.py"
#: Migrations record the schema as it was when released: frozen history, not a fact to share.
HISTORY = PACKAGE / "store" / "migrations"

CODES = {code for code in RATING_SCALE.codes.values() if code}
#: Spellings long enough to mean a rating wherever they appear ("c", "-" and "0" mean
#: many things; they are checked through the key and spelling tables instead). Short
#: ones ("cc", "n/a", "++") count as written; words ("consistent") in any case.
SHORT_SPELLINGS = {s for s in RATING_SCALE.spellings if 1 < len(s) <= 3}
WORDS = {s for s in RATING_SCALE.spellings if len(s) > 3} | {
    label.lower() for label in RATING_SCALE.labels.values()
}
_ALTERNATIVES = "|".join(sorted(CODES, key=len, reverse=True))
QUOTED_CODE = re.compile(rf"""["'](?:{_ALTERNATIVES})["']""")
#: A multi-letter code as a word in prose ("1 for each II"): single letters are too common.
CODE_WORD = re.compile(
    r"(?<![\w-])(?:%s)(?![\w-])" % "|".join(c for c in CODES if len(c) > 1)  # noqa: UP031
)
COLOUR = re.compile(r"(?<![&\w])#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b|^[0-9A-Fa-f]{6}$")


def _sources(exclude: Path) -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != exclude and HISTORY not in path.parents
    ]


@functools.cache  # both scans read the same tree: parse each file once
def _strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_rating_codes_and_spellings_live_in_the_scale() -> None:
    found = []
    for path in _sources(SCALE_MODULE):
        for line, text in _strings(path):
            words = " ".join(text.split()).lower()
            if (
                text in CODES
                or text in SHORT_SPELLINGS
                or words in WORDS
                or QUOTED_CODE.search(text)
                or CODE_WORD.search(text)
            ):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}")
    assert found == [], "rating literals outside core/ratings.py:\n" + "\n".join(found)


def test_colours_live_in_the_palette() -> None:
    found = []
    for path in _sources(PALETTE_MODULE):
        for line, text in _strings(path):
            if COLOUR.search(text):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}")
    assert found == [], "colour literals outside core/palette.py:\n" + "\n".join(found)


def test_the_checks_see_a_literal() -> None:
    """The scanners themselves: a planted literal is found."""
    assert QUOTED_CODE.search('=SUMPRODUCT((A1:A9="II")*1)')
    assert CODE_WORD.search("2 for each II.") and not CODE_WORD.search("II-VI, NATO")
    assert COLOUR.search("color: #B2182B;") and COLOUR.search("2166AC")
    assert not COLOUR.search("&#9873;")


def test_reports_never_load_qt_widgets_and_html_loads_no_qt(tmp_path) -> None:
    """Every report module imports without QtWidgets; an HTML report starts no Qt."""
    import subprocess
    import sys

    project = tmp_path / "p.achwb"
    out = tmp_path / "r.html"
    script = f"""
import sys
from workbench.exchange.example import load_example
from workbench.store import ProjectFile
ProjectFile.create({str(project)!r}, load_example()).close()
from workbench.reports import write_report
write_report(ProjectFile.open({str(project)!r}, read_only=True).project, {str(out)!r},
             app_version="t")
assert not any(m.startswith("PySide6") for m in sys.modules), "an HTML report loaded Qt"
import workbench.reports.pdf, workbench.reports.raster
assert "PySide6.QtWidgets" not in sys.modules, "a report module loaded QtWidgets"
"""
    # Run outside the checkout, so the installed package (and its resources) is imported.
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("data:image/svg+xml;base64,") == 3
