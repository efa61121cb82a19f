"""Audit rules: life, impartiality, rotation, recurrence, reminders, references."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.audits import (
    AuditMove,
    AuditStatus,
    FindingGrade,
    Recurrence,
    Reminder,
    Role,
    Team,
    can_close,
    conflicts,
    format_reference,
    least_used,
    move,
    next_cycle_date,
    not_qualified,
    parse_clauses,
    parse_reference,
    reminder,
    reminder_days,
    rotation_warning,
)

WEEK = frozenset({0, 1, 2, 3, 4})


def test_reference_round_trips() -> None:
    assert format_reference(3) == "AUD-3"
    assert parse_reference("AUD-3") == 3
    assert parse_reference("aud003") == 3
    assert parse_reference("AUD-0") is None
    assert parse_reference("NC-3") is None


@given(st.integers(min_value=1, max_value=999_999))
def test_any_reference_parses_back(number: int) -> None:
    assert parse_reference(format_reference(number)) == number


def test_life_of_an_audit() -> None:
    status = move(AuditStatus.PLANNED, AuditMove.START)
    assert status is AuditStatus.IN_PROGRESS
    status = move(status, AuditMove.REPORT)
    assert move(status, AuditMove.CLOSE) is AuditStatus.CLOSED
    with pytest.raises(ValueError, match="only once"):
        move(AuditStatus.REPORTED, AuditMove.REPORT)
    with pytest.raises(ValueError, match="Only a planned audit"):
        move(AuditStatus.IN_PROGRESS, AuditMove.POSTPONE)
    assert move(AuditStatus.IN_PROGRESS, AuditMove.CANCEL) is AuditStatus.CANCELLED


def test_auditors_may_not_audit_their_own_work() -> None:
    team = Team(lead_auditor="UOWN", auditors=("UEE", "UOK"), auditee="UEE", process_owner="UOWN")
    found = conflicts(team)
    assert [(c.auditor, c.why) for c in found] == [
        ("UOWN", "owns the audited process"),
        ("UEE", "is the auditee"),
    ]
    assert "do not audit their own work" in found[0].message
    assert conflicts(Team("UA", (), "UEE", "UOWN")) == []


def test_qualified_list_applies_only_when_kept() -> None:
    team = Team("UA", (), None, None)
    assert not not_qualified(team, [])
    assert not_qualified(team, ["UB"])
    assert not not_qualified(team, ["UA", "UB"])


def test_rotation_warns_only_the_same_lead() -> None:
    assert rotation_warning("UA", None) is None
    assert rotation_warning("UA", "UB") is None
    warning = rotation_warning("UA", "UA")
    assert warning is not None and "previous audit" in warning


def test_least_used_auditors_come_first() -> None:
    suggested = least_used(
        ["UA", "UB", "UC", "UD"], ["UA", "UA", "UB", "UC", "UC", "UC"], exclude={"UD"}, limit=2
    )
    assert suggested == ["UB", "UA"]


@pytest.mark.parametrize(
    ("recurrence", "planned", "expected"),
    [
        (Recurrence.ONE_OFF, date(2026, 3, 10), None),
        (Recurrence.YEARLY, date(2026, 3, 10), date(2027, 3, 10)),
        (Recurrence.HALF_YEARLY, date(2026, 3, 10), date(2026, 9, 10)),
        (Recurrence.QUARTERLY, date(2026, 11, 30), date(2027, 2, 28)),
        (Recurrence.QUARTERLY, date(2026, 1, 31), date(2026, 4, 30)),
        (Recurrence.YEARLY, date(2028, 2, 29), date(2029, 2, 28)),
    ],
)
def test_next_date_follows_the_cycle(
    recurrence: Recurrence, planned: date, expected: date | None
) -> None:
    assert next_cycle_date(recurrence, planned) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_the_cycle_moves_forward_within_its_period(planned: date) -> None:
    following = next_cycle_date(Recurrence.QUARTERLY, planned)
    assert following is not None
    assert timedelta(days=88) <= following - planned <= timedelta(days=92)


def _reminders(held: date, status: AuditStatus, role: Role, days: int = 40) -> dict[date, str]:
    start = held - timedelta(days=20)
    found = {}
    for offset in range(days):
        today = start + timedelta(days=offset)
        if today.weekday() not in WEEK:
            continue  # no digest on days off
        due = reminder(
            held=held,
            status=status,
            role=role,
            today=today,
            working_days=WEEK,
            escalate_after_days=7,
        )
        if due is not None:
            found[today] = due.value
    return found


def test_reminders_before_on_the_day_and_the_report_chase() -> None:
    held = date(2026, 11, 16)  # a Monday: 14 and 7 days before are Mondays, 1 day is Sunday
    found = _reminders(held, AuditStatus.PLANNED, Role.LEAD_AUDITOR, days=28)
    assert found == {
        date(2026, 11, 2): "before",
        date(2026, 11, 9): "before",
        date(2026, 11, 13): "before",  # Sunday moved to Friday
        date(2026, 11, 16): "on_the_day",
        date(2026, 11, 17): "report_due",
        date(2026, 11, 18): "report_due",
        date(2026, 11, 19): "report_due",
        date(2026, 11, 20): "report_due",
        date(2026, 11, 23): "report_due",
    }


def test_the_auditee_is_not_chased_for_the_report() -> None:
    held = date(2026, 11, 16)
    found = _reminders(held, AuditStatus.PLANNED, Role.AUDITEE)
    assert max(found) == held and found[held] == "on_the_day"


def test_a_friday_audit_is_chased_from_monday() -> None:
    held = date(2026, 11, 20)
    found = _reminders(held, AuditStatus.IN_PROGRESS, Role.LEAD_AUDITOR, days=25)
    after = sorted(day for day in found if day > held)
    assert after[0] == date(2026, 11, 23)


def test_a_reported_audit_reminds_no_one() -> None:
    for status in (AuditStatus.REPORTED, AuditStatus.CLOSED, AuditStatus.CANCELLED):
        assert _reminders(date(2026, 11, 16), status, Role.LEAD_AUDITOR) == {}


def test_quality_leads_hear_of_it_after_the_escalation_days() -> None:
    held = date(2026, 11, 16)
    found = _reminders(held, AuditStatus.IN_PROGRESS, Role.QUALITY_LEAD)
    assert min(found) == date(2026, 11, 23)
    assert set(found.values()) == {Reminder.ESCALATED.value}


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)))
def test_reminder_days_are_working_days_before_the_audit(held: date) -> None:
    days = reminder_days(held, WEEK)
    assert all(day.weekday() in WEEK and day < held for day in days)
    assert 1 <= len(days) <= 3


def test_findings_and_clauses() -> None:
    assert FindingGrade.MINOR_NC.is_nonconformity and FindingGrade.MINOR_NC.becomes_record
    assert FindingGrade.OFI.becomes_record and not FindingGrade.OFI.is_nonconformity
    assert not FindingGrade.OBSERVATION.becomes_record
    assert parse_clauses("8.4, 8.5.1;9.2") == ("8.4", "8.5.1", "9.2")
    assert parse_clauses("8.4, eight") is None


def test_closes_when_every_nonconformity_is_owned_and_planned() -> None:
    assert can_close(True, [])
    assert not can_close(False, [])
    assert not can_close(True, [("UA", 1), (None, 2)])
    assert not can_close(True, [("UA", 0)])
    assert can_close(True, [("UA", 1), ("UB", 3)])
