"""A real contact centre's export, tried as a new user would: the city 3-1-1 daily file of 2023
(../shared/data/exports), rolled up to months the way an analyst would before a monthly pack."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from narrator.pipeline import prepare
from narrator.tell.claims import check_claims

# Where the samples in samples/exports find it (../../../shared from there): beside the repository.
EXPORT = Path(__file__).resolve().parents[3] / "shared" / "data" / "exports" / "city-311-contact-centre-daily-2023.xlsx"


def monthly_pack(folder: Path) -> Path:
    """Sum the counts per month; service level weighted by calls offered, ASA by calls handled."""
    import openpyxl

    book = openpyxl.load_workbook(EXPORT, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    months: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
    for i, row in enumerate(rows):
        if i == 0:
            continue
        date, offered, handled, _abandoned, asa, service_level = row[:6]
        month = months[str(date)[:7]]
        month[0] += offered
        month[1] += handled
        month[2] += asa * handled
        month[3] += service_level * offered
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "kpis.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Month", "Calls offered", "Calls handled", "ASA (s)", "Service level"])
        for key in sorted(months):
            offered, handled, asa, sl = months[key]
            writer.writerow([key, offered, handled, f"{asa / handled:.1f}", f"{100 * sl / offered:.2f}%"])
    config = {
        "organisation": "City 3-1-1",
        "sector": "public",
        "inputs": {"kpis": {"path": "kpis.csv", "layout": "wide", "columns": {
            "period": "Month", "contacts_offered": "Calls offered", "contacts_handled": "Calls handled",
            "average_speed_of_answer": "ASA (s)", "service_level": "Service level"}}},
        "headline_kpis": ["service_level", "average_speed_of_answer"],
    }
    (folder / "report.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder / "report.yaml"


@pytest.mark.skipif(not EXPORT.exists(), reason="the shared exports are not on this machine")
def test_city_311_year_tells_the_mid_year_turn(tmp_path):
    # Service level climbed from 69.9% in January to 82.8% in April, held near it to September, and slid
    # back to 73.3% by December; twelve months only, so no year-on-year comparison is possible.
    prepared = prepare(monthly_pack(tmp_path / "city"))
    story = prepared.story
    assert [str(p) for p in check_claims(story, prepared.computed)] == []
    titles = {s.id: s.title.plain() for s in story.sections}
    text = "\n".join(seg.plain() for seg in story.segments())
    assert "a year earlier" not in text
    # Two KPIs turned mid-year; the summary leads with one turn and states the other beside it.
    summary = next(s for s in story.sections if s.id == "summary")
    said = [titles["summary"], *(b.plain() for b in summary.bullets)]
    assert ("Average speed of answer fell from 87 seconds in January 2023 to 36 seconds in September 2023, then rose "
            "to 74 seconds") in said, said
    assert "Service level peaked at 82.8% in April 2023 and is back down to 73.3%." in said, said
    assert "target" not in text.lower()
    assert not re.search(r"from [\d.,]+(%| seconds)? to ", text), "a first value without its period"
    # Next steps name what to act on in a sentence that parses.
    next_steps = next(s for s in story.sections if s.id == "next_steps")
    assert "Act on average speed of answer: up 10 seconds on November 2023, to 74 seconds." in \
        [b.plain() for b in next_steps.bullets]


SAMPLE = Path(__file__).parents[2] / "samples" / "exports" / "city-311.yaml"


@pytest.mark.skipif(not EXPORT.exists(), reason="the shared exports are not on this machine")
def test_city_311_sample_puts_each_value_beside_its_period():
    # The sample reads the daily workbook as it is. Its situation title read "In December 2023 service level
    # rose from 69.9% to 82.8% in April 2023, then fell to 73.3%": the reporting period at the front, the
    # first value with no period at all.
    prepared = prepare(SAMPLE)
    assert [str(p) for p in check_claims(prepared.story, prepared.computed)] == []
    situation = next(s for s in prepared.story.sections if s.id == "situation")
    assert situation.title.plain() == ("Service level rose from 69.9% in January 2023 to 82.8% in April 2023, then "
                                       "fell to 73.3% in December 2023")
