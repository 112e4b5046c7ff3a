"""The review server as curators use it: a process on 127.0.0.1, two curators posting at once."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from review_fixtures import PAPER, ReviewServer, write_records

from extractor.readers import read
from extractor.review.store import Key, Store

# Alice checks the patient, Bob the treatment line, and both correct the dose.
OWN = {"alice": [("0", "fusion"), ("0", "age_years")], "bob": [("1", "drug"), ("1", "duration")]}


def _post(url: str, curator: str, form: dict[str, str]) -> dict:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST",
                                     headers={"Accept": "application/json", "Cookie": f"curator={curator}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_two_curators_posting_at_once_lose_no_edit(tmp_path: Path) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER, encoding="utf-8")
    records = write_records(tmp_path / "records.jsonl", str(paper), read(paper).text)
    db = tmp_path / "decisions.sqlite"
    with ReviewServer(records, db) as server:
        assert server.url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(server.url + "doc/0", timeout=30).read().decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        posts = {name: [{"token": token, "patient": "1", "line": line, "field": field, "action": "correct",
                         "value": str(20 + i) if field == "age_years" else f"{field} by {name} #{i}"}
                        for i in range(10) for line, field in OWN[name] + [("1", "dose")]]
                 for name in OWN}
        # Each curator posts one decision after the other, both at the same time.
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = [a for each in pool.map(lambda name: [_post(server.url + "doc/0/decide", name, form)
                                                            for form in posts[name]], OWN) for a in each]
    assert all("error" not in a for a in answers)
    store = Store(db)
    decisions = store.decisions(str(paper))
    assert decisions[Key(str(paper), "1", 0, "fusion")].value == "fusion by alice #9"
    assert decisions[Key(str(paper), "1", 0, "age_years")].value == "29"
    assert decisions[Key(str(paper), "1", 1, "drug")].value == "drug by bob #9"
    assert decisions[Key(str(paper), "1", 1, "duration")].value == "duration by bob #9"
    log = store.history(str(paper))
    dose = log[Key(str(paper), "1", 1, "dose")]
    assert len(dose) == 20 and {d.curator for d in dose} == {"alice", "bob"}
    assert decisions[Key(str(paper), "1", 1, "dose")].value == dose[-1].value
    logged = sum(map(len, log.values()))
    assert len(answers) == logged == 60
