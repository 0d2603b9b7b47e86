"""One headless Chromium for every report test, and the page wrapper they share.

Debian's chromium driven by playwright, as the product brief asks. A module that
imports this is skipped (with the reason) where playwright or the browser is missing.
`Watched` records everything a report tries to do behind the reader's back: requests
(refused unless they are the report file), dialogs (a script from the data ran),
page errors and console errors; `open_report` asserts none happened."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
if not Path(CHROMIUM).exists():   # the CI bootstrap installs it; say so plainly when it is missing
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


class Watched:
    """A page plus everything it tried to do behind the user's back."""

    def __init__(self, page):
        self.page, self.requests, self.dialogs, self.errors = page, [], [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        # Anything but the report file itself is refused (and recorded above).
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())

    def cells(self) -> list[list[str]]:
        return self.page.eval_on_selector_all(
            "#findings-body tr", "trs => trs.map(tr => Array.from(tr.cells, c => c.innerText))")

    def rows(self) -> list[str]:
        return [" | ".join(c) for c in self.cells()]

    def wait_count(self, n: int) -> None:
        # expect() polls without eval: the report's Content-Security-Policy forbids eval.
        sync_api.expect(self.page.locator("#match-count")).to_have_text(re.compile(rf"^{n} of "))

    def count(self) -> str:
        return self.page.locator("#match-count").inner_text()

    def choose(self, filter_id: str, *values: str) -> None:
        """Tick these values in a multi-select filter, as a user does, and close it."""
        pg = self.page
        pg.click(f"#{filter_id} > summary")
        for v in values:
            pg.locator(f"#{filter_id} input[value=\"{v}\"]").check()
        pg.click(f"#{filter_id} > summary")
        sync_api.expect(pg.locator(f"#{filter_id} .multi-options")).to_be_hidden()


@contextmanager
def launched() -> Iterator:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (import it with `page`, which is the test's fixture)."""
    with launched() as b:
        yield b


@pytest.fixture
def page(browser, out):
    """`out`/report.html open (each module's `out` fixture writes it), watched; see `open_report`."""
    with open_report(browser, out / "report.html") as w:
        yield w


@contextmanager
def open_report(browser, report: Path) -> Iterator[Watched]:
    """`report` opened offline in a new page, ready; on leaving, no dialog, no error and
    no request but the file itself."""
    pg = browser.new_page(viewport={"width": 1300, "height": 1000})
    w = Watched(pg)
    pg.goto(report.as_uri())
    pg.wait_for_selector("body[data-ready]")
    yield w
    assert w.dialogs == [], "a script from the data ran"
    assert w.errors == []
    assert w.requests == [report.as_uri()], "the report made a request"
    pg.close()
