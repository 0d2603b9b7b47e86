"""`--format pdf` through headless Chromium, and the CLI that writes every format."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.errors import InputError
from mlwarden.reports.base import RenderContext, registry
from mlwarden.reports.pdf import render as render_pdf

from .conftest import SCRIPT_BREAK

needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no /usr/bin/chromium")


@needs_chromium
def test_pdf_lists_every_failing_finding(hostile_doc, tmp_path):
    pytest.importorskip("playwright")
    pdf = render_pdf(hostile_doc, RenderContext(out_dir=tmp_path))
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        (tmp_path / "r.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "Coverage gaps" in text and "nb-template" in text
        assert "9 of 12 findings match" in text          # every non-PASS finding, not one page
        assert "alert(3)" in text                         # hostile text printed as text


def test_pdf_without_a_working_chromium_is_a_one_line_input_error(hostile_doc, tmp_path, monkeypatch):
    pytest.importorskip("playwright")
    monkeypatch.setenv("MLWARDEN_CHROMIUM", "/bin/false")   # exists, is not a browser
    with pytest.raises(InputError, match=r"^--format pdf: headless Chromium could not print") as exc:
        render_pdf(hostile_doc, RenderContext(out_dir=tmp_path))
    assert "\n" not in str(exc.value)


def test_report_command_writes_every_format(hostile_doc, previous_doc, tmp_path):
    src = tmp_path / "in" / "findings.json"
    src.parent.mkdir()
    hostile_doc.save(src)
    prev = tmp_path / "prev.json"
    previous_doc.save(prev)
    formats = sorted(n for n in registry() if n != "pdf")
    res = CliRunner().invoke(main, ["report", str(src), "--out", str(tmp_path / "out"),
                                    "--format", ",".join(formats), "--previous", str(prev)])
    assert res.exit_code == 0, res.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert set(manifest["files"]) == {registry()[n].filename for n in formats}
    html = (tmp_path / "out" / "report.html").read_text()
    assert manifest["files"]["findings.json"] in html      # the digest the page shows
    assert SCRIPT_BREAK not in html


def test_formats_command_lists_every_renderer():
    res = CliRunner().invoke(main, ["formats"])
    assert res.exit_code == 0
    for name in ("json", "html", "pdf", "sarif", "junit", "csv", "asff"):
        assert any(line.split()[0] == name for line in res.output.splitlines())


def test_unknown_format_is_a_one_line_error(tmp_path, hostile_doc):
    src = tmp_path / "findings.json"
    hostile_doc.save(src)
    res = CliRunner().invoke(main, ["report", str(src), "--out", str(tmp_path / "o"), "--format", "html,docx"])
    assert res.exit_code == 2
    assert "--format: unknown format(s) docx" in res.output
