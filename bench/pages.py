"""Time every page of issue 19 at 100x through gunicorn, as ratios to the sign-in page, and check the targets.

Run from the project root against a PostgreSQL database built by `load_scale`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_scale .venv/bin/python manage.py load_scale --force
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_scale .venv/bin/python bench/pages.py --port 8106

It starts gunicorn (DEBUG=0, 2 workers) on the port, signs in as the member, the facilitator and the
manager of the largest cohort, and requests every page in shuffled rounds, each round also timing
the sign-in page (a template render with no query: the baseline) and /healthz/live. Each page's
median and 95th percentile are printed as multiples of the baseline's median, measured in the same
run, so the figures compare across machines. The library list's throughput is measured against the
sign-in page's with as many client threads as workers. Targets (medians, multiples of the baseline):
member and public pages ≤ 6, staff pages and admin changelists ≤ 10, report preview ≤ 15, library
throughput ≥ 20% of the baseline's. Exits 1 when a target is missed. The table also goes to
bench/results/pages.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "programme.settings")

TARGETS = {"member": 6.0, "public": 6.0, "staff": 10.0, "admin": 10.0, "report": 15.0}
LIBRARY_THROUGHPUT_TARGET = 0.20
SIGN_IN = "/accounts/login/"
LIVE = "/healthz/live"


class Client:
    """One keep-alive connection with its own cookies: a signed-in person, or the public."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                elapsed = time.perf_counter() - started
                break
            except (http.client.HTTPException, ConnectionError):
                # gunicorn closes idle keep-alive connections; open a new one and try once more.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, text, elapsed

    def sign_in(self, email: str, password: str) -> None:
        _, page, _ = self.request("GET", SIGN_IN)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise SystemExit("The sign-in page has no CSRF token.")
        form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": email, "password": password})
        status, _, _ = self.request("POST", SIGN_IN, body=form)
        if status != 302:
            raise SystemExit(f"Signing in as {email} failed (status {status}).")


@dataclass
class Page:
    name: str
    role: str  # member, public, staff, admin or report
    path: str
    times: list[float] = field(default_factory=list)

    @property
    def target(self) -> float:
        return TARGETS[self.role]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scale_pages() -> tuple[list[Page], dict[str, str]]:
    """The pages of issue 19 for the largest cohort of the scale data, and who signs in for each role."""
    import django

    django.setup()
    from bench.scale import SCALE_LOGINS, SCALE_PASSWORD
    from cohorts.models import Cohort, Event, Survey
    from pairs.models import LearningPair

    emails = dict(zip(("admin", "staff", "member"), (email for email, _ in SCALE_LOGINS), strict=True))
    try:
        cohort = Cohort.objects.get(facilitators__email=emails["staff"])
    except Cohort.DoesNotExist:
        raise SystemExit("No scale data here: run `manage.py load_scale --force` on this database first.") from None
    pair = LearningPair.objects.get(members__membership__user__email=emails["member"], members__left_on__isnull=True)
    event = Event.objects.filter(cohort=cohort, attendances__isnull=False).order_by("starts_at").distinct().first()
    assert event is not None, "the largest cohort has no event with attendance"
    survey = Survey.objects.filter(cohort=cohort).first()
    assert survey is not None, "the largest cohort has no survey"
    c = cohort.pk
    pages = [
        Page("Member dashboard", "member", "/dashboard/"),
        Page("Workspace", "member", f"/pairs/{pair.pk}/"),
        Page("Activity list", "member", f"/pairs/{pair.pk}/activities/"),
        Page("Directory", "member", f"/cohorts/{c}/directory/"),
        Page("Directory search", "member", f"/cohorts/{c}/directory/?q=housing"),
        Page("Event list", "member", f"/cohorts/{c}/events/"),
        Page("Event page", "member", f"/cohorts/events/{event.pk}/"),
        Page("Library list", "public", "/library/"),
        Page("Library search", "public", "/library/?q=housing+advice"),
        Page("Attendance register", "staff", f"/cohorts/events/{event.pk}/attendance/"),
        Page("Cohort overview", "staff", f"/facilitate/cohorts/{c}/"),
        Page("Insights", "staff", f"/cohorts/{c}/insights/"),
        Page("Cohort outputs", "staff", f"/outputs/cohorts/{c}/"),
        Page("Suggestions", "staff", f"/facilitate/cohorts/{c}/suggestions/"),
        Page("Survey results", "staff", f"/cohorts/surveys/{survey.pk}/results/"),
        Page("Report preview", "report", f"/outputs/cohorts/{c}/report/"),
        Page("Admin users", "admin", "/admin/programme/user/"),
        Page("Admin memberships", "admin", "/admin/cohorts/membership/"),
        Page("Admin pairs", "admin", "/admin/pairs/learningpair/"),
        Page("Admin activities", "admin", "/admin/pairs/activity/"),
        Page("Admin outputs", "admin", "/admin/outputs/output/"),
    ]
    return pages, dict(emails.items()) | {"password": SCALE_PASSWORD}


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    static_root = tempfile.mkdtemp(prefix="pairwise-bench-static-")
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static_root,
        "AXES_FAILURE_LIMIT": "1000",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, arguments from this script
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "programme.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", LIVE)[0] == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on port {port}")


