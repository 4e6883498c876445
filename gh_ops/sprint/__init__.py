"""Sprint issues: one per small team per sprint, opened ahead of time, linked to the previous one,
with its goals carried into the retrospective, never twice."""
