"""Installable anywhere: the wheel, installed into a fresh virtual environment outside the
repository, classifies, replays the bundled days and writes a digest, reading every shipped file
(lexicons, register, profiles, watchlist, templates, catalogues, recorded days) from the package.

The fresh environment gets the project's dependencies from the test run's own environment (a
path entry, without its .pth files, so the repository's editable install is not visible) and the
wheel itself with --no-deps: nothing is downloaded, and the code under test is the wheel's.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    # one build at a time: setuptools builds in the checkout's build/, and pytest-xdist workers
    # that each run a test of this module would otherwise build there together (the lock file is
    # in the run's temporary root, which the workers share)
    with open(tmp_path_factory.getbasetemp().parent / "wheel-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                                "-w", str(dist), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel, = dist.glob("ncp_tracker-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    # the dependencies from this environment, appended after the fresh site-packages
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                              str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]
    work = base / "elsewhere"
    work.mkdir()
    return python, work


def run(python: Path, work: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NCP_") and k != "PYTHONPATH"}
    env["HOME"] = str(work)  # caches and the like land outside the repository too
    return subprocess.run([str(python), "-m", "tracker", *args], cwd=work, input=stdin, capture_output=True,
                          text=True, env=env, timeout=600)


def test_the_wheel_is_the_code_that_runs(installed):
    python, work = installed
    out = subprocess.run([str(python), "-c", "import tracker, nlp, crawlers; print(tracker.__file__, nlp.__file__, "
                          "crawlers.__file__)"], cwd=work, capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in out and str(python.parent.parent) in out


def test_classify_from_the_wheel(installed):
    python, work = installed
    result = run(python, work, "classify", stdin=json.dumps(
        {"id": "1", "title": "Høring – endringer i åpenhetsloven om aktsomhetsvurderinger i leverandørkjeden"}) + "\n")
    assert result.returncode == 0, result.stderr[-3000:]
    tagged = json.loads(result.stdout)
    assert tagged["relevant"] and "apenhetsloven" in tagged["labels"]


def test_demo_and_digest_from_the_wheel(installed):
    python, work = installed
    db = work / "demo.db"
    demo = run(python, work, "--db", str(db), "demo", "--no-progress")
    assert demo.returncode == 0, (demo.stdout + demo.stderr)[-3000:]
    assert db.exists()
    # the demo's last recorded day (without --date a digest is today's: red, the demo's data being old)
    digest = run(python, work, "--db", str(db), "digest", "--format", "md", "--date", "2026-11-24")
    assert digest.returncode == 0, digest.stderr[-3000:]
    assert "Trenger innspill" in digest.stdout
    assert not (ROOT / "elsewhere").exists()