def throughput(port: int, path: str, threads: int, seconds: float) -> float:
    """Requests per second for `path` from `threads` public clients in a fixed time."""
    done = [0] * threads
    stop = time.monotonic() + seconds

    def hammer(index: int) -> None:
        client = Client(port)
        while time.monotonic() < stop:
            status, _, _ = client.request("GET", path)
            assert status == 200, (path, status)
            done[index] += 1

    workers = [threading.Thread(target=hammer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=25, help="timed rounds (after two warm-up rounds)")
    parser.add_argument("--throughput-seconds", type=float, default=5.0)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Point DATABASE_URL at the PostgreSQL database that load_scale built.")
    pages, logins = scale_pages()
    server = start_gunicorn(args.port, args.workers)
    try:
        public = Client(args.port)
        clients = {"public": public}
        for role in ("member", "staff", "admin"):
            clients[role] = Client(args.port)
            clients[role].sign_in(logins[role], logins["password"])
        clients["report"] = clients["staff"]
        baseline = Page("Sign-in page (baseline)", "public", SIGN_IN)
        live = Page("Liveness /healthz/live", "public", LIVE)
        rng = random.Random(19)
        for round_number in range(args.rounds + 2):
            order = [baseline, live, *pages]
            rng.shuffle(order)
            for page in order:
                client = public if page in (baseline, live) else clients[page.role]
                status, _, elapsed = client.request("GET", page.path)
                if status != 200:
                    raise SystemExit(f"{page.name} ({page.path}) answered {status}")
                if round_number >= 2:
                    page.times.append(elapsed)
        base = statistics.median(baseline.times)
        live_median = statistics.median(live.times)
        base_rps = throughput(args.port, SIGN_IN, args.workers, args.throughput_seconds)
        library_rps = throughput(args.port, "/library/", args.workers, args.throughput_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)

    lines = [
        f"Baseline: sign-in page median {base * 1000:.1f} ms; /healthz/live median {live_median * 1000:.1f} ms; "
        f"{args.rounds} rounds, gunicorn {args.workers} workers, DEBUG=0.",
        "",
        "| Page | Role | Median ms | p95 ms | Median vs sign-in | p95 vs sign-in | Median vs live | Target | Met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    missed = []
    for page in pages:
        median = statistics.median(page.times)
        p95 = percentile(page.times, 0.95)
        ratio = median / base
        met = ratio <= page.target
        if not met:
            missed.append(page.name)
        lines.append(
            f"| {page.name} | {page.role} | {median * 1000:.1f} | {p95 * 1000:.1f} | {ratio:.1f}× | {p95 / base:.1f}× "
            f"| {median / live_median:.1f}× | ≤ {page.target:g}× | {'yes' if met else 'NO'} |"
        )
    share = library_rps / base_rps
    met = share >= LIBRARY_THROUGHPUT_TARGET
    if not met:
        missed.append("Library throughput")
    lines += [
        "",
        f"Library list throughput: {library_rps:.0f} requests/s against the sign-in page's {base_rps:.0f} "
        f"({share:.0%}; target ≥ {LIBRARY_THROUGHPUT_TARGET:.0%}): {'met' if met else 'MISSED'}.",
    ]
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pages.md").write_text(table + "\n")
    if missed:
        print(f"\nMissed targets: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
