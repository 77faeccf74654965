"""Which schemes a citizen may use, by status and place (pure). Search filters with the same function."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ila_register.eligibility.schemes import Scheme


def region_matches(scheme_regions: Iterable[str], region: str | None) -> bool:
    """A scheme for ``BE2`` serves someone in ``BE255``; a federal scheme (``BE``) serves everyone."""
    if region is None:
        return True
    return any(region.startswith(r) or r.startswith(region) for r in scheme_regions)


def entitled_schemes(schemes: Mapping[str, Scheme], statuses: Iterable[str], region: str | None = None) -> list[Scheme]:
    """The schemes a person with any of ``statuses`` living or working in ``region`` may use."""
    wanted = set(statuses)
    return [
        scheme
        for scheme in sorted(schemes.values(), key=lambda s: s.id)
        if wanted & set(scheme.statuses) and region_matches(scheme.regions, region)
    ]
