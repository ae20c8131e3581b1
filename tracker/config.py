"""One configuration: `ncp-tracker.toml`, with a documented search order and provenance.

Where the file is found (first match wins):

1. `--config PATH` (the CLI's global option),
2. `$NCP_TRACKER_CONFIG`,
3. `ncp-tracker.toml` in the working directory,
4. none: the built-in defaults below.

The environment is read only for secrets and for the few overrides a cron line needs
(`ENV_OVERRIDES`); the CLI's `--db` beats them all. `ncp-tracker config` prints every effective
value and where it came from. An unknown table or key, or a value of the wrong type, is an error
that names the file, the line and the key: a misspelt setting must never be silently ignored.

Scrapy settings pass through unchanged with `-s NAME=VALUE` on `run`, `crawl` and `record`, as in
`scrapy crawl`; the `[crawl]` table holds the polite defaults an operator is likely to change.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracker.addresses import sender_problem

FILE_NAME = "ncp-tracker.toml"
ENV_CONFIG = "NCP_TRACKER_CONFIG"


class ConfigError(Exception):
    """A configuration the user must fix; the message names file, line and key."""


@dataclass(frozen=True)
class Setting:
    type: type
    default: Any
    help: str
    #: the values it may take (empty: any of its type)
    choices: tuple[Any, ...] = ()
    #: what is wrong with a value of the right type ("" when nothing), for rules `choices` cannot say
    check: Callable[[Any], str] | None = None
    #: a file or folder: a leading ``~`` (``~/ncp/tracker.db``) is the user's home (expand_paths)
    path: bool = False


def _site_address(value: str) -> str:
    """What is wrong with `value` as the workbench's public address ("" when nothing): an
    http(s) address of a host, with an optional path, and nothing else."""
    if not value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query
            or parts.fragment or any(c.isspace() for c in value)):
        return "must be the workbench's address as advisers open it, e.g. \"https://ncp.example.org\""
    return ""


#: the ports a server may listen on or a client connect to (0 would mean "any free port")
PORTS = (1, 65535)


def _in_range(low: int, high: int | None = None, what: str = "") -> Callable[[Any], str]:
    """A `Setting.check`: what is wrong with a number outside low…high ("" when nothing)."""
    def check(value: Any) -> str:
        if value < low or (high is not None and value > high):
            span = f"between {low} and {high}" if high is not None else f"at least {low}"
            return f"must be {what + ' ' if what else ''}{span}"
        return ""
    return check


#: the crawl's log levels, as the refusal of another one lists them (any case; logging's other
#: names, WARN and FATAL, are taken too)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def log_level_problem(value: str) -> str:
    """What is wrong with `value` as a log level ("" when nothing): a level Python's logging (and
    Scrapy's LOG_LEVEL) knows by name — «verbose» crashed every crawl with a TypeError."""
    import logging

    if value.upper() in logging.getLevelNamesMapping():
        return ""
    return f"must be one of {', '.join(LOG_LEVELS)}"


