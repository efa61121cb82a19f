"""Form building blocks: a modal and its inputs, each answering under the `input` action id
so that bot/forms.py reads every form the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.text import truncate
from bot.ids import ActionId
from bot.ids import Block as BlockId
from bot.ids import View as ViewId
from bot.views.common import plain


def form_modal(
    callback_id: ViewId, title: str, submit: str | None, meta: str, blocks: Sequence[Block]
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=plain(title),
        submit=plain(submit) if submit else None,
        close=plain("Cancel") if submit else plain("Close"),
        private_metadata=meta,
        blocks=list(blocks),
    )


def text_input(
    block: BlockId,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
    max_length: int = 3000,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=plain(label),
        optional=optional,
        hint=plain(hint) if hint else None,
        element=PlainTextInputElement(
            action_id=ActionId.INPUT,
            multiline=multiline,
            max_length=max_length,
            initial_value=truncate(initial, max_length) if initial else None,
        ),
    )


def user_input(block: BlockId, label: str, initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=plain(label),
        element=UserSelectElement(action_id=ActionId.INPUT, initial_user=initial),
    )


def date_input(
    block: BlockId,
    label: str,
    initial: date | None,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block,
        label=plain(label),
        optional=optional,
        hint=plain(hint) if hint else None,
        element=DatePickerElement(
            action_id=ActionId.INPUT, initial_date=initial.isoformat() if initial else None
        ),
    )


def select_input(
    block: BlockId, label: str, options: list[Option], initial: str | None = None
) -> InputBlock:
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(
        block_id=block,
        label=plain(label),
        element=StaticSelectElement(
            action_id=ActionId.INPUT, options=options, initial_option=chosen
        ),
    )


def number_input(
    block: BlockId, label: str, *, initial: str | None = None, hint: str | None = None
) -> InputBlock:
    """A number, decimals allowed: Slack's own number box (the parser still reads "95%")."""
    return InputBlock(
        block_id=block,
        label=plain(label),
        hint=plain(hint) if hint else None,
        element=NumberInputElement(
            action_id=ActionId.INPUT, is_decimal_allowed=True, initial_value=initial
        ),
    )
