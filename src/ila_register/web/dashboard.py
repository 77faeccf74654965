"""The monitoring dashboard's charts and tables, built from the monitoring figures (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from ila_register.eligibility.cost import Pricing
from ila_register.eligibility.funding import money
from ila_register.eligibility.schemes import Scheme
from ila_register.eligibility.stats import Stats
from ila_register.offers.scheme_costs import TABLE as COSTS_TABLE
from ila_register.offers.scheme_costs import SchemeCost
from ila_register.vocab.registry import Vocabulary
from ila_register.web.charts import PALETTE, Series, bar_chart, column_chart, stacked_bar_chart
from ila_register.web.i18n import Translator

STATUS_ORDER = (
    "eligible",
    "submitted",
    "auto-checked",
    "in-review",
    "awaiting-confirmation",
    "rejected",
    "expired",
    "suspended",
    "withdrawn",
)
STATUS_COLOURS = dict(
    zip(
        STATUS_ORDER,
        ("#2b6a2f", "#1d4f91", "#00695c", "#6a3d9a", "#a34b00", "#b00020", "#595959", "#6b5d00", "#3d3d3d"),
        strict=True,
    )
)
MONTHS_SHOWN = 24
NO_VALUE = "–"  # noqa: RUF001 - a dash for "no value", as in print


@dataclass(frozen=True, slots=True)
class Chart:
    """A panel of the dashboard: a chart with its table (or, without ``svg``, the table alone) and its CSV."""

    id: str
    heading: str
    caption: str
    svg: Markup | None
    table_head: Sequence[str]
    table_rows: Sequence[Sequence[object]]
    csv_url: str
    footnote: str | None = None  # what the figures mean, under the table


def totals(stats: Stats, t: Translator) -> list[tuple[str, int]]:
    waiting = sum(
        stats.totals.get(f"decisions_{s}", 0)
        for s in ("submitted", "auto-checked", "in-review", "awaiting-confirmation")
    )
    return [
        (t("total_active"), stats.totals.get("offers_active", 0)),
        (t("total_withdrawn"), stats.totals.get("offers_withdrawn", 0)),
        (t("total_eligible"), stats.totals.get("decisions_eligible", 0)),
        (t("total_waiting"), waiting),
        (t("total_rejected"), stats.totals.get("decisions_rejected", 0)),
    ]


def charts(
    stats: Stats,
    costs: Sequence[SchemeCost],
    schemes: Mapping[str, Scheme],
    pricing: Pricing,
    vocabulary: Vocabulary,
    t: Translator,
) -> list[Chart]:
    lang = t.language

    def scheme_name(scheme_id: str) -> str:
        scheme = schemes.get(scheme_id)
        return scheme.name.get(lang, scheme_id) if scheme else scheme_id

    def csv(table: str) -> str:
        return f"/dashboard/csv/{table}"

    return [
        _schemes_chart(stats, scheme_name, t, csv("schemes")),
        _costs_table(costs, scheme_name, pricing, vocabulary, t, csv(COSTS_TABLE)),
        _provinces_chart(stats, vocabulary, t, csv("provinces")),
        _activity_chart(stats, t, csv("activity")),
        _delays_chart(stats, t, csv("distribution")),
        _reasons_chart(stats, scheme_name, t, csv("rejection-reasons")),
    ]


def _schemes_chart(stats: Stats, scheme_name: Callable[[str], str], t: Translator, csv_url: str) -> Chart:
    counts: dict[str, dict[str, int]] = {}
    for row in stats.schemes:
        counts.setdefault(row.scheme, {})[row.status] = row.offers
    present = [s for s in STATUS_ORDER if any(s in c for c in counts.values())]
    scheme_ids = sorted(counts, key=lambda s: -sum(counts[s].values()))
    labels = [scheme_name(s) for s in scheme_ids]
    series = [
        Series(t(f"status_{s}"), [counts[sid].get(s, 0) for sid in scheme_ids], STATUS_COLOURS[s]) for s in present
    ]
    return Chart(
        id="schemes",
        heading=t("chart_schemes"),
        caption=t("chart_schemes_caption"),
        svg=stacked_bar_chart("schemes", t("chart_schemes"), labels, series),
        table_head=[t("col_scheme"), *[t(f"status_{s}") for s in present]],
        table_rows=[
            [label, *[counts[sid].get(s, 0) for s in present]] for sid, label in zip(scheme_ids, labels, strict=True)
        ],
        csv_url=csv_url,
    )


def _costs_table(
    costs: Sequence[SchemeCost],
    scheme_name: Callable[[str], str],
    pricing: Pricing,
    vocabulary: Vocabulary,
    t: Translator,
    csv_url: str,
) -> Chart:
    """Per scheme: its published offers, their median price and median remaining cost, for its
    representative citizens (statuses whose figures are the same are named together)."""
    lang = t.language

    def cash(amount: Decimal | None, currency: str) -> str:
        return money(amount, currency, lang) if amount is not None else NO_VALUE

    def remaining(cost: SchemeCost) -> str:
        groups: dict[tuple[Decimal | None, bool], list[str]] = {}
        for status in cost.statuses:
            name = pricing.status_names.get(status.status, {}).get(lang, status.status)
            marked = status.indicative and status.median_remaining is not None
            groups.setdefault((status.median_remaining, marked), []).append(name)
        figures = []
        for (amount, indicative), names in groups.items():
            figure = cash(amount, cost.currency)
            if indicative:
                figure = f"{figure} ({pricing.indicative_word(lang)})"
            figures.append(figure if len(groups) == 1 else f"{', '.join(names)}: {figure}")
        return "; ".join(figures)

    rows = sorted(costs, key=lambda c: (-c.offers, scheme_name(c.scheme)))
    return Chart(
        id="costs",
        heading=t("chart_costs"),
        caption=t("chart_costs_caption"),
        svg=None,
        table_head=[
            t("col_scheme"),
            t("col_citizen_region"),
            t("col_offers_counted"),
            t("col_median_price"),
            t("col_median_remaining"),
        ],
        table_rows=[
            [
                scheme_name(c.scheme),
                _province_label(c.place, vocabulary, t),
                c.offers,
                cash(c.median_price, c.currency),
                remaining(c),
            ]
            for c in rows
        ],
        csv_url=csv_url,
        footnote=t("chart_costs_footnote", indicative=pricing.indicative_word(lang)),
    )


def _province_label(code: str, vocabulary: Vocabulary, t: Translator) -> str:
    if code in ("online", "abroad", "unknown"):
        return t(f"region_{code}")
    term = vocabulary.term("nuts-be", code)
    return term.label(t.language) if term else code


def _provinces_chart(stats: Stats, vocabulary: Vocabulary, t: Translator, csv_url: str) -> Chart:
    rows = sorted(stats.provinces, key=lambda r: (r.province in ("online", "abroad", "unknown"), r.province))
    labels = [_province_label(r.province, vocabulary, t) for r in rows]
    return Chart(
        id="provinces",
        heading=t("chart_regions"),
        caption=t("chart_regions_caption"),
        svg=bar_chart("provinces", t("chart_regions"), list(zip(labels, [r.offers for r in rows], strict=True))),
        table_head=[t("col_region"), t("col_offers"), t("col_eligible_offers")],
        table_rows=[[label, r.offers, r.eligible_offers] for label, r in zip(labels, rows, strict=True)],
        csv_url=csv_url,
    )


def _activity_chart(stats: Stats, t: Translator, csv_url: str) -> Chart:
    months = stats.activity[-MONTHS_SHOWN:]
    series = [
        Series(t("col_submissions"), [m.submissions for m in months], PALETTE[0]),
        Series(t("col_approvals"), [m.eligible for m in months], STATUS_COLOURS["eligible"]),
        Series(t("col_rejections"), [m.rejected for m in months], STATUS_COLOURS["rejected"]),
    ]
    return Chart(
        id="activity",
        heading=t("chart_activity"),
        caption=t("chart_activity_caption"),
        svg=column_chart("activity", t("chart_activity"), [m.month for m in months], series),
        table_head=[t("col_month"), t("col_submissions"), t("col_approvals"), t("col_rejections")],
        table_rows=[[m.month, m.submissions, m.eligible, m.rejected] for m in months],
        csv_url=csv_url,
    )


def _delays_chart(stats: Stats, t: Translator, csv_url: str) -> Chart:
    labels = [t(f"bucket_{i}") for i in range(len(stats.distribution))]
    overall = next((d for d in stats.time_to_decision if d.scheme == "*"), None)

    def days(value: float | None) -> str:
        return t.number(value) if value is not None else NO_VALUE

    caption = t(
        "chart_delays_caption",
        decisions=t.number(overall.decisions if overall else 0),
        median=days(overall.median_days if overall else None),
        p90=days(overall.p90_days if overall else None),
    )
    counts = [n for _, n in stats.distribution]
    return Chart(
        id="delays",
        heading=t("chart_delays"),
        caption=caption,
        svg=column_chart("delays", t("chart_delays"), labels, [Series("", counts, PALETTE[0])]),
        table_head=[t("col_delay"), t("col_decisions")],
        table_rows=[[label, n] for label, n in zip(labels, counts, strict=True)],
        csv_url=csv_url,
    )


def _reasons_chart(stats: Stats, scheme_name: Callable[[str], str], t: Translator, csv_url: str) -> Chart:
    rows = [(f"{r.reason} ({scheme_name(r.scheme)})", r.count) for r in stats.rejection_reasons]
    return Chart(
        id="reasons",
        heading=t("chart_reasons"),
        caption=t("chart_reasons_caption"),
        svg=bar_chart("reasons", t("chart_reasons"), rows),
        table_head=[t("col_reason"), t("col_count")],
        table_rows=[[label, n] for label, n in rows],
        csv_url=csv_url,
    )
