"""Internal audits as people see them: the programme, one audit, and their forms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
)

from bot.domain import audits as rules
from bot.domain.dates import readable_date
from bot.domain.terms import DEFAULT_TERMS, Terms
from bot.domain.text import escape, plural, truncate
from bot.ids import ActionId as ActionId
from bot.ids import Block as BlockId
from bot.queries.audits import AuditDetail, MonthLine, MyAudits, Programme, held_on, subject
from bot.views.common import context, plain, section
from storage.models import Audit, History

SHOWN = 10  # audits per part of the programme
OVERDUE_NAMED = 3  # overdue audits named in the weekly digest's line


def reference(audit: Audit) -> str:
    return rules.format_reference(audit.number)


def _line(audit: Audit, names: dict[int, str], today: date) -> str:
    when = readable_date(held_on(audit), today)
    text = f"*{reference(audit)}* {escape(subject(audit, names))} · {when}"
    text += f" · lead auditor <@{audit.lead_auditor_id}>"
    if audit.postponements:
        text += f" · postponed {plural(audit.postponements, 'time')}"
    return text


def programme_blocks(programme: Programme, today: date, *, can_plan: bool) -> list[Any]:
    """`/nc audits`: overdue, in progress, the next 90 days, and uncovered processes."""
    blocks: list[Any] = [HeaderBlock(text=plain("Internal audit programme"))]
    parts = (
        ("Overdue (no report yet)", programme.overdue),
        ("In progress", programme.in_progress),
        ("Next 90 days", programme.upcoming),
    )
    for title, audits in parts:
        if not audits:
            continue
        lines = "\n".join(_line(a, programme.process_names, today) for a in audits[:SHOWN])
        more = f"\n…and {len(audits) - SHOWN} more" if len(audits) > SHOWN else ""
        blocks.append(section(f"*{title}*\n{lines}{more}"))
    if not (programme.overdue or programme.in_progress or programme.upcoming):
        blocks.append(section("No audits are planned for the next 90 days."))
    if programme.uncovered:
        names = [
            f"{escape(c.process.name)} ("
            + (
                f"last {readable_date(c.last_audited, today)}"
                if c.last_audited
                else "never audited"
            )
            + ")"
            for c in programme.uncovered[:20]
        ]
        blocks.append(
            section("*Not audited in the last 12 months*\n" + truncate(", ".join(names), 2900))
        )
    if can_plan:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=plain("Plan an audit"),
                        action_id=ActionId.PLAN_AUDIT,
                        value="new",
                        style="primary",
                    )
                ]
            )
        )
    blocks.append(context("`/nc AUD-n` shows one audit with its findings and history."))
    return blocks


def programme_text(programme: Programme) -> str:
    return (
        f"Audit programme: {plural(len(programme.upcoming), 'planned audit')}, "
        f"{len(programme.overdue)} overdue."
    )


def audit_buttons(audit: Audit, *, can_manage: bool) -> list[ButtonElement]:
    """The buttons for an audit's parties (the service checks who presses them)."""
    value = str(audit.id)
    status = rules.AuditStatus(audit.status)
    buttons = []
    if status is rules.AuditStatus.PLANNED:
        buttons.append(
            ButtonElement(
                text=plain("Start audit"),
                action_id=ActionId.START_AUDIT,
                value=value,
                style="primary",
            )
        )
        buttons.append(
            ButtonElement(text=plain("Postpone"), action_id=ActionId.POSTPONE_AUDIT, value=value)
        )
    if status is rules.AuditStatus.IN_PROGRESS:
        buttons.append(
            ButtonElement(text=plain("Add finding"), action_id=ActionId.ADD_FINDING, value=value)
        )
        buttons.append(
            ButtonElement(
                text=plain("Record report"),
                action_id=ActionId.RECORD_REPORT,
                value=value,
                style="primary",
            )
        )
    if can_manage and status.awaits_report:
        buttons.append(
            ButtonElement(text=plain("Cancel audit"), action_id=ActionId.CANCEL_AUDIT, value=value)
        )
    if can_manage and status is rules.AuditStatus.REPORTED:
        buttons.append(
            ButtonElement(text=plain("Close audit"), action_id=ActionId.CLOSE_AUDIT, value=value)
        )
    return buttons


def month_text(line: MonthLine, today: date) -> str | None:
    """The weekly objectives digest's line on the programme: "Audits this month: 2 planned,
    1 overdue — Purchasing, due Tue 3 Nov". None when there is nothing to say."""
    if not (line.planned or line.overdue):
        return None
    planned = f"{line.planned} planned" if line.planned else "none planned"
    if not line.overdue:
        return f"Audits this month: {planned}."
    named = "; ".join(
        f"{escape(truncate(name, 80))}, due {readable_date(when, today)}"
        for name, when in line.overdue[:OVERDUE_NAMED]
    )
    if len(line.overdue) > OVERDUE_NAMED:
        named += f"; and {len(line.overdue) - OVERDUE_NAMED} more"
    return f"Audits this month: {planned}, {len(line.overdue)} overdue — {named}."


def buttons_for(audit: Audit, user_id: str, *, is_lead: bool) -> list[ButtonElement]:
    """The buttons this person may press, as the services check them: the audit's parties
    start and postpone it, its auditors add findings, its lead auditor records the report."""
    party = is_lead or user_id in (audit.lead_auditor_id, audit.auditee_id, *audit.auditor_ids)
    allowed: dict[str | None, bool] = {
        ActionId.START_AUDIT: party,
        ActionId.POSTPONE_AUDIT: party,
        ActionId.ADD_FINDING: is_lead or user_id in (audit.lead_auditor_id, *audit.auditor_ids),
        ActionId.RECORD_REPORT: is_lead or user_id == audit.lead_auditor_id,
    }
    # Cancel and Close: quality leads only.
    return [
        button
        for button in audit_buttons(audit, can_manage=is_lead)
        if allowed.get(button.action_id, is_lead)
    ]


