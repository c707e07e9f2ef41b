"""SLA performance per agency, computed by one MongoDB aggregation.

Over the complaints submitted in [from, to), imported history included:
received; responded (response clock stopped as "responded") and the share
that met the response target; resolved (resolution clock stopped as
"resolved") and the share that met the resolution target; the median and
the 90th percentile of the working minutes each clock stored when it
stopped; and how many of them are open now with a running clock past due.

Medians and percentiles come from sorted `$push` arrays and index
arithmetic in `$project`: the median is the middle value (the mean of the
two middle ones for an even count), p90 the nearest-rank value at
ceil(0.9 n). `$count` inside `$lookup` fails on SecantusDB, so counting is
done with `$group` and `$sum`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.mongo import AGENCIES, COMPLAINTS, Database


@dataclass(frozen=True)
class AgencyFigures:
    agency_code: str
    received: int = 0
    responded: int = 0
    response_met: int = 0
    resolved: int = 0
    resolution_met: int = 0
    median_response_minutes: float | None = None
    p90_response_minutes: float | None = None
    median_resolution_minutes: float | None = None
    p90_resolution_minutes: float | None = None
    open_breached: int = 0

    @property
    def response_met_ratio(self) -> float | None:
        return self.response_met / self.responded if self.responded else None

    @property
    def resolution_met_ratio(self) -> float | None:
        return self.resolution_met / self.resolved if self.resolved else None


def _count_if(condition: dict[str, Any]) -> dict[str, Any]:
    return {"$sum": {"$cond": [condition, 1, 0]}}


def _percentiles(values: str) -> dict[str, Any]:
    """Return `$project` fields for the median and p90 of the sorted array field `values`."""
    size = {"$size": values}
    half = {"$toInt": {"$floor": {"$divide": [size, 2]}}}
    middle_pair = {"$avg": [{"$arrayElemAt": [values, {"$subtract": [half, 1]}]}, {"$arrayElemAt": [values, half]}]}
    median = {"$cond": [{"$eq": [{"$mod": [size, 2]}, 1]}, {"$arrayElemAt": [values, half]}, middle_pair]}
    p90_index = {"$subtract": [{"$toInt": {"$ceil": {"$multiply": [size, 0.9]}}}, 1]}
    return {
        "median": {"$cond": [{"$eq": [size, 0]}, None, median]},
        "p90": {"$cond": [{"$eq": [size, 0]}, None, {"$arrayElemAt": [values, p90_index]}]},
    }


def _durations(clock: str, outcome: str) -> list[dict[str, Any]]:
    """Return a `$facet` branch: per agency, the sorted working minutes of clocks that stopped with `outcome`."""
    minutes = f"$clocks.{clock}.workingMinutes"
    return [
        {"$match": {f"clocks.{clock}.outcome": outcome, f"clocks.{clock}.workingMinutes": {"$type": "number"}}},
        {"$sort": {"agencyCode": 1, f"clocks.{clock}.workingMinutes": 1}},
        {"$group": {"_id": "$agencyCode", "values": {"$push": minutes}}},
        {"$project": _percentiles("$values")},
    ]


def _running_past_due(clock: str, now: datetime) -> dict[str, Any]:
    prefix = f"$clocks.{clock}"
    return {
        "$and": [
            {"$eq": [{"$ifNull": [f"{prefix}.stoppedAt", None]}, None]},
            {"$ne": [f"{prefix}.paused", True]},
            {"$lt": [f"{prefix}.dueAt", now]},
        ]
    }


def performance_pipeline(start: datetime, end: datetime, now: datetime) -> list[dict[str, Any]]:
    counts = {
        "$group": {
            "_id": "$agencyCode",
            "received": {"$sum": 1},
            "responded": _count_if({"$eq": ["$clocks.response.outcome", "responded"]}),
            "responseMet": _count_if(
                {"$and": [{"$eq": ["$clocks.response.outcome", "responded"]}, {"$eq": ["$clocks.response.met", True]}]}
            ),
            "resolved": _count_if({"$eq": ["$clocks.resolution.outcome", "resolved"]}),
            "resolutionMet": _count_if(
                {"$and": [{"$eq": ["$clocks.resolution.outcome", "resolved"]}, {"$eq": ["$clocks.resolution.met", True]}]}
            ),
            "openBreached": _count_if(
                {
                    "$and": [
                        {"$eq": ["$open", True]},
                        {"$or": [_running_past_due("response", now), _running_past_due("resolution", now)]},
                    ]
                }
            ),
        }
    }
    return [
        {"$match": {"submittedAt": {"$gte": start, "$lt": end}}},
        {
            "$facet": {
                "counts": [counts],
                "response": _durations("response", "responded"),
                "resolution": _durations("resolution", "resolved"),
            }
        },
    ]


def _minutes(value: float | None) -> float | None:
    # Stored durations have three decimals; the mean of the two middle
    # values otherwise shows float noise such as 57.150000000000006.
    return None if value is None else round(value, 3)


async def agency_performance(db: Database, start: datetime, end: datetime, now: datetime) -> list[AgencyFigures]:
    """Return one row per agency of the catalogue, those without complaints included, ordered by code."""
    result = await (await db[COMPLAINTS].aggregate(performance_pipeline(start, end, now))).to_list()
    facets = result[0] if result else {"counts": [], "response": [], "resolution": []}
    counts = {row["_id"]: row for row in facets["counts"]}
    response = {row["_id"]: row for row in facets["response"]}
    resolution = {row["_id"]: row for row in facets["resolution"]}

    codes = [doc["code"] async for doc in db[AGENCIES].find({}, {"code": 1}).sort("code", 1)]
    rows = []
    for code in codes:
        count = counts.get(code, {})
        rows.append(
            AgencyFigures(
                agency_code=code,
                received=count.get("received", 0),
                responded=count.get("responded", 0),
                response_met=count.get("responseMet", 0),
                resolved=count.get("resolved", 0),
                resolution_met=count.get("resolutionMet", 0),
                median_response_minutes=_minutes(response.get(code, {}).get("median")),
                p90_response_minutes=_minutes(response.get(code, {}).get("p90")),
                median_resolution_minutes=_minutes(resolution.get(code, {}).get("median")),
                p90_resolution_minutes=_minutes(resolution.get(code, {}).get("p90")),
                open_breached=count.get("openBreached", 0),
            )
        )
    return rows
