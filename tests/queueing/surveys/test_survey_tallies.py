"""The daily tallies checked against the surveys and rebuilt from them, for what the
trigger cannot see (a TRUNCATE, a table restored without the other)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from queueing.models import Survey, SurveyTally
from queueing.surveys.publication import ikm_publication

from .ikm_data import add_surveys

pytestmark = pytest.mark.django_db


def test_the_tallies_agree_with_the_surveys_and_are_rebuilt_when_not(kk, ktp, capsys):
    add_surveys(kk, [[4, None, 3, 4, 3, 4, 4, 3, "x"], [2] * 9], comment="Cepat")
    add_surveys(ktp, [[3] * 9])
    call_command("rebuild_survey_tallies", "--check")
    assert "sesuai" in capsys.readouterr().out
    before = ikm_publication().total.as_dict()

    SurveyTally.objects.filter(service=kk).update(score_1=0)  # what a restore could leave
    SurveyTally.objects.filter(service=ktp).delete()
    with pytest.raises(CommandError, match="2 rekap berbeda"):
        call_command("rebuild_survey_tallies", "--check")

    call_command("rebuild_survey_tallies")
    assert "ditulis ulang: 2 baris" in capsys.readouterr().out
    call_command("rebuild_survey_tallies", "--check")
    assert ikm_publication().total.as_dict() == before
    tally = SurveyTally.objects.get(service=kk)
    assert (tally.respondents, tally.comments, tally.answered_2, tally.answered_9) == (2, 2, 1, 1)


def test_a_day_whose_surveys_were_all_deleted_is_no_difference(kk):
    [survey] = add_surveys(kk, [[4] * 9])
    Survey.objects.filter(pk=survey.pk).delete()
    assert SurveyTally.objects.get(service=kk).respondents == 0
    call_command("rebuild_survey_tallies", "--check")
