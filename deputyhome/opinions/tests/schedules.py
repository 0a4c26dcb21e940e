"""A station's weekly reception, set up through the service, for the tests that show the schedule."""

from __future__ import annotations

import datetime

from deputyhome.opinions import services
from deputyhome.opinions.choices import Weekday


def wednesday_mornings(city, actor):
    """Station A receives every Wednesday 09:00—11:30, with A's first deputy."""
    return services.reception_slot_create(
        data={
            "station": city.station_a,
            "weekday": Weekday.WEDNESDAY,
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(11, 30),
        },
        deputies=city.deputies_a[:1],
        actor=actor,
    )
