#!/usr/bin/env python3
"""Runs Strata's compiled SQL on a real engine and prints the rows, typed.

    python runner.py ENGINE REQUEST.json > RESPONSE.json

ENGINE is one of
  spark       a local SparkSession (pyspark, local[2], in-memory catalog,
              UTC session time zone, Spark's own defaults otherwise: ANSI on)
  clickhouse  chDB, ClickHouse embedded in this process (a fresh session
              per case, so views persist across one case's statements)
  trino       the Trino server at $STRATA_TEST_TRINO (e.g.
              http://127.0.0.1:8080), user "strata", catalog "memory"
  fakesnow    fakesnow: Snowflake emulated over DuckDB (statements
              transpiled by sqlglot), through the patched Snowflake
              connector; an emulator, not Snowflake

REQUEST.json ("-" reads standard input):
  {"cases": [{"name": "...",
              "setup": ["CREATE SCHEMA ...", ...],     # in order; the first error stops the case
              "queries": [{"name": "...", "sql": "SELECT ..."}],
              "teardown": ["DROP ...", ...]}]}          # always run, errors ignored

Response, JSON on standard output (everything else goes to standard error):
  {"engine": "spark", "version": "4.x.y", "cases": [
    {"name": "...", "seconds": 1.2,
     "error": "" | "statement N failed: <message>\\n<statement>",   # N counts setup from 1
     "results": [{"name": "...", "columns": [...], "rows": [[cell, ...]], "error": ""}]}]}
The cases and each case's results come in the request's order; a case whose
setup failed has no results. Cells are typed from the engine's column types:
  null | true/false | {"int": "123"} | {"float": 1.5} ({"float": "NaN"},
  "Infinity", "-Infinity") | {"decimal": "12.50"} | {"str": "x"} |
  {"date": "2025-01-01"} | {"ts": "2025-01-01 12:00:00[.ffffff]"} |
  {"tstz": "2025-01-01 12:00:00[.ffffff]+00:00"} | {"other": "<type>: <repr>"}
Timestamps carry a fraction only when it is not zero (six digits, more only
when the engine has nonzero digits past microseconds).

Engine notes:
  spark       Spark's TIMESTAMP is TIMESTAMP_LTZ: its cells are "tstz" (UTC);
              TIMESTAMP_NTZ gives "ts". FLOAT cells are the float widened to
              double (0.1 -> 0.10000000149011612). A case's leftover schemas
              and default-schema tables/views are dropped after teardown.
  clickhouse  DateTime/DateTime64 without a zone in the type give "ts"
              (rendered in UTC, session_timezone = 'UTC'); with one, "tstz".
              Each case gets a new chDB session (settings start afresh), but
              databases are shared by all sessions in the process, so those a
              case leaves (and tables in `default`) are dropped after teardown.
  trino       no cleanup beyond the case's teardown: the server is shared.
  fakesnow    each case gets a new fakesnow (a new in-memory DuckDB) and a
              connection to database STRATA with schema PUBLIC, created on
              connect; nothing outlives the case. Cells are typed from the
              connector's type codes in cursor.description (FIXED with
              scale 0 gives "int", with a scale "decimal"); TIMESTAMP_NTZ
              gives "ts", TIMESTAMP_TZ/LTZ "tstz" in UTC (the session's
              zone is UTC).

Exit status: 0 when a response was printed (cases may still have failed);
1, with {"engine", "version", "error", "cases": []} printed, when the engine
could not be started or reached or the request could not be read.

Extra environment: STRATA_SPARK_CONF="key=value;key=value" adds Spark
settings (e.g. spark.sql.ansi.enabled=false); STRATA_SPARK_JAVA_OPTS adds
options to the driver's JVM.

Requirements: requirements.txt beside this file, installed in
.cache/engines/venv (`make checkers`); Spark needs Java 17 or newer.
"""

import datetime
import decimal
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import warnings

MAX_MESSAGE = 4000


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def clean_statement(sql):
    """One statement without trailing ';' and whitespace."""
    s = sql.strip()
    while s.endswith(";"):
        s = s[:-1].rstrip()
    return s


