"""Files Keel makes for people outside Slack: exports for the auditor, the review pack."""
