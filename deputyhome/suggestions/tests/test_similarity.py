"""The memory itself: tokenising, the saved model, routing, and similar lists within each user's scope."""

from __future__ import annotations

import io

import numpy as np
import pytest

from deputyhome.suggestions.similarity import lookup, tokenise
from deputyhome.suggestions.similarity.model import TrainedModel
from deputyhome.suggestions.similarity.training import suggestions_learn

from .memory import make_suggestion, memory  # noqa: F401 - fixture


def test_tokens_keep_the_committees_place_names():
    tokenise.configure(places=["洞下槽村", "白杨坪镇"], units=["市水利和湖泊局"])
    words = tokenise.words("关于解决洞下槽村饮水安全问题的建议")
    assert "洞下槽村" in words
    assert "建议" not in words and "关于" not in words
    assert "#饮水" in tokenise.tokens("饮水安全")


@pytest.mark.django_db
def test_model_saves_without_pickle_and_loads_the_same(memory):  # noqa: F811
    blob = bytes(memory["model"].blob)
    with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
        assert all(arrays[k].dtype != object for k in arrays.files)
    model = TrainedModel.from_bytes(blob)
    again = TrainedModel.from_bytes(model.to_bytes())
    text = "洞下槽村饮水困难"
    assert model.route(text).units[0].unit_id == again.route(text).units[0].unit_id


@pytest.mark.django_db
def test_learning_is_idempotent(memory):  # noqa: F811
    row, trained = suggestions_learn(actor="test")
    assert not trained and row.pk == memory["model"].pk
    row2, trained2 = suggestions_learn(actor="test", force=True)
    assert trained2 and row2.pk != row.pk


@pytest.mark.django_db
def test_routing_recommends_units_with_reasons_and_category(memory):  # noqa: F811
    rec = lookup.recommend(text="关于新塘乡饮水安全和水源保护的建议")
    assert rec.units[0].unit == memory["water"]
    assert len(rec.units) == 3
    assert rec.units[0].words and rec.units[0].cases
    assert rec.categories[0].unit.name == "农业农村"
    assert lookup.recommend(text="法院执行难，胜诉判决长期得不到执行").units[0].unit.name == "市人民法院"


@pytest.mark.django_db
def test_similar_lists_only_what_the_user_may_see(memory, city, people, session, categories):  # noqa: F811
    cats, _ = categories
    other = city.deputies_b[0]
    theirs = make_suggestion(city, people, session, "关于六角亭老旧小区改造加装电梯的建议", author=other, cats=cats)
    mine = make_suggestion(city, people, session, "六角亭老旧小区改造进展缓慢", cats=cats)
    text = "六角亭老旧小区改造"

    def found(user):
        return {(i.kind, i.obj.pk) for i in lookup.similar(user=user, text=text)}

    staff = found(people["city"])
    assert ("suggestion", theirs.pk) in staff and ("suggestion", mine.pk) in staff
    internal = next(h for h in memory_rows() if not h.is_public)
    assert ("history", internal.pk) in staff
    deputy = found(people["deputy"])
    assert ("suggestion", mine.pk) in deputy
    assert ("suggestion", theirs.pk) not in deputy  # another deputy's suggestion, another township
    assert ("history", internal.pk) not in deputy
    assert any(kind == "history" for kind, _ in deputy)
    court = found(people["unit_b"])
    assert not any(kind == "suggestion" for kind, _ in court)  # nothing assigned to the court
    assert lookup.similar(user=people["sysadmin"], text=text) == [] or all(
        i.kind == "history" and i.obj.is_public for i in lookup.similar(user=people["sysadmin"], text=text)
    )


def memory_rows():
    from deputyhome.suggestions.models import HistoricalSuggestion

    return list(HistoricalSuggestion.objects.all())


@pytest.mark.django_db
def test_batch_routing_names_units_and_category(memory):  # noqa: F811
    out = lookup.batch_route(["清江河堤防洪", "小区物业服务差\n物业收费不透明"], top=2)
    assert out[0][0][0] == "市水利和湖泊局" and len(out[0][0]) == 2
    assert out[1][0][0] == "市住房和城乡建设局" and out[1][1] == "城乡建设与管理"
