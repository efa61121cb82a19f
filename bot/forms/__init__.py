"""Parsed input of every modal and its private_metadata, as pydantic models."""
