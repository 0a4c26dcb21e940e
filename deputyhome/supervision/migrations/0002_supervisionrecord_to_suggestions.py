"""The supervision record moves to the suggestions app (a step of the suggestion's course).

State only: the table `supervision_supervisionrecord` and its rows stay where they are, and
`suggestions.0004_supervisionrecord` takes the model over with the same table.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SupervisionRecord")],
            database_operations=[],
        ),
    ]
