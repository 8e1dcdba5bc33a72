"""axe-core in the browser tests: inject the vendored script into a page, run the WCAG 2.1 A and AA rules,
and turn the violations into a list a person can act on.

The site's Content Security Policy allows no inline script, and `add_script_tag` adds one: pages checked
with axe are opened in a context made with `bypass_csp=True` (AXE_CONTEXT)."""

from __future__ import annotations

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
AXE_CONTEXT = {"bypass_csp": True}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# label-content-name-mismatch is experimental in axe and off by default, yet "a control's accessible
# name contains its visible text" (WCAG 2.5.3) is exactly the fault the project must not have. The
# structure rules axe files under "best-practice" (WCAG 1.3.1 and 2.4.1 in spirit: landmarks, one main,
# headings in order, no empty header cell) run too: a page that passes them is one a screen reader
# user can move around in.
EXTRA_RULES = [
    "label-content-name-mismatch",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "region",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "empty-table-header",
]
_RUN = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    rules: rules,
    resultTypes: ["violations"],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary})),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations on the page as it is now (axe injected once per document)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, [WCAG_TAGS, EXTRA_RULES])


def format_violations(violations: list[dict], where: str = "") -> str:
    lines = [f"{where}: {sum(len(v['nodes']) for v in violations)} axe violation(s)" if where else ""]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"]:
            html = " ".join(n["html"].split())
            lines.append(f"    {' '.join(n['target'])}")
            lines.append(f"      {html[:300]}")
            summary = " ".join((n.get("summary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(line for line in lines if line)


def assert_no_axe_violations(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations, where or page.url)
