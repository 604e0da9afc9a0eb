"""The report config: one YAML file, one pydantic model, unknown keys rejected, every field documented.

Relative paths in the config are resolved against the config file's folder, so a pack folder can be
moved or built from anywhere.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from narrator.errors import ConfigError, pydantic_problems
from narrator.limits import DOCUMENT, MAX_TEXT, read_text
from narrator.yamlio import load_yaml


class Strict(BaseModel):
    # Field docstrings document the config (tests/test_docs.py reads them from the source); pydantic is
    # not asked to read them (use_attribute_docstrings), which parses this file at every start-up.
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)


ColumnReading = Literal[
    "points", "fraction", "seconds", "milliseconds", "minutes", "hours", "day_fraction", "units", "thousands",
    "millions",
]


class KpiInput(Strict):
    """Where the KPI observations come from and how their columns map to narrator's."""

    path: Path | None = None
    """The KPI file: .csv (comma or semicolon, with or without BOM), .xlsx, .json or .parquet. Give this
    or url."""
    url: str | None = None
    """A database to read the KPI rows from instead of a file: an SQLAlchemy URL without a password
    (sqlite:///kpis.db, postgresql+psycopg://analyst@dbhost/cc), with query or table."""
    query: str | None = None
    """With url: the SQL query whose rows are read, in the same layouts as a file's."""
    table: str | None = None
    """With url: a table (or view) whose rows are all read."""
    password_env: str | None = None
    """With url: the environment variable holding the database password (never written in the config)."""
    layout: Literal["tidy", "wide", "calls", "events"] = "tidy"
    """tidy: one row per period and KPI (columns period, kpi, value, and optionally target, benchmark,
    segment). wide: one row per period (and segment), one column per KPI. calls: one row per call, which
    narrator aggregates into monthly KPIs (answer rate, speed of answer, talk time, resolution, CSAT).
    events: one row per ticket or complaint, counted into the KPI count_as names."""
    sheet: str | None = None
    """For .xlsx: the sheet to read. Default: the first sheet."""
    columns: dict[str, str] = Field(default_factory=dict)
    """Column mapping, narrator's name to the file's header. tidy: any of period, kpi, value, target,
    benchmark, segment. wide: period, segment, and one entry per KPI id (e.g. service_level: "SL %").
    calls: date, answered, resolved, speed_of_answer, talk_time, satisfaction, segment."""
    targets: dict[str, float] = Field(default_factory=dict)
    """Targets by KPI id, for data that has no target column (percentages as fractions: 0.8)."""
    benchmarks: dict[str, float] = Field(default_factory=dict)
    """Benchmarks by KPI id, for data that has no benchmark column."""
    count_as: str = "complaints"
    """For the events layout: the count KPI each row adds one to (complaints, contacts_offered)."""
    answered_values: list[str] = Field(default_factory=list)
    """For the calls layout: the values of the answered column that mean a call was answered (AGENT in
    an outcome column); any other value means it was not. Default: a Y/N column."""
    preset: str | None = None
    """A platform export narrator knows (amazon-connect, genesys-cloud, cisco-uccx, nice-cxone): its
    headers, units and grain are mapped for you; `columns`, `units` and `ignore` still override."""
    date_order: Literal["day_first", "month_first"] = "day_first"
    """How dates such as 3/4/2025 are read: day_first (3 April) or month_first (4 March, US exports)."""
    grain: Literal["month", "quarter", "year"] = "month"
    """The reporting period rows are rolled up to: interval, daily and weekly rows (and several rows for
    one period and segment) are summed for counts and weighted by volume for rates and averages."""
    timezone: str | None = None
    """IANA time zone (Europe/London) that timestamps with a UTC offset are converted to before their
    month is taken. Default: each timestamp's own local time, as written."""
    first_day: date | None = None
    """For files that number their days (1, 2, 3 ...) instead of dating them: the date of day 1. The
    period column then holds the day numbers."""
    threshold_seconds: int | None = Field(default=None, gt=0, le=3600)
    """The service-level threshold in seconds: which "answered within N seconds" column counts as
    answered within the threshold, and what the service level states. Default: the one the file has."""
    accept_incomplete: list[str] = Field(default_factory=list)
    """Periods to report although they have fewer segments or KPIs than the period before them (which
    otherwise stops the build, as the mark of a cut-off or half-finished export), e.g. ["2025-12"]."""
    ignore: list[str] = Field(default_factory=list)
    """File headers narrator should not read and not mention (a column that looks like a KPI but is not
    wanted in the pack)."""
    units: dict[str, ColumnReading] = Field(default_factory=dict)
    """How a column's bare numbers are read, by file header or KPI id, where the values cannot tell
    (`narrator validate` prints what was decided): points or fraction for percentages; seconds,
    milliseconds, minutes, hours or day_fraction for durations; units, thousands or millions for money
    and counts."""


    @model_validator(mode="after")
    def _one_source(self) -> KpiInput:
        if (self.path is None) == (self.url is None):
            raise ValueError("give either path (a file) or url (a database), not both or neither")
        if self.url is not None and (self.query is None) == (self.table is None):
            raise ValueError("with url, give either query or table")
        if self.url is None and (self.query is not None or self.table is not None or self.password_env):
            raise ValueError("query, table and password_env go with url, not with path")
        return self

    @property
    def label(self) -> str:
        """How messages and sources name the input: the file as the config writes it, or the database."""
        if self.path is not None:
            return str(self.path)
        from narrator.load.sql import safe_url

        return f"{self.table or 'query'} at {safe_url(self.url)}"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London") from None
        return value


