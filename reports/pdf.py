"""report.pdf: the HTML report printed by headless Chromium (every non-passing
finding listed, not one page of the table).

Needs the `playwright` package and a Chromium: MLWARDEN_CHROMIUM, else
/usr/bin/chromium, else playwright's own browser. Without them, a one-line error.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mlwarden.errors import InputError

from .base import Renderer, register
from .html import render_html

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MLWARDEN_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def render(doc, ctx) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError, sync_playwright
    except ImportError:
        raise InputError("--format pdf needs the 'playwright' package (pip install 'mlwarden[pdf]') "
                         "and a Chromium; the html format needs neither") from None
    html = render_html(doc, ctx, print_all=True)
    with tempfile.TemporaryDirectory(prefix="mlwarden-pdf-") as tmp:
        page_file = Path(tmp) / "report.html"
        page_file.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page()
                    # The report makes no request; refuse any all the same.
                    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                               else route.abort())
                    page.goto(page_file.as_uri())
                    page.wait_for_selector("body[data-ready]", timeout=60_000)
                    return page.pdf(format="A4", print_background=True, margin={
                        "top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
                finally:
                    browser.close()
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"--format pdf: headless Chromium could not print the report ({first}); "
                             "install chromium or set MLWARDEN_CHROMIUM") from None


register(Renderer(name="pdf", filename="report.pdf",
                  description="PDF of the HTML report (needs the [pdf] extra, playwright, and a Chromium)", render=render))
