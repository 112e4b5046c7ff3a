"""End to end in headless Chromium: open a document, click a value, see its evidence highlighted,
correct a value, restart the server, export, and find the correction in the export.

Needs Debian's chromium and chromium-driver (``.ci/run`` installs them). Set
CASETABLE_REVIEW_SCREENSHOT=path.png to save the page as the README shows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from review_fixtures import ROOT, ReviewServer, extract_records

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver: "
                                       "apt-get install chromium chromium-driver (.ci/run does)")
# Relative to the repository, where extraction and the server run: sources stay relative in the records.
PDF = Path("corpus/reports/c11_bladder_imt_tpm3_alk_twocolumn.pdf")
TEXT = Path("corpus/reports/c03_pelvic_imt_ros1_three_lines.txt")


@pytest.fixture()
def browser(tmp_path: Path):
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1500,900",
                 f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def _wait(driver, condition, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 15).until(lambda d: condition(d), message=f"waited for {what}")


def _row(driver, key: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, f"v-{key}")


def test_review_in_chromium_survives_a_restart_and_reaches_the_export(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    records = extract_records([TEXT, PDF], tmp_path / "records.jsonl")
    db = tmp_path / "decisions.sqlite"
    with ReviewServer(records, db) as server:
        browser.get(server.url)
        assert "0 of 2 documents reviewed" in browser.find_element(By.ID, "batch-progress").text
        browser.find_element(By.LINK_TEXT, "Carvalho-Lima et al. 2022").click()

        # The PDF says the response lasted "24 months", on its second page.
        _row(browser, "1-1-duration").find_element(By.CSS_SELECTOR, "button.value").click()
        mark = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "mark#evidence"), "the highlight")[0]
        assert mark.text == "24 months"
        sentence = browser.find_element(By.ID, "sentence").text
        assert sentence.startswith("At his last visit in March 2022, he remained in complete response, 24 months")
        assert mark.is_displayed()
        assert "page 2" in browser.find_element(By.ID, "where").text
        # The highlight is scrolled into the text panel's view.
        assert browser.execute_script(
            "const m = arguments[0].getBoundingClientRect(), t = document.getElementById('text')"
            ".getBoundingClientRect(); return m.top >= t.top && m.bottom <= t.bottom;", mark)

        # Keyboard: the selected value is accepted with "a", and the next one to check is selected.
        browser.find_element(By.TAG_NAME, "body").send_keys("a")
        _wait(browser, lambda d: "status-accepted" in _row(d, "1-1-duration").get_attribute("class"), "accept")
        assert "current" in _row(browser, "1-1-response").get_attribute("class")

        # Correct the dose: type it and press Enter.
        dose = _row(browser, "1-1-dose").find_element(By.NAME, "value")
        dose.clear()
        dose.send_keys("250 mg/m2 twice daily", Keys.ENTER)
        _wait(browser, lambda d: "status-corrected" in _row(d, "1-1-dose").get_attribute("class"), "correction")
        assert "corrected to 250 mg/m2 twice daily (alice" in _row(browser, "1-1-dose").text
        if os.environ.get("CASETABLE_REVIEW_SCREENSHOT"):
            _row(browser, "1-0-fusion").find_element(By.CSS_SELECTOR, "button.value").click()
            browser.save_screenshot(os.environ["CASETABLE_REVIEW_SCREENSHOT"])

        # Without the mouse: "p" opens the other document with its first value selected; "a" accepts it.
        browser.find_element(By.TAG_NAME, "body").send_keys("p")
        _wait(browser, lambda d: d.current_url.endswith("/doc/0"), "the previous document")
        first = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.cell.current"), "a selection")[0]
        assert first.get_attribute("id") == "v-1-0-fusion"
        # The report names no partner: "ROS1 break-apart" probe split, hence v::ROS1.
        assert browser.find_element(By.CSS_SELECTOR, "mark#evidence").text == "ROS1 break-apart"
        browser.find_element(By.TAG_NAME, "body").send_keys("a")
        _wait(browser, lambda d: "status-accepted" in _row(d, "1-0-fusion").get_attribute("class"), "accept")

    with ReviewServer(records, db) as server:
        browser.get(server.url + "doc/1")
        assert "status-corrected" in _row(browser, "1-1-dose").get_attribute("class")
        assert "status-accepted" in _row(browser, "1-1-duration").get_attribute("class")
        assert "2 of" in browser.find_element(By.ID, "progress").text
        browser.get(server.url)
        assert "2 accepted, 1 corrected, 0 not in paper, 0 added" in browser.find_element(By.ID, "batch-progress").text

    mapping = tmp_path / "registry.yaml"
    mapping.write_text("columns:\n  - Source\n  - {column: Sex, name: SEX, values: {male: M, female: F}}\n"
                       "  - {column: Drug, name: DRUG}\n  - {column: Dose, name: DOSE}\n", encoding="utf-8")
    out = tmp_path / "registry.csv"
    subprocess.run([sys.executable, "-m", "extractor.cli", "export", str(records), "--db", str(db),
                    "--mapping", str(mapping), "-o", str(out)], check=True, cwd=ROOT)
    table = pd.read_csv(out)
    assert list(table.columns) == ["Source", "SEX", "DRUG", "DOSE"]
    row = table[table["Source"] == str(PDF)].iloc[0]
    assert (row["SEX"], row["DRUG"], row["DOSE"]) == ("M", "crizotinib", "250 mg/m2 twice daily")