class CustomKpi(Strict):
    """A KPI the standard catalogue does not know, or an override of one it does."""

    label: str | None = None
    """How the KPI is named in text ("digital adoption")."""
    unit: Literal["percent", "seconds", "money", "count", "score", "ratio", "per_1k", "number"] | None = None
    """Unit of the values. Required for a KPI the catalogue does not know."""
    direction: Literal["up", "down"] | None = None
    """Which way is good. Required for a KPI the catalogue does not know."""
    additive: bool | None = None
    """True when values for segments add up to the total (volumes, costs); False for rates and averages."""
    weight: str | None = None
    """For a non-additive KPI: the KPI whose values weight it across segments (e.g. contacts_offered)."""
    aliases: list[str] = Field(default_factory=list)
    """Other names this KPI goes by in the data ("SL", "Service Level %")."""


class Inputs(Strict):
    """The input files of a pack."""

    kpis: KpiInput
    """The KPI observations."""
    values: Path | None = None
    """Translation results: value items from .yaml, .json or .csv."""
    investment: Path | None = None
    """The investment ask (.yaml or .json)."""
    assumptions: Path | None = None
    """Assumptions (.yaml): parameters with value, unit, source, year and grade, and the levers narrator
    computes from them and the KPI data (value items of its own); user value items are checked against
    them."""


class Thresholds(Strict):
    """What is worth saying: smaller movements are reported as 'stable'."""

    points: float = 0.01
    """Smallest change in a percentage KPI worth a sentence, as a fraction (0.01 = 1 point)."""
    relative: float = 0.03
    """Smallest relative change in any other KPI worth a sentence (0.03 = 3%)."""


class ReferenceTemplates(Strict):
    """The organisation's own Office templates."""

    pptx: Path | None = None
    """A .pptx or .potx whose masters, layouts, fonts and colours the deck uses."""
    docx: Path | None = None
    """A .docx or .dotx whose styles the board paper uses."""
    layouts: dict[Literal["cover", "section", "content", "exhibit"], str] = Field(default_factory=dict)
    """The deck layout to use for a role (cover, section, content, exhibit), by its name in the template,
    when narrator's choice is wrong; `narrator templates inspect` shows the choice and why."""


class LlmSettings(Strict):
    """The optional polish step. Off unless enabled here or with `narrator build --polish`."""

    enabled: bool = False
    """Polish the wording with a language model. Numbers are locked: the model never sees them."""
    base_url: str | None = None
    """OpenAI-compatible endpoint (https://api.openai.com/v1, a vLLM, Ollama or llama.cpp server).
    Default: the OPENAI_BASE_URL environment variable, else OpenAI."""
    model: str = "gpt-4o-mini"
    """Model name as the endpoint knows it."""
    api_key_env: str = "OPENAI_API_KEY"
    """Name of the environment variable holding the API key (the key itself never goes in the config)."""
    temperature: float | None = None
    """Sampling temperature; leave unset for reasoning models, which reject it."""
    seed: int | None = None
    """Sampling seed, for endpoints that support it."""
    timeout: float = Field(default=30.0, gt=0, le=600)
    """Seconds to wait for one request."""
    max_retries: int = Field(default=2, ge=0, le=10)
    """Retries of a failed request (rate limits, server errors), done by the openai SDK."""
    concurrency: int = Field(default=8, ge=1, le=64)
    """Requests in flight at once."""
    deadline: float = Field(default=120.0, gt=0)
    """Seconds the whole polish step may take; segments not done by then keep their template text."""
    token_budget: int = Field(default=200_000, ge=1)
    """Most tokens one run may spend; past it, remaining segments keep their template text."""
    cache_dir: Path | None = None
    """Where accepted rewrites are cached. Default: .narrator-cache beside the config."""
    cache_only: bool = False
    """Replay cached rewrites only; make no request (offline runs)."""
    price_per_million_tokens: float | None = None
    """Price per million tokens in USD, to report an estimated cost."""


