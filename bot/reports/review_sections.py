"""The management review pack as sections, one per ISO 9001 9.3.2 input (and ISO 45001 /
14001 inputs when the workspace is certified to them); rendered by bot.reports.review."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.audits import FindingGrade
from bot.domain.text import plural
from bot.queries.review import LISTED, Latest, ReviewFigures
from bot.queries.review_audits import AuditResults

SPACE = "For the meeting to add."
ANON = "anonymous near misses"


@dataclass
class Section:
    heading: str
    source: str  # where the figures come from, in plain words
    lines: list[str] = field(default_factory=list)
    table: tuple[tuple[str, ...], list[tuple[str, ...]]] | None = None
    chart: list[tuple[str, int]] | None = None  # (month, count)
    chart_note: str | None = None  # which of the chart's months the period covers in part
    space: bool = False  # room for the meeting's own notes


_GRADE_WORDS = {
    FindingGrade.MAJOR_NC: ("major nonconformity", "major nonconformities"),
    FindingGrade.MINOR_NC: ("minor nonconformity", "minor nonconformities"),
    FindingGrade.OBSERVATION: ("observation", "observations"),
    FindingGrade.OFI: ("opportunity for improvement", "opportunities for improvement"),
}


def audit_lines(results: AuditResults) -> list[str]:
    """The audits held and their findings by grade, then one line per audit."""
    if not (results.held or results.not_reported or results.cancelled):
        return ["No audits recorded."]
    found = [
        plural(results.findings[grade], *words)
        for grade, words in _GRADE_WORDS.items()
        if results.findings[grade]
    ]
    head = f"{plural(results.held, 'audit')} held"
    if not results.held:
        lines = ["No audit held and reported in the period."]
    else:
        lines = [f"{head}: {', '.join(found)}" if found else f"{head}, no findings"]
    lines.extend(results.lines)
    if results.not_listed:
        lines.append(f"…and {plural(results.not_listed, 'more audit')} held")
    if results.not_reported:
        count = results.not_reported
        its = "its" if count == 1 else "their"
        lines.append(f"{plural(count, 'audit')} not yet reported, though {its} day has passed")
    if results.cancelled:
        lines.append(f"{plural(results.cancelled, 'audit')} cancelled")
    return lines


def day(value: date, today: date) -> str:
    text = f"{value:%a} {value.day} {value:%b}"
    return text if value.year == today.year else f"{text} {value.year}"


def _months(figures: ReviewFigures, *kinds: str) -> list[tuple[str, int]]:
    assert figures.period.start is not None and figures.period.end is not None
    total: Counter[str] = Counter()
    for kind in kinds:
        total.update(figures.monthly.get(kind, Counter()))
    months, cursor = [], figures.period.start.replace(day=1)
    while cursor <= figures.period.end:
        key = cursor.strftime("%Y-%m")
        months.append((f"{cursor:%b %Y}", total.get(key, 0)))
        cursor = cursor.replace(year=cursor.year + cursor.month // 12, month=cursor.month % 12 + 1)
    return months


def _part_months(figures: ReviewFigures) -> str | None:
    """Says which months at the ends of the period are counted in part, so a short bar there
    is not read as a good month."""
    start, end, today = figures.period.start, figures.period.end, figures.today
    assert start is not None and end is not None
    starts_late = start.day != 1
    ends_early = (end + timedelta(days=1)).day != 1
    if (start.year, start.month) == (end.year, end.month):
        whole = not (starts_late or ends_early)
        return None if whole else f"Part month: {day(start, today)} to {day(end, today)}."
    parts = [f"{start:%b %Y} from {day(start, today)}"] if starts_late else []
    parts += [f"{end:%b %Y} to {day(end, today)}"] if ends_early else []
    if not parts:
        return None
    return ("Part months: " if len(parts) > 1 else "Part month: ") + ", ".join(parts) + "."


def _listed(latest: Latest[str], none: str, earlier: tuple[str, str], where: str) -> list[str]:
    """The latest entries of a long list, then how many came before them and where they are."""
    if not latest.total:
        return [none]
    lines = list(latest.entries)
    if latest.earlier:
        noun = earlier[0] if latest.earlier == 1 else earlier[1]
        lines.append(f"…and {latest.earlier:,} {noun}: {where}.")
    return lines


def _most(item: tuple[str, int]) -> tuple[int, str]:
    """Largest count first; equal counts by name, so the order does not change between runs."""
    return -item[1], item[0]


def _most_overdue(figures: ReviewFigures) -> list[tuple[str, int]]:
    return sorted(figures.overdue_by_owner.items(), key=_most)[:LISTED]


def _owners(figures: ReviewFigures) -> list[str]:
    """Above the table of overdue actions per owner: none, or who it leaves out."""
    owners = figures.overdue_by_owner
    if not owners:
        return ["No overdue actions."]
    left = sorted(owners.items(), key=_most)[LISTED:]
    if not left:
        return []
    others = f"{len(left):,} other owner" + ("s have" if len(left) > 1 else " has")
    overdue = sum(n for _, n in left)
    return [
        f"The {LISTED} owners with the most overdue actions; {others} "
        f"{overdue:,} more between them."
    ]


def people_shown(figures: ReviewFigures) -> list[str]:
    """The member IDs the pack names: owners of review actions and the most loaded owners."""
    owners = [a.owner_id for a in figures.review_actions]
    return owners + [owner for owner, _ in _most_overdue(figures)]


def sections(figures: ReviewFigures, names: Mapping[str, str] | None = None) -> list[Section]:
    """The pack's sections; `names` gives people's names by member ID (else the ID shows)."""
    f, today = figures, figures.today
    named = names or {}
    changes = f.system_changes.entries
    part = _part_months(f)
    result = [
        Section(
            "a) Status of actions from previous management reviews",
            "Actions recorded as decisions of earlier reviews in Keel, with their status today.",
            [] if f.review_actions else ["No actions from previous management reviews."],
            table=(
                ("Action", "What", "Owner", "Due", "Status"),
                [
                    (
                        a.reference,
                        a.description,
                        named.get(a.owner_id, a.owner_id),
                        day(a.due_date, today),
                        a.status.replace("_", " ") + (" (overdue)" if a.overdue else ""),
                    )
                    for a in f.review_actions
                ],
            )
            if f.review_actions
            else None,
        ),
        Section(
            "b) Changes in external and internal issues",
            "Changes Keel saw to processes, objectives and settings in the period (its history).",
            _listed(
                Latest(
                    deque(f"{day(d, today)}: {entity} — {event}" for d, entity, event in changes),
                    f.system_changes.total,
                ),
                "Keel saw no change to processes, objectives or settings.",
                ("earlier change", "earlier changes"),
                "the export's history file has them all",
            ),
            space=True,
        ),
        Section(
            "c1) Customer satisfaction and feedback",
            "Customer complaints raised in Keel in the period, against the period before.",
            [
                f"{plural(f.complaints, 'customer complaint')} in the period "
                f"({f.complaints_before:,} in the period before)."
            ],
            chart=_months(f, "customer_complaint"),
            chart_note=part,
        ),
        Section(
            "c2) Extent to which quality objectives have been met",
            "Each active objective's latest logged value against its target.",
            [] if f.objectives else ["No active objectives."],
            table=(
                ("Objective", "Title", "Target", "Latest", "Standing"),
                [(o.reference, o.title, o.target, o.latest, o.standing) for o in f.objectives],
            )
            if f.objectives
            else None,
        ),
        Section(
            "c3) Process performance and conformity of products and services",
            "Records raised in the period, by the process they were filed against.",
            [] if f.by_process else ["No records raised in the period."],
            table=(
                ("Process", "Records"),
                [(name, f"{n:,}") for name, n in sorted(f.by_process.items(), key=_most)],
            )
            if f.by_process
            else None,
        ),
        Section(
            "c4) Nonconformities and corrective actions",
            "Records and actions in Keel: raised in the period, open today, effectiveness checks.",
            [
                f"{plural(f.nonconformities, 'nonconformity', 'nonconformities')} raised; "
                f"{plural(f.repeats, 'repeat')} of an earlier record.",
                f"{plural(f.open_records, 'record')} open today"
                + (
                    f", open for {f.median_open_age_days:g} days at the median."
                    if f.median_open_age_days is not None
                    else "."
                ),
                f"{plural(f.overdue_actions, 'action')} overdue today.",
                f"Effectiveness checks: {f.verified_effective:,} effective, "
                f"{f.not_effective:,} not effective.",
            ],
            chart=_months(f, "nonconformity"),
            chart_note=part,
        ),
        Section(
            "c5) Monitoring and measurement results",
            "Values logged for each objective's periods that ended in the review period.",
            [
                f"{o.reference}: {o.logged:,} of {plural(o.expected, 'value')} logged, "
                f"{o.on_time:,} on time."
                for o in f.objectives
            ]
            or ["No active objectives."],
        ),
        Section(
            "c6) Audit results",
            "Internal audits of the period whose report is recorded in Keel, and their "
            "findings; audits still without a report after their day, and cancelled ones.",
            audit_lines(f.audit_results),
        ),
        Section(
            "c7) Performance of external providers",
            "Records whose cause category names a supplier.",
            _listed(
                f.supplier_records,
                "No records with a supplier cause.",
                ("earlier record", "earlier records"),
                "the export's records file has them all",
            ),
        ),
        Section(
            "d) Adequacy of resources",
            "Overdue open actions per owner today: a sign of where people are stretched.",
            _owners(f),
            table=(
                ("Owner", "Overdue actions"),
                [(named.get(owner, owner), f"{n:,}") for owner, n in _most_overdue(f)],
            )
            if f.overdue_by_owner
            else None,
            space=True,
        ),
        Section(
            "e) Effectiveness of actions taken to address risks and opportunities",
            "Preventive actions changed in the period, by status.",
            [
                ", ".join(
                    f"{n:,} {status.replace('_', ' ')}"
                    for status, n in sorted(f.preventive.items())
                )
            ]
            if f.preventive
            else ["No preventive actions in the period."],
            space=True,
        ),
        Section(
            "f) Opportunities for improvement",
            "Opportunities for improvement raised in Keel in the period.",
            _listed(
                f.improvements,
                "No opportunities for improvement raised.",
                ("earlier one", "earlier ones"),
                "the export's records file has them all",
            ),
            space=True,
        ),
    ]
    if "ISO 45001" in f.standards:
        result += [
            Section(
                "ISO 45001: incidents and near misses",
                "Incidents and near misses raised in the period, against the period before.",
                [
                    f"{plural(f.incidents, 'incident')} and "
                    f"{plural(f.near_misses, 'near miss', 'near misses')} "
                    f"({f.incidents_before:,} in the period before)."
                ],
                chart=_months(f, "incident", "near_miss"),
                chart_note=part,
            ),
            Section(
                "ISO 45001: consultation and participation of workers",
                "Records raised by people who do not lead the management system, and anonymous "
                "near misses.",
                [
                    f"{plural(f.raised_by_others, 'record')} raised by people who are not leads; "
                    f"{plural(f.anonymous_near_misses, 'anonymous near miss', ANON)}."
                ],
                space=True,
            ),
            Section(
                "ISO 45001: compliance with legal requirements",
                "Keel does not track legal requirements yet.",
                space=True,
            ),
        ]
    if "ISO 14001" in f.standards:
        result.append(
            Section(
                "ISO 14001: compliance obligations and significant environmental aspects",
                "Keel does not track environmental aspects yet.",
                space=True,
            )
        )
    return result
