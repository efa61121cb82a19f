"""Every callback_id, block_id and action_id Keel uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    RAISE_RECORD = "raise_record"
    RECORD_RAISED = "record_raised"
    ASSIGN_OWNER = "assign_owner"
    FIVE_WHYS = "five_whys"
    CHANGE_STATUS = "change_status"
    CHANGE_SEVERITY = "change_severity"
    REJECT_RECORD = "reject_record"
    CLOSE_RECORD = "close_record"
    REOPEN_RECORD = "reopen_record"
    ADD_ACTION = "add_action"
    MARK_DONE = "mark_done"
    EXTEND_DUE = "extend_due"
    REASSIGN = "reassign"
    BLOCKED = "blocked"
    VERIFY = "verify"
    CANCEL_ACTION = "cancel_action"
    PROCESSES = "processes"
    NEW_OBJECTIVE = "new_objective"
    EDIT_OBJECTIVE = "edit_objective"
    RETIRE_OBJECTIVE = "retire_objective"
    LOG_VALUE = "log_value"
    SETTINGS = "settings"
    # Internal audits; private_metadata: {"audit_id": ...}.
    PLAN_AUDIT = "plan_audit"
    POSTPONE_AUDIT = "postpone_audit"
    CANCEL_AUDIT = "cancel_audit"
    CLOSE_AUDIT = "close_audit"
    ADD_FINDING = "add_finding"
    RECORD_REPORT = "record_report"


class Block(StrEnum):
    KIND = "kind"
    TITLE = "title"
    DESCRIPTION = "description"
    LOCATION = "location"
    PROCESS = "process"
    OCCURRED = "occurred"
    SEVERITY = "severity"
    CONTAINMENT = "containment"
    ANONYMOUS = "anonymous"
    CARD_ACTIONS = "card_actions"
    CARD_MORE = "card_more"
    LIST_PAGER = "list_pager"
    OWNER = "owner"
    STATUS = "status"
    REASON = "reason"
    WHY_1 = "why_1"
    WHY_2 = "why_2"
    WHY_3 = "why_3"
    WHY_4 = "why_4"
    WHY_5 = "why_5"
    ROOT_CAUSE = "root_cause"
    CAUSE_CATEGORY = "cause_category"
    ELSEWHERE = "elsewhere"
    ACTION_KIND = "action_kind"
    DUE_DATE = "due_date"
    CHECK_DATE = "check_date"
    CRITERION = "criterion"
    EVIDENCE = "evidence"
    NOTE = "note"
    OUTCOME = "outcome"
    ACTION_BUTTONS = "action_buttons"
    APPROVAL = "approval"
    PROCESS_NAME = "process_name"
    PROCESS_OWNER = "process_owner"
    DIRECTION = "direction"
    TARGET = "target"
    UNIT = "unit"
    FREQUENCY = "frequency"
    START_DATE = "start_date"
    PERIOD = "period"
    VALUE = "value"
    # /nc settings
    QUALITY_CHANNEL = "quality_channel"
    DIGEST_CHANNEL = "digest_channel"
    LEADS = "leads"
    TIMEZONE = "timezone"
    WORKING_DAYS = "working_days"
    NUDGE_HOUR = "nudge_hour"
    QUIET_HOUR = "quiet_hour"
    DUE_SOON_DAYS = "due_soon_days"
    ESCALATE_TO_OWNER_DAYS = "escalate_to_owner_days"
    ESCALATE_TO_CHANNEL_DAYS = "escalate_to_channel_days"
    EXTENSION_LIMIT = "extension_limit"
    CAUSE_CATEGORIES = "cause_categories"
    STANDARDS = "standards"
    PREFIX = "prefix"  # one per record kind: "prefix:<kind>"
    # Internal audits.
    AUDIT_PROCESS = "audit_process"
    AUDIT_AREA = "audit_area"
    PLANNED_DATE = "planned_date"
    HELD_ALREADY = "held_already"
    LEAD_AUDITOR = "lead_auditor"
    AUDITORS = "auditors"
    AUDITEE = "auditee"
    SCOPE = "scope"
    CLAUSES = "clauses"
    RECURRENCE = "recurrence"
    OVERRIDE_REASON = "override_reason"
    GRADE = "grade"
    CLAUSE = "clause"
    SPOKEN_TO = "spoken_to"
    SUMMARY = "summary"
    STRENGTHS = "strengths"
    CLAUSES_COVERED = "clauses_covered"
    CONCLUSION = "conclusion"
    AUDIT_BUTTONS = "audit_buttons"


class ActionId(StrEnum):
    INPUT = "input"
    ANONYMOUS_YES = "anonymous"
    VIEW_RECORD = "view_record"
    LIST_PAGE = "list_page"
    # Record card buttons; value: the record id.
    ASSIGN_OWNER = "assign_owner"
    FIVE_WHYS = "five_whys"
    ADD_ACTION = "add_action"
    CLOSE_RECORD = "close_record"
    CHANGE_STATUS = "change_status"
    CHANGE_SEVERITY = "change_severity"
    REJECT_RECORD = "reject_record"
    REOPEN_RECORD = "reopen_record"  # on a closed or rejected record's card
    # Action message buttons; value: the action id.
    MARK_DONE = "mark_done"
    EXTEND_DUE = "extend_due"
    REASSIGN = "reassign"
    BLOCKED = "blocked"
    VERIFY = "verify"
    CANCEL_ACTION = "cancel_action"
    # Extension approval; value: the action id.
    APPROVE_EXTENSION = "approve_extension"
    DECLINE_EXTENSION = "decline_extension"
    # Digest: "Snooze until…" date picker; action_id carries the action id after a colon.
    SNOOZE = "snooze"
    # Processes modal: one owner picker per process; block_id carries the process id.
    PROCESS_OWNER_PICK = "process_owner_pick"
    # Objectives; value: the objective id ("new" for a new one).
    LOG_VALUE = "log_value"
    NEW_OBJECTIVE = "new_objective"
    EDIT_OBJECTIVE = "edit_objective"
    RETIRE_OBJECTIVE = "retire_objective"
    # "Did you mean /nc list?"; value: the subcommand, or the title to raise a record with.
    RUN_SUGGESTED = "run_suggested"
    RAISE_TITLED = "raise_titled"
    # Internal audits; value: the audit id ("new" for Plan an audit).
    PLAN_AUDIT = "plan_audit"
    START_AUDIT = "start_audit"
    POSTPONE_AUDIT = "postpone_audit"
    CANCEL_AUDIT = "cancel_audit"
    CLOSE_AUDIT = "close_audit"
    ADD_FINDING = "add_finding"
    RECORD_REPORT = "record_report"
    HELD_ALREADY_YES = "held_already"


class Shortcut(StrEnum):
    RAISE_FROM_MESSAGE = "raise_from_message"


SLASH_COMMAND = "/nc"


# The five whys form's blocks, in order.
WHY_BLOCKS = (Block.WHY_1, Block.WHY_2, Block.WHY_3, Block.WHY_4, Block.WHY_5)