def message(exc):
    text = str(exc).strip() or type(exc).__name__
    if getattr(exc, "error_name", None) and getattr(exc, "message", None):
        # trino's errors: NAME: message, without the query id
        text = "%s: %s" % (exc.error_name, exc.message)
    # Spark's analysis errors end in the query plan: leave it out.
    m = re.search(r"; line \d+ pos \d+;?\n", text)
    if m:
        text = text[:m.end()].rstrip().rstrip(";")
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "..."
    return text


# ---------------------------------------------------------------- cells

def float_cell(v):
    if v is None:
        return None
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("nan", "+nan", "-nan"):
            return {"float": "NaN"}
        if s in ("inf", "+inf", "infinity", "+infinity"):
            return {"float": "Infinity"}
        if s in ("-inf", "-infinity"):
            return {"float": "-Infinity"}
        v = float(v)
    v = float(v)
    if math.isnan(v):
        return {"float": "NaN"}
    if math.isinf(v):
        return {"float": "Infinity" if v > 0 else "-Infinity"}
    return {"float": v}


def int_cell(v):
    if v is None:
        return None
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, str):
        return {"int": str(int(v.strip()))}
    return {"int": str(int(v))}


def decimal_cell(v):
    if v is None:
        return None
    if not isinstance(v, decimal.Decimal):
        v = decimal.Decimal(str(v).strip())
    if not v.is_finite():
        return {"other": "decimal: " + str(v)}
    return {"decimal": format(v, "f")}


def fraction(frac):
    """'.123' -> '.123000'; '' or zeros -> ''; keeps digits past 6 if nonzero."""
    frac = frac.lstrip(".")
    if not frac or set(frac) == {"0"}:
        return ""
    if len(frac) < 6:
        frac = frac + "0" * (6 - len(frac))
    elif len(frac) > 6 and set(frac[6:]) == {"0"}:
        frac = frac[:6]
    return "." + frac


def dt_text(d):
    """Naive datetime -> 'YYYY-MM-DD HH:MM:SS[.ffffff]'."""
    s = "%04d-%02d-%02d %02d:%02d:%02d" % (d.year, d.month, d.day, d.hour, d.minute, d.second)
    if d.microsecond:
        s += ".%06d" % d.microsecond
    return s


