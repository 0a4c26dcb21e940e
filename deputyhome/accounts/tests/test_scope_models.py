"""scopes.py imports no app above accounts: the models and values it reaches instead are the right ones."""

from deputyhome.accounts import scopes
from deputyhome.deputies.models import Deputy, GroupMembership
from deputyhome.organisation.models import DeputyGroup, Station
from deputyhome.training.choices import OrganiserLevel
from deputyhome.training.models import Attendance


def test_the_relation_paths_lead_to_the_models_once_imported():
    assert scopes._model_at("group") is DeputyGroup
    assert scopes._model_at("group__station") is Station
    assert scopes._model_at("group__memberships") is GroupMembership
    assert scopes._model_at("deputy") is Deputy
    assert scopes._model_at("deputy__training_attendances") is Attendance


def test_the_training_levels_are_the_training_choices():
    assert (OrganiserLevel.CITY.value, OrganiserLevel.TOWNSHIP.value) == (scopes.CITY_LEVEL, scopes.TOWNSHIP_LEVEL)
