"""Attendance at congress sessions moves to the motions app, which keeps sessions as working objects: every
recorded exception (请假 as an approved leave, 缺席) is copied to `motions.SessionAttendance`, then the old table
goes."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    old = apps.get_model("records", "SessionAttendance")
    new = apps.get_model("motions", "SessionAttendance")
    rows = [
        new(
            session_id=a.session_id,
            deputy_id=a.deputy_id,
            status=a.status,
            reason=a.reason,
            leave_state="approved" if a.status == "excused" else "",
        )
        for a in old.objects.all().iterator()
    ]
    new.objects.bulk_create(rows, batch_size=1000)


def copy_back(apps, schema_editor):
    old = apps.get_model("records", "SessionAttendance")
    new = apps.get_model("motions", "SessionAttendance")
    old.objects.bulk_create(
        [
            old(session_id=a.session_id, deputy_id=a.deputy_id, status=a.status, reason=a.reason)
            for a in new.objects.filter(status__in=["excused", "absent"]).iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_duty_records_points_voter_reports"),
        ("motions", "0002_session_attendance"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="SessionAttendance"),
    ]
