"""Bug priorities: one managed label set, one priority label per bug (from a person, the issue form,
a CVSS vector or the rules), security details kept out of public issues, and a triage sweep."""
