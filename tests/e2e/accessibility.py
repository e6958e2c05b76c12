"""Browser checks shared by the e2e tests: axe-core (vendored from the npm registry into
tests/e2e/vendor/, never fetched at run time) and the page's width."""

from __future__ import annotations

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
BLOCKING = ("critical", "serious")


def axe_violations(page) -> list[dict]:
    """Critical and serious WCAG 2.1 A/AA violations on the page as it is now. axe is
    evaluated through the DevTools protocol, which the page's strict CSP does not govern,
    so the page is checked under its real policy."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE + "\n;undefined")
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""")
    return [v for v in found if v["impact"] in BLOCKING]


def overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# What a finger must hit on a public page: navigation, buttons, form controls and the
# labelled choices around radio buttons and check boxes (inline links in running text are
# exempt, as in WCAG 2.5.8).
TARGETS = (".site-nav a, .display-switch, .btn, button:not(.link-button), .choice, .check, summary, "
           "input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea")


def small_targets(page, minimum: int = 44) -> list[str]:
    """Visible tap targets smaller than `minimum` × `minimum` CSS pixels."""
    return page.evaluate("""([selector, minimum]) => [...document.querySelectorAll(selector)]
        .filter(e => e.offsetParent !== null && !e.closest(".honeypot"))
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width < minimum || r.height < minimum)
        .map(([e, r]) => `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || e.name || "").trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`)""",
                         [TARGETS, minimum])
