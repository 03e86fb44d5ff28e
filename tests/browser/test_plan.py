"""Browser: the dated plan (/plan/). Dates in, dated steps out, in date order; a plain warning
when the dates do not fit; a calendar file made in the browser that a maintained iCalendar
library (icalendar) reads back with every title, date and typed text intact; all of it under the
site's own Content-Security-Policy, with nothing sent or kept."""

from __future__ import annotations

import datetime
from pathlib import Path

import babel.dates
import icalendar
import pytest

from second_opinion import load
from support import ROOT, other_hosts, printed, printed_text_sizes, with_security_headers

CONTENT = load.load(ROOT / "data", today=datetime.date.today(), root=ROOT)
PLAN = CONTENT.plan
STEPS = {step.id: step for step in PLAN.steps}
TODAY = datetime.date(2026, 12, 1)  # the browser's clock, fixed
# Typed into the plan: commas, semicolons, quotes, a backslash, markup and non-ASCII letters, all
# of which a calendar file must carry as they are.
VISIT_WITH = 'Dr. Lee, City Cancer Center; room 4 — Ñandú "Oncología" \\ <b>bold</b> 🙂'


@pytest.fixture
def plan(browser, site: Path, site_url: str):
    """The plan page on the day TODAY, served with the site's own security headers."""
    context = browser.new_context(accept_downloads=True)
    context.clock.set_fixed_time(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))
    tab = context.new_page()
    tab.requests, tab.console = [], []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("console", lambda message: tab.console.append(message.text))
    tab.policy = with_security_headers(context, site)
    tab.goto(site_url + "plan/")
    yield tab
    assert not other_hosts(tab.requests, site_url)
    assert tab.evaluate("localStorage.length") == 0
    assert not [message for message in tab.console if "Content Security Policy" in message]
    context.unroute_all(behavior="ignoreErrors")  # the search index may still be on its way
    context.close()


def _type(tab, **answers: str) -> None:
    for name, value in answers.items():
        tab.locator(f'form [name="field-{name}"]').fill(value)


def _steps(tab) -> list[tuple[str, str]]:
    """(step id, its date line) in the order the page shows them."""
    rows = tab.eval_on_selector_all(
        "[data-sog-step]",
        "items => items.map(item => [item.dataset.sogStep, item.querySelector('[data-sog-step-date]').textContent.trim()])",
    )
    return [(step, " ".join(date.split())) for step, date in rows]


def _on(day: datetime.date) -> str:
    return CONTENT.ui["plan_on"].replace("{date}", _long(day))


def _by(day: datetime.date) -> str:
    return CONTENT.ui["plan_by"].replace("{date}", _long(day))


def _long(day: datetime.date) -> str:
    return babel.dates.format_date(day, format="full", locale="en")


def _warnings(tab) -> list[str]:
    return [text.strip() for text in tab.locator("[data-sog-plan-warnings] p").all_text_contents()]


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def test_dates_in_dated_steps_out(plan):
    _type(plan, start="2026-12-31", visit="2026-12-15")
    assert _steps(plan) == [
        ("referral", _by(TODAY)),
        ("records", _by(_day(1))),
        ("insurer", _by(_day(2))),
        ("check", _by(datetime.date(2026, 12, 10))),
        ("visit", _on(datetime.date(2026, 12, 15))),
        ("follow-up", _by(datetime.date(2026, 12, 18))),
        ("start", _on(datetime.date(2026, 12, 31))),
    ]
    assert _warnings(plan) == []


def test_without_a_visit_the_plan_aims_for_one_before_treatment(plan):
    _type(plan, start="2026-12-31")
    visit = datetime.date(2026, 12, 31) - datetime.timedelta(days=PLAN.visit_before_start)
    steps = dict(_steps(plan))
    assert steps["visit"] == _by(visit) and steps["start"] == _on(datetime.date(2026, 12, 31))


def test_weeks_it_is_safe_to_wait_give_the_latest_start(plan):
    _type(plan, wait="3")
    steps = dict(_steps(plan))
    assert steps["start"] == _by(_day(21))
    assert steps["visit"] == _by(_day(21 - PLAN.visit_before_start))