def offset_text(delta):
    total = int(delta.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    s = "%s%02d:%02d" % (sign, h, m)
    if sec:
        s += ":%02d" % sec
    return s


TS_TEXT = re.compile(r"^(-?\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(.*)$")


def ts_text_cell(text, kind, zone=None):
    """A timestamp rendered by the engine as text -> ts/tstz cell.

    zone: the zone the text is in when the text has none (tstz only)."""
    m = TS_TEXT.match(text.strip())
    if not m:
        return {"other": "%s: %r" % (kind, text)}
    base = m.group(1) + " " + m.group(2)
    frac = fraction(m.group(3) or "")
    rest = m.group(4).strip()
    if kind == "ts":
        if rest:
            return {"other": "timestamp: %r" % text}
        return {"ts": base + frac}
    if not rest:
        rest = zone or "UTC"
    if rest in ("UTC", "Z", "Etc/UTC", "GMT", "+00:00", "Zulu", "UCT"):
        return {"tstz": base + frac + "+00:00"}
    if re.match(r"^[+-]\d{2}:\d{2}(:\d{2})?$", rest):
        return {"tstz": base + frac + rest}
    try:
        from zoneinfo import ZoneInfo
        local = datetime.datetime.strptime(base, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(rest))
        return {"tstz": base + frac + offset_text(local.utcoffset())}
    except Exception:
        return {"other": "timestamp with time zone: %r" % text}


def other_cell(type_name, v):
    return {"other": "%s: %r" % (type_name, v)}


# ---------------------------------------------------------------- engines

class Engine:
    name = ""
    version = ""

    def begin_case(self):
        pass

    def end_case(self):
        pass

    def execute(self, sql):
        """Runs a statement, discarding any rows."""
        raise NotImplementedError

    def query(self, sql):
        """Runs a query: (columns, rows of cells)."""
        raise NotImplementedError

    def close(self):
        pass


class Spark(Engine):
    name = "spark"

    def __init__(self):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # collect() turns TIMESTAMP (with local time zone) values into naive
        # datetimes in this process's zone: make that UTC.
        os.environ["TZ"] = "UTC"
        time.tzset()
        warnings.filterwarnings("ignore")
        self.tmp = tempfile.mkdtemp(prefix="strata-spark-")
        log4j = os.path.join(self.tmp, "log4j2.properties")
        with open(log4j, "w") as f:
            f.write(
                "rootLogger.level = error\n"
                "rootLogger.appenderRef.stderr.ref = console\n"
                "appender.console.type = Console\n"
                "appender.console.name = console\n"
                "appender.console.target = SYSTEM_ERR\n"
                "appender.console.layout.type = PatternLayout\n"
                "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex\n"
                # a failing query is reported through its exception: the
                # task failures and query contexts logged too are noise
                "logger.executor.name = org.apache.spark.executor.Executor\n"
                "logger.executor.level = off\n"
                "logger.tasks.name = org.apache.spark.scheduler.TaskSetManager\n"
                "logger.tasks.level = off\n"
                "logger.context.name = SQLQueryContextLogger\n"
                "logger.context.level = off\n")
        from pyspark.sql import SparkSession
        from pyspark.logger import PySparkLogger
        # PySpark logs each failing query's context besides raising it.
        for logger in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
            PySparkLogger.getLogger(logger).disabled = True
        java_opts = " ".join([
            "-Dlog4j2.configurationFile=file:" + log4j,
            "-Duser.timezone=UTC",
            "-XX:+UseSerialGC",
            # C1 only: short runs on 2 cores start and finish faster
            "-XX:TieredStopAtLevel=1",
            os.environ.get("STRATA_SPARK_JAVA_OPTS", ""),
        ]).strip()
        conf = {
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.warehouse.dir": os.path.join(self.tmp, "warehouse"),
            "spark.local.dir": os.path.join(self.tmp, "local"),
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": "2",
            "spark.default.parallelism": "2",
            "spark.sql.adaptive.enabled": "true",
            "spark.driver.memory": "1g",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.extraJavaOptions": java_opts,
        }
        for item in os.environ.get("STRATA_SPARK_CONF", "").split(";"):
            if "=" in item:
                k, v = item.split("=", 1)
                conf[k.strip()] = v.strip()
        b = SparkSession.builder.master("local[2]").appName("strata-enginecheck")
        for k, v in conf.items():
            b = b.config(k, v)
        started = time.time()
        self.spark = b.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        self.version = self.spark.version
        log("spark %s started in %.1fs (ansi=%s)" % (
            self.version, time.time() - started, self.spark.conf.get("spark.sql.ansi.enabled")))

    def execute(self, sql):
        # Commands run in sql(); collect() runs anything lazy too, so that
        # its errors show here (and costs little for commands).
        self.spark.sql(sql).collect()

    def query(self, sql):
        df = self.spark.sql(sql)
        fields = df.schema.fields
        rows = df.collect()
        return [f.name for f in fields], [
            [self.cell(f.dataType, v) for f, v in zip(fields, row)] for row in rows]

    def cell(self, t, v):
        from pyspark.sql import types as T
        if v is None:
            return None
        if isinstance(t, T.BooleanType):
            return bool(v)
        if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
            return int_cell(v)
        if isinstance(t, (T.FloatType, T.DoubleType)):
            return float_cell(v)
        if isinstance(t, T.DecimalType):
            return decimal_cell(v)
        if isinstance(t, (T.StringType, T.VarcharType, T.CharType)):
            return {"str": str(v)}
        if isinstance(t, T.DateType):
            return {"date": v.isoformat()}
        if isinstance(t, T.TimestampNTZType):
            return {"ts": dt_text(v)}
        if isinstance(t, T.TimestampType):
            # naive, in this process's zone, which is UTC (see __init__)
            if v.tzinfo is not None:
                v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            return {"tstz": dt_text(v) + "+00:00"}
        if isinstance(t, T.NullType):
            return None
        return other_cell(t.simpleString(), v)

    def end_case(self):
        # The session is shared by all cases: drop what teardown left.
        try:
            for db in self.spark.catalog.listDatabases():
                if db.name != "default":
                    log("spark: dropping leftover schema %s" % db.name)
                    self.spark.sql("DROP SCHEMA IF EXISTS `%s` CASCADE" % db.name.replace("`", "``"))
            for t in self.spark.catalog.listTables("default"):
                kind = "VIEW" if (t.tableType or "").upper() in ("VIEW", "TEMPORARY") else "TABLE"
                log("spark: dropping leftover %s default.%s" % (kind.lower(), t.name))
                if t.isTemporary:
                    self.spark.catalog.dropTempView(t.name)
                else:
                    self.spark.sql("DROP %s IF EXISTS default.`%s`" % (kind, t.name.replace("`", "``")))
        except Exception as e:
            log("spark: cleaning up after the case: %s" % message(e))

    def close(self):
        try:
            self.spark.stop()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def quote_ch(name):
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


class ClickHouse(Engine):
    name = "clickhouse"
    # Typed, exact JSON output; times in UTC.
    SETTINGS = [
        "SET output_format_json_quote_64bit_integers = 1",
        "SET output_format_json_quote_decimals = 1",
        "SET output_format_decimal_trailing_zeros = 1",
        "SET output_format_json_quote_denormals = 1",
        "SET session_timezone = 'UTC'",
    ]

    def __init__(self):
        started = time.time()
        import chdb  # noqa: F401
        from chdb import session
        self.session_mod = session
        self.session = None
        self.begin_case()
        out = self.session.query("SELECT version()", "JSONCompact").bytes()
        self.version = json.loads(out)["data"][0][0]
        self.end_case()
        log("chdb (ClickHouse %s) started in %.2fs" % (self.version, time.time() - started))

    def begin_case(self):
        self.session = self.session_mod.Session()
        for s in self.SETTINGS:
            self.session.query(s)

    BUILTIN = ("system", "default", "information_schema", "INFORMATION_SCHEMA")

    def end_case(self):
        if self.session is None:
            return
        # Sessions share one in-process server: what a case leaves stays
        # for the next one unless it is dropped.
        try:
            _, dbs = self.query("SELECT name FROM system.databases")
            for (name,) in dbs:
                if name["str"] not in self.BUILTIN:
                    log("clickhouse: dropping leftover database %s" % name["str"])
                    self.session.query("DROP DATABASE IF EXISTS %s SYNC" % quote_ch(name["str"]))
            _, tables = self.query("SELECT name FROM system.tables WHERE database = 'default'")
            for (name,) in tables:
                log("clickhouse: dropping leftover default.%s" % name["str"])
                self.session.query("DROP TABLE IF EXISTS default.%s SYNC" % quote_ch(name["str"]))
        finally:
            self.session.close()
            self.session = None

    def execute(self, sql):
        self.session.query(sql)

    def query(self, sql):
        raw = self.session.query(sql, "JSONCompact").bytes()
        # Numbers stay text, to be typed from the column types.
        doc = json.loads(raw, parse_float=str, parse_int=str) if raw.strip() else {"meta": [], "data": []}
        meta = doc.get("meta", [])
        rows = [[self.cell(m["type"], v) for m, v in zip(meta, row)] for row in doc.get("data", [])]
        return [m["name"] for m in meta], rows

    INT = re.compile(r"^U?Int(8|16|32|64|128|256)$")

    def cell(self, t, v):
        if v is None:
            return None
        base = t
        while True:
            m = re.match(r"^(Nullable|LowCardinality)\((.*)\)$", base)
            if not m:
                break
            base = m.group(2)
        if base == "Bool":
            return v if isinstance(v, bool) else str(v).lower() in ("true", "1")
        if self.INT.match(base):
            return int_cell(v)
        if base in ("Float32", "Float64", "BFloat16"):
            return float_cell(v)
        if base.startswith("Decimal"):
            return decimal_cell(v)
        if base in ("String",) or base.startswith("FixedString(") or base.startswith("Enum"):
            return {"str": v}
        if base in ("Date", "Date32"):
            return {"date": v}
        m = re.match(r"^DateTime(64)?(\((.*)\))?$", base)
        if m:
            args = [a.strip() for a in (m.group(3) or "").split(",") if a.strip()]
            zone = [a.strip("'") for a in args if a.startswith("'")]
            if zone:
                return ts_text_cell(v, "tstz", zone[0])
            return ts_text_cell(v, "ts")
        if base == "Nothing":
            return None
        return other_cell(base, v)


class Trino(Engine):
    name = "trino"

    def __init__(self):
        import urllib.parse
        import trino
        url = os.environ.get("STRATA_TEST_TRINO", "")
        if not url:
            raise RuntimeError("STRATA_TEST_TRINO is not set (e.g. http://127.0.0.1:8080)")
        if "://" not in url:
            url = "http://" + url
        u = urllib.parse.urlparse(url)
        self.conn = trino.dbapi.connect(
            host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8080),
            http_scheme=u.scheme or "http", user="strata", catalog="memory", schema="default",
            timezone="UTC", legacy_primitive_types=True, source="strata-enginecheck")
        started = time.time()
        _, rows = self.query("SELECT version()")
        self.version = rows[0][0]["str"]
        log("trino %s at %s answered in %.2fs" % (self.version, url, time.time() - started))

    def execute(self, sql):
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
            cur.fetchall()
        finally:
            cur.close()

    def query(self, sql):
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
            rows = cur.fetchall()
            desc = cur.description or []
        finally:
            cur.close()
        types = [d[1] for d in desc]
        return [d[0] for d in desc], [[self.cell(t, v) for t, v in zip(types, row)] for row in rows]

    def cell(self, t, v):
        # legacy_primitive_types: values as the server sent them in JSON
        if v is None:
            return None
        base = t.split("(")[0].strip().lower()
        if base == "boolean":
            return bool(v)
        if base in ("tinyint", "smallint", "integer", "bigint"):
            return int_cell(v)
        if base in ("real", "double"):
            return float_cell(v)
        if base == "decimal":
            return decimal_cell(v)
        if base in ("varchar", "char"):
            return {"str": v}
        if base == "date":
            return {"date": v}
        if base == "timestamp":
            return ts_text_cell(v, "tstz" if "with time zone" in t else "ts")
        return other_cell(t, v)


