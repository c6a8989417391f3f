"""Union-find over verified pairs, and a deterministic choice of the copy to keep.

Documents are named by a sort key (their id or path). A cluster's id is its
smallest key, whatever order the documents arrived in; the kept copy is chosen
by the policy, ties going to the smallest key:

- ``first``: the smallest key (the copy whose id or path sorts first);
- ``longest``: the most characters;
- ``newest``: the largest ``time`` (a record field or the file's modification time).

>>> uf = UnionFind()
>>> uf.union("b", "c"); uf.union("c", "a"); uf.union("x", "y")
>>> sorted(uf.groups().items())
[('a', ['a', 'b', 'c']), ('x', ['x', 'y'])]
"""

from __future__ import annotations

from collections import defaultdict

POLICIES = ("first", "longest", "newest")


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root, so roots do not depend on arrival order.
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo

    def groups(self) -> dict[str, list[str]]:
        out = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return {root: sorted(members) for root, members in sorted(out.items())}


def choose(members: list[str], policy: str, length: dict[str, int], time: dict[str, float]) -> str:
    if policy == "first":
        return min(members)
    if policy == "longest":
        return min(members, key=lambda k: (-length.get(k, 0), k))
    if policy == "newest":
        return min(members, key=lambda k: (-time.get(k, 0.0), k))
    raise ValueError(f"keep policy must be one of {', '.join(POLICIES)}")
