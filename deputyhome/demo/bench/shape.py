"""How much of everything the bench builds: the province's counts at scale 1, multiplied by SCALE.

Scale 1 is a province the size of Hubei's congress work (DOMAIN.md, "Scale"): 12 prefectures, 100
county-level units, 1,000 township-level units, 6,000 stations and groups, 200 handling units,
100,000 deputies, 50,000 suggestions over five years, 200,000 voter opinions (60,000 receptions) and 500,000
training attendance rows. Any fraction builds a smaller province of the same shape; every count keeps a floor
so that the tree has at least one unit at each level and every suggestion state can appear.
"""

from __future__ import annotations

from dataclasses import dataclass

YEARS = 5  # the years of suggestions, opinions, training and activities, ending with this year

FULL = {
    "prefectures": 12,
    "counties": 100,
    "townships": 1_000,
    "stations": 6_000,  # a home in every township-level unit, the rest liaison stations; one group each
    "units": 200,
    "deputies": 100_000,
    "suggestions": 50_000,
    "opinions": 200_000,
    "receptions": 60_000,  # two a station a year: the opinions taken there point at them
    "attendance": 500_000,
    "activities": 30_000,
    "problems": 45_000,  # found in the activities; a third forwarded to a unit (转交办理)
    "pairings": 60_000,  # households paired with a fifth of the deputies, three each (结对联系户)
    "stories": 500,  # model deputies' stories (先进典型)
    "notices": 60_000,  # the province officer's notifications in the site; the other personas fewer (notices.py)
}
FLOOR = {
    "prefectures": 1,
    "counties": 1,
    "townships": 2,
    "stations": 4,
    "units": 3,
    "deputies": 60,
    "suggestions": 60,
    "opinions": 20,
    "receptions": 10,
    "attendance": 40,
    "activities": 10,
    "problems": 10,
    "pairings": 6,
    "stories": 2,
    "notices": 20,
}


@dataclass(frozen=True)
class Shape:
    scale: float
    prefectures: int
    counties: int
    townships: int
    stations: int
    units: int
    deputies: int
    suggestions: int
    opinions: int
    receptions: int
    attendance: int
    activities: int
    problems: int
    pairings: int
    stories: int
    notices: int

    @classmethod
    def at(cls, scale: float) -> Shape:
        if not scale > 0:
            raise ValueError("SCALE must be a positive number, e.g. 1 or 0.1")
        counts = {k: max(FLOOR[k], round(n * scale)) for k, n in FULL.items()}
        # Each level holds at least as many units as the one above it.
        counts["counties"] = max(counts["counties"], counts["prefectures"])
        counts["townships"] = max(counts["townships"], counts["counties"] * 2)
        counts["stations"] = max(counts["stations"], counts["townships"] * 2)
        return cls(scale=scale, **counts)

    def as_dict(self) -> dict[str, float | int]:
        return {"scale": self.scale, **{k: getattr(self, k) for k in FULL}}
