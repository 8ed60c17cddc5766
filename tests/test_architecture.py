"""The shape of the engine: no import cycle among the modules of ``migration_assistant.core``.

A cycle means neither module can be understood, tested or moved without the other (the
recognition stage used to be four modules calling each other back). The graph is grimp's,
the library import-linter uses: every import it sees counts, including those inside
functions and under ``TYPE_CHECKING``, because a cycle hidden in a function is still one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Set

import grimp

CORE = "migration_assistant.core"


def strongly_connected(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """Groups of two or more modules that all reach each other (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def one_cycle(graph: Mapping[str, Set[str]], group: list[str]) -> list[str]:
    """A shortest import loop through the group's first module: a -> b -> ... -> a."""
    start = group[0]
    members = set(group)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, ())):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"{group} is not a cycle")


def core_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("migration_assistant", cache_dir=None)
    core = {m for m in graph.modules if m == CORE or m.startswith(CORE + ".")}
    return {m: graph.find_modules_directly_imported_by(m) & core for m in core}


def test_core_has_no_import_cycle() -> None:
    graph = core_imports()
    assert "migration_assistant.core.recognise.roles" in graph  # the graph is the real one
    cycles = [" -> ".join(one_cycle(graph, group)) for group in strongly_connected(graph)]
    assert cycles == [], "core modules import each other in a circle:\n" + "\n".join(cycles)


def test_the_cycle_finder_finds_and_names_a_cycle() -> None:
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": set(),
        "e": {"a", "e"},  # importing itself is not a cycle between modules
        "f": {"g"},
        "g": {"f"},
    }
    groups = strongly_connected(graph)
    assert groups == [["a", "b", "c"], ["f", "g"]]
    assert one_cycle(graph, groups[0]) == ["a", "b", "c", "a"]
    assert one_cycle(graph, groups[1]) == ["f", "g", "f"]