#: every setting there is: table → key → (type, default, meaning)
SCHEMA: dict[str, dict[str, Setting]] = {
    "tracker": {
        "db": Setting(str, "data/tracker.db", "the database file", path=True),
        "data_dir": Setting(str, "data", "user-editable data (profiles, watchlist, weights, drafts template)", path=True),
        "log_level": Setting(str, "WARNING", "log level of crawls (DEBUG shows tracebacks)", check=log_level_problem),
    },
    "crawl": {
        "contact": Setting(str, "", "contact address in the User-Agent; required for live crawls"),
        "concurrency_per_domain": Setting(int, 2, "parallel requests per site", check=_in_range(1)),
        "download_delay": Setting(float, 1.5, "seconds between requests to one site (AutoThrottle starts here)",
                                  check=_in_range(0)),
        "autothrottle_max_delay": Setting(float, 60.0, "longest AutoThrottle delay, seconds", check=_in_range(0)),
        "download_timeout": Setting(int, 30, "seconds before a request is abandoned", check=_in_range(1)),
        "download_maxsize": Setting(int, 20 * 1024 * 1024, "largest answer accepted, bytes (0: no limit)",
                                    check=_in_range(0)),
        "spider_timeout": Setting(int, 1800, "seconds before a still-running source is closed (red; 0: never)",
                                  check=_in_range(0)),
        "retry_times": Setting(int, 3, "retries of 429/5xx answers", check=_in_range(0)),
        "retry_backoff_base": Setting(float, 2.0, "backoff before retry n is base × 2ⁿ seconds", check=_in_range(0)),
        "retry_after_max": Setting(float, 120.0, "longest Retry-After honoured, seconds", check=_in_range(0)),
        "robotstxt_obey": Setting(bool, True, "honour robots.txt"),
        "httpcache": Setting(bool, True, "conditional requests through Scrapy's HTTP cache"),
        "httpcache_dir": Setting(str, "", "where the HTTP cache lives (empty: beside the database, <db>.httpcache)", path=True),
        "min_refetch_hours": Setting(float, 12.0, "pages without validators are fetched at most this often",
                                     check=_in_range(0)),
        "regjeringen_listing_pages": Setting(int, 5, "most regjeringen.no hearing listing pages read per run",
                                             check=_in_range(1)),
        "lock_wait": Setting(int, 3600, "seconds a crawl waits for another crawl of the same database to end "
                                        "(0: refuse at once)", check=_in_range(0)),
    },
    "smtp": {
        "host": Setting(str, "", "SMTP server for `digest --send` (none: sending is refused)"),
        "port": Setting(int, 587, "SMTP port", check=_in_range(*PORTS, "a port")),
        "starttls": Setting(bool, True, "STARTTLS before login"),
        "user": Setting(str, "", "SMTP login (the password only from $NCP_TRACKER_SMTP_PASSWORD)"),
        "from": Setting(str, "ncp-tracker <ncp-tracker@localhost>", "the digest's sender", check=sender_problem),
    },
    "web": {
        "host": Setting(str, "127.0.0.1", "address `serve` listens on"),
        "port": Setting(int, 8000, "port `serve` listens on", check=_in_range(*PORTS, "a port")),
        "threads": Setting(int, 8, "worker threads of the production server (waitress)", check=_in_range(1)),
        "trusted_proxies": Setting(int, 0, "reverse proxies in front whose X-Forwarded-For/-Proto/-Host "
                                           "are trusted (0: none; 1: one nginx/Caddy with TLS)", check=_in_range(0)),
        "idle_timeout_minutes": Setting(int, 60, "a login ends after this many minutes without a request",
                                        check=_in_range(1)),
        "login_max_attempts": Setting(int, 5, "failed logins per account and per address before a pause",
                                      check=_in_range(1)),
        "login_window_minutes": Setting(int, 15, "the window (and pause) of the login limit, minutes",
                                        check=_in_range(1)),
        "secret_file": Setting(str, "", "file with the session signing key (default <data_dir>/web-secret.key, "
                                        "created with mode 0600)", path=True),
        "public_url": Setting(str, "", "the workbench's address as advisers open it (https://ncp.example.org): "
                                       "each item in the digest links to its page there (empty: no such links)",
                              check=_site_address),
    },
    "backup": {
        "dir": Setting(str, "", "where `backup` puts its copies (default <data_dir>/backups)", path=True),
        "keep": Setting(int, 14, "generations `backup` keeps (the oldest beyond are removed)", check=_in_range(1)),
    },
    "digest": {
        # a name of the profiles file (data_dir's, else the shipped one): checked where profiles are read
        # (tracker.cli.support.digest_profile), which names this file and line for a name it lacks
        "profile": Setting(str, "ncp", "profile of `digest` and of the digest `run` writes"),
        "lang": Setting(str, "nb", "language of what people read (the digests, the web's first page): nb or en",
                        choices=("nb", "en")),
        "out_dir": Setting(str, "data/digests", "where `run` writes the day's digest", path=True),
    },
    "nlp": {
        "cache_dir": Setting(str, "", "where the lemma cache is built (default ~/.cache/ncp-tracker)", path=True),
    },
}

