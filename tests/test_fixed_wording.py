"""No programme's words are written into what Pairwise shows: side names, event kinds and the like come from the
programme's shape (programme/default_shape.py holds the 2014-15 programme's words as data).

User-visible text is template text (every .html and .txt template) and the strings the code shows: labels,
choices, help texts, messages, headings. Docstrings, comments, identifiers, codes (a lower-case word such as
"policymaker" stored in records), migrations, tests, the demo data, the benchmarks and the default shape are exempt.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["programme", "notifications", "cohorts", "pairs", "outputs", "reports", "privacy", "dashboard"]
EXEMPT = {Path("programme/default_shape.py")}
FIXED_WORDS = re.compile(r"policy[ -]?makers?|practitioners?|round[ -]?tables?|workshops?", re.IGNORECASE)
# A code or identifier: what records store and code compares, never shown as such ("policymaker_target").
CODE = re.compile(r"[a-z0-9_]+")

# The old TextChoices kept as the default shape's code constants (SHAPE.md) whose labels other parts of issue 13
# still read; each entry is (file, the literal), to be removed as those constants lose their labels.
ALLOWED: set[tuple[str, str]] = set()

TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
TEMPLATE_CODE = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)
QUOTED = re.compile(r"""(["'])(.*?)\1""")


def _python_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts and relative not in EXEMPT:
                files.append(path)
    return files


def _template_files() -> list[Path]:
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in {".html", ".txt"})


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _shown(text: str) -> bool:
    return bool(FIXED_WORDS.search(text)) and not CODE.fullmatch(text)


def python_hits(path: Path, text: str | None = None) -> list[str]:
    """The string literals of a module, docstrings and codes aside, that contain a fixed word."""
    tree = ast.parse(text or path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    relative = str(path.relative_to(ROOT))
    return [
        f"{relative}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and _shown(node.value)
        and (relative, node.value) not in ALLOWED
    ]


def template_hits(path: Path, text: str | None = None) -> list[str]:
    """The lines of a template whose text, or a quoted string in a tag, contains a fixed word."""
    text = TEMPLATE_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text or path.read_text(encoding="utf-8"))
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        shown = TEMPLATE_CODE.sub(" ", line)
        quoted = [q for code in TEMPLATE_CODE.findall(line) for _, q in QUOTED.findall(code)]
        if FIXED_WORDS.search(shown) or any(_shown(q) for q in quoted):
            hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return hits


def test_the_scan_finds_fixed_wording_and_passes_codes_comments_and_docstrings():
    source = (
        '"""Pairs of policymakers."""\n'
        "# a roundtable\n"
        'LABEL = "Policymaker"\n'
        'CODE = "policymaker"\n'
        'FIELD = "practitioner_target"\n'
        'def f(n):\n    """Workshop."""\n    return f"{n} workshops"\n'
    )
    hits = python_hits(ROOT / "cohorts" / "probe.py", source)
    assert [hit.split(": ", 1)[1] for hit in hits] == ["'Policymaker'", "' workshops'"]

    template = ROOT / "templates" / "probe.html"
    source = (
        "{# a roundtable #}\n"
        "{% comment %}\nWorkshops\n{% endcomment %}\n"
        "{{ s.policymaker.user }}\n"
        '{% if kind == "roundtable" %}x{% endif %}\n'
        "<th>Practitioner</th>\n"
        '{% include "x.html" with label="Roundtables" %}\n'
    )
    assert [hit.split(": ", 1)[0] for hit in template_hits(template, source)] == [
        "templates/probe.html:7",
        "templates/probe.html:8",
    ]


def test_no_fixed_programme_wording_in_what_people_see():
    hits = [hit for path in _python_files() for hit in python_hits(path)]
    hits += [hit for path in _template_files() for hit in template_hits(path)]
    assert not hits, "Fixed programme wording (use the programme's shape):\n" + "\n".join(hits)


@pytest.mark.parametrize("word", ["policymaker", "Practitioners", "round-table", "Workshops"])
def test_every_fixed_word_and_its_plural_is_caught(word):
    assert _shown(f"A {word} here")
