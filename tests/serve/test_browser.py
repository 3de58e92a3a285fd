"""`unres serve` in a real headless Chromium: search the seed, follow "similar" and the resolution view.

Needs Debian's `chromium` (`apt-get install -y chromium`) and the `playwright` Python client (the
test extra); Playwright's own browser download is never used. Skips, loudly, only when no browser
is installed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

SEED_QUERY = "a day to celebrate cooperation among southern countries"
SEED_ID = "A/RES/58/220#11"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def chromium() -> str | None:
    """Debian's Chromium (or `$UNRES_CHROMIUM`), never a browser Playwright downloads."""
    candidates = [os.environ.get("UNRES_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


@contextmanager
def serving(index: Path, log: Path):
    """`unres serve` in its own process on a free port of 127.0.0.1; yields its base URL."""
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "unres.cli", "serve", "--index", str(index), "--port", "0"],
            stdout=subprocess.DEVNULL, stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 120
        while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)/", log.read_text())):
            assert process.poll() is None, f"unres serve exited: {log.read_text()}"
            assert time.monotonic() < deadline, "unres serve did not start within 120 s"
            time.sleep(0.2)
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def served(built_index, tmp_path_factory):
    with serving(built_index, tmp_path_factory.mktemp("serve") / "stderr.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    executable = chromium()
    if executable is None:
        pytest.skip("NO BROWSER: the browser test did not run; install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        opened = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield opened
        opened.close()


def test_seed_search_similar_and_resolution_in_a_real_browser(served, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, problems = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(served + "/")
    page.wait_for_selector(".home")
    assert page.locator(".home a").first.inner_text() == "finance South-South cooperation"
    page.locator("main").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(SEED_QUERY)
    page.keyboard.press("Enter")

    seed = page.locator(f'.hit[data-id="{SEED_ID}"]')
    seed.wait_for()
    assert page.locator(".hit").first.get_attribute("data-id") == SEED_ID
    assert seed.locator(".verb").inner_text() == "decides"
    assert seed.locator("strong.phrase").inner_text() == "Decides"
    assert "Buenos Aires" in seed.locator('.footnotes li[data-marker="8"]').inner_text()
    assert "Day" in seed.locator("mark").all_inner_texts()
    assert "q=a+day+to+celebrate" in page.url
    page.screenshot(path=str(tmp_path / "search-desktop.png"))
    search_url = page.url

    seed.locator("a.similar").click()
    page.locator(f'.hit.focus[data-id="{SEED_ID}"]').wait_for()
    page.locator("h2.section", has_text="Similar paragraphs").wait_for()
    similar = page.locator(".hits .hit")
    assert similar.count() == 10 and SEED_ID not in similar.evaluate_all("nodes => nodes.map(n => n.dataset.id)")
    assert "similar=A%2FRES%2F58%2F220%2311" in page.url

    page.locator(".hit.focus a.context").click()
    page.locator(".resolution").wait_for()
    assert page.locator(".resolution h1").inner_text() == "Economic and technical cooperation among developing countries"
    focused = page.locator(f'.paragraph.focus[data-id="{SEED_ID}"]')
    assert focused.locator(".number").inner_text() == "11." and focused.is_visible()
    assert [h.strip() for h in page.locator("h2.section").all_inner_texts()] == ["Preamble", "Operative part", "Footnotes"]
    assert "Buenos Aires" in page.locator("#fn-8").inner_text()
    page.screenshot(path=str(tmp_path / "resolution-desktop.png"))
    resolution_url = page.url

    page.go_back()
    page.locator(f'.hit.focus[data-id="{SEED_ID}"]').wait_for()
    page.goto(served + "/?q=human+rights&verb=urges&mode=dense")  # a shared URL restores query and filters
    page.locator(".hit").first.wait_for()
    assert set(page.locator(".hit .verb").all_inner_texts()) == {"urges"}
    assert page.input_value("#verb") == "urges" and page.is_checked("input[name=mode][value=dense]")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.goto(search_url)
    phone.locator(f'.hit[data-id="{SEED_ID}"]').wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways on a phone"
    phone.screenshot(path=str(tmp_path / "search-phone.png"))
    phone.goto(resolution_url)
    phone.locator(f'.paragraph.focus[data-id="{SEED_ID}"]').wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "resolution-phone.png"))

    assert not problems, problems
    assert all(url.startswith(served) for url in requests), [u for u in requests if not u.startswith(served)]
    print(f"screenshots in {tmp_path}")


def test_identical_paragraphs_show_as_one_hit_with_links_to_the_copies(lineage_index, browser, tmp_path):
    from unres.search import Searcher

    with Searcher.open(lineage_index) as searcher:
        texts = searcher.texts()
    by_text: dict[str, list[str]] = {}
    for pid, text in texts.items():
        by_text.setdefault(" ".join(text.split()), []).append(pid)
    text, ids = max(((t, i) for t, i in by_text.items() if len({p.split("#")[0] for p in i}) > 1), key=lambda x: len(x[0]))
    with serving(lineage_index, tmp_path / "stderr.log") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/?q={quote(text[:300])}")
        first = page.locator(".hit").first
        first.wait_for()
        shown = first.get_attribute("data-id")
        copies = first.locator(".also-in a").all_inner_texts()
        assert {shown, *copies} >= set(ids) and shown.startswith("A/RES/79/"), (shown, copies)
        assert first.locator(".also-in").inner_text().startswith("Same text also in")
        page.screenshot(path=str(tmp_path / "also-in.png"))
        first.locator(".also-in a").first.click()
        page.locator(f'.hit.focus[data-id="{copies[0]}"]').wait_for()


@pytest.mark.parametrize(
    ("query", "language"),
    [("un día para celebrar la cooperación entre los países del Sur", "Spanish"), ("يوم للاحتفال بالتعاون فيما بين بلدان الجنوب", "Arabic")],
)
def test_a_query_in_another_official_language_finds_the_english_paragraph(served, browser, query, language):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{served}/?q={quote(query)}")
    page.locator(".hit").first.wait_for()
    assert SEED_ID in page.locator(".hit").evaluate_all("nodes => nodes.slice(0, 3).map(n => n.dataset.id)")
    summary = page.locator(".summary")
    assert f"read as {language}, matched across languages" in summary.inner_text()
    assert summary.locator("q").inner_text() == query and summary.locator("q").get_attribute("dir") == "auto"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not problems, problems


def test_a_symbol_and_a_phrase_with_an_exclusion_on_the_page(served, browser, tmp_path):
    """The query grammar as a person types it in the search box: what it was read as is said above the hits,
    and a query nothing matches says its hits are only the closest."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(served + "/")
    page.fill("#q", "resolution 661")
    page.keyboard.press("Enter")
    page.locator('.hit[data-id="S/RES/661(1990)#1"]').wait_for()
    assert page.locator(".hit").first.get_attribute("data-id") == "S/RES/661(1990)#1"
    assert page.locator(".understood").inner_text() == "Understood: resolution S/RES/661(1990)"
    official = page.locator('.hit[data-id="S/RES/661(1990)#1"] a.official')
    assert official.get_attribute("href") == "https://undocs.org/S/RES/661(1990)"  # a link, never fetched

    page.fill("#q", '"South-South cooperation" -technical')
    page.keyboard.press("Enter")
    page.locator(".understood", has_text="not “technical”").wait_for()
    assert "phrase “south-south cooperation”" in page.locator(".understood").inner_text()
    texts = page.locator(".hit .text").all_inner_texts()
    assert texts and all("south-south cooperation" in t.lower() and "technical" not in t.lower() for t in texts), texts
    assert "technical" not in " ".join(page.locator(".hit mark").all_inner_texts()).lower()
    page.screenshot(path=str(tmp_path / "grammar-desktop.png"))

    page.fill("#q", "economic cooperation among developing countires")
    page.keyboard.press("Enter")
    suggested = page.locator("a.suggested")
    suggested.wait_for()
    assert suggested.inner_text() == "economic cooperation among developing countries"
    suggested.click()
    page.locator(".summary", has_text="every word of economic cooperation among developing countries").wait_for()
    assert page.locator("a.suggested").count() == 0

    page.fill("#q", "xyzzyqq plughfoo")
    page.keyboard.press("Enter")
    page.locator(".summary", has_text="the closest").wait_for()
    assert page.locator(".summary").inner_text().startswith("No paragraph holds the words of")
    assert page.locator(".hit").count() == 10
    assert not problems, problems


def test_facets_dates_pages_exports_and_the_trend_on_the_page(served, browser, tmp_path):
    """Narrow a search by a facet, keep its dates across a new search, sort latest first, page on, download
    the hits as CSV, copy a reference, and see the words' trend drawn."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(served + "/?q=cooperation")
    total = page.locator(".summary")
    total.wait_for()
    assert re.match(r"\d+ paragraphs hold every word of", total.inner_text()), total.inner_text()
    year = page.locator(".facet", has=page.locator("h2", has_text="Year")).locator("a").first
    chosen = year.inner_text().split()[0]
    year.click()
    page.locator('.facet a[aria-current="true"]', has_text=chosen).wait_for()
    assert {t[:4] for t in page.locator(".hit time").all_inner_texts()} == {chosen}
    assert (page.input_value("[name=from]"), page.input_value("[name=to]")) == (chosen, chosen)

    page.fill("#q", "human rights")  # a new search keeps the dates chosen
    page.select_option("[name=sort]", "date")
    page.keyboard.press("Enter")
    page.locator(".summary", has_text="latest first").wait_for()
    assert f"from={chosen}" in page.url and f"to={chosen}" in page.url and "sort=date" in page.url
    dates = page.locator(".hit time").all_inner_texts()
    assert dates == sorted(dates, reverse=True) and {d[:4] for d in dates} == {chosen}

    page.goto(served + "/?q=cooperation&kind=operative&kind=preambular")
    page.locator("nav.pager a[rel=next]").click()
    page.locator(".summary", has_text="showing 11–20").wait_for()
    assert page.locator(".hit .rank").first.inner_text() == "11"

    with page.expect_download() as download:
        page.locator("a.export-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [page.locator(".hit").nth(i).get_attribute("data-id") for i in range(page.locator(".hit").count())]

    page.locator(".hit button.copy").first.click()
    page.locator("#status", has_text="General Assembly resolution").wait_for(state="attached")
    page.locator("a.trend-link").click()
    page.locator("figure.trend svg rect.bar").first.wait_for()
    assert page.locator("figure.trend figcaption").first.inner_text().startswith("General Assembly:")
    page.screenshot(path=str(tmp_path / "trend-desktop.png"))
    assert not problems, problems


def test_history_and_citations_on_the_page(lineage_index, browser, tmp_path):
    """From a hit to its history with the word diff, and from a resolution to the paragraphs citing it."""
    with serving(lineage_index, tmp_path / "stderr.log") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(url + "/?q=" + quote("universal jurisdiction") + "&symbol=A%2FRES%2F79%2F127")
        hit = page.locator('.hit[data-id="A/RES/79/127#3"]')
        hit.wait_for()
        assert hit.locator("a.lineage").inner_text() == "1 earlier version"
        hit.locator("a.lineage").click()
        page.locator(".versions .version").first.wait_for()
        assert page.locator(".versions .version").count() == 2
        assert page.locator('.version.focus[data-id="A/RES/79/127#3"]').count() == 1
        assert page.locator(".version .diff ins").count() + page.locator(".version .diff del").count() > 0, "the edit is marked"
        page.screenshot(path=str(tmp_path / "history-desktop.png"))

        page.goto(url + "/?resolution=" + quote("A/RES/78/113", safe=""))
        page.locator("a.cited-by").click()
        page.locator(".citing").first.wait_for()
        assert "A/RES/79/127" in page.locator(".citing h2").all_inner_texts()[0]
        assert "is cited by" in page.locator(".summary").inner_text()
        page.screenshot(path=str(tmp_path / "cited-by-desktop.png"))

        page.goto(url + "/?q=" + quote("universal jurisdiction") + "&symbol=A%2FRES%2F78%2F113")
        cited = page.locator(".hit a.cited-by").first
        cited.wait_for()
        assert re.fullmatch(r"cited by \d+", cited.inner_text())
        cited.click()
        page.locator(".citing").first.wait_for()
        assert page.locator(".summary").inner_text().startswith("A/RES/78/113 is cited by")
        assert not problems, problems


AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_every_view_passes_axe(served, browser, width):
    """axe-core (npm, `npm install --prefix tests/serve axe-core`) finds no WCAG 2.1 AA or best-practice
    violation on any view; it is evaluated in the page, not loaded from it, so the page's CSP is kept."""
    if not AXE.is_file():
        pytest.skip(f"NO AXE: {AXE} is missing; npm install --prefix tests/serve --no-save axe-core@4.14.1")
    page = browser.new_page(viewport={"width": width, "height": 900})
    views = ["/", f"/?q={quote(SEED_QUERY)}", "/?q=resolution+661", "/?q=xyzzyqq+plughfoo",
             f"/?similar={quote(SEED_ID, safe='')}", f"/?resolution={quote('A/RES/58/220', safe='')}",
             f"/?lineage={quote(SEED_ID, safe='')}", f"/?citedby={quote('A/RES/57/263', safe='')}",
             "/?q=cooperation&sort=date&from=2023&offset=10", "/?trend=cooperation"]
    found = {}
    for view in views:
        page.goto(served + view)
        page.locator("main > *:not(.loading)").first.wait_for()
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "async rules => (await axe.run(document, {runOnly: rules})).violations"
            ".map(v => `${v.id}: ${v.nodes[0].target.join(' ')}`)", AXE_RULES)
        if violations:
            found[view] = violations
        assert page.locator("h1").count() >= 1 and page.locator("#status[aria-live]").count() == 1
    assert not found, found