class Fakesnow(Engine):
    name = "fakesnow"

    # snowflake.connector's type codes (cursor.description's type_code)
    FIXED, REAL, TEXT, DATE, TIMESTAMP, VARIANT, TIMESTAMP_LTZ, TIMESTAMP_TZ, TIMESTAMP_NTZ = range(9)
    BOOLEAN = 13

    def __init__(self):
        started = time.time()
        os.environ["TZ"] = "UTC"
        time.tzset()
        warnings.filterwarnings("ignore")
        import importlib.metadata
        import fakesnow
        import duckdb
        import sqlglot
        self.fakesnow = fakesnow
        self.patch = None
        self.conn = None
        self.version = "%s (sqlglot %s, DuckDB %s)" % (
            importlib.metadata.version("fakesnow"), sqlglot.__version__, duckdb.__version__)
        log("fakesnow %s loaded in %.2fs" % (self.version, time.time() - started))

    def begin_case(self):
        # A new fakesnow per case: its own in-memory DuckDB.
        self.patch = self.fakesnow.patch()
        self.patch.__enter__()
        try:
            import snowflake.connector
            self.conn = snowflake.connector.connect(database="STRATA", schema="PUBLIC")
        except Exception:
            self.end_case()
            raise

    def end_case(self):
        try:
            if self.conn is not None:
                self.conn.close()
        finally:
            self.conn = None
            if self.patch is not None:
                self.patch.__exit__(None, None, None)
                self.patch = None

    def execute(self, sql):
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()

    def query(self, sql):
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
            rows = cur.fetchall()
            desc = list(cur.description or [])
        finally:
            cur.close()
        return [d.name for d in desc], [[self.cell(d, v) for d, v in zip(desc, row)] for row in rows]

    def cell(self, d, v):
        if v is None:
            return None
        t = d.type_code
        if t == self.BOOLEAN:
            return bool(v)
        if t == self.FIXED:
            if d.scale:
                return decimal_cell(v)
            return int_cell(v)
        if t == self.REAL:
            return float_cell(v)
        if t == self.TEXT:
            return {"str": str(v)}
        if t == self.DATE:
            if isinstance(v, datetime.datetime):
                v = v.date()
            return {"date": v.isoformat()}
        if t in (self.TIMESTAMP_NTZ, self.TIMESTAMP) and isinstance(v, datetime.datetime) and v.tzinfo is None:
            return {"ts": dt_text(v)}
        if t in (self.TIMESTAMP_TZ, self.TIMESTAMP_LTZ, self.TIMESTAMP) and isinstance(v, datetime.datetime):
            if v.tzinfo is None:
                return {"tstz": dt_text(v) + "+00:00"}
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            return {"tstz": dt_text(v) + "+00:00"}
        return other_cell("type code %s" % t, v)


