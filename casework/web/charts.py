"""Small SVG charts rendered on the server: no JavaScript, no CDN, printable."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, BAR_GAP = 640, 6


def bars(series: list[tuple[str, int, int]], title: str, a_label: str, b_label: str) -> Markup:
    """Paired vertical bars (e.g. received vs closed per month)."""
    if not series:
        return Markup("")
    top = max(max(a, b) for _, a, b in series) or 1
    height, base = 220, 190
    step = (WIDTH - 40) / len(series)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="20" y="14" class="t">{escape(title)}</text>',
             f'<rect x="{WIDTH - 200}" y="4" width="10" height="10" class="a"/><text x="{WIDTH - 186}" y="13">{escape(a_label)}</text>',
             f'<rect x="{WIDTH - 110}" y="4" width="10" height="10" class="b"/><text x="{WIDTH - 96}" y="13">{escape(b_label)}</text>']
    for i, (label, a, b) in enumerate(series):
        x = 30 + i * step
        w = min(max((step - BAR_GAP) / 2, 2), 28)
        for j, (value, cls) in enumerate(((a, "a"), (b, "b"))):
            h = (base - 30) * value / top
            parts.append(f'<rect x="{x + j * w:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" class="{cls}">'
                         f'<title>{escape(label)} {value}</title></rect>')
        parts.append(f'<text x="{x + w:.1f}" y="{base + 14}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(rows: list[tuple[str, int, int, str]], title: str) -> Markup:
    """Horizontal bars of a rate per unit: (name, part, whole, published text)."""
    if not rows:
        return Markup("")
    height = 24 + 20 * len(rows)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="4" y="14" class="t">{escape(title)}</text>']
    for i, (name, part, whole, text) in enumerate(rows):
        y = 24 + i * 20
        w = 300 * part / whole if whole else 0
        parts.append(f'<text x="200" y="{y + 12}" text-anchor="end">{escape(name)}</text>'
                     f'<rect x="206" y="{y}" width="{w:.1f}" height="14" class="a"/>'
                     f'<text x="{212 + w:.1f}" y="{y + 12}">{escape(text)}（{part}/{whole}）</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
