"""Generate the reference parts of ``apkscan/data/README.md`` from the specs and the rule table.

Why this module exists: documentation of a data format drifts the day a key is added. The README's key tables are
written from :data:`apkscan.knowledge.specs.DATA_FILES` and its list of sources from ``rules.toml`` itself, between
marker comments; a test fails when the README differs from what this module generates, and
``python -m apkscan.knowledge.datadoc`` rewrites it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from apkscan.knowledge.rules import RuleTable, load_rules
from apkscan.knowledge.schema import Array, Keyed, OneOf, Spec, Switch, Table
from apkscan.knowledge.specs import DATA_FILES

README = Path(__file__).resolve().parents[1] / "data" / "README.md"
_SECTION = re.compile(r"(<!-- generated:(?P<name>[a-z]+) -->\n)(?:.*?\n)?(<!-- end:(?P=name) -->)", re.S)


def schema_markdown() -> str:
    """One heading per data file, then one table of keys per table of the file (nested tables after their parent)."""
    out: list[str] = []
    for name, spec in DATA_FILES.items():
        out += [f"#### `{name}`", ""]
        _describe(spec, "", out, {})
    return "\n".join(out).rstrip()


def _describe(spec: Spec, title: str, out: list[str], seen: dict[int, str]) -> None:
    if isinstance(spec, Keyed):
        _describe(spec.value, f"{title}.<{spec.id_name}>" if title else f"<{spec.id_name}>", out, seen)
        for ident, sub in spec.known.items():
            out += [f"`{f'{title}.{ident}' if title else ident}`: {sub.describe()}.", ""]
            _describe(sub, f"{title}.{ident}" if title else ident, out, seen)
        return
    if isinstance(spec, Array):
        _describe(spec.item, f"{title}[]", out, seen)
        return
    if isinstance(spec, OneOf):
        for option in spec.options:
            _describe(option, title, out, seen)
        return
    if isinstance(spec, Switch):  # its options are described where they are defined
        return
    if not isinstance(spec, Table):
        return
    heading = f"`{title}`" if title else "top level"
    if id(spec) in seen:
        if not spec.doc:  # a named table (e.g. "a phrase set") is described once, where it first appears
            out += [f"{heading}: the same keys as {seen[id(spec)]}.", ""]
        return
    seen[id(spec)] = heading
    out += [heading + (f" — {spec.doc}" if spec.doc else "") + ":", "", "| key | required | value | meaning |"]
    out.append("|---|---|---|---|")
    nested: list[tuple[Spec, str]] = []
    for key, fld in spec.fields.items():
        out.append(f"| `{key}` | {'yes' if fld.required else 'no'} | {fld.spec.describe()} | {fld.doc} |")
        if isinstance(fld.spec, Table | Keyed | Array | OneOf):
            nested.append((fld.spec, f"{title}.{key}" if title else key))
    out.append("")
    for sub, name in nested:
        _describe(sub, name, out, seen)


def sources_markdown(rules: RuleTable) -> str:
    """Every source the rule table cites, where to read it and how sure we are of it, by jurisdiction."""
    cited: dict[str, int] = {}
    for rule in rules.permissions.values():
        for ref in rule.references:
            cited[ref.source_id] = cited.get(ref.source_id, 0) + 1
    for finding in rules.policy_findings.values():
        for ref in finding.references:
            cited[ref.source_id] = cited.get(ref.source_id, 0) + 1
    rows = ["| id | jurisdiction | title | date | where to read it | tag | cited |", "|---|---|---|---|---|---|---|"]
    for source in sorted(rules.sources.values(), key=lambda s: (list(rules.jurisdictions).index(s.jurisdiction), s.id)):
        where = f"<{source.url}>" if source.url else "no stable address: find it by title and date"
        title = source.title.en.replace("|", "/")
        rows.append(
            f"| `{source.id}` | {source.jurisdiction} | {title} | {source.date or 'n/a'} | {where} "
            f"| {source.verification} | {cited.get(source.id, 0)} |"
        )
    return "\n".join(rows)


def render(text: str, rules: RuleTable | None = None) -> str:
    """``text`` with its generated sections replaced by what the specs and the rule table say today."""
    parts = {"schema": schema_markdown(), "sources": sources_markdown(rules or load_rules())}

    def fill(match: re.Match[str]) -> str:
        return match.group(1) + parts[match.group("name")] + "\n" + match.group(3)

    return _SECTION.sub(fill, text)


def main() -> int:
    current = README.read_text("utf-8")
    updated = render(current)
    if updated != current:
        README.write_text(updated, "utf-8")
        print(f"updated {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
