"""Document lines of the daily digest: a review due, or a revision to read."""

from __future__ import annotations

from datetime import date

from bot.domain.dates import readable_date
from bot.domain.schedule import Urgency
from bot.domain.text import escape, plural, truncate
from bot.ids import ActionId
from bot.queries.digest_items import DigestLine
from bot.queries.document_digest import READ
from bot.views.raw import RawBlock, actions, button, section

# An item's buttons are in the block "digest:<item key>" (bot/views/digest.py).
_BLOCK_PREFIX = "digest:"
_STATUS = {
    Urgency.OVERDUE: ":red_circle: overdue",
    Urgency.DUE_TODAY: ":large_orange_circle: due today",
    Urgency.DUE_SOON: ":large_yellow_circle: due soon",
}


def document_item(line: DigestLine, today: date) -> list[RawBlock]:
    reference = escape(line.reference)
    version = line.key.split(":", 2)[2] if line.kind == READ else ""
    if line.urgency is None:
        finished = f"v{escape(version)} read" if line.kind == READ else "reviewed"
        return [section(f":white_check_mark: ~{reference}~ {finished}")]
    if line.kind == READ:
        changed = escape(truncate(line.description, 500))
        text = (
            f"*Please read {reference} v{escape(version)}* — what changed: {changed}\n"
            f"`/nc {reference}` shows where it lives."
        )
        elements = [
            button(
                "I have read it",
                ActionId.HAVE_READ.value,
                f"{line.action_id}:{version}",
                primary=True,
            )
        ]
        return [section(text), actions(elements, block_id=_BLOCK_PREFIX + line.key)]
    days = (today - line.due).days
    late = f" by {plural(days, 'day')}" if days > 0 else ""
    text = (
        f"*{reference}* Document review · {_STATUS[line.urgency]}{late} "
        f"(due {readable_date(line.due, today)})\n{escape(truncate(line.description, 300))}"
    )
    if line.note:
        text += f"\n_{line.note}_"
    elements = [
        button(
            "Reviewed, no change",
            ActionId.REVIEWED_NO_CHANGE.value,
            f"{line.action_id}:{line.due.isoformat()}",
            primary=True,
        ),
        button("Revised", ActionId.REVISE_DOCUMENT.value, str(line.action_id)),
    ]
    return [section(text), actions(elements, block_id=_BLOCK_PREFIX + line.key)]