#: environment variables that override a setting (for cron lines and secrets), and nothing else
ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "NCP_TRACKER_DB": ("tracker", "db"),
    "NCP_TRACKER_CONTACT": ("crawl", "contact"),
    "NCP_TRACKER_LOG_LEVEL": ("tracker", "log_level"),
}
#: secrets: read from the environment only, never from a file, never printed
SECRETS = {"smtp_password": "NCP_TRACKER_SMTP_PASSWORD"}

#: Scrapy setting of each [crawl] key
SCRAPY_NAMES = {
    "concurrency_per_domain": "CONCURRENT_REQUESTS_PER_DOMAIN", "download_delay": "DOWNLOAD_DELAY",
    "autothrottle_max_delay": "AUTOTHROTTLE_MAX_DELAY", "download_timeout": "DOWNLOAD_TIMEOUT",
    "download_maxsize": "DOWNLOAD_MAXSIZE", "spider_timeout": "CLOSESPIDER_TIMEOUT",
    "retry_times": "RETRY_TIMES", "retry_backoff_base": "RETRY_BACKOFF_BASE",
    "retry_after_max": "RETRY_AFTER_MAX", "robotstxt_obey": "ROBOTSTXT_OBEY",
    "httpcache": "HTTPCACHE_ENABLED", "httpcache_dir": "HTTPCACHE_DIR",
    "min_refetch_hours": "MIN_REFETCH_HOURS", "regjeringen_listing_pages": "REGJERINGEN_LISTING_MAX_PAGES", "lock_wait": "TRACKER_LOCK_WAIT", "log_level": "LOG_LEVEL", "contact": "CONTACT",
}  # fmt: skip


@dataclass
class Config:
    """The effective configuration: `values[table][key]` and where each value came from."""

    path: Path | None = None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    origin: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, table: str, key: str) -> Any:
        return self.values[table][key]

    def set(self, table: str, key: str, value: Any, origin: str) -> None:
        self.values[table][key] = value
        self.origin[table][key] = origin

    @property
    def db(self) -> Path:
        return Path(self.values["tracker"]["db"])

    @property
    def data_dir(self) -> Path:
        return Path(self.values["tracker"]["data_dir"])

    @property
    def backup_dir(self) -> Path:
        """Where `backup` puts its copies: [backup] dir, else the data directory's backups/."""
        return Path(self.values["backup"]["dir"] or self.data_dir / "backups")

    def secret(self, name: str) -> str | None:
        return os.environ.get(SECRETS[name]) or None

    def scrapy_settings(self) -> dict[str, Any]:
        """The [crawl] table (and the log level) as Scrapy settings, for the crawl runner."""
        out = {SCRAPY_NAMES[k]: v for k, v in self.values["crawl"].items() if k in SCRAPY_NAMES}
        out["AUTOTHROTTLE_START_DELAY"] = out["DOWNLOAD_DELAY"]
        out["LOG_LEVEL"] = self.values["tracker"]["log_level"].upper()
        if out["HTTPCACHE_DIR"]:
            out["HTTPCACHE_DIR"] = os.path.abspath(out["HTTPCACHE_DIR"])
        else:
            del out["HTTPCACHE_DIR"]  # beside the database (tracker.jobs.crawl.run_plan)
        return out

    def rows(self) -> list[dict[str, str]]:
        """Every setting with its value and origin, for `ncp-tracker config`."""
        rows = []
        for table, keys in SCHEMA.items():
            for key in keys:
                rows.append({"setting": f"{table}.{key}", "value": _show(self.values[table][key]),
                             "from": self.origin[table][key]})
        for name, env in SECRETS.items():
            rows.append({"setting": name, "value": "(set)" if os.environ.get(env) else "(not set)",
                         "from": f"env {env}"})
        return rows


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def find_file(explicit: str | os.PathLike | None = None) -> Path | None:
    """The configuration file by the search order above (None: built-in defaults)."""
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path}")
        return path
    if env := os.environ.get(ENV_CONFIG):
        path = Path(env).expanduser()
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path} (from ${ENV_CONFIG})")
        return path
    local = Path(FILE_NAME)
    return local if local.is_file() else None


