"""Keel: an ISO management system that lives in Slack."""

__version__ = "0.1.0"
