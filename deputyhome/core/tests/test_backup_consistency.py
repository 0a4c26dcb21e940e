"""A backup taken while others write is one snapshot, checks itself, and restores into a freshly migrated
database without --force, every table equal."""

from __future__ import annotations

import gzip
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from deputyhome.audit.services import maintenance_mode, record, verify_chain
from deputyhome.core import backup


def _empty_like_a_fresh_migrate() -> None:
    """Remove everything migrate did not write, as on a server freshly set up for the restore."""
    with transaction.atomic(), maintenance_mode("reset"):
        for model in reversed(backup._models()):
            if model._meta.label not in backup.MIGRATION_SEEDED:
                model._base_manager.all()._raw_delete(connection.alias)


def _writer(stop: threading.Event, started: threading.Event, written: list[int]) -> None:
    try:
        while not stop.is_set():
            with transaction.atomic():
                record(actor="writer", action="test.concurrent_write", detail="written during the backup")
            written.append(1)
            if len(written) >= 5:
                started.set()
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_backup_under_writes_restores_into_a_fresh_database(city, personas, tmp_path):
    record(actor="tester", action="test.before_backup")
    path = tmp_path / "backup.json.gz"
    stop, started, written = threading.Event(), threading.Event(), []
    writer = None
    if connection.vendor == "postgresql":  # SQLite's test database is one shared in-memory connection
        writer = threading.Thread(target=_writer, args=(stop, started, written))
        writer.start()
        assert started.wait(30)
    try:
        call_command("backup", "--out", str(path))
    finally:
        stop.set()
        if writer is not None:
            writer.join()
    if writer is not None:
        assert len(written) > 5  # the writer kept writing while the backup ran
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        manifest = json.load(fh)["manifest"]

    _empty_like_a_fresh_migrate()
    call_command("restore", str(path))  # no --force: a freshly migrated database counts as empty
    after = backup.table_manifest()
    audit = {"audit_auditevent", "audit_auditchainhead"}  # the restore appends its own audit row
    assert {t: v for t, v in after.items() if t not in audit} == {t: v for t, v in manifest.items() if t not in audit}
    assert after["audit_auditevent"]["count"] == manifest["audit_auditevent"]["count"] + 1
    assert verify_chain() == []


@pytest.mark.django_db
def test_a_backup_that_does_not_match_its_manifest_reports_failure(city, tmp_path):
    path = tmp_path / "backup.json.gz"
    backup.create_backup(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    payload["data"] = [o for o in payload["data"] if o["model"] != "deputies.deputy"][:-1] + payload["data"][-1:]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    with pytest.raises(backup.BackupError, match="deputies_deputy"):
        backup.verify_backup_file(path)
