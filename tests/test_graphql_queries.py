"""Every GraphQL document gh-ops sends validates against GitHub's schema.

The schema is GitHub's public one (tests/fixtures/graphql-schema.graphql, from @octokit/graphql-schema).
Documents are found by reading the source, not by running it:

- module-level string constants under gh_ops/ whose text starts with `query`, `mutation`,
  `subscription`, `fragment` or `{` (e.g. `ISSUES_QUERY = \"\"\"query Issues(...) {...}\"\"\"`);
- string literals passed as the query to any call of a method or function named `graphql`;
- `*.graphql` files under gh_ops/.

Fragments defined in one document are available to the others (the package is expected to send
`QUERY + FRAGMENT`), and a document made only of fragments is checked without the "fragment is never
used" rule. A `graphql(...)` call whose query the scan cannot see (built at run time) fails a test,
so nothing the package sends escapes validation.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    parse,
    specified_rules,
    validate,
)
from graphql.language import DocumentNode, Visitor, visit
from graphql.validation import NoUnusedFragmentsRule

from gh_ops.gql import with_rate_limit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "gh_ops"
SCHEMA_FILE = Path(__file__).resolve().parent / "fixtures" / "graphql-schema.graphql"

_GRAPHQL_START = re.compile(r"(?:query|mutation|subscription|fragment)(?![\w-])|\{")


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Document:
    """A GraphQL document found in the package; `id` is module:NAME (or the .graphql file's path)."""

    id: str
    text: str
    where: str  # file:line, for failure messages
    constant: str | None = None  # the module-level name holding it, if any


@dataclass(frozen=True)
class QueryArgument:
    """The query argument of one graphql(...) call, and whether the scan can see its text."""

    where: str
    source: str
    visible: bool


def looks_like_graphql(text: str) -> bool:
    return bool(_GRAPHQL_START.match(text.strip()))


def _modules(package_dir: Path) -> list[tuple[str, Path]]:
    """(dotted module name, path) of every module in a package directory, in a stable order."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _graphql_calls(tree: ast.AST) -> Iterator[ast.Call]:
    """Every call of a method or function named `graphql` or `graphql_existing` (gh.graphql(...),
    self._gh.graphql_existing(...))."""
    names = ("graphql", "graphql_existing")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in names) or (
                isinstance(func, ast.Name) and func.id in names
            ):
                yield node


def _query_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "query"), None)


def _module_constants(tree: ast.Module) -> list[tuple[str, ast.Constant]]:
    """(name, string constant) of module-level `NAME = "..."` and `NAME: str = "..."`."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found += [(t.id, value) for t in targets if isinstance(t, ast.Name)]
    return found


def discover(package_dir: Path) -> list[Document]:
    """Every GraphQL document in the package's source (see the module docstring)."""
    documents: list[Document] = []
    for module, path in _modules(package_dir):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(package_dir.parent).as_posix()
        for name, constant in _module_constants(tree):
            if looks_like_graphql(constant.value):
                where = f"{rel}:{constant.lineno}"
                documents.append(Document(f"{module}:{name}", constant.value, where, constant=name))
        for call in _graphql_calls(tree):
            arg = _query_argument(call)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                documents.append(
                    Document(f"{module}:graphql@L{arg.lineno}", arg.value, f"{rel}:{arg.lineno}")
                )
    for path in sorted(package_dir.rglob("*.graphql")):
        rel = path.relative_to(package_dir.parent).as_posix()
        documents.append(Document(rel, path.read_text(encoding="utf-8"), f"{rel}:1"))
    return documents


def graphql_call_arguments(package_dir: Path) -> list[QueryArgument]:
    """The query argument of every graphql(...) call, marked visible when the scan covers it:
    a string literal, a discovered document constant, or a `+` of those."""
    documents = discover(package_dir)
    names = {d.constant for d in documents if d.constant}

    def visible(expr: ast.expr | None) -> bool:
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.Name):
            return expr.id in names
        if isinstance(expr, ast.Attribute):  # queries.ISSUES_QUERY
            return expr.attr in names
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return visible(expr.left) and visible(expr.right)
        return False

    found = []
    for _module, path in _modules(package_dir):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(package_dir.parent).as_posix()
        if rel == "gh_ops/github.py":
            continue  # the boundary's wrappers pass on the document their callers give
        for call in _graphql_calls(tree):
            arg = _query_argument(call)
            source = ast.unparse(arg) if arg is not None else "(no query argument)"
            found.append(QueryArgument(f"{rel}:{call.lineno}", source, visible(arg)))
    return found


