"""An axe-core audit (WCAG 2.1 A and AA) of what a page shows now.

axe-core comes from the client's lock file (web/node_modules) and is served to the page from
the page's own origin, so the app's Content-Security-Policy (`script-src 'self'`) stays on
while it runs: the audit sees the page as agents get it."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__test__/axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _serve_axe(route: Route) -> None:
    route.fulfill(status=200, content_type="text/javascript", body=AXE.read_bytes())


def violations(page: Page, where: str = "body") -> list[dict[str, Any]]:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    if not page.evaluate("typeof window.axe === 'object'"):
        page.route(f"{origin}{AXE_PATH}", _serve_axe)
        page.add_script_tag(url=f"{origin}{AXE_PATH}")
    result = page.evaluate(
        """([where, tags]) => axe.run(document.querySelector(where),
            { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })""",
        [where, WCAG21_AA],
    )
    return result["violations"]  # type: ignore[no-any-return]


def assert_accessible(page: Page, what: str, where: str = "body") -> None:
    """No WCAG 2.1 AA violation in `where`; the message names each rule and its elements."""
    found = violations(page, where)
    if found:
        report = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "nodes": [
                    {"target": n["target"], "summary": n.get("failureSummary", "")}
                    for n in v["nodes"]
                ],
            }
            for v in found
        ]
        raise AssertionError(
            f"{what}: axe found {len(found)} violation(s)\n"
            + json.dumps(report, indent=1, ensure_ascii=False)
        )
