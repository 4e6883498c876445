"""Onboarding and offboarding: one checklist issue per joiner and leaver in a private people
repository, dated from their first or last day, kept in step when the dates move."""
