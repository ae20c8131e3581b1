"""The adviser's own copy of an editable default in the data directory (profiles.toml,
watchlist.toml, companies_exceptions.txt, provisions.toml, the draft's template and texts) that is
there but cannot be read — a folder under its name, a symbolic link to nothing, a file the system
may not read — is said with its file, in the reader's words, never skipped for the shipped default
(the adviser's edits silently not applying) and never a traceback. Exit codes as for every file
(`cli.support.file_refused`): 2 for what is there under the name (a folder, a link to nothing),
1 when the system may not read a file that is there."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main

ROOT = Path(__file__).resolve().parents[1]
DAY = str(ROOT / "data" / "replay" / "2026-11-24")
HEARING = "regjeringen:3100003"  # a hearing of the digest world (tests/test_digest_world.py)
as_root = pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file without read permission")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def english(data_dir: Path) -> None:
    """The configuration of `data_dir` (the fixture's) with [digest] lang = "en": the language of
    the commands without --lang (run, draft)."""
    config = Path(os.environ["NCP_TRACKER_CONFIG"])
    config.write_text(f'[tracker]\ndata_dir = "{data_dir}"\n[digest]\nlang = "en"\n', "utf-8")


def folder(data_dir: Path, name: str) -> Path:
    path = data_dir / name
    path.mkdir()
    return path


def dangling(data_dir: Path, name: str, tmp_path: Path) -> Path:
    path = data_dir / name
    path.symlink_to(tmp_path / "gone" / name)
    return path


def locked(data_dir: Path, name: str, text: str = "") -> Path:
    path = data_dir / name
    path.write_text(text, "utf-8")
    path.chmod(0)
    return path


def refuse_reading(monkeypatch, path: Path) -> None:
    """`path` read as the system refuses a file without read permission (the tests may run as
    root, whom chmod does not stop)."""
    read_text, read_bytes = Path.read_text, Path.read_bytes

    def denied(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: denied(self) or read_text(self, *a, **k))
    monkeypatch.setattr(Path, "read_bytes", lambda self: denied(self) or read_bytes(self))


# --------------------------------------------------------------------------- where the copy is


def test_locate_gives_whatever_is_there_under_the_name(data_dir, tmp_path):
    """A folder or a link to nothing under the name was skipped (`is_file`) for the shipped default."""
    from tracker.resources import locate, shipped

    assert locate("profiles.toml") == shipped("profiles.toml")  # nothing there: the shipped default
    assert locate("profiles.toml", data_dir) == shipped("profiles.toml")
    path = folder(data_dir, "watchlist.toml")
    assert locate("watchlist.toml") == path
    path = dangling(data_dir, "provisions.toml", tmp_path)
    assert locate("provisions.toml") == path
    (data_dir / "profiles.toml").write_text("", "utf-8")
    assert locate("profiles.toml") == data_dir / "profiles.toml"


# --------------------------------------------------------------------------- the profiles

PROFILE_COMMANDS = [("inbox",), ("health",), ("gpfg",), ("watchlist",), ("action-plan",), ("horizon",),
                    ("digest", "--format", "md")]


@pytest.mark.usefixtures("morning_after")
@pytest.mark.parametrize("command", PROFILE_COMMANDS)
def test_a_folder_named_profiles_toml_is_said_not_skipped(data_dir, world, command):
    """The commands went on with the shipped profiles (the adviser's own never applied); the
    folder is now said with its file, exit 2, as every file it names that cannot be used."""
    path = folder(data_dir, "profiles.toml")
    result = invoke("--db", str(world), *command)
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {path}: det er en mappe\n")
    assert "Traceback" not in result.output
    result = invoke("--db", str(world), *command, "--lang", "en")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot read {path}: it is a folder (Is a directory)\n")


@pytest.mark.usefixtures("morning_after")
def test_a_profiles_link_to_nothing_is_said_not_the_built_in_profile(data_dir, world, tmp_path):
    """A link to nothing was skipped for the shipped file; read, it was «not found», and the
    built-in profile covering everything stood in for the adviser's (default_profile)."""
    from tracker.attention.profiles import ProfileError, default_profile

    path = dangling(data_dir, "profiles.toml", tmp_path)
    with pytest.raises(ProfileError, match="a link to"):
        default_profile()
    result = invoke("--db", str(world), "inbox")
    assert (result.exit_code, result.stderr) == (
        2, f"feil: {path} er en symbolsk lenke til {tmp_path / 'gone' / 'profiles.toml'}, som ikke finnes\n")
    result = invoke("--db", str(world), "inbox", "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2, f"error: {path} is a symbolic link to {tmp_path / 'gone' / 'profiles.toml'}, which does not exist\n")


@pytest.mark.usefixtures("morning_after")
def test_a_profiles_file_it_may_not_read_exits_1(data_dir, world, monkeypatch):
    """PermissionError ended every command reading the profiles in a Python traceback."""
    path = data_dir / "profiles.toml"
    path.write_text("[profiles.ncp]\n", "utf-8")
    refuse_reading(monkeypatch, path)
    result = invoke("--db", str(world), "inbox")
    assert (result.exit_code, result.stderr) == (1, f"feil: kan ikke lese {path}: ingen tilgang\n")
    result = invoke("--db", str(world), "digest", "--format", "md", "--lang", "en")
    assert (result.exit_code, result.stderr) == (1, f"error: cannot read {path}: permission denied\n")


@as_root
@pytest.mark.usefixtures("morning_after")
def test_a_profiles_file_without_read_permission_exits_1(data_dir, world):
    path = locked(data_dir, "profiles.toml", "[profiles.ncp]\n")
    result = invoke("--db", str(world), "health")
    assert (result.exit_code, result.stderr) == (1, f"feil: kan ikke lese {path}: ingen tilgang\n")


@pytest.mark.usefixtures("morning_after")
def test_run_refuses_a_profiles_folder_before_it_crawls(data_dir, tmp_path):
    path = folder(data_dir, "profiles.toml")
    db = tmp_path / "run.db"
    result = invoke("--db", str(db), "run", "--replay", DAY, "--source", "no_lovdata", "--no-progress")
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {path}: det er en mappe\n")
    assert not db.exists()  # nothing crawled


# --------------------------------------------------------------------------- the watchlist


@pytest.mark.usefixtures("morning_after")
@pytest.mark.parametrize("command", [("watchlist",), ("horizon",)])
def test_a_folder_named_watchlist_toml_is_said_not_skipped(data_dir, world, command):
    path = folder(data_dir, "watchlist.toml")
    result = invoke("--db", str(world), *command)  # after the horizon's banners (a failing source)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"feil: kan ikke lese {path}: det er en mappe")
    result = invoke("--db", str(world), *command, "--lang", "en")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"error: cannot read {path}: it is a folder (Is a directory)")


@pytest.mark.usefixtures("morning_after")
def test_a_watchlist_link_to_nothing_is_said_as_a_link(data_dir, world, tmp_path):
    """It was skipped for the shipped watchlist; named (`--file`), it was «does not exist»."""
    path = dangling(data_dir, "watchlist.toml", tmp_path)
    result = invoke("--db", str(world), "watchlist")
    assert (result.exit_code, result.stderr) == (
        2, f"feil: {path} er en symbolsk lenke til {tmp_path / 'gone' / 'watchlist.toml'}, som ikke finnes\n")
    result = invoke("--db", str(world), "watchlist", "--file", str(path), "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2, f"error: {path} is a symbolic link to {tmp_path / 'gone' / 'watchlist.toml'}, which does not exist\n")


@as_root
@pytest.mark.usefixtures("morning_after")
def test_a_watchlist_without_read_permission_exits_1(data_dir, world):
    path = locked(data_dir, "watchlist.toml", '[[file]]\nid = "a"\nname = "A"\n')
    result = invoke("--db", str(world), "watchlist")
    assert (result.exit_code, result.stderr) == (1, f"feil: kan ikke lese {path}: ingen tilgang\n")


def test_run_refuses_a_watchlist_folder_before_it_crawls(data_dir, tmp_path):
    path = folder(data_dir, "watchlist.toml")
    english(data_dir)
    db = tmp_path / "run.db"
    result = invoke("--db", str(db), "run", "--replay", DAY, "--source", "no_lovdata", "--no-progress", "--no-digest")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot read {path}: it is a folder (Is a directory)\n")
    assert not db.exists()


def test_a_crawl_reads_the_watchlist_folder_and_its_eu_spiders_say_it_red(data_dir):
    """A crawl's EU spiders read the watchlist the tracker names (`tracker_settings`): it named the
    shipped one past the folder. Now they read the folder and note it red, as a broken watchlist
    (`watchlist invalid: …`, shown by health)."""
    from support import make_spider

    from crawlers.spiders.eu_cellar import EuCellarSpider
    from crawlers.watchlist_file import WATCHLIST_SETTING
    from tracker.jobs.crawl import tracker_settings

    path = folder(data_dir, "watchlist.toml")
    settings = tracker_settings()
    assert settings[WATCHLIST_SETTING] == str(path)
    spider = make_spider(EuCellarSpider, watchlist=settings[WATCHLIST_SETTING])

    async def requests() -> list:
        return [request async for request in spider.start()]

    assert asyncio.run(requests()) == []
    assert spider.notes == [("red", f"watchlist invalid: {path}: cannot read: Is a directory")]


def test_a_spiders_own_default_watchlist_is_a_link_to_nothing_said_not_skipped(tmp_path, monkeypatch):
    """Without the tracker's setting (`scrapy crawl`, backfill's units) a spider reads
    data/watchlist.toml of the working directory: a link to nothing there was passed over for the
    shipped watchlist."""
    from crawlers.watchlist_file import WatchlistError, default_path, load

    monkeypatch.delenv("NCP_TRACKER_WATCHLIST", raising=False)
    monkeypatch.chdir(tmp_path)
    dangling(folder(tmp_path, "data"), "watchlist.toml", tmp_path)
    assert default_path() == Path("data") / "watchlist.toml"
    with pytest.raises(WatchlistError, match=r"data/watchlist\.toml: a link to .*gone/watchlist\.toml, which does not"):
        load()


# --------------------------------------------------------------------------- the lists after a crawl


@pytest.mark.parametrize("name", ["provisions.toml", "companies_exceptions.txt"])
def test_run_refuses_a_list_it_cannot_read_before_it_crawls(data_dir, tmp_path, name):
    """`run` crawled with the shipped list past the folder (the adviser's own never applied)."""
    path = folder(data_dir, name)
    db = tmp_path / "run.db"
    result = invoke("--db", str(db), "run", "--replay", DAY, "--source", "no_lovdata", "--no-progress", "--no-digest")
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {path}: det er en mappe\n")
    assert not db.exists()
    english(data_dir)
    result = invoke("--db", str(db), "run", "--replay", DAY, "--source", "no_lovdata", "--no-progress", "--no-digest")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot read {path}: it is a folder (Is a directory)\n")


def test_documents_fetch_says_a_provisions_file_it_cannot_read(data_dir, world, monkeypatch):
    """`documents fetch` used the shipped provisions past a folder, and ended in a traceback
    (PermissionError) on a file it may not read — after fetching."""
    path = folder(data_dir, "provisions.toml")
    result = invoke("--db", str(world), "documents", "fetch")
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {path}: det er en mappe\n")
    path.rmdir()
    path.write_text("", "utf-8")
    refuse_reading(monkeypatch, path)
    result = invoke("--db", str(world), "documents", "fetch")
    assert (result.exit_code, result.stderr) == (1, f"feil: kan ikke lese {path}: ingen tilgang\n")


def test_companies_refresh_says_an_exceptions_list_it_cannot_read(data_dir, world, tmp_path):
    """A folder, or a link to nothing, named as the list of names that are never companies was
    read as an empty list: public bodies listed as companies."""
    from tracker.links.companies import ExceptionsFileError, load_exceptions

    path = folder(data_dir, "companies_exceptions.txt")
    with pytest.raises(ExceptionsFileError):
        load_exceptions()
    result = invoke("--db", str(world), "companies", "--refresh")
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {path}: det er en mappe\n")
    result = invoke("--db", str(world), "companies", "--refresh", "--lang", "en")
    assert (result.exit_code, result.stderr) == (2, f"error: cannot read {path}: it is a folder (Is a directory)\n")
    path.rmdir()
    dangling(data_dir, "companies_exceptions.txt", tmp_path)
    with pytest.raises(ExceptionsFileError, match="a link to"):
        load_exceptions()
    assert load_exceptions(tmp_path / "none.txt") == set()  # no list at all: no exceptions, as before


@as_root
def test_lists_without_read_permission_are_refused(data_dir):
    from tracker.documents.provisions import ProvisionError
    from tracker.documents.provisions import load as load_provisions
    from tracker.links.companies import ExceptionsFileError, load_exceptions

    locked(data_dir, "provisions.toml")
    locked(data_dir, "companies_exceptions.txt")
    with pytest.raises(ProvisionError, match="Permission denied"):
        load_provisions()
    with pytest.raises(ExceptionsFileError, match="Permission denied"):
        load_exceptions()


# --------------------------------------------------------------------------- the draft's template and texts


#: the template is named as such (tracker.workbench.drafts.template_document), the texts by their file
NB, EN = {"horingssvar-mal.docx": "malen for høringssvar "}, {"horingssvar-mal.docx": "the draft template "}


@pytest.mark.parametrize("name", ["horingssvar-mal.docx", "horingssvar-mandat.nb.txt", "horingssvar-signatur.nb.txt"])
def test_draft_says_a_template_or_text_it_cannot_read(data_dir, world, tmp_path, name):
    """`draft` wrote the draft with the shipped template and texts past a folder (the
    secretariat's own letterhead or mandate never applied); a file it may not read was a traceback."""
    path = folder(data_dir, name)
    out = tmp_path / "drafts"
    result = invoke("--db", str(world), "draft", HEARING, "--out", str(out))
    assert (result.exit_code, result.stderr) == (2, f"feil: kan ikke lese {NB.get(name, '')}{path}: det er en mappe\n")
    assert not out.exists()
    english(data_dir)
    result = invoke("--db", str(world), "draft", HEARING, "--out", str(out))
    assert (result.exit_code, result.stderr) == (2, f"error: cannot read {EN.get(name, '')}{path}: it is a folder "
                                                    "(Is a directory)\n")


@pytest.mark.parametrize("make", ["folder", "dangling"])
def test_tag_says_a_weights_file_it_cannot_read(data_dir, world, tmp_path, make):
    """calibrate's weights.toml in the data directory: a folder under its name ended `tag` in a
    traceback (IsADirectoryError), a link to nothing was passed over for the shipped weights. Both
    are said with the file now, and nothing is tagged with weights the adviser did not mean."""
    path = folder(data_dir, "weights.toml") if make == "folder" else dangling(data_dir, "weights.toml", tmp_path)
    result = invoke("--db", str(world), "tag", "--all")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.startswith(f"feil: vektfilen {path} kan ikke leses ("), result.stderr


def test_draft_refuses_a_broken_profiles_file_before_writing_anything(data_dir, world, tmp_path):
    """`draft` wrote the .docx and .md, then read the profiles file for its warnings and refused it
    (exit 2): the files were on disk beside the refusal. Now it is read first."""
    (data_dir / "profiles.toml").write_text("[profiles.ncp\n", "utf-8")
    out = tmp_path / "drafts"
    result = invoke("--db", str(world), "draft", HEARING, "--out", str(out))
    assert result.exit_code == 2 and result.stderr.startswith("feil: profilfilen "), result.output
    assert not out.exists() or not any(out.iterdir())


@as_root
def test_a_draft_text_without_read_permission_exits_1(data_dir, world, tmp_path):
    path = locked(data_dir, "horingssvar-mandat.nb.txt", "Mandat.")
    result = invoke("--db", str(world), "draft", HEARING, "--out", str(tmp_path / "d"))
    assert (result.exit_code, result.stderr) == (1, f"feil: kan ikke lese {path}: ingen tilgang\n")


# --------------------------------------------------------------------------- the web workbench


@pytest.fixture
def web(data_dir, db_path):
    from web_support import make_app

    return make_app(db_path).test_client()


def test_the_web_says_a_profiles_folder_in_the_readers_words(data_dir, web):
    """The banner above every page said the profile error in English; the inbox and the horizon,
    which read the profile, were «Noe gikk galt» (500) — the file not named."""
    path = folder(data_dir, "profiles.toml")
    page = web.get("/health").get_data(as_text=True)
    assert f"kan ikke lese {path}: det er en mappe" in page
    for url in ("/", "/horizon"):
        response = web.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 500
        assert f'<p class="error" id="error-message">kan ikke lese {path}: det er en mappe</p>' in page
    page = web.get("/?lang=en").get_data(as_text=True)
    assert f'<p class="error" id="error-message">cannot read {path}: it is a folder (Is a directory)</p>' in page


def test_the_web_says_a_watchlist_folder_in_the_readers_words(data_dir, web):
    path = folder(data_dir, "watchlist.toml")
    page = web.get("/watchlist").get_data(as_text=True)
    assert f'<p class="error" id="watchlist-error">kan ikke lese {path}: det er en mappe</p>' in page
    response = web.get("/horizon?lang=en")
    assert response.status_code == 500
    assert f"cannot read {path}: it is a folder (Is a directory)" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["horingssvar-mal.docx", "horingssvar-signatur.nb.txt"])
def test_the_web_draft_says_a_template_or_text_it_cannot_read(data_dir, web, db_path, name):
    """Making a draft with the template or a text under its name as a folder was «Noe gikk galt»
    (500, the traceback in the log): the item page now says which file, nothing written."""
    import re

    from tests.browser.seed import HEARING as SEEDED

    path = folder(data_dir, name)
    html = web.get(f"/item/{SEEDED}").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    response = web.post(f"/item/{SEEDED}/draft", data={"csrf": token, "by": "kari", "format": "md"})
    assert response.status_code == 500
    assert f"kan ikke lese {NB.get(name, '')}{path}: det er en mappe" in response.get_data(as_text=True)
    assert not (Path(db_path).parent / "data" / "drafts").exists()  # nothing written
