"""Both 通报 as a printer would get them: LibreOffice (Debian's libreoffice-writer-nogui)
converts them to PDF, poppler rasterises the pages, and the pages are measured: their
count, nothing printed outside the 版心 (so the tables fit the page width), and the table
header on every page the table runs over. Missing tools fail the test: .ci/services
installs them."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from casework.documents import gbt9704

FONTS = Path(__file__).with_name("fonts.conf")
DPI = 50


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk "
                    "fonts-arphic-ukai (.ci/services does it)", pytrace=False)
    return found


def to_pdf(content: bytes, tmp_path: Path, name: str) -> Path:
    source = tmp_path / f"{name}.docx"
    source.write_bytes(content)
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS), "HOME": str(tmp_path)}
    # A profile per run: several test processes (and checkouts) convert at once.
    subprocess.run([tool("soffice"), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, env=env, capture_output=True, timeout=180)
    return tmp_path / f"{name}.pdf"


def pages(pdf: Path) -> int:
    info = subprocess.run([tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run([tool("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def ink_extent_mm(pdf: Path, tmp_path: Path) -> list[tuple[float, float, float, float]]:
    """Per page: left, right, top and bottom of everything printed, in mm."""
    subprocess.run([tool("pdftoppm"), "-r", str(DPI), "-gray", str(pdf), str(tmp_path / "page")], check=True)
    out = []
    for path in sorted(tmp_path.glob("page-*.pgm")):
        data = path.read_bytes()
        magic, width, height, _maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        width, height = int(width), int(height)
        rows = [pixels[y * width:(y + 1) * width] for y in range(height)]
        cols = [x for x in range(width) if any(r[x] < 160 for r in rows)]
        lines = [y for y, r in enumerate(rows) if min(r) < 160]
        mm = 25.4 / DPI
        out.append((cols[0] * mm, (cols[-1] + 1) * mm, lines[0] * mm, (lines[-1] + 1) * mm))
    return out


def check_pages(pdf: Path, tmp_path: Path) -> list[str]:
    left, right = gbt9704.MARGINS_MM["left"], gbt9704.PAGE_MM[0] - gbt9704.MARGINS_MM["right"]
    top = gbt9704.MARGINS_MM["top"]
    bottom = gbt9704.PAGE_MM[1] - gbt9704.MARGINS_MM["bottom"] + gbt9704.PAGE_NUMBER_GAP_MM + 6  # the page number
    for number, (x0, x1, y0, y1) in enumerate(ink_extent_mm(pdf, tmp_path), 1):
        assert x0 >= left - 1.5 and x1 <= right + 1.5, f"page {number}: ink from {x0:.1f} to {x1:.1f} mm"
        assert y0 >= top - 2 and y1 <= bottom, f"page {number}: ink from {y0:.1f} to {y1:.1f} mm"
    texts = page_texts(pdf)
    assert all(f"—{n}—" in text.replace(" ", "") for n, text in enumerate(texts, 1))
    return texts


def table_pages(texts: list[str], start: str) -> list[str]:
    first = next(i for i, t in enumerate(texts) if start in t)
    last = next(i for i, t in enumerate(texts) if i >= first and "合计" in t)
    return texts[first:last + 1]


def test_monthly_notice_as_printed(monthly_docx, tmp_path):
    pdf = to_pdf(monthly_docx, tmp_path, "monthly")
    assert pages(pdf) == 5
    texts = check_pages(pdf, tmp_path)
    assert "安政办函〔2026〕12号" in texts[0].replace(" ", "")
    table = table_pages(texts, "序号")
    assert len(table) >= 2 and all("序号" in page for page in table)  # the header repeats


def test_quarterly_notice_as_printed(quarterly_docx, tmp_path):
    pdf = to_pdf(quarterly_docx, tmp_path, "quarterly")
    assert pages(pdf) == 7
    texts = check_pages(pdf, tmp_path)
    sites = table_pages(texts, "网站标识码")
    assert len(sites) >= 3 and all("网站标识码" in page for page in sites)
    assert "附件2" in "".join(texts[-2:]).replace(" ", "")