def _line_of(text: str, table: str, key: str | None) -> int:
    """The 1-based line of `key` inside `[table]` (or of the table header); 0 if not found."""
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            in_table = header.group(1) == table
            if in_table and key is None:
                return number
            continue
        if in_table and key is not None and re.match(rf'"?{re.escape(key)}"?\s*=', stripped):
            return number
    return 0


def _coerce(value: Any, setting: Setting) -> Any:
    """The value if it has the setting's type (ints are accepted as floats); else TypeError."""
    if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if setting.type is int and isinstance(value, bool):
        raise TypeError
    if not isinstance(value, setting.type):
        raise TypeError
    if isinstance(value, float) and not math.isfinite(value):  # TOML's nan and inf: no delay, no size
        raise TypeError
    return value


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _read_text(path: Path) -> str:
    """The file's text (UTF-8; a byte-order mark some editors write is dropped); ConfigError when
    it cannot be read or is not UTF-8 text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from exc


def _check(setting: Setting, table: str, key: str, value: Any, where: str) -> None:
    """ConfigError, said at `where` (the file and line, or the environment variable), when `value`
    is not among the setting's choices or its check refuses it."""
    if setting.choices and value not in setting.choices:
        raise ConfigError(f"{where}: {table}.{key} must be one of "
                          f"{', '.join(map(str, setting.choices))}, not {value!r}")
    if setting.check and (wrong := setting.check(value)):
        raise ConfigError(f"{where}: {table}.{key} {wrong}, not {value!r}")


def load_config(path: str | os.PathLike | None = None, *, db: str | None = None) -> Config:
    """Read the configuration by the search order; `db` (the CLI's --db) beats everything."""
    config = Config(path=find_file(path))
    for table, keys in SCHEMA.items():
        config.values[table] = {k: s.default for k, s in keys.items()}
        config.origin[table] = {k: "default" for k in keys}
    if config.path is not None:
        text = _read_text(config.path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config.path}: not valid TOML: {exc}") from exc
        for table, entries in data.items():
            if table not in SCHEMA or not isinstance(entries, dict):
                line = _line_of(text, table, None) or _line_of(text, "", table)
                raise ConfigError(f"{config.path}:{line}: unknown table [{table}] "
                                  f"(known: {', '.join(SCHEMA)})")
            for key, value in entries.items():
                line = _line_of(text, table, key)
                setting = SCHEMA[table].get(key)
                if setting is None:
                    hint = (f"; secrets are read only from ${SECRETS['smtp_password']}"
                            if (table, key) == ("smtp", "password") else "")
                    raise ConfigError(f"{config.path}:{line}: unknown key {table}.{key} "
                                      f"(known in [{table}]: {', '.join(SCHEMA[table])}){hint}")
                try:
                    value = _coerce(value, setting)
                except TypeError:
                    raise ConfigError(f"{config.path}:{line}: {table}.{key} must be "
                                      f"{_TYPE_NAMES[setting.type]}, not {value!r}") from None
                _check(setting, table, key, value, f"{config.path}:{line}")
                config.set(table, key, value, f"{config.path}:{line}")
    for env, (table, key) in ENV_OVERRIDES.items():
        if value := os.environ.get(env):
            _check(SCHEMA[table][key], table, key, value, f"${env}")  # as the file's values are
            config.set(table, key, value, f"env {env}")
    if db:
        config.set("tracker", "db", str(db), "--db")
    expand_paths(config)
    return config


def expand_paths(config: Config) -> None:
    """Every path setting (`Setting.path`: db, data_dir, the backup and digest folders, …) with a
    leading ``~`` as the user's home, wherever it came from (file, environment, --db): taken
    literally, ``~/x.db`` made a folder named ``~`` in the current directory."""
    for table, keys in SCHEMA.items():
        for key, setting in keys.items():
            value = config.values[table][key]
            if setting.path and isinstance(value, str) and value.startswith("~"):
                config.values[table][key] = os.path.expanduser(value)


_current: Config | None = None


def get_config() -> Config:
    """The process's configuration (loaded on first use by the search order, or set by the CLI)."""
    global _current
    if _current is None:
        _current = load_config()
    return _current


def set_config(config: Config | None) -> None:
    """Make `config` the process's configuration (the CLI does this once; tests reset with None)."""
    global _current
    _current = config
