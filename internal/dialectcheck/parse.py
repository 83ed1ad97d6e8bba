"""Parse SQL files with independent parsers, for Strata's dialect checks.

Usage: python parse.py DIALECT=PATH ...

Prints one JSON object per line: {"path", "dialect", "parser", "ok",
"error"}. A parser that falls back to treating a statement as an opaque
command (sqlglot does for syntax it does not know) has not checked it:
that is reported as a failure too, with the statement.
"""
import json
import logging
import sys
from concurrent.futures import ProcessPoolExecutor

import sqlfluff
from sqlfluff.core import FluffConfig
import sqlglot
from sqlglot.errors import ErrorLevel

# sqlfluff names some dialects differently from Strata.
SQLFLUFF = {"snowflake": "snowflake", "bigquery": "bigquery", "redshift": "redshift",
            "databricks": "databricks", "trino": "trino", "clickhouse": "clickhouse",
            "postgres": "postgres", "duckdb": "duckdb"}


class Fallbacks(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def with_sqlglot(dialect, sql):
    handler = Fallbacks()
    logger = logging.getLogger("sqlglot")
    logger.addHandler(handler)
    try:
        sqlglot.parse(sql, read=dialect, error_level=ErrorLevel.RAISE)
    except Exception as e:  # noqa: BLE001 - every parser error is a finding
        return str(e)
    finally:
        logger.removeHandler(handler)
    fallbacks = [m for m in handler.messages if "Falling back" in m]
    return "; ".join(fallbacks) or None


def with_sqlfluff(dialect, sql):
    # The raw templater reads the SQL as it is (Jinja would read {{ in a
    # string); no size limit, or sqlfluff would skip large statements.
    config = FluffConfig(overrides={"dialect": SQLFLUFF[dialect], "templater": "raw",
                                    "large_file_skip_byte_limit": 0})
    try:
        sqlfluff.parse(sql, config=config)
    except Exception as e:  # noqa: BLE001
        return str(e)
    return None


def statements(sql):
    """Splits a golden into its statements: Strata ends each with ';' at
    the end of a line. Yields (first line number, text)."""
    start, lines = 1, []
    for number, line in enumerate(sql.splitlines(keepends=True), 1):
        if not lines:
            start = number
        lines.append(line)
        if line.rstrip("\n").endswith(";"):
            yield start, "".join(lines)
            lines = []
    if "".join(lines).strip():
        yield start, "".join(lines)


def check(arg):
    """Parses each statement of a file with each parser; a parser's result
    for the file is the list of statements it rejects, one error a line."""
    dialect, path = arg.split("=", 1)
    with open(path, encoding="utf-8") as f:
        sql = f.read()
    out = []
    for name, parse in (("sqlglot", with_sqlglot), ("sqlfluff", with_sqlfluff)):
        errors = []
        for line, text in statements(sql):
            error = parse(dialect, text)
            if error:
                errors.append("line %d: %s" % (line, " ".join(error.split())))
        out.append({"path": path, "dialect": dialect, "parser": name, "ok": not errors, "errors": errors})
    return out


def main():
    with ProcessPoolExecutor() as pool:
        for results in pool.map(check, sys.argv[1:]):
            for r in results:
                print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