def test_no_start_date_says_what_to_type_and_leaves_lines_to_write_dates_on(plan):
    assert _warnings(plan) == [PLAN.warnings["no-start"]]
    steps = dict(_steps(plan))
    assert steps["referral"] == _by(TODAY)
    assert steps["visit"] == steps["start"] == CONTENT.ui["plan_blank_date"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"start": "2026-12-10", "visit": "2026-12-15"}, ["visit-late"]),
        ({"start": "2026-11-20"}, ["start-past"]),
        ({"start": "2026-12-31", "visit": "2026-11-25"}, ["visit-past"]),
        ({"start": "2026-12-31", "visit": "2026-12-28"}, ["close"]),
        ({"start": "2026-12-31", "visit": "2026-12-03"}, ["late-steps"]),
    ],
    ids=["visit after the start", "start in the past", "visit in the past", "visit close to the start", "late steps"],
)
def test_dates_that_do_not_fit_give_a_plain_warning(plan, answers, expected):
    _type(plan, **answers)
    assert _warnings(plan) == [PLAN.warnings[name] for name in expected]


def test_steps_are_shown_in_date_order_and_late_ones_move_to_today(plan):
    _type(plan, start="2026-12-10", visit="2026-12-15")
    order = [step for step, _ in _steps(plan)]
    assert order.index("start") < order.index("visit")
    _type(plan, start="2026-12-31", visit="2026-12-03")
    assert dict(_steps(plan))["check"] == _by(TODAY)


def test_the_calendar_file_round_trips_titles_dates_and_typed_text(plan):
    assert "blob:" not in plan.policy.split("script-src", 1)[1].split(";")[0]
    _type(plan, start="2026-12-31", visit="2026-12-15", **{"visit-with": VISIT_WITH, "first-doctor": "Dr. Sam Patel"})
    with plan.expect_download() as download:
        plan.get_by_role("link", name=CONTENT.ui["plan_calendar"]).click()
    assert download.value.suggested_filename == CONTENT.ui["plan_calendar_file"]
    raw = Path(download.value.path()).read_bytes()

    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b"")
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert list(events) == [step.title for step in PLAN.steps]
    assert events[STEPS["visit"].title].decoded("DTSTART") == datetime.date(2026, 12, 15)
    assert events[STEPS["start"].title].decoded("DTSTART") == datetime.date(2026, 12, 31)
    assert events[STEPS["referral"].title].decoded("DTEND") == _day(1)
    visit = str(events[STEPS["visit"].title]["DESCRIPTION"])
    assert visit == f"{STEPS['visit'].text}\n{PLAN.inputs['visit-with'].label}: {VISIT_WITH}"
    assert len({str(event["UID"]) for event in events.values()}) == len(events)


def test_a_script_typed_into_the_plan_is_shown_as_text_and_never_runs(plan):
    dialogs: list[str] = []
    plan.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = '<img src=x onerror="window.__typed=1"><script>window.__typed=2</script>'
    _type(plan, start="2026-12-31", **{"first-doctor": hostile})
    detail = plan.locator('[data-sog-step="follow-up"] [data-sog-fill="field-first-doctor"]')
    assert detail.text_content() == hostile and detail.is_visible()
    assert plan.locator("[data-sog-plan] img, [data-sog-plan] script").count() == 0
    assert plan.evaluate("window.__typed") is None and not dialogs


def test_the_printed_plan_has_the_dates_and_no_form(plan):
    _type(plan, start="2026-12-31", visit="2026-12-15")
    for paper in ("Letter", "A4"):
        pages, text = printed(plan, paper)
        flat = " ".join(text.split())
        assert pages <= 2, paper
        assert _on(datetime.date(2026, 12, 15)) in flat and STEPS["visit"].title in flat
        assert PLAN.inputs["start"].label not in flat


def test_the_printed_plan_is_12_pt_or_larger(plan):
    _type(plan, start="2026-12-31", visit="2026-12-15", **{"visit-with": "Dr. Lee"})
    sizes = printed_text_sizes(plan, ".sog-plan-page")
    assert STEPS["visit"].title in sizes and "Dr. Lee" in sizes
    assert min(sizes.values()) >= 16, sizes  # CSS pixels: 12 pt


def test_without_javascript_the_plan_is_a_printable_blank(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(site_url + "plan/")
        dates = tab.locator("[data-sog-step-date]").all_text_contents()
        assert len(dates) == len(PLAN.steps) and {d.strip() for d in dates} == {CONTENT.ui["plan_blank_date"]}
        assert tab.get_by_role("link", name=CONTENT.ui["plan_calendar"]).count() == 0
        pages, text = printed(tab, "Letter")
        assert pages <= 2 and all(step.title in text for step in PLAN.steps)
    finally:
        context.close()
