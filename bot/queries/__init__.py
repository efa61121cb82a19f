"""The read side: read models and the lookups more than one place needs."""
