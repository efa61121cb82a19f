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
    # Competence (/nc training); private_metadata: {"for_other": ...}.
    LOG_COMPLETION = "log_completion"
    ADD_COMPETENCE = "add_competence"
    ADD_ROLE = "add_role"
    AUDITOR_COMPETENCE = "auditor_competence"
    # Documents register; private_metadata: {"document": ...} (none for a new one).
    ADD_DOCUMENT = "add_document"
    EDIT_DOCUMENT = "edit_document"
    REVISE_DOCUMENT = "revise_document"
    # Management review (/nc review); private_metadata: {"review": ...} (none for a new one).
    PLAN_REVIEW = "plan_review"
    REVIEW_DECISION = "review_decision"


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
    ACTIONS_PAGER = "actions_pager"
    OWNER = "owner"
    STATUS = "status"
    REASON = "reason"
    # Asked on closing (ISO 9001 10.2.1 e, f).
    RISKS_UPDATE = "risks_update"
    SYSTEM_CHANGE = "system_change"
    CLOSING_CHANGES = "closing_changes"
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
    # An objective's plan (ISO 9001 6.2.2).
    PLAN_ACTIONS = "plan_actions"
    PLAN_RESOURCES = "plan_resources"
    PLAN_RESPONSIBLE = "plan_responsible"
    PLAN_DUE = "plan_due"
    PLAN_EVALUATION = "plan_evaluation"
    PERIOD = "period"
    VALUE = "value"
    # /nc settings
    QUALITY_CHANNEL = "quality_channel"
    DIGEST_CHANNEL = "digest_channel"
    LEADS = "leads"
    SYSTEM_NAME = "system_name"
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
    # Competence (/nc training).
    COMPETENCE = "competence"
    PERSON = "person"
    COMPLETED_DATE = "completed_date"
    COMPETENCE_NAME = "competence_name"
    COMPETENCE_KIND = "competence_kind"
    VALIDITY_MONTHS = "validity_months"
    ROLE_NAME = "role_name"
    ROLE_MEMBERS = "role_members"
    ROLE_COMPETENCES = "role_competences"
    AUDITOR_COMPETENCE = "auditor_competence"
    TRAINING_BUTTONS = "training_buttons"
    # Documents register.
    DOC_REFERENCE = "doc_reference"
    DOC_VERSION = "doc_version"
    DOC_LINK = "doc_link"
    REVIEW_MONTHS = "review_months"
    LAST_REVIEWED = "last_reviewed"
    WHAT_CHANGED = "what_changed"
    REREAD = "reread"
    DOCUMENTS_PAGER = "documents_pager"
    REVIEW_REMINDER_DAYS = "review_reminder_days"  # /nc settings
    REVISION_APPROVAL = "revision_approval"
    # Management review.
    REVIEW_DATE = "review_date"
    ATTENDEES = "attendees"
    DECISION_CATEGORY = "decision_category"
    DECISION_TEXT = "decision_text"
    NEXT_REVIEW_DATE = "next_review_date"
    REVIEW_BUTTONS = "review_buttons"


class ActionId(StrEnum):
    INPUT = "input"
    ANONYMOUS_YES = "anonymous"
    VIEW_RECORD = "view_record"
    LIST_PAGE = "list_page"
    ACTIONS_PAGE = "actions_page"
    # Record card buttons; value: the record id.
    ASSIGN_OWNER = "assign_owner"
    FIVE_WHYS = "five_whys"
    ADD_ACTION = "add_action"
    CLOSE_RECORD = "close_record"
    CHANGE_STATUS = "change_status"
    CHANGE_SEVERITY = "change_severity"
    REJECT_RECORD = "reject_record"
    REOPEN_RECORD = "reopen_record"  # on a closed or rejected record's card
    # The card's "More" overflow menu; an option's value: "<button's action id>:<its value>".
    RECORD_MENU = "record_menu"
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
    # Competence; value: the competence id ("any" to choose it in the form).
    LOG_COMPLETION = "log_completion"
    LOG_COMPLETION_FOR = "log_completion_for"  # quality leads, for someone else
    ADD_COMPETENCE = "add_competence"
    ADD_ROLE = "add_role"
    AUDITOR_COMPETENCE = "auditor_competence"
    # Documents register; value: the document id ("new" for Add document), for Reviewed, no
    # change "<document id>:<due date>", for I have read it "<document id>:<version>", for
    # Approve revision the revision id, for the pager the page number.
    ADD_DOCUMENT = "add_document"
    EDIT_DOCUMENT = "edit_document"
    REVIEWED_NO_CHANGE = "reviewed_no_change"
    REVISE_DOCUMENT = "revise_document"
    APPROVE_REVISION = "approve_revision"
    HAVE_READ = "have_read"
    DOCUMENTS_PAGE = "documents_page"
    # Management review; value: the review id ("new" before one is planned).
    PLAN_REVIEW = "plan_review"
    SHARE_REVIEW_PACK = "share_review_pack"
    RECORD_DECISIONS = "record_decisions"


class Shortcut(StrEnum):
    RAISE_FROM_MESSAGE = "raise_from_message"


SLASH_COMMAND = "/nc"


# The five whys form's blocks, in order.
WHY_BLOCKS = (Block.WHY_1, Block.WHY_2, Block.WHY_3, Block.WHY_4, Block.WHY_5)