ENGINES = {"spark": Spark, "clickhouse": ClickHouse, "trino": Trino, "fakesnow": Fakesnow}


# ---------------------------------------------------------------- cases

def run_case(engine, case):
    started = time.time()
    out = {"name": case.get("name", ""), "error": "", "seconds": 0.0, "results": []}
    engine.begin_case()
    try:
        for i, stmt in enumerate(case.get("setup") or [], 1):
            sql = clean_statement(stmt)
            if not sql:
                continue
            try:
                engine.execute(sql)
            except Exception as e:
                out["error"] = "statement %d failed: %s\n%s" % (i, message(e), sql)
                break
        if not out["error"]:
            for q in case.get("queries") or []:
                r = {"name": q.get("name", ""), "columns": [], "rows": [], "error": ""}
                try:
                    r["columns"], r["rows"] = engine.query(clean_statement(q.get("sql", "")))
                except Exception as e:
                    r["error"] = message(e)
                out["results"].append(r)
    finally:
        for stmt in case.get("teardown") or []:
            sql = clean_statement(stmt)
            if not sql:
                continue
            try:
                engine.execute(sql)
            except Exception as e:
                log("%s: teardown of %s: %s" % (engine.name, out["name"], message(e).splitlines()[0]))
        try:
            engine.end_case()
        except Exception as e:
            log("%s: ending case %s: %s" % (engine.name, out["name"], message(e)))
    out["seconds"] = round(time.time() - started, 3)
    log("%s: %s %s in %.2fs" % (engine.name, out["name"], "FAILED" if out["error"] else "ok", out["seconds"]))
    return out


