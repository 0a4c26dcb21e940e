"""Backup and restore round-trip: every table comes back with the same rows, counts and checksums."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import verify_chain
from deputyhome.core import backup
from deputyhome.core.backup import table_manifest
from deputyhome.deputies.models import Deputy
from deputyhome.organisation import services as org_services


@pytest.mark.django_db
def test_round_trip_loses_nothing(city, personas, tmp_path):
    org_services.unit_update(unit=city.unit_a, data={"contact_person": "王主任"}, actor=personas["city"])
    before = table_manifest()
    path = tmp_path / "backup.json.gz"
    call_command("backup", "--out", str(path))
    snapshot = table_manifest()  # the backup's own audit row is newer than the backup
    # Change things after the backup: a new deputy, an edited unit, more audit rows.
    org_services.unit_update(unit=city.unit_a, data={"contact_person": "李主任"}, actor=personas["city"])
    Deputy.objects.filter(pk=city.deputies_a[0].pk).update(name="改过的名字")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(path))
    call_command("restore", str(path), "--force")
    after = table_manifest()
    # Only the audit trail differs from before the backup: it holds the backup's own row.
    assert {t for t in before if before[t] != after[t]} <= {"audit_auditevent", "audit_auditchainhead"}
    with gzip.open(path, "rt") as fh:
        manifest = json.load(fh)["manifest"]
    for table, want in manifest.items():
        if table not in {"audit_auditevent", "audit_auditchainhead"}:
            assert after[table] == want, table
    assert Deputy.objects.get(pk=city.deputies_a[0].pk).name == city.deputies_a[0].name
    assert AuditEvent.objects.filter(action="backup.restore").exists()
    assert verify_chain() == []
    audit = {"audit_auditevent", "audit_auditchainhead"}
    assert {t: v for t, v in snapshot.items() if t not in audit} == {
        t: v for t, v in manifest.items() if t not in audit
    }


@pytest.mark.django_db
def test_tampered_backup_is_refused_and_nothing_changes(city, personas, tmp_path):
    path = tmp_path / "backup.json.gz"
    call_command("backup", "--out", str(path))
    with gzip.open(path, "rt") as fh:
        payload = json.load(fh)
    for obj in payload["data"]:
        if obj["model"] == "deputies.deputy":
            obj["fields"]["name"] = "篡改"
            break
    bad = tmp_path / "bad.json.gz"
    with gzip.open(bad, "wt") as fh:
        json.dump(payload, fh)
    before = table_manifest()
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(bad), "--force")
    assert table_manifest() == before


@pytest.mark.django_db
def test_unreadable_backup_gives_a_clear_message(tmp_path):
    path = tmp_path / "broken.json.gz"
    path.write_bytes(b"not a gzip file")
    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(path))


@pytest.mark.django_db
def test_the_checksums_do_not_depend_on_the_fields_order(city, personas, tmp_path, monkeypatch):
    """A field moved in a model (into an abstract base, say) reorders its columns, not its data: a backup taken
    before restores after. A backup written before checksums went by name still restores, checked its own way."""
    path = tmp_path / "backup.json.gz"
    written = backup.create_backup(path)
    by_position = table_manifest(by_name=False)  # what an older backup's manifest held, for the same rows
    in_order = backup._fields
    monkeypatch.setattr(backup, "_fields", lambda model: list(reversed(in_order(model))))
    assert table_manifest() == written and table_manifest(by_name=False) != by_position
    assert backup.restore_backup(path, force=True) == written  # checked against the manifest in the other order
    monkeypatch.setattr(backup, "_fields", in_order)

    # An older backup: no "checksums" key, each row's values in the model's order.
    with gzip.open(path, "rt") as fh:
        payload = json.load(fh)
    del payload["checksums"]
    payload["manifest"] = by_position
    old = tmp_path / "old.json.gz"
    with gzip.open(old, "wt") as fh:
        json.dump(payload, fh)
    assert backup.restore_backup(old, force=True) == by_position
    payload["manifest"]["deputies_deputy"] = written["deputies_deputy"]  # a by-name checksum: it does not match
    with gzip.open(old, "wt") as fh:
        json.dump(payload, fh)
    with pytest.raises(backup.BackupError, match="deputies_deputy：校验和不一致"):
        backup.restore_backup(old, force=True)
