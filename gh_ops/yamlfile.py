"""YAML the way gh-ops config is read: safe, dates kept as text, no aliases, and the line of every key."""

from __future__ import annotations

from typing import Any

import yaml

from gh_ops.errors import ConfigError, Problem

_ALIAS_MESSAGE = "YAML aliases are not supported in gh-ops config; write the value out"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _AliasRefused(Exception):
    """An alias (`*name`) in a config file; carries where it is."""

    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(_ALIAS_MESSAGE)
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (the schema checks them) and refuses aliases.

    Aliases are refused while composing, before anything walks the node graph: an alias can
    make the graph recursive (`a: &a [*a]`) or exponentially large (a "billion laughs" file)
    though the file is small. Anchors alone (`&name`) do no harm and are left alone.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


# Drop the implicit timestamp resolver: `anchor: 2026-01-05` stays a string we validate ourselves.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _node_lines(
    node: yaml.Node, prefix: str, out: dict[str, int], problems: list[Problem], file: str
) -> None:
    """Record the 1-based line of every key path (a.b.0.c); report duplicate and non-text keys."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            path = f"{prefix}.{key}" if prefix else key
            line = key_node.start_mark.line + 1
            if key_node.tag != _STR_TAG:  # `1:`, `yes:`, `null:` are a number, a boolean, nothing
                problems.append(Problem(_non_text_key(key_node), file, line, path))
            elif key in seen:
                problems.append(Problem(f"duplicate key {key!r}", file, line, path))
            seen.add(key)
            out[path] = line
            _node_lines(value_node, path, out, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}.{i}" if prefix else str(i)
            out[path] = item.start_mark.line + 1
            _node_lines(item, path, out, problems, file)


def _non_text_key(key_node: yaml.Node) -> str:
    if key_node.tag == _MERGE_TAG:
        return "YAML merge keys (<<) are not supported in gh-ops config; write the keys out"
    if not isinstance(key_node, yaml.ScalarNode):
        return "a list or mapping cannot be a key: write a name"
    if not key_node.value:
        return "an empty key must be text: write a name"
    quoted = "'" + key_node.value.replace("'", "''") + "'"
    return f"key {key_node.value} must be text: quote it ({quoted}:)"


def parse_yaml(text: str, file: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML, returning the data and a key-path → line map. Raises ConfigError."""
    loader = None
    try:
        loader = _Loader(text)  # the reader rejects control characters (e.g. NUL) right here
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        _node_lines(node, "", lines, problems, file)
        if problems:
            raise ConfigError(f"{file} is not valid", problems=problems)
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError, AttributeError) as exc:  # `!!int x`
            raise ConfigError(
                f"{file} is not valid YAML",
                problems=[Problem(f"a value with an explicit !!tag cannot be read: {exc}", file)],
            ) from None
    except _AliasRefused as exc:
        raise ConfigError(
            f"{file} is not valid", problems=[Problem(_ALIAS_MESSAGE, file, exc.mark.line + 1)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if isinstance(exc, yaml.scanner.ScannerError) and exc.context_mark is not None:
            mark = exc.context_mark  # an unclosed quote is only noticed at the end of the file
        line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            reason += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        if "but got '['" in reason:  # `allow_bots: [dependabot[bot]]`: [ ] inside a [ ] list
            reason += "; a login with [bot] inside [ ] must be quoted, e.g. allow_bots: ['dependabot[bot]']"
        if "'@'" in reason:  # `lead: @alice`: YAML reserves @, so such a login needs quotes
            reason += "; a value that starts with @ must be quoted, e.g. lead: '@alice'"
        raise ConfigError(
            f"{file} is not valid YAML",
            problems=[Problem(f"{reason} (check indentation, quoting and colons)", file, line)],
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file} is not valid YAML", problems=[Problem(str(exc), file)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines
