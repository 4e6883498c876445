"""GitHub's GraphQL rate-limit cost of a document, computed the way GitHub documents it.

Run: .venv/bin/python benchmarks/graphql_points.py
Prints the points of each yolo document at the sizes gh-ops sends.

GitHub's rule ("Calculating a rate limit score"): assume every connection returns as many nodes as
its `first` or `last` allows; add up the requests needed to fetch each connection (a connection
nested in another is fetched once per node of its parents); divide by 100 and round; at least 1.
A `nodes(ids: ...)` lookup is taken as a list of as many nodes as ids (GitHub does not document how
it counts one; this is the pessimistic reading).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    value_from_ast_untyped,
)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def requests_needed(document: str, variables: dict[str, Any]) -> int:
    """The requests GitHub counts for one document: one per fetch of each connection."""
    parsed = parse(document)
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, "one operation per document"

    def args(field: FieldNode) -> dict[str, Any]:
        return {a.name.value: value_from_ast_untyped(a.value, variables) for a in field.arguments or ()}

    def walk(selection: SelectionSetNode | None, fetches: int) -> int:
        total = 0
        for node in selection.selections if selection else ():
            if isinstance(node, FragmentSpreadNode):
                total += walk(fragments[node.name.value].selection_set, fetches)
            elif isinstance(node, InlineFragmentNode):
                total += walk(node.selection_set, fetches)
            elif isinstance(node, FieldNode):
                given = args(node)
                size = given.get("first", given.get("last"))
                if size is not None:  # a connection: fetched once per parent node
                    total += fetches + walk(node.selection_set, fetches * int(size))
                elif node.name.value == "nodes" and "ids" in given:
                    total += fetches + walk(node.selection_set, fetches * len(given["ids"]))
                else:
                    total += walk(node.selection_set, fetches)
        return total

    return walk(operations[0].selection_set, 1)


def points(document: str, variables: dict[str, Any]) -> int:
    """The rate-limit points GitHub charges for the document with these variables."""
    return max(1, round(requests_needed(document, variables) / 100))


def yolo_points() -> dict[str, int]:
    """Points of the yolo documents at the sizes gh-ops sends them."""
    from gh_ops.yolo import queries as q
    from gh_ops.yolo.run import HISTORY_PAGE

    repo = {"owner": "acme", "name": "shop"}
    hundred_ids = [f"PR_{i}" for i in range(HISTORY_PAGE)]
    push = q.YOLO_PUSH_QUERY + q.YOLO_COMMIT_FRAGMENT
    history = q.YOLO_HISTORY_QUERY + q.YOLO_COMMIT_FRAGMENT + q.YOLO_PULL_FRAGMENT
    pulls = q.YOLO_PULLS_QUERY + q.YOLO_PULL_FRAGMENT
    page = {**repo, "since": "2026-01-01T00:00:00Z", "after": None, "pageSize": HISTORY_PAGE}
    return {
        "check: a merged pull request": points(
            q.YOLO_PULL_QUERY + q.YOLO_PULL_FRAGMENT, {**repo, "number": 1, "label": "yolo-merge"}
        ),
        "check: a push, 1 page of up to 100 commits": points(
            push, {**repo, "after": "0" * 40, "count": HISTORY_PAGE, "cursor": None}
        ),
        "audit: first page (100 commits)": points(history, {**page, "pulls": []}),
        "audit: a later page, with the details of 100 pull requests": points(
            history, {**page, "pulls": hundred_ids}
        ),
        "audit: a later page, with the details of 10 pull requests": points(
            history, {**page, "pulls": hundred_ids[:10]}
        ),
        "audit: the last details, 100 pull requests": points(pulls, {"pulls": hundred_ids}),
    }


if __name__ == "__main__":
    figures = yolo_points()
    width = max(len(name) for name in figures)
    for name, cost in figures.items():
        print(f"{name:{width}}  {cost:4} point(s)")
