"""The management review's "14 days to go" reminder goes in one digest per lead: claimed in
the ledger with the digest that lists it (bot/queries/review_digest.py), as refreshers are."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from bot.queries.digest_items import DigestLine
from bot.queries.review_digest import KIND, LEDGER_KIND, SOON
from bot.services import refreshers


def claim_in(
    session: Session,
    workspace_id: int,
    lines: dict[str, list[DigestLine]],
    claimed: Mapping[str, int],
    now: datetime,
) -> None:
    """Claim the soon reminder for each digest claimed now; a digest that lost the claim (a
    second clock, a re-run) goes without it."""
    wanted = [
        (person, line.key, ledger_id)
        for person, ledger_id in claimed.items()
        for line in lines[person]
        if line.kind == KIND and line.key.endswith(f":{SOON}")
    ]
    if not wanted:
        return
    won = refreshers.claim(
        session=session, workspace_id=workspace_id, lines=wanted, now=now, ledger_kind=LEDGER_KIND
    )
    for person in claimed:
        lines[person] = [
            line
            for line in lines[person]
            if not (line.kind == KIND and line.key.endswith(f":{SOON}"))
            or (person, line.key) in won
        ]
