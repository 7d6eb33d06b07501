"""The daily survey tallies (``SurveyTally``) summed again from the surveys: to check
them against the surveys, and to rebuild them after something the trigger cannot see
(a ``TRUNCATE`` of the surveys, a restore of one table without the other). The
trigger itself is in migration ``0017_survey_tally``; an answer counts as there only
when it is an integer 1–4, here as there."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import connection, transaction

from queueing.models import SurveyTally
from queueing.surveys.ikm import ELEMENTS

COLUMNS = ["respondents", "comments"] + [f"score_{n}" for n in range(1, 10)] + [f"answered_{n}" for n in range(1, 10)]


def _sums_sql() -> tuple[str, list]:
    """SELECT day, agency, service and the tally's columns, summed from the surveys."""
    if connection.vendor == "postgresql":
        day = "(created_at AT TIME ZONE %s)::date"
        params = [settings.TIME_ZONE]
        score = "queueing_survey_score(answers, {i})"
        comments = "sum((comment <> '')::int)"
        answered = "sum(({score} IS NOT NULL)::int)"
    else:
        offset = dt.datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)).utcoffset()
        day = "date(created_at, %s)"
        params = [f"{int(offset.total_seconds() // 3600):+d} hours"]
        score = (
            "(CASE WHEN json_type(answers, '$[{i}]') = 'integer' AND json_extract(answers, '$[{i}]') BETWEEN 1 AND 4 "
            "THEN json_extract(answers, '$[{i}]') END)"
        )
        comments = "sum(comment <> '')"
        answered = "sum({score} IS NOT NULL)"
    sums = [f"sum(coalesce({score.format(i=i)}, 0))" for i in range(ELEMENTS)]
    sums += [answered.format(score=score.format(i=i)) for i in range(ELEMENTS)]
    # Built from the constants above only; the zone travels as a parameter.
    sql = (
        f"SELECT {day} AS day, agency_id, service_id, count(*), {comments}, {', '.join(sums)} "  # noqa: S608
        "FROM queueing_survey GROUP BY 1, agency_id, service_id"
    )
    return sql, params


def _key(day) -> dt.date:
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(day)


def survey_tally_differences() -> list[tuple]:
    """The (day, agency, service) whose tally differs from its surveys' sums."""
    sql, params = _sums_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fresh = {(_key(row[0]), row[1], row[2]): tuple(int(v) for v in row[3:]) for row in cursor.fetchall()}
    kept = {
        (row[0], row[1], row[2]): tuple(row[3:])
        for row in SurveyTally.objects.values_list("day", "agency_id", "service_id", *COLUMNS)
        if row[3]  # a day all of whose surveys were deleted keeps a row of zeros
    }
    return sorted(key for key in fresh.keys() | kept.keys() if fresh.get(key) != kept.get(key))


@transaction.atomic
def survey_tallies_rebuild() -> int:
    """Every tally written again from the surveys; surveys being written meanwhile
    wait for it. Answers the number of rows."""
    sql, params = _sums_sql()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait (their trigger would add to rows being replaced); readers go on.
            cursor.execute("LOCK TABLE queueing_survey IN SHARE MODE")
        cursor.execute("DELETE FROM queueing_surveytally")
        cursor.execute(
            f"INSERT INTO queueing_surveytally (day, agency_id, service_id, {', '.join(COLUMNS)}) {sql}", params
        )
    return SurveyTally.objects.count()