def _role(audit: Audit, user_id: str) -> str:
    if user_id == audit.lead_auditor_id:
        return "you lead it"
    if user_id in audit.auditor_ids:
        return "you audit"
    return "you are the auditee"


def _state(audit: Audit, today: date) -> str:
    status = rules.AuditStatus(audit.status)
    if status.awaits_report and held_on(audit) < today:
        return "Overdue, no report yet"
    return status.label


def my_audits_blocks(mine: MyAudits, user_id: str, today: date, *, is_lead: bool) -> list[Any]:
    """The Home tab's audits: each with its date, status and the person's buttons; at most
    `2 * SHOWN + 2` blocks, the rest counted."""
    shown = mine.audits[:SHOWN]
    total = max(mine.total, len(mine.audits))
    if not total:
        return []
    blocks: list[Any] = [section(f"*Your audits* ({total})")]
    for audit in shown:
        blocks.append(
            section(
                f"*{reference(audit)}* {escape(truncate(subject(audit, mine.process_names), 150))}"
                f" · {readable_date(held_on(audit), today)} · {_state(audit, today)} · "
                f"{_role(audit, user_id)}"
            )
        )
        buttons = buttons_for(audit, user_id, is_lead=is_lead)
        if buttons:
            blocks.append(ActionsBlock(elements=buttons))
    if total > len(shown):
        more = total - len(shown)
        blocks.append(context(f"{plural(more, 'more audit')} with `/nc audits`."))
    return blocks


def detail_blocks(
    item: AuditDetail, today: date, *, can_manage: bool, terms: Terms = DEFAULT_TERMS
) -> list[Any]:
    """`/nc AUD-n`: one audit, its findings and their records, and its history."""
    audit = item.audit
    status = rules.AuditStatus(audit.status)
    facts = [
        f"*{reference(audit)}* {escape(item.subject)} · {status.label}",
        f"Date: {readable_date(held_on(audit), today)}"
        + (f" (postponed {plural(audit.postponements, 'time')})" if audit.postponements else ""),
        f"Lead auditor: <@{audit.lead_auditor_id}>"
        + ("".join(f", <@{a}>" for a in audit.auditor_ids)),
        f"Auditee: <@{audit.auditee_id}>" if audit.auditee_id else "Auditee: none named",
    ]
    if audit.scope:
        facts.append(f"Scope: {escape(truncate(audit.scope, 500))}")
    criteria = [rules.Standard(s).label for s in audit.standards if s in set(rules.Standard)]
    if criteria or audit.clauses:
        facts.append("Criteria: " + ", ".join([*criteria, *audit.clauses]))
    facts.append(f"Recurs: {rules.Recurrence(audit.recurrence).label.lower()}")
    if audit.impartiality_override:
        facts.append(
            f":warning: Impartiality overridden by {terms.a_lead}: "
            + escape(truncate(audit.impartiality_override, 300))
        )
    blocks: list[Any] = [section("\n".join(facts))]
    if audit.report_conclusion:
        report = f"*Report*\n{escape(truncate(audit.report_summary or '', 1200))}"
        if audit.report_strengths:
            report += f"\n_What works well:_ {escape(truncate(audit.report_strengths, 600))}"
        report += f"\n_Conclusion:_ {escape(truncate(audit.report_conclusion, 600))}"
        blocks.append(section(report))
    if item.findings:
        lines = []
        for line in item.findings[:20]:
            finding = line.finding
            grade = rules.FindingGrade(finding.grade).label
            clause = f" ({finding.clause})" if finding.clause else ""
            record = (
                f" → {line.record_reference}, {str(line.record_status).replace('_', ' ')}"
                if line.record_reference
                else ""
            )
            lines.append(
                f"{finding.number}. {grade}{clause}: {escape(truncate(finding.evidence, 150))}"
                + record
            )
        blocks.append(section("*Findings*\n" + truncate("\n".join(lines), 2900)))
    buttons = audit_buttons(audit, can_manage=can_manage)
    if buttons:
        blocks.append(ActionsBlock(block_id=BlockId.AUDIT_BUTTONS, elements=buttons))
    if item.history:
        blocks.append(DividerBlock())
        blocks.append(context(truncate(_history_text(item.history, today), 2900)))
    return blocks


_EVENTS = {
    "planned": "planned",
    "started": "started",
    "postponed": "postponed",
    "cancelled": "cancelled",
    "finding_added": "added a finding",
    "reported": "recorded the report",
    "closed": "closed",
}


def _history_text(history: Sequence[History], today: date) -> str:
    lines = []
    for entry in history[-10:]:
        who = f"<@{entry.actor_id}>" if entry.actor_id else "Keel"
        what = _EVENTS.get(entry.event, entry.event.replace("_", " "))
        change = ""
        if entry.event == "postponed" and entry.before and entry.after:
            change = f": {entry.before.get('planned_date')} → {entry.after.get('planned_date')}"
            change += f" ({escape(truncate(str(entry.after.get('reason', '')), 100))})"
        lines.append(f"{readable_date(entry.at.date(), today)} · {who} {what}{change}")
    return "\n".join(lines)
