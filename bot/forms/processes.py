"""The processes form: the optional "add a process" part."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.forms.state import FormErrors, selected_user, text_value
from bot.ids import Block


class NewProcess(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    owner_id: str | None


def parse_new_process(values: dict[str, Any]) -> NewProcess | None:
    """The process to add; None when that part of the form was left empty."""
    name = text_value(values, Block.PROCESS_NAME)
    owner = selected_user(values, Block.PROCESS_OWNER)
    if name is None:
        if owner is not None:
            raise FormErrors({Block.PROCESS_NAME.value: "Name the process this owner is for."})
        return None
    return NewProcess(name=name, owner_id=owner)
