"""Durations and cycle counts in real case-report phrasings, converted to months as guide section 4 says;
doses, ages, dates, percentages and counts are never time expressions."""

from __future__ import annotations

import pytest

from extractor.parsers.durations import find_time_expressions, to_months


def _found(text: str) -> list[tuple[str, str, float, float | None]]:
    return [(text[e.start : e.end], e.kind, e.value, e.months) for e in find_time_expressions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "began maintenance lenalidomide therapy for the next 33 months.",
            [("for the next 33 months", "duration", 33, 33)],
        ),
        (
            "before starting lenalidomide maintenance for the next 54 months.",
            [("for the next 54 months", "duration", 54, 54)],
        ),
        (
            "was diagnosed with B-ALL after 10 years of maintenance lenalidomide therapy.",
            [("10 years", "duration", 10, 120)],
        ),
        (
            "she received imatinib for two and a half years",
            [("for two and a half years", "duration", 2.5, 30)],
        ),
        ("thalidomide was given for 3-4 years", [("for 3-4 years", "duration", 3.5, 42)]),
        ("thalidomide was given for 3 to 4 years", [("for 3 to 4 years", "duration", 3.5, 42)]),
        ("after 18 months of therapy", [("18 months", "duration", 18, 18)]),
        (
            "developed therapy related MDS 2.5 years after she received four cycles of chemotherapy",
            [("2.5 years", "duration", 2.5, 30), ("four cycles", "cycles", 4, None)],
        ),
        (
            "His MM had initially been treated with six cycles of lenalidomide (R)",
            [("six cycles", "cycles", 6, None)],
        ),
        ("followed by an additional cycle of Rd", [("an additional cycle", "cycles", 1, None)]),
        ("After 2 courses of CHASE, he underwent autologous PBSCT", [("2 courses", "cycles", 2, None)]),
        ("She was treated with 6 cycle of adjuvant AC", [("6 cycle", "cycles", 6, None)]),
        ("relapse after 24 cycles", [("24 cycles", "cycles", 24, None)]),
        ("six 28-day cycles of VRd", [("six 28-day cycles", "cycles", 6, None)]),
        ("Thirty-six months after the initial CR", [("Thirty-six months", "duration", 36, 36)]),
        ("a four-year history of standard-risk kappa MM", [("four-year", "duration", 4, 48)]),
        ("a 14-year cumulative history of IMiD therapy", [("14-year", "duration", 14, 168)]),
        ("she received hydroxyurea for 2 weeks", [("for 2 weeks", "duration", 2, 0.5)]),
        (
            "While he was receiving maintenance treatment 2 years and 9 months after the diagnosis of ALL",
            [("2 years and 9 months", "duration", 33, 33)],
        ),
        ("developed acute promyelocytic leukemia about 18 months later", [("18 months", "duration", 18, 18)]),
        (
            "the median latency period was 29 months (range, 11–68 mo)",
            [("29 months", "duration", 29, 29), ("11–68 mo", "duration", 39.5, 39.5)],
        ),
        ("one and a half years of azacitidine", [("one and a half years", "duration", 1.5, 18)]),
    ],
)
def test_time_expressions(text: str, expected: list[tuple[str, str, float, float | None]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Case 1: A 71-year-old male with a four-year history", ["four-year"]),
        ("The patient, aged 65 years, developed B-ALL.", []),
        ("These PCM patients were diagnosed at a median age of 61.5 years old.", []),
        ("The medical records of 16 patients under 21 years of age were reviewed.", []),
        ("lenalidomide 10 mg daily on days 1-21", []),
        ("The diagnosis of Ph+ AML was made on May 2016.", []),
        ("Complex karyotype (CK) occurred in 23.8% of patients.", []),
        ("We conducted a study of 32 ALL cases that arose after lenalidomide maintenance.", []),
        ("our patient died in the 11th month after diagnosis", []),
        ("AML patients treated at a single hematology center (2000–2023)", []),
        ("a white blood cell count of 59,000 on CBC", []),
    ],
)
def test_doses_ages_dates_percentages_counts_are_not_time(text: str, expected: list[str]) -> None:
    assert [text[e.start : e.end] for e in find_time_expressions(text)] == expected


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("cytarabine bid for 12 days", True),
        ("six 28-day cycles", False),
        ("bortezomib every 3 weeks", True),
        ("a 3-year course of imatinib", False),
        ("lenalidomide for 24 months", False),
    ],
)
def test_schedules_within_a_cycle_are_flagged(text: str, schedule: bool) -> None:
    durations = [e for e in find_time_expressions(text) if e.kind == "duration"]
    assert any(e.schedule for e in durations) == schedule


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Our patient developed MDS within 2.5 years of starting chemotherapy", "upper"),
        ("developed AML less than two years after ASCT", "upper"),
        ("developed therapy-related APL about 18 months later", "approximate"),
        ("Over 23 Years of Single Center Analysis", "lower"),
        ("developed ALL 50 months after starting lenalidomide", None),
    ],
)
def test_bounds(text: str, bound: str | None) -> None:
    assert [e.bound for e in find_time_expressions(text)] == [bound]


@pytest.mark.parametrize(
    ("value", "unit", "months"),
    [
        (30.44, "day", 1.0),
        (45, "days", 1.5),
        (4.345, "week", 1.0),
        (13, "weeks", 3.0),
        (2.5, "years", 30.0),
        (10, "year", 120.0),
        (33, "months", 33.0),
        (1, "mo", 1.0),
        (3, "yrs", 36.0),
    ],
)
def test_to_months(value: float, unit: str, months: float) -> None:
    assert to_months(value, unit) == months


def test_unknown_unit_is_an_error() -> None:
    with pytest.raises(ValueError):
        to_months(3, "cycles")
