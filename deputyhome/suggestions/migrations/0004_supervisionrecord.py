"""The supervision record, moved here from the supervision app with its table and rows.

State only: the table `supervision_supervisionrecord` (made by supervision.0001_initial) is kept
as it is, so no row is copied and nothing is lost.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0003_event_actions_and_lead_first"),
        ("supervision", "0002_supervisionrecord_to_suggestions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SupervisionRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "method",
                            models.CharField(
                                choices=[("documents", "查资料"), ("report", "听汇报"), ("site", "看现场"), ("visit", "访代表")],
                                max_length=12,
                                verbose_name="督办方式",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="日期")),
                        ("findings", models.TextField(verbose_name="督办情况")),
                        ("follow_up", models.TextField(blank=True, verbose_name="后续要求")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "suggestion",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="supervision_records",
                                to="suggestions.suggestion",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "督办记录",
                        "verbose_name_plural": "督办记录",
                        "ordering": ["date", "id"],
                        "db_table": "supervision_supervisionrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
