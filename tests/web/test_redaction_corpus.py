"""41 realistic letters, each holding personal data of one or more kinds, go through the
real flow in the browser (the citizen writes, the dispatcher assigns, the unit replies,
the reviewer accepts, closes and publishes with the preview left as it is), then every
public page and every public download is scanned: no secret appears, in any grouping."""

import html
import io
import json
import re
import unicodedata
from pathlib import Path

import openpyxl
from docx import Document

from casework import clock
from casework.permissions import SYSTEM_ACTOR
from casework.redaction import KINDS
from casework.services import publication
from tests.factories import local
from tests.web.conftest import Browser

CORPUS = json.loads((Path(__file__).parent.parent / "data" / "redaction_letters.json").read_text())
CODE = re.compile(r'class="code"[^>]*>([A-Z2-9]{12})<')
NUMBER = re.compile(r"XJ-\d{4}-\d{6}")


def unspaced(text: str) -> str:
    """The text as a reader takes in numbers: full-width as half-width, no separators."""
    return re.sub(r"(?<=[0-9Xx])[\s\-－·]+(?=[0-9Xx])", "", unicodedata.normalize("NFKC", text))


def publication_form(page: str) -> dict:
    form = page[page.index('action="/cases/'):]
    subject = re.search(r'name="subject" value="([^"]*)"', form).group(1)
    body = re.search(r'name="body"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    reply = re.search(r'name="reply"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    return {k: html.unescape(v) for k, v in (("subject", subject), ("body", body), ("reply", reply))}


def run_letter(app, people, letter, publish: bool = True) -> tuple[str, str]:
    citizen = Browser(app.test_client())
    citizen.get("/letters/new")
    sent = citizen.post("/letters/new", {k: letter[k] for k in ("citizen_name", "citizen_phone", "subject", "body")}
                        | {"category": "help", "consent": "1"}, follow_redirects=True)
    assert sent.status_code == 200, sent.get_data(as_text=True)[:500]
    text = sent.get_data(as_text=True)
    number, code = NUMBER.search(text).group(0), CODE.search(text).group(1)
    steps = [("dispatcher", "assign", {"unit_code": "zyx"}), ("zyx_handler", "reply", {"body": letter["reply"]}),
             ("reviewer", "accept", {}), ("reviewer", "close", {})]
    for who, event, data in steps:
        done = people[who].post(f"/cases/{number}/events/{event}", data)
        assert done.status_code in (200, 303), (event, done.status_code)
    if not publish:
        return number, code
    page = people["reviewer"].get(f"/cases/{number}").get_data(as_text=True)
    published = people["reviewer"].post(f"/cases/{number}/events/publish_answer", publication_form(page))
    assert published.status_code == 303
    return number, code


def public_texts(app, numbers_and_codes) -> list[tuple[str, str]]:
    """Every public page and download with its text: the letters' pages, the list, the
    query page with each code, the statistics pages, their downloads and the public API."""
    client = Browser(app.test_client())
    out = []

    def get(url):
        response = client.client.get(url)
        assert response.status_code == 200, url
        out.append((url, response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json"))
                    else _document_text(url, response.data)))

    for page in range(1, len(numbers_and_codes) // 20 + 2):
        get(f"/letters?page={page}")
    client.get("/letters/query")
    for number, code in numbers_and_codes:
        get(f"/letters/{number}")
        response = client.post("/letters/query", {"code": code}, follow_redirects=True)
        assert number in response.get_data(as_text=True)
        out.append((f"query {number}", response.get_data(as_text=True)))
    for url in ("/stats", "/stats/2026-10", "/stats/2026-10/v1.xlsx", "/stats/2026-10/v1.csv",
                "/stats/2026-10/v1.docx", "/api/v1/stats/monthly?month=2026-10", "/letters/new"):
        if app.url_map.bind("localhost").test(url.split("?")[0]):
            get(url)
    return out


def _document_text(url: str, data: bytes) -> str:
    if url.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return " ".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c)
    if url.endswith(".docx"):
        document = Document(io.BytesIO(data))
        return " ".join([p.text for p in document.paragraphs] +
                        [c.text for t in document.tables for r in t.rows for c in r.cells])
    return data.decode("utf-8", "replace")


def test_the_corpus_covers_every_kind():
    from casework.redaction import redact
    assert len(CORPUS) >= 40
    kinds = {f.kind for letter in CORPUS for key in ("subject", "body", "reply")
             for f in redact(letter[key], (letter["citizen_name"],), (letter["citizen_phone"],))[1]}
    assert kinds == set(KINDS)


def test_no_secret_reaches_a_public_page_or_download(app, people):
    with clock.travel(local(2026, 10, 12, 9)):
        done = [run_letter(app, people, letter) for letter in CORPUS]
    with app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        publication.publish(SYSTEM_ACTOR, "2026-10")
    pages = public_texts(app, done)
    assert len(pages) >= 2 * len(CORPUS) + 5
    leaks = [(url, secret) for url, text in pages for letter in CORPUS for secret in letter["secrets"]
             if secret in text or unspaced(secret) in unspaced(text)]
    assert leaks == []
    # The answers are still there to read: unit, place names and masked forms remain.
    letter_page = dict(pages)[f"/letters/{done[0][0]}"]
    assert "华府小区" in letter_page and "兴安路**号" in letter_page and "陈**" in letter_page
