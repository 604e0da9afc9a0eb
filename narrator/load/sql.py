"""A SQL source: the KPI rows from a database (an SQLAlchemy URL with a query or a table), read into the
same Table a file gives, so every layout, preset and check works on it unchanged.

The password never goes in the config: the URL is written without one and ``password_env`` names the
environment variable that holds it. Messages and the run record show the URL with no password, and the
run record notes a checksum of the rows read, so next month's record shows whether the data changed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os

from narrator.errors import InputError
from narrator.load.tables import Table


def safe_url(url: str) -> str:
    """The URL as it may be shown: without a password, whatever the config wrote."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is reported by read_sql
        return url.split("@")[-1]


def read_sql(kpi_input, config_name: str, env=None) -> tuple[Table, dict]:
    """The rows of ``kpi_input.query`` (or every row of ``kpi_input.table``) as a Table, and what the run
    record says about the source (URL without password, query or table, row count, checksum)."""
    try:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url
    except ModuleNotFoundError:  # pragma: no cover - sqlalchemy is a dependency; a broken install says so
        raise InputError(f"{config_name}: inputs.kpis.url needs SQLAlchemy; pip install sqlalchemy") from None
    env = os.environ if env is None else env
    try:
        url = make_url(kpi_input.url)
    except Exception:  # noqa: BLE001 - sqlalchemy raises ArgumentError and ValueError for bad URLs
        raise InputError(
            f"{config_name}: inputs.kpis.url: not a database URL; write it as "
            "dialect+driver://user@host/database (sqlite:///kpis.db, postgresql+psycopg://user@host/db)"
        ) from None
    shown = url.render_as_string(hide_password=True)
    if url.password is not None:
        raise InputError(
            f"{config_name}: inputs.kpis.url: the URL contains a password; remove it and put the password in an "
            "environment variable named by inputs.kpis.password_env"
        )
    secret = None
    if kpi_input.password_env:
        secret = env.get(kpi_input.password_env)
        if not secret:
            raise InputError(
                f"{config_name}: inputs.kpis.password_env: the environment variable {kpi_input.password_env} is not "
                "set; set it to the database password before running narrator"
            )
        url = url.set(password=secret)
    what = kpi_input.table or "query"
    name = f"{what} at {shown}"
    try:
        engine = sa.create_engine(url)
    except ModuleNotFoundError as exc:
        raise InputError(
            f"{config_name}: inputs.kpis.url: the database driver {exc.name} is not installed; for PostgreSQL "
            "install the postgres extra (pip install '.[postgres]' in narrator's folder, or pip install psycopg)"
        ) from None
    try:
        with engine.connect() as connection:
            if kpi_input.table:
                statement = sa.select(sa.Table(kpi_input.table, sa.MetaData(), autoload_with=connection))
            else:
                statement = sa.text(kpi_input.query)
            result = connection.execute(statement)
            headers = [str(key) for key in result.keys()]
            limit = _row_limit(env)
            records = []
            for row in result:
                if len(records) == limit:
                    raise InputError(
                        f"{name}: returned more than {limit:,} rows; narrow the query (a WHERE on the month) or "
                        f"raise NARRATOR_MAX_SQL_ROWS"
                    )
                records.append(tuple(_cell(value) for value in row))
    except sa.exc.NoSuchTableError:
        raise InputError(f"{config_name}: inputs.kpis.table: no table {kpi_input.table!r} at {shown}") from None
    except sa.exc.SQLAlchemyError as exc:
        reason = _reason(exc, secret)
        raise InputError(
            f"{config_name}: inputs.kpis: cannot read {name} ({reason}); check the URL, {_check(kpi_input)}"
        ) from None
    finally:
        engine.dispose()
    if not records:
        raise InputError(f"{name}: returned no rows; check the {'table' if kpi_input.table else 'query'}")
    table = Table(
        name=name,
        columns=tuple(headers),
        row_numbers=tuple(range(1, len(records) + 1)),
        data=tuple(zip(*records, strict=True)),
        row_word="record",
    )
    source = {
        "kind": "sql",
        "url": shown,
        **({"table": kpi_input.table} if kpi_input.table else {"query": kpi_input.query}),
        "rows": len(records),
        "sha256": rows_checksum(headers, records),
    }
    return table, source


def _row_limit(env) -> int:
    """Most rows one query may return (NARRATOR_MAX_SQL_ROWS, default 5 million): a query that forgot its
    WHERE should stop with a message, not fill the memory."""
    raw = env.get("NARRATOR_MAX_SQL_ROWS", "").strip()
    if not raw:
        return 5_000_000
    if not raw.isdigit() or int(raw) <= 0:
        raise InputError(f"NARRATOR_MAX_SQL_ROWS={raw!r}: expected a positive whole number of rows")
    return int(raw)


def rows_checksum(headers: list[str], records: list[tuple]) -> str:
    """A checksum of the rows as read, independent of the driver's types (2.5 and Decimal('2.5') agree)."""
    digest = hashlib.sha256()
    digest.update(json.dumps(headers).encode())
    for record in records:
        digest.update(json.dumps([_plain(v) for v in record], default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _cell(value: object) -> object:
    """A database value as the cell parsers read file cells: numbers as float or int, dates as dates."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _reason(exc: Exception, secret: str | None) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if secret:
        text = text.replace(secret, "***")
    return f"{type(getattr(exc, 'orig', None) or exc).__name__}: {text}"


def _check(kpi_input) -> str:
    what = f"the table {kpi_input.table!r}" if kpi_input.table else "the query"
    if kpi_input.password_env:
        return f"{what} and the password in ${kpi_input.password_env}"
    return what
