"""Pairings with their contact log, and model-deputy stories: only published ones are public."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputyhome.opinions import services
from deputyhome.opinions.models import ModelStory, Pairing, PairingContact

pytestmark = pytest.mark.django_db


def test_pairing_and_contact_log(login, personas, city):
    c = login(personas["township"])
    response = c.post(
        reverse("opinions:pairing_create"),
        {
            "deputy": city.deputies_a[0].pk,
            "household": "田明山",
            "village": city.village_a.pk,
            "members": 4,
            "since": "2024-03-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pairing = Pairing.objects.get()
    response = c.post(pairing.get_absolute_url(), {"date": "2024-05-02", "way": "visit", "notes": "帮助申请产业补贴。"})
    assert response.status_code == 302
    assert PairingContact.objects.get().notes == "帮助申请产业补贴。"
    response = c.post(pairing.get_absolute_url(), {"date": "2024-01-02", "way": "visit", "notes": "早于结对"})
    assert response.status_code == 400 and "不能早于结对日期" in response.content.decode()


def test_deputy_keeps_only_their_own_pairings(personas, city):
    me = personas["deputy"]
    services.pairing_create(
        data={"deputy": me.deputy, "household": "向家", "members": 3, "since": datetime.date(2024, 1, 1)}, actor=me
    )
    with pytest.raises(ValidationError):
        services.pairing_create(
            data={"deputy": city.deputies_a[0], "household": "别家", "members": 3, "since": datetime.date(2024, 1, 1)},
            actor=me,
        )


def test_pairings_of_township_b_are_404(login, personas, city):
    theirs = Pairing.objects.create(
        deputy=city.deputies_b[0], household="李家", members=2, since=datetime.date(2024, 1, 1)
    )
    c = login(personas["township"])
    assert c.get(theirs.get_absolute_url()).status_code == 404
    assert c.post(theirs.get_absolute_url(), {"date": "2024-05-02", "way": "visit", "notes": "x"}).status_code == 404


def test_story_is_public_only_when_published(login, personas, city, client):
    c = login(personas["city"])
    response = c.post(
        reverse("opinions:story_create"),
        {
            "deputy": city.deputies_a[0].pk,
            "title": "“金牌”调解员",
            "text": "每年参与调解各类矛盾纠纷100余起。",
            "figures": "调解纠纷：100余起\n调解成功率：98%",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story = ModelStory.objects.get()
    assert story.figures == [["调解纠纷", "100余起"], ["调解成功率", "98%"]]
    assert client.get(story.get_public_url()).status_code == 404
    assert "金牌" not in client.get(reverse("opinions:public_stories")).content.decode()
    c.post(reverse("opinions:story_publish", args=[story.pk]), {"publish": "1"})
    html = client.get(story.get_public_url()).content.decode()
    assert "金牌" in html and "98%" in html
    assert "金牌" in client.get(reverse("opinions:public_stories")).content.decode()
    c.post(reverse("opinions:story_publish", args=[story.pk]), {"publish": "0"})
    assert client.get(story.get_public_url()).status_code == 404


def test_story_figures_must_be_label_and_value(login, personas, city):
    c = login(personas["city"])
    response = c.post(
        reverse("opinions:story_create"),
        {"deputy": city.deputies_a[0].pk, "title": "t", "text": "x", "figures": "只有名称"},
    )
    assert response.status_code == 400 and "第1行" in response.content.decode()
    assert not ModelStory.objects.exists()


def test_deputies_cannot_publish_stories(login, personas, city):
    story = services.story_create(
        data={"deputy": city.deputies_a[3], "title": "t", "text": "x", "figures": []}, actor=personas["city"]
    )
    c = login(personas["deputy"])
    assert c.post(reverse("opinions:story_publish", args=[story.pk]), {"publish": "1"}).status_code == 403
    story.refresh_from_db()
    assert not story.is_published
