"""Regenerates the sample KPI exports under samples/ (deterministic: a fixed seed, plausible figures).

The samples are committed; run this only to change them on purpose:  python tools/make_samples.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent / "samples"


def months(start_year: int, start_month: int, count: int) -> list[tuple[int, int]]:
    out = []
    year, month = start_year, start_month
    for _ in range(count):
        out.append((year, month))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def ramp(start: float, end: float, i: int, n: int, noise: float, rng: random.Random) -> float:
    return start + (end - start) * i / (n - 1) + rng.uniform(-noise, noise)


def hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{(s % 3600) // 60:02d}:{s % 60:02d}"


def private_insurer() -> None:
    """A home-insurance contact centre: tidy CSV, three channels, 15 months, as a WFM export writes it."""
    rng = random.Random(20251231)
    periods = months(2024, 10, 15)
    n = len(periods)
    channels = {
        # channel: (volume start, volume end, SL start, SL end, AHT s, FCR start, FCR end,
        #          CSAT start, end, CPC start, end)
        "Phone": (61000, 57500, 0.74, 0.83, 372, 0.66, 0.71, 0.80, 0.84, 6.10, 5.55),
        "Web chat": (17500, 26500, 0.82, 0.88, 540, 0.70, 0.76, 0.84, 0.88, 3.90, 3.45),
        "Email": (14500, 12200, 0.71, 0.80, 610, 0.61, 0.65, 0.76, 0.79, 4.60, 4.30),
    }
    targets = {"service_level": "80%", "abandonment_rate": "5%", "first_contact_resolution": "75%", "csat": "85%"}
    benchmarks = {"service_level": "80%", "abandonment_rate": "6%", "first_contact_resolution": "70%", "csat": "85%",
                  "cost_per_contact": "£5.25"}
    rows = []
    for i, (year, month) in enumerate(periods):
        label = f"{['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][month - 1]} {year}"
        season = 1.0 + (0.06 if month in (1, 2) else 0.0) - (0.04 if month in (7, 8) else 0.0)
        for channel, (v0, v1, s0, s1, aht, f0, f1, c0, c1, p0, p1) in channels.items():
            offered = ramp(v0, v1, i, n, v0 * 0.02, rng) * season
            sl = min(0.97, ramp(s0, s1, i, n, 0.012, rng) - (0.03 if month in (1, 2) else 0))
            abandon = max(0.01, 0.115 - sl * 0.085 + rng.uniform(-0.004, 0.004))
            handled = offered * (1 - abandon)
            kpis = {
                "Contacts offered": f"{offered:,.0f}",
                "Contacts handled": f"{handled:,.0f}",
                "Service level": f"{sl:.2%}",
                "Abandonment rate": f"{abandon:.2%}",
                "AHT": hms(aht * ramp(1.0, 0.95, i, n, 0.015, rng)),
                "FCR": f"{ramp(f0, f1, i, n, 0.008, rng):.1%}",
                "CSAT": f"{ramp(c0, c1, i, n, 0.008, rng):.1%}",
                "Cost per contact": f"£{ramp(p0, p1, i, n, 0.05, rng):.2f}",
            }
            for kpi, value in kpis.items():
                key = {"Service level": "service_level", "Abandonment rate": "abandonment_rate", "FCR":
                       "first_contact_resolution", "CSAT": "csat", "Cost per contact": "cost_per_contact"}.get(kpi)
                rows.append({
                    "Month": label, "Channel": channel, "KPI": kpi, "Value": value,
                    "Target": targets.get(key, ""), "Benchmark": benchmarks.get(key, ""),
                })
        # Centre-wide workforce measures carry no channel.
        rows.append({"Month": label, "Channel": "", "KPI": "Agent attrition",
                     "Value": f"{ramp(0.38, 0.29, i, n, 0.01, rng):.1%}", "Target": "30%", "Benchmark": "35%"})
        rows.append({"Month": label, "Channel": "", "KPI": "Agent FTE",
                     "Value": f"{ramp(412, 398, i, n, 3, rng):.1f}", "Target": "", "Benchmark": ""})
    path = ROOT / "private-insurer" / "kpis.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def public_council() -> None:
    """A borough council's customer contact service: wide XLSX, one row per month and channel."""
    rng = random.Random(20250331)
    periods = months(2024, 4, 12)  # a financial year, April to March
    n = len(periods)
    channels = {
        # channel: (volume start, end, SL start, end, digital share contribution, CSAT start, end, CPC start, end)
        "Telephone": (38000, 31500, 0.68, 0.79, 0.71, 0.77, 8.62, 8.10),
        "Online": (29000, 41000, 0.97, 0.98, 0.83, 0.86, 0.41, 0.36),
        "Face to face": (5200, 4300, 0.90, 0.92, 0.88, 0.89, 14.80, 14.20),
    }
    wb = Workbook()
    ws = wb.active
    ws.title = "Monthly KPIs"
    header = ["Month", "Channel", "Contacts received", "Answered within 30s %", "Abandoned %",
              "Resolved first time %", "Satisfied %", "Cost per contact (£)"]
    ws.append(header)
    for i, (year, month) in enumerate(periods):
        for channel, (v0, v1, s0, s1, c0, c1, p0, p1) in channels.items():
            volume = round(ramp(v0, v1, i, n, v0 * 0.025, rng) * (1.12 if month in (4, 5) else 1.0))
            sl = min(0.99, ramp(s0, s1, i, n, 0.01, rng))
            ws.append([
                f"{year}-{month:02d}", channel, volume, round(sl * 100, 1),
                round(max(0.5, (1 - sl) * 22 + rng.uniform(-0.5, 0.5)), 1),
                round(ramp(0.69, 0.74, i, n, 0.01, rng) * 100, 1),
                round(ramp(c0, c1, i, n, 0.01, rng) * 100, 1),
                round(ramp(p0, p1, i, n, 0.08, rng), 2),
            ])
    wb.properties.creator = "Eastbrook Borough Council"
    wb.save(ROOT / "public-council" / "kpis.xlsx")


def outsourcer_client() -> None:
    """An outsourcer's export for its client: wide, semicolon-separated, decimal commas, with a BOM."""
    rng = random.Random(20251130)
    periods = months(2025, 1, 12)
    n = len(periods)
    header = ["Month", "Calls offered", "SL (80/20) %", "Abandoned %", "FCR %", "CSAT %", "Complaints per 1000",
              "AHT"]
    lines = [";".join(header)]
    for i, (year, month) in enumerate(periods):
        offered = round(ramp(48000, 51500, i, n, 900, rng) * (1.15 if month in (1, 2) else 1.0))
        values = [
            f"{['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][month - 1]}-{year % 100:02d}",
            f"{offered:,}".replace(",", "."),
            f"{ramp(0.77, 0.86, i, n, 0.012, rng) * 100:.1f}%".replace(".", ","),
            f"{ramp(0.061, 0.038, i, n, 0.003, rng) * 100:.1f}%".replace(".", ","),
            f"{ramp(0.71, 0.76, i, n, 0.006, rng) * 100:.1f}%".replace(".", ","),
            f"{ramp(0.82, 0.87, i, n, 0.006, rng) * 100:.1f}%".replace(".", ","),
            f"{ramp(4.4, 3.1, i, n, 0.15, rng):.1f}".replace(".", ","),
            hms(ramp(356, 331, i, n, 5, rng)),
        ]
        lines.append(";".join(values))
    path = ROOT / "outsourcer-client" / "kpis.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


if __name__ == "__main__":
    private_insurer()
    public_council()
    outsourcer_client()
