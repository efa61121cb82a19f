"""`python -m bot import …`: bringing an existing register (CSV or XLSX) into Keel."""
