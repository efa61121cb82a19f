"""Errors that carry a message fit to show the person who caused them."""

from __future__ import annotations


class KeelError(Exception):
    """A refusal or problem the user can act on; `str(error)` is shown to them as is."""


class NotFound(KeelError):
    pass


class NotAllowed(KeelError):
    pass
