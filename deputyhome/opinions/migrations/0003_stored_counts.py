"""A reception's opinions and a pairing's contacts counted on the row, so that a province's register sorts by them;
the services that add one keep them, and this counts what is there."""

from django.db import migrations, models

COUNT = [
    "UPDATE opinions_reception SET opinion_count ="
    " (SELECT COUNT(*) FROM opinions_opinion o WHERE o.reception_id = opinions_reception.id)",
    "UPDATE opinions_pairing SET contact_count ="
    " (SELECT COUNT(*) FROM opinions_pairingcontact c WHERE c.pairing_id = opinions_pairing.id)",
]


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=0, editable=False, verbose_name=label)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0002_encrypt_citizen_phone")]
    operations = [
        migrations.AddField("reception", "opinion_count", _count("收集意见")),
        migrations.AddField("pairing", "contact_count", _count("联系次数")),
        migrations.RunSQL(COUNT, migrations.RunSQL.noop),
        # The registers' sorts by them both ways (ties by id ascending), a province's 60,000 rows each.
        *(
            migrations.AddIndex(model, models.Index(fields=[f"{way}{field}", "id"], name=f"{model}_{field}{suffix}"))
            for model, field in (("reception", "opinion_count"), ("pairing", "contact_count"))
            for way, suffix in (("", ""), ("-", "_desc"))
        ),
    ]