# --------------------------------------------------------------------------- validation


class _SpreadNames(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_args: object) -> None:
        self.names.add(node.name.value)


def _spreads(document: DocumentNode) -> set[str]:
    collector = _SpreadNames()
    visit(document, collector)
    return collector.names


def fragment_pool(documents: list[Document]) -> dict[str, FragmentDefinitionNode]:
    """Fragment definitions by name, from every document that parses."""
    pool: dict[str, FragmentDefinitionNode] = {}
    for document in documents:
        try:
            parsed = parse(document.text)
        except GraphQLError:
            continue  # reported by that document's own test
        pool.update((d.name.value, d) for d in parsed.definitions if isinstance(d, FragmentDefinitionNode))
    return pool


def validation_errors(
    schema: GraphQLSchema, text: str, fragments: dict[str, FragmentDefinitionNode] | None = None
) -> list[str]:
    """Why a document is not valid against the schema (empty when it is)."""
    try:
        document = parse(text)
    except GraphQLError as error:
        return [f"syntax: {error.message} at {error.locations}"]
    definitions = list(document.definitions)
    defined = {d.name.value for d in definitions if isinstance(d, FragmentDefinitionNode)}
    # Add the fragments it spreads but does not define (transitively), as the package would send them.
    missing = _spreads(document) - defined
    while missing:
        name = missing.pop()
        if fragments and name in fragments:
            definitions.append(fragments[name])
            defined.add(name)
            missing |= _spreads(DocumentNode(definitions=(fragments[name],))) - defined
    document = DocumentNode(definitions=tuple(definitions))
    rules = specified_rules
    if not any(isinstance(d, OperationDefinitionNode) for d in definitions):
        rules = tuple(rule for rule in specified_rules if rule is not NoUnusedFragmentsRule)
    return [f"{error.message} at {error.locations}" for error in validate(schema, document, rules)]


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    """GitHub's schema, built once: it is 1.2 MB of SDL."""
    built = build_schema(SCHEMA_FILE.read_text(encoding="utf-8"), assume_valid_sdl=True)
    # GitHub's own schema does not pass graphql-core's strict schema checks; skip them, as the
    # schema is GitHub's by definition. (validate() would otherwise run them and refuse.)
    built._validation_errors = []
    return built


# --------------------------------------------------------------------------- the package's documents

DOCUMENTS = discover(PACKAGE_DIR)
POOL = fragment_pool(DOCUMENTS)


@pytest.mark.parametrize(
    "document",
    [pytest.param(d, id=d.id) for d in DOCUMENTS]
    or [pytest.param(None, marks=pytest.mark.skip(reason="gh_ops sends no GraphQL documents yet"))],
)
def test_every_graphql_document_validates_against_githubs_schema(
    schema: GraphQLSchema, document: Document
) -> None:
    errors = validation_errors(schema, document.text, POOL)
    assert errors == [], f"{document.where} ({document.id}) is not valid against GitHub's schema:\n" + (
        "\n".join(errors)
    )


@pytest.mark.parametrize(
    "document",
    [pytest.param(d, id=d.id) for d in DOCUMENTS if d.text.lstrip().startswith("query")],
)
def test_every_query_still_validates_as_sent_with_its_cost_asked(
    schema: GraphQLSchema, document: Document
) -> None:
    """gh_ops.github adds `rateLimit { cost remaining resetAt }` to each query it sends."""
    sent = with_rate_limit(document.text)
    assert sent != document.text, f"{document.where}: the cost was not added to {document.id}"
    errors = validation_errors(schema, sent, POOL)
    assert errors == [], f"{document.where} ({document.id}) as sent:\n" + "\n".join(errors)


