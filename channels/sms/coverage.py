"""Which feed entries a partner sees: message regions and coverage regions that contain one another.

Entries carry their regions' materialised paths as "|/11/|/11/094/|"; partners carry the paths
of the regions they cover. A message with no region is for everyone ("|/|").

Both sides are namespaced by organisation: "/@5/11/094/" is region /11/094/ of organisation 5,
and "/@5/" is the whole of organisation 5. A partner of one organisation never matches another's
messages, even for the same regions (a department shares its province's regions).
"""

from collections.abc import Iterable

from django.db.models import Q

ROOT_PATH = "/"
SEPARATOR = "|"


def entry_region_paths(paths: Iterable[str]) -> str:
    """The stored form of a message's region paths."""
    paths = sorted(set(paths)) or [ROOT_PATH]
    return SEPARATOR + SEPARATOR.join(paths) + SEPARATOR


def organisation_path(organisation_id: int | None, path: str = ROOT_PATH) -> str:
    """A region path inside an organisation's namespace: (5, "/11/094/") → "/@5/11/094/"."""
    if organisation_id is None:
        return path
    return f"/@{organisation_id}{path}"


def ancestor_paths(path: str) -> list[str]:
    """ "/11/094/" → ["/", "/11/", "/11/094/"]; "/@5/11/" → ["/@5/", "/@5/11/"] (no global root)."""
    codes = [code for code in path.split("/") if code]
    paths = ["/" + "/".join(codes[: depth + 1]) + "/" for depth in range(len(codes))]
    if codes and codes[0].startswith("@"):
        return paths
    return [ROOT_PATH, *paths]


def coverage_q(coverage_paths: Iterable[str]) -> Q:
    """Entries whose regions lie within, or contain, any of the coverage paths."""
    condition = Q(pk__in=[])
    ancestors: set[str] = set()
    for path in sorted(set(coverage_paths)):
        condition |= Q(region_paths__contains=SEPARATOR + path)
        ancestors.update(ancestor_paths(path))
    for path in sorted(ancestors):
        condition |= Q(region_paths__contains=SEPARATOR + path + SEPARATOR)
    return condition


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def coverage_like_patterns(coverage_paths: Iterable[str]) -> list[str]:
    """The same condition as `coverage_q`, as LIKE patterns (escape character: backslash)."""
    patterns = []
    ancestors: set[str] = set()
    for path in sorted(set(coverage_paths)):
        patterns.append("%" + _like_escape(SEPARATOR + path) + "%")
        ancestors.update(ancestor_paths(path))
    patterns += ["%" + _like_escape(SEPARATOR + path + SEPARATOR) + "%" for path in sorted(ancestors)]
    return patterns
