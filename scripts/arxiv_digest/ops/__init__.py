"""The daily operation: the run that heals missed days, its ledger, report and outage alert."""
