"""On-demand smoke test of the benchmark harness: ``pytest tests/benchmarks``.

The default test run ignores this folder (``--ignore=tests/benchmarks`` in pyproject), because the
quick run still takes a minute or two and starts sandboxes and a wizard.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.benchmarks import generate, run

RUNNER = Path(run.__file__)


def test_generated_contacts_look_like_a_real_export(tmp_path, monkeypatch):
    monkeypatch.setenv("INGEST_BENCH_CACHE", str(tmp_path))
    columns = generate.contact_columns(400)
    assert tuple(columns) == generate.CONTACT_HEADERS
    phones = [phone for phone in columns["Móvil"] if phone]
    assert any(phone.startswith("+34 ") for phone in phones)
    assert any(phone.startswith("0034") for phone in phones)
    assert any(phone.startswith("(") and ") " in phone for phone in phones)  # US style
    assert any(" " in phone and phone.replace(" ", "").isdigit() for phone in phones)
    assert any("," in value for value in columns["Lifetime value"])  # decimal comma
    assert all(len(day.split("/")) == 3 for day in columns["Fecha de nacimiento"] if day)
    assert {"España", "ES"} <= set(columns["País"])
    assert any(not name.isascii() for name in columns["Apellidos"])

    path = generate.contacts_csv(400, quiet=True)
    assert path.parent == tmp_path
    assert path.read_text(encoding="utf-8").count("\n") == 401
    assert generate.contacts_csv(400, quiet=True) == path  # cached, not written twice


def test_generated_workbook_is_read_by_the_core_as_text_cells(tmp_path, monkeypatch):
    from ingest_gui.core.loading import load_table

    monkeypatch.setenv("INGEST_BENCH_CACHE", str(tmp_path))
    columns = generate.contact_columns(300, typed=True)
    table = load_table(generate.contacts_xlsx(300, quiet=True))
    assert table.headers == list(generate.CONTACT_HEADERS)
    assert len(table) == 300
    typed_phone = next(i for i, phone in enumerate(columns["Móvil"]) if isinstance(phone, int))
    assert table.frame["Móvil"][typed_phone] == str(columns["Móvil"][typed_phone])
    birthday = next(i for i, day in enumerate(columns["Fecha de nacimiento"]) if day)
    assert table.frame["Fecha de nacimiento"][birthday] == \
        columns["Fecha de nacimiento"][birthday].date().isoformat()


def test_readme_section_is_replaced_between_markers_only(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# App\n\nintro\n{run.README_START}\nold\n{run.README_END}\nafter\n",
                      encoding="utf-8")
    assert run.write_readme("| new | table |\n", readme) is None
    assert readme.read_text(encoding="utf-8") == (
        f"# App\n\nintro\n{run.README_START}\n| new | table |\n{run.README_END}\nafter\n")

    unmarked = tmp_path / "OTHER.md"
    unmarked.write_text("# App\n", encoding="utf-8")
    problem = run.write_readme("| new |\n", unmarked)
    assert problem is not None
    assert run.README_START in problem
    assert unmarked.read_text(encoding="utf-8") == "# App\n"


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_quick_run_measures_every_row_and_writes_the_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# App\n{run.README_START}\n{run.README_END}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(RUNNER), "--quick", "--write-readme", "--readme", str(readme)],
        capture_output=True, text=True, timeout=880, check=False,
        env={**os.environ, "INGEST_BENCH_CACHE": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    assert "| what | target | median | min–max | verdict |" in table
    for what in ("CSV", "XLSX", "clean, validate and build", "upload", "limited to",
                 "GUI thread", "peak memory of a whole", "packaged app"):
        assert what in table, what
    # Every row was measured (or, for the packaged app, says why not); none crashed.
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) >= 14
    for line in rows[1:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        assert len(cells) == 5, line
        if "packaged app" in cells[0]:
            continue
        assert cells[4] in {run.NO_TARGET, "quick run: not judged"}, line
    assert "not measured" not in table.replace("not measured: no build", "")
    assert "Machine: CPU:" in table
    assert "pandas" in table
    written = readme.read_text(encoding="utf-8")
    assert "| what | target | median | min–max | verdict |" in written
    assert written.startswith(f"# App\n{run.README_START}\n")
    assert written.endswith(f"{run.README_END}\n")


def test_quick_run_refuses_to_write_the_real_readme():
    done = subprocess.run([sys.executable, str(RUNNER), "--quick", "--write-readme"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "full benchmark" in done.stderr