def test_every_graphql_call_sends_a_document_the_harness_can_see() -> None:
    hidden = [
        f"{a.where}: graphql({a.source}, ...)" for a in graphql_call_arguments(PACKAGE_DIR) if not a.visible
    ]
    assert hidden == [], (
        "these calls send a query built at run time, which this harness cannot validate; pass a "
        "string literal or a module-level constant (fragments may be added with +):\n" + "\n".join(hidden)
    )


def test_discovery_reads_every_module_of_the_package() -> None:
    modules = dict(_modules(PACKAGE_DIR))
    assert "gh_ops.github" in modules and "gh_ops" in modules  # the GraphQL door, and __init__
    assert set(modules.values()) == set(PACKAGE_DIR.rglob("*.py"))


# --------------------------------------------------------------------------- the harness itself

REALISTIC = """
query OpenIssues($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    issues(first: 100, states: OPEN, after: $after) {
      nodes { number title author { login } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


def test_the_harness_accepts_realistic_documents(schema: GraphQLSchema) -> None:
    assert validation_errors(schema, REALISTIC) == []
    assert (
        validation_errors(
            schema,
            "mutation Close($id: ID!) { closeIssue(input: {issueId: $id, stateReason: COMPLETED}) "
            "{ issue { number state } } }",
        )
        == []
    )
    assert validation_errors(schema, "{ viewer { login } }") == []


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        (
            '{ repository(owner: "a", name: "b") { colour } }',
            "Cannot query field 'colour' on type 'Repository'",
        ),
        (
            '{ repository(owner: "a", name: "b") { issues(first: "ten") { totalCount } } }',
            "Int cannot represent",
        ),
        ('{ repository(owner: "a", name: "b") { issues(first: 1, states: SHUT) { totalCount } } }', "SHUT"),
        (
            '{ repository(owner: "a", name: "b") { issues(frist: 1) { totalCount } } }',
            "Unknown argument 'frist'",
        ),
        ('{ repository(name: "b") { id } }', "repository(owner:)' of type 'String!' is required"),
        ("query($n: String) { viewer { repositories(first: $n) { totalCount } } }", "Variable '$n'"),
        ('{ repository(owner: "a", name: "b") { issues(first: 1) } }', "must have a selection of subfields"),
        ("mutation { closeIssue(input: {}) { issue { number } } }", "issueId"),
        ("{ repository(owner: ", "syntax"),
    ],
    ids=[
        "unknown-field",
        "wrong-argument-type",
        "unknown-enum-value",
        "unknown-argument",
        "missing-required-argument",
        "wrong-variable-type",
        "missing-selection",
        "missing-input-field",
        "syntax-error",
    ],
)
def test_the_harness_rejects_wrong_documents(schema: GraphQLSchema, text: str, complaint: str) -> None:
    errors = validation_errors(schema, text)
    assert errors, f"accepted an invalid document: {text}"
    assert complaint in "\n".join(errors)


def test_fragments_are_shared_between_documents(schema: GraphQLSchema) -> None:
    fragment = Document("m:FIELDS", "fragment IssueFields on Issue { number title }", "m.py:1")
    query = '{ repository(owner: "a", name: "b") { issue(number: 1) { ...IssueFields } } }'
    pool = fragment_pool([fragment])
    assert validation_errors(schema, fragment.text) == []  # a fragment-only document stands alone
    assert validation_errors(schema, query, pool) == []
    assert "Unknown fragment 'IssueFields'" in "\n".join(validation_errors(schema, query))
    bad = fragment_pool([Document("m:BAD", "fragment IssueFields on Issue { colour }", "m.py:1")])
    assert "Cannot query field 'colour' on type 'Issue'" in "\n".join(validation_errors(schema, query, bad))


def test_discovery_finds_documents_in_a_new_module(tmp_path: Path, schema: GraphQLSchema) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "queries.py").write_text(
        '"""Not a query: the module docstring."""\n'
        "ISSUES = '''\n  query Issues { viewer { login } }\n'''\n"
        'FIELDS: str = "fragment IssueFields on Issue { number }"\n'
        'ANON = "{ viewer { login } }"\n'
        'GREETING = "hello"\n'
        'QUERYSTRING = "queryString is not GraphQL"\n'
        "\n"
        "def close(gh, node_id):\n"
        '    return gh.graphql("mutation { closeIssue(input: {issueId: \\"x\\"}) { clientMutationId } }",\n'
        '                      {}, why="close")\n'
        "\n"
        "def by_keyword(gh):\n"
        '    return gh.graphql(query="{ viewer { colour } }", variables={}, why="x")\n'
        "\n"
        "def dynamic(gh, name):\n"
        '    return gh.graphql(ISSUES + FIELDS, {}, why="x"), gh.graphql(f"{{ {name} }}", {}, why="y")\n'
    )
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "more.graphql").write_text("query More { viewer { login } }\n")

    documents = {d.id: d for d in discover(package)}

    assert set(documents) == {
        "pkg.queries:ISSUES",
        "pkg.queries:FIELDS",
        "pkg.queries:ANON",
        "pkg.queries:graphql@L11",
        "pkg.queries:graphql@L15",
        "pkg/sub/more.graphql",
    }
    assert documents["pkg.queries:ISSUES"].where == "pkg/queries.py:2"
    pool = fragment_pool(list(documents.values()))
    verdicts = {key: validation_errors(schema, d.text, pool) for key, d in documents.items()}
    assert [key for key, errors in verdicts.items() if errors] == ["pkg.queries:graphql@L15"]

    calls = graphql_call_arguments(package)
    assert [(c.where, c.visible) for c in calls] == [
        ("pkg/queries.py:11", True),
        ("pkg/queries.py:15", True),
        ("pkg/queries.py:18", True),
        ("pkg/queries.py:18", False),
    ]


# --------------------------------------------------------------------------- composed mutations


def _mutate_calls(package_dir: Path) -> list[str]:
    """file:line and query argument of every `.mutate(...)` call (mutations composed at run time)."""
    found = []
    for _module, path in _modules(package_dir):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(package_dir.parent).as_posix()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "mutate"
            ):
                arg = _query_argument(node)
                found.append(f"{rel}:{node.lineno}: {ast.unparse(arg) if arg is not None else '?'}")
    return found


def test_every_composed_mutation_is_built_from_the_validated_parts() -> None:
    """`gh.mutate` is sent only documents made by gql.mutation(), validated below."""
    calls = _mutate_calls(PACKAGE_DIR)
    assert calls, "the scan should find the RFC writes"
    assert all(call.split(": ", 1)[1].startswith(("mutation(", "gql.mutation(")) for call in calls), calls
    for module, path in _modules(PACKAGE_DIR):  # and `mutation` there is gh_ops.gql's
        source = path.read_text(encoding="utf-8")
        if ".mutate(" in source and "gql.mutation(" not in source:
            assert re.search(r"^from gh_ops\.gql import .*\bmutation\b", source, re.M), module


def test_every_combination_of_mutation_parts_validates(schema: GraphQLSchema) -> None:
    import itertools

    from gh_ops import gql

    parts = list(gql.MUTATION_PARTS)
    combos = [list(c) for n in range(1, len(parts) + 1) for c in itertools.combinations(parts, n)]
    assert len(combos) == 2 ** len(parts) - 1
    for combo in combos:
        text = gql.mutation(combo)
        assert validation_errors(schema, text) == [], (combo, text)


def test_a_mutation_with_no_or_unknown_parts_is_refused() -> None:
    from gh_ops import gql

    with pytest.raises(ValueError):
        gql.mutation([])
    with pytest.raises(ValueError):
        gql.mutation(["checkRun", "deleteRepository"])
