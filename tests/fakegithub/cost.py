"""GitHub's GraphQL rate-limit cost of a document, computed the way GitHub documents it: what the
fake charges (and answers in `rateLimit { cost }`), and what benchmarks report.

GitHub's rule ("Calculating a rate limit score"): assume every connection returns as many nodes as
its `first` or `last` allows; add up the requests needed to fetch each connection (a connection
nested in another is fetched once per node of its parents); divide by 100 and round; at least 1.
A `nodes(ids: ...)` lookup is taken as a list of as many nodes as ids (GitHub does not document how
it counts one; this is the pessimistic reading). A mutation costs 1 point.
"""

from __future__ import annotations

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


def requests_needed(document: str, variables: dict[str, Any]) -> int:
    """The requests GitHub counts for one document: one per fetch of each connection."""
    parsed = parse(document)
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, "one operation per document"
    if operations[0].operation.value == "mutation":
        return 100  # 1 point

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
