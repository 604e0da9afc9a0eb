"""Bad KPI files: every problem is reported at once, each line naming file, row, column and the fix."""

from __future__ import annotations

FIX = "fix or blank the cell"


def test_cell_problems_in_a_tidy_file(load_kpis, problems_of):
    text = (
        "period,kpi,value\n"
        "2025-01,SL,abc\n"  # row 2: not a number
        "2025-01,AHT,n/a\n"  # row 3: blank marker, fine
        "2025-01,Abandon rate,112%\n"  # row 4: over 100%
        "2025-01,FCR,-3%\n"  # row 5: negative percentage
        "2025-01,Calls offered,-120\n"  # row 6: negative count
        "2025-01,Cost per contact,(4.20)\n"  # row 7: negative money
        "Sept-2025x,CSAT,80%\n"  # row 8: unreadable period
        ",CSAT,80%\n"  # row 9: blank period
    )
    assert problems_of(load_kpis, "kpis.csv", text) == [
        f'kpis.csv, row 2, column "value": expected a percentage, got "abc"; {FIX}',
        f'kpis.csv, row 4, column "value": expected a percentage between 0% and 100%, got "112%"; {FIX}',
        f'kpis.csv, row 5, column "value": expected a percentage between 0% and 100%, got "-3%"; {FIX}',
        f'kpis.csv, row 6, column "value": expected a count of 0 or more, got "-120"; {FIX}',
        f'kpis.csv, row 7, column "value": expected a money amount of 0 or more, got "(4.20)"; {FIX}',
        'kpis.csv, row 8, column "period": cannot read "Sept-2025x" as a period; use a month (2025-03, '
        "Mar 2025 or a date such as 2025-03-31), a quarter (2025-Q1) or a year (2025)",
        'kpis.csv, row 9, column "period": the period is blank; fill it in or delete the row',
    ]


def test_not_a_number_in_a_target_column(load_kpis, problems_of):
    assert problems_of(load_kpis, "kpis.csv", "period,kpi,value,target\n2025-01,Calls,100,lots\n") == [
        f'kpis.csv, row 2, column "target": expected a number, got "lots"; {FIX}'
    ]


def test_unknown_kpi_is_reported_once_with_the_fix(load_kpis, problems_of):
    text = "period,kpi,value\n" + "".join(f"2025-{m:02d},Web share,{20 + m}%\n" for m in range(1, 7))
    assert problems_of(load_kpis, "kpis.csv", text) == [
        'kpis.csv, row 2, column "kpi": "Web share" is not a KPI the catalogue knows (also rows 3, 4, 5 and '
        "2 more); the closest catalogue ids are digital_adoption; declare it under kpis: in the config with unit "
        "and direction (e.g. web_share: "
        "{unit: percent, direction: up}) or add it to an existing KPI's aliases"
    ]


def test_duplicated_period_names_both_rows(load_kpis, problems_of):
    text = (
        "period,kpi,value,segment\n2025-01,SL,80%,Sales\n2025-02,SL,81%,Sales\n"
        "Jan 2025,Service level,82%,Sales\n"
    )
    assert problems_of(load_kpis, "kpis.csv", text) == [
        'kpis.csv, rows 2 and 4: duplicated period 2025-01 for service_level in segment "Sales"; '
        "keep one of the rows"
    ]


def test_duplicated_period_in_a_wide_file_is_one_line_per_pair_of_rows(load_kpis, problems_of):
    text = "period,SL,AHT\n2025-01,80%,300\n2025-02,81%,310\n2025-01,82%,305\n"
    assert problems_of(load_kpis, "kpis.csv", text, layout="wide") == [
        "kpis.csv, rows 2 and 4: duplicated period 2025-01 for service_level, average_handle_time; "
        "keep one of the rows"
    ]


def test_missing_required_columns_name_the_columns_there(load_kpis, problems_of):
    assert problems_of(load_kpis, "kpis.csv", "Period,Measure,Amount\n2025-01,SL,80%\n") == [
        'kpis.csv: no "value" column; the columns are "Period", "Measure", "Amount"; rename one to "value" '
        'or map it in inputs.kpis.columns (value: "<header>")',
        'kpis.csv: column "Amount" is not one narrator reads; a tidy file has period, kpi, value, target, '
        "benchmark, segment; map it in inputs.kpis.columns or delete the column",
    ]


def test_unknown_column_in_a_wide_file_is_not_dropped(load_kpis, problems_of):
    text = "period,SL,Web share,SL target,Foo target\n2025-01,80%,20%,85%,1\n"
    assert problems_of(load_kpis, "kpis.csv", text, layout="wide") == [
        'kpis.csv: column "Web share" looks like a KPI but matches none; the closest catalogue ids are '
        'digital_adoption; map it in inputs.kpis.columns (digital_adoption: "Web share"), declare it under kpis: '
        "with unit and direction, or list it under inputs.kpis.ignore",
    ]