class ReportConfig(Strict):
    """A board pack: who it is for, what it reads, how it tells the story and what it writes."""

    organisation: str
    """The organisation's name as it should appear in the documents."""
    title: str | None = None
    """The pack's title. Default: "<organisation> customer service: value to the organisation"."""
    slug: str | None = None
    """File name stem of the outputs, made safe as file names are (lowercase letters, digits and hyphens:
    "../Board Pack" becomes "board-pack"). Default: derived from the organisation and period."""
    sector: Literal["private", "public", "outsourcer"] = "private"
    """Shapes the value language: public bodies speak of citizen value, outsourcers of contract outcomes."""
    audience: Literal["board", "ceo", "cfo"] = "board"
    """Who reads the pack first."""
    purpose: Literal["decision", "discussion", "information"] = "decision"
    """What the board is asked to do with the paper."""
    decision_body: str | None = None
    """Who takes the decision, as the paper names it ("Board", "Resources Committee"). Default: Board,
    or Committee in the public sector."""
    author: str = "Customer Service"
    """Author recorded in the documents' properties and on the cover."""
    period: str = "latest"
    """The reporting period ("2025-12", "Dec 2025", "2025-Q4") or "latest" for the last in the data."""
    currency: str = "GBP"
    """ISO 4217 currency of all money amounts."""
    locale: str = "en-GB"
    """Locale for numbers, money and dates (en-GB, en-US, ...)."""
    inputs: Inputs
    """The input files."""
    kpis: dict[str, CustomKpi] = Field(default_factory=dict)
    """Custom KPIs, or overrides of catalogue entries, by KPI id."""
    headline_kpis: list[str] = Field(
        default_factory=lambda: ["service_level", "first_contact_resolution", "csat", "cost_per_contact"]
    )
    """The KPIs the situation section leads with, in order (those the data lacks are skipped)."""
    value_claims: Literal["reconcile", "as_claimed"] = "reconcile"
    """reconcile: a value item whose amount differs from its own formula by more than 1%, or whose formula
    cannot be evaluated, stops the build. as_claimed: such amounts are kept, flagged wherever they are
    named, and the methodology lists each gap."""
    customers_can_switch: bool = True
    """False for a regulated monopoly (a UK water company): levers that need customers able to leave
    (churn, retention saves, lifetime value, revenue protected) are then refused."""
    thresholds: Thresholds = Field(default_factory=Thresholds)
    """What size of change is worth a sentence."""
    trend_periods: int = Field(default=12, ge=2, le=60)
    """How many periods the trend charts and facts look back over."""
    storyline: str = "board"
    """The storyline: a name from the templates folder (board) or a path to a storyline .yaml."""
    templates: list[Path] = Field(default_factory=list)
    """Folders of narrative templates that override the built-in ones, searched first to last."""
    reference: ReferenceTemplates = Field(default_factory=ReferenceTemplates)
    """The organisation's own Office templates."""
    llm: LlmSettings = Field(default_factory=LlmSettings)
    """The optional polish step."""
    outputs: list[Literal["docx", "pptx", "md"]] = Field(default_factory=lambda: ["docx", "pptx"])
    """Which documents to write."""

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError(f"expected a three-letter ISO currency code such as GBP, got {value!r}")
        return value.upper()

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"unknown locale {value!r}; use a tag such as en-GB or en-US") from None
        return value


class LoadedConfig(BaseModel):
    """A validated config with its file's location, for resolving relative paths."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: ReportConfig
    path: Path

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else (self.folder / path)


def load_config(path: str | Path) -> LoadedConfig:
    """Read and validate a report config; every problem is reported at once."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: config file not found; check the path (narrator init DIR makes one)")
    if path.is_dir():
        raise ConfigError(f"{path}: is a folder; give the config .yaml file inside it")
    try:
        raw = load_yaml(read_text(path, str(path), DOCUMENT, ConfigError))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file; save it as UTF-8 YAML") from None
    if raw is None:
        raise ConfigError(f"{path}: the config is empty; see samples/ for a complete example")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values at the top level")
    try:
        config = ReportConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(pydantic_problems(exc, str(path))) from None
    loaded = LoadedConfig(config=config, path=path.resolve())
    missing = [
        f"{path}: {key}: {'folder' if key.startswith('templates.') else 'file'} not found: {loaded.resolve(p)}"
        for key, p in _referenced_files(config)
        if not loaded.resolve(p).exists()
    ]
    if missing:
        raise ConfigError(missing)
    return loaded


def _referenced_files(config: ReportConfig) -> list[tuple[str, Path]]:
    files = [("inputs.kpis.path", config.inputs.kpis.path)] if config.inputs.kpis.path is not None else []
    if config.inputs.values:
        files.append(("inputs.values", config.inputs.values))
    if config.inputs.investment:
        files.append(("inputs.investment", config.inputs.investment))
    if config.inputs.assumptions:
        files.append(("inputs.assumptions", config.inputs.assumptions))
    if config.reference.pptx:
        files.append(("reference.pptx", config.reference.pptx))
    if config.reference.docx:
        files.append(("reference.docx", config.reference.docx))
    files.extend((f"templates.{i}", p) for i, p in enumerate(config.templates))
    return files
