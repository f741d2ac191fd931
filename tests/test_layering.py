"""The app order holds: a lower app never imports, links to, includes or `_meta`-reaches into a higher one.

From the bottom: programme → notifications → cohorts → pairs → outputs → reports → privacy, then dashboard and demo.
Pages that need something from above get it through programme.navigation, filled by the app above.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from cohorts.admin import CohortAdmin
from cohorts.models import Cohort
from programme import navigation

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["programme", "notifications", "cohorts", "pairs", "outputs", "reports", "privacy", "dashboard", "demo"]
LEVEL = {app: (index if app != "demo" else ORDER.index("dashboard")) for index, app in enumerate(ORDER)}
# Only the root URLconf and the settings know every app.
ROOT_MODULES = {Path("programme/urls.py"), Path("programme/settings.py")}
# Privacy walks every model linking to the user model on purpose (the data download and erasure must cover
# them all); the apps above it (dashboard, demo) have no models to reach.
REGISTRY_WALKERS = {Path("privacy/download.py")}

URL_NAME = re.compile(r"""{%\s*url\s+['"](?P<app>[a-z_]+):""")
TEMPLATE_PATH = re.compile(r"""{%\s*(?:include|extends)\s+['"](?P<app>[a-z_]+)/""")
PYTHON_URL_NAME = re.compile(r"""(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*f?['"](?P<app>[a-z_]+):""")
META_REACH = re.compile(r"_meta\.get_field\([^)]*\)\.(?:related_model|remote_field)|\.related_model\b")
MODEL_BY_NAME = re.compile(r"""get_model\(\s*['"](?P<app>[a-z_]+)['".]""")


def _app_files(suffix: str) -> list[tuple[str, Path]]:
    files = []
    for app in ORDER:
        folder = ROOT / app
        if folder.is_dir():
            files += [
                (app, path)
                for path in sorted(folder.rglob(f"*{suffix}"))
                if "migrations" not in path.parts and path.relative_to(ROOT) not in ROOT_MODULES
            ]
    return files


def _higher(app: str, other: str) -> bool:
    return other in LEVEL and LEVEL[other] > LEVEL[app]


def _imported_apps(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def upward_references() -> list[str]:
    """Every place a lower app names a higher one, as 'path:line: what'."""
    problems = []
    for app, path in _app_files(".py"):
        where = path.relative_to(ROOT)
        for line, imported in _imported_apps(path):
            if _higher(app, imported):
                problems.append(f"{where}:{line}: imports {imported}")
        text = path.read_text(encoding="utf-8")
        for pattern, what in [(PYTHON_URL_NAME, "URL name of"), (MODEL_BY_NAME, "model by name from")]:
            for match in pattern.finditer(text):
                if _higher(app, match["app"]):
                    problems.append(f"{where}:{text.count(chr(10), 0, match.start()) + 1}: {what} {match['app']}")
        for match in META_REACH.finditer(text) if where not in REGISTRY_WALKERS else ():
            problems.append(f"{where}:{text.count(chr(10), 0, match.start()) + 1}: reaches through _meta")
    for app, path in _app_files(".html"):
        where = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        for pattern, what in [(URL_NAME, "links to"), (TEMPLATE_PATH, "includes a template of")]:
            for match in pattern.finditer(text):
                if _higher(app, match["app"]):
                    problems.append(f"{where}:{text.count(chr(10), 0, match.start()) + 1}: {what} {match['app']}")
    return problems


def test_no_lower_app_imports_links_to_or_reaches_into_a_higher_one():
    assert upward_references() == []


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("pairs", "from outputs.models import Output\n", "imports outputs"),
        ("cohorts", "import dashboard.views\n", "imports dashboard"),
        ("cohorts", 'return redirect("dashboard:home")\n', "URL name of dashboard"),
        ("pairs", 'x = LearningPair._meta.get_field("outputs").related_model\n', "reaches through _meta"),
        ("outputs", 'apps.get_model("reports", "YearEndReport")\n', "model by name from reports"),
    ],
)
def test_the_check_catches_each_kind_of_upward_reference_in_python(tmp_path, monkeypatch, app, source, expected):
    (tmp_path / app).mkdir()
    (tmp_path / app / "module.py").write_text(source)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)

    assert [problem.split(": ", 1)[1] for problem in upward_references()] == [expected]


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("pairs", "<a href=\"{% url 'outputs:report' cohort.pk %}\">", "links to outputs"),
        ("cohorts", "{% include 'pairs/_row.html' %}", "includes a template of pairs"),
    ],
)
def test_the_check_catches_upward_links_and_includes_in_templates(tmp_path, monkeypatch, app, source, expected):
    folder = tmp_path / app / "templates" / app
    folder.mkdir(parents=True)
    (folder / "page.html").write_text(source)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)

    assert [problem.split(": ", 1)[1] for problem in upward_references()] == [expected]


def test_downward_references_are_allowed(tmp_path, monkeypatch):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "module.py").write_text(
        'from pairs.models import LearningPair\nreverse("cohorts:events")\n'
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)

    assert upward_references() == []


def test_cohort_admin_is_registered_once_by_cohorts_and_shows_the_step_deadlines_pairs_adds(rf, world):
    model_admin = admin.site._registry[Cohort]
    request = rf.get("/")
    request.user = world.manager

    assert type(model_admin) is CohortAdmin
    assert "StepDeadlineInline" in [inline.__name__ for inline in model_admin.get_inlines(request, world.cohort)]


def test_cohort_admin_page_shows_step_deadlines(login_as, world):
    page = login_as("manager").get(reverse("admin:cohorts_cohort_change", args=[world.cohort.pk]))

    assert page.status_code == 200
    assert "Step deadline" in page.content.decode()


def test_cohort_overview_links_to_the_report_the_reports_app_registered(login_as, world):
    page = login_as("facilitator").get(reverse("pairs:cohort-overview", args=[world.cohort.pk]))
    links = navigation.links(navigation.COHORT_STAFF_ACTIONS, {"cohort": world.cohort})

    assert [link.label for link in links] == ["Year-end report", "Report findings"]
    for link in links:
        assert f'href="{link.url}"' in page.content.decode()