def main(argv):
    # Keep stdout for the response alone: anything else that writes to
    # file descriptor 1 (the JVM, native code, print) goes to stderr.
    sys.stdout.flush()
    response_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def respond(obj, code):
        with os.fdopen(response_fd, "w") as f:
            json.dump(obj, f, ensure_ascii=False, allow_nan=False)
            f.write("\n")
        return code

    if len(argv) != 3 or argv[1] not in ENGINES:
        log(__doc__)
        return respond({"engine": argv[1] if len(argv) > 1 else "", "version": "",
                        "error": "usage: runner.py {%s} REQUEST.json" % "|".join(ENGINES), "cases": []}, 2)
    name = argv[1]
    try:
        if argv[2] == "-":
            request = json.load(sys.stdin)
        else:
            with open(argv[2], encoding="utf-8") as f:
                request = json.load(f)
    except Exception as e:
        return respond({"engine": name, "version": "", "error": "reading the request: %s" % e, "cases": []}, 1)
    try:
        engine = ENGINES[name]()
    except Exception as e:
        traceback.print_exc()
        return respond({"engine": name, "version": "", "error": "starting %s: %s" % (name, message(e)), "cases": []}, 1)
    cases = []
    try:
        for case in request.get("cases") or []:
            cases.append(run_case(engine, case))
    finally:
        try:
            engine.close()
        except Exception as e:
            log("closing %s: %s" % (name, message(e)))
    return respond({"engine": name, "version": engine.version, "cases": cases}, 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