def test_columns_that_are_no_kpi_are_listed_as_not_used_and_ignore_silences_one(tmp_path, catalogue):
    from narrator.config import KpiInput
    from narrator.load.kpis import load_kpis

    (tmp_path / "k.csv").write_text("period,BI_ID,SL,Web share,Weekday\n2025-01,7,80%,20%,Mon\n")
    got = load_kpis(KpiInput(path="k.csv", layout="wide", ignore=["Web share"]), tmp_path / "k.csv", catalogue)
    assert dict(got.columns) == {
        "period": "period",
        "BI_ID": "not used",
        "SL": 'service_level, "%" strings (from the values)',
        "Web share": "ignored (inputs.kpis.ignore)",
        "Weekday": "not used",
    }
    assert [o.kpi for o in got.observations] == ["service_level"]


def test_wide_two_columns_for_one_kpi_and_a_target_without_values(load_kpis, problems_of):
    text = "period,SL,Service level,AHT target\n2025-01,80%,80%,300\n"
    assert problems_of(load_kpis, "kpis.csv", text, layout="wide") == [
        'kpis.csv: columns "SL" and "Service level" both hold the value of service_level; delete one or map '
        "the right one in inputs.kpis.columns",
        'kpis.csv: column "AHT target" gives a target for average_handle_time but the file has no '
        "average_handle_time column; add the values or delete the column",
    ]


def test_config_mapping_problems_name_the_config_key(load_kpis, problems_of):
    text = "period,kpi,value\n2025-01,SL,80%\n"
    assert problems_of(load_kpis, "kpis.csv", text, columns={"valeu": "value", "segment": "Channel"}) == [
        "config.yaml: inputs.kpis.columns.valeu: not a column of the tidy layout; use one of period, kpi, "
        "value, target, benchmark, segment",
        'config.yaml: inputs.kpis.columns.segment: column "Channel" is not in kpis.csv; the columns are '
        '"period", "kpi", "value"',
    ]


def test_wide_mapping_to_an_unknown_kpi(load_kpis, problems_of):
    text = "period,Web\n2025-01,20%\n"
    assert problems_of(load_kpis, "kpis.csv", text, layout="wide", columns={"web_share": "Web"}) == [
        'config.yaml: inputs.kpis.columns.web_share: "web_share" is not a KPI the catalogue knows; the closest '
        "catalogue ids are digital_adoption (or period, segment); or declare it under kpis: with unit and "
        "direction",
    ]


def test_config_targets_are_checked(load_kpis, problems_of):
    text = "period,kpi,value\n2025-01,SL,80%\n"
    assert problems_of(load_kpis, "kpis.csv", text, targets={"web_share": 0.2, "service_level": 120}) == [
        "config.yaml: inputs.kpis.targets.web_share: not a KPI the catalogue knows; the closest catalogue ids "
        "are digital_adoption; or declare it under kpis: with unit and direction",
        "config.yaml: inputs.kpis.targets.service_level: "
        'expected a percentage between 0% and 100%, got "120"',
    ]


def test_mixed_period_kinds(load_kpis, problems_of):
    text = "period,kpi,value\n2025-01,SL,80%\n2025-Q1,SL,81%\n"
    assert problems_of(load_kpis, "kpis.csv", text) == [
        "kpis.csv: the periods mix months (row 2) and quarters (row 3); use one kind of period per file"
    ]


def test_problem_list_is_capped(load_kpis, problems_of):
    text = "period,kpi,value\n" + "".join(f"2025-01,Calls,bad{i}\n" for i in range(25))
    problems = problems_of(load_kpis, "kpis.csv", text)
    assert len(problems) == 21
    assert problems[0] == f'kpis.csv, row 2, column "value": expected a number, got "bad0"; {FIX}'
    assert problems[-1] == "and 5 more problems"


def test_a_file_of_blank_values_says_so(load_kpis, problems_of):
    assert problems_of(load_kpis, "kpis.csv", "period,kpi,value\n2025-01,SL,-\n") == [
        "kpis.csv: no KPI values found (every value cell is blank); check the file"
    ]


def test_sheet_on_a_csv(load_kpis, problems_of):
    assert problems_of(load_kpis, "kpis.csv", "period,kpi,value\n2025-01,SL,1\n", sheet="KPIs") == [
        'kpis.csv: a sheet ("KPIs") is set but the file is not an Excel workbook; remove sheet'
    ]
