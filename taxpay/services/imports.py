"""Imports run as background jobs (taxpay.jobs), never in a request: queuing one, and the register file (all
or nothing)."""

from __future__ import annotations

import secrets
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.access.permissions import require
from portal.audit import trail as audit
from portal.inputs.uploads import max_upload_bytes, too_large_message
from taxpay.models import Building, Owner, Parcel, ParcelUsePart, Payment, Signboard

from .register import register_owner


class ImportRejected(ValidationError):
    """The whole file is refused; `messages` lists every row's error. `limit` is set when the file as a whole
    could not be read (past a limit of portal.inputs.tables, not a table at all)."""

    def __init__(self, message, *, limit=False):
        super().__init__(message)
        self.limit = limit


def import_register(*, organization, data: bytes, filename: str, actor=None) -> dict:
    """A register file, all or nothing: every row is checked first and one bad row refuses the whole file with
    each row's error; otherwise owners, parcels, buildings and signboards are created or updated by code."""
    from taxpay import importers

    require(actor, "add", Parcel(organization=organization))
    if len(data) > max_upload_bytes():
        raise ImportRejected(too_large_message(), limit=True)
    try:
        items = importers.read_table(data, filename)
    except importers.FileError as exc:
        raise ImportRejected(str(exc), limit=True) from exc
    rows, errors = importers.parse_register(items)
    existing_codes = set(Parcel.objects.filter(organization=organization).values_list("code", flat=True))
    for row in rows:
        if row.record == "building" and not row.data["in_file"] and row.data["parcel_code"] not in existing_codes:
            errors.append(_("แถว %(row)s: ไม่พบแปลง %(code)s") % {"row": row.row, "code": row.data["parcel_code"]})
    if errors:
        raise ImportRejected(errors)
    counts = defaultdict(int)
    with transaction.atomic(), audit.acting(actor):  # the register's rows name who imported them, in the job too
        owners: dict[str, Owner] = {}

        def owner_for(info):
            key = info["id_number"]
            if key not in owners:
                owners[key] = register_owner(organization=organization, actor=actor, **info)
            return owners[key]

        parcels = {}
        replaced_buildings = set()
        for row in rows:
            data = dict(row.data)
            if row.record == "parcel":
                owner = owner_for(data.pop("owner"))
                parts = data.pop("use_parts", None)
                parcel, created = Parcel.objects.update_or_create(
                    organization=organization, code=data.pop("code"), defaults={"owner": owner, **data})
                if parts is not None:
                    # the file states the parcel's use by part in full: what it lists replaces what was there
                    parcel.use_parts.all().delete()
                    for use, share in parts:  # one by one: each gets its audit row
                        ParcelUsePart.objects.create(organization=organization, parcel=parcel, use=use,
                                                     share_percent=share)
                parcels[parcel.code] = parcel
                counts["parcels"] += 1
            elif row.record == "building":
                code = data.pop("parcel_code")
                data.pop("in_file")
                parcel = parcels.get(code) or Parcel.objects.get(organization=organization, code=code)
                if parcel.pk not in replaced_buildings:
                    # The file lists a parcel's buildings in full: what it lists replaces what was there.
                    parcel.buildings.all().delete()
                    replaced_buildings.add(parcel.pk)
                Building.objects.create(organization=organization, parcel=parcel, **data)
                counts["buildings"] += 1
            else:
                owner = owner_for(data.pop("owner"))
                Signboard.objects.update_or_create(organization=organization, code=data.pop("code"),
                                                   defaults={"owner": owner, **data})
                counts["signboards"] += 1
        counts["owners"] = len(owners)
    return dict(counts)


IMPORT_KINDS = {"register": ("taxpay.register_import", Parcel), "statement": ("taxpay.statement_check", Payment),
                "statement_record": ("taxpay.statement_record", Payment)}


def start_import(*, organization, kind: str, data: bytes, filename: str, actor=None, stored: str = ""):
    """Queue an import as a background job, never read in the request: the file goes to private storage and the
    job's page (the admin's import-job page) shows its progress, what it found, or why the file was refused.
    `stored`: a file an earlier job of this import already stored (the statement, checked, now recorded)."""
    from portal.machinery import jobs
    from portal.outputs.files import private_storage

    job_kind, model = IMPORT_KINDS[kind]
    require(actor, "add", model(organization=organization))
    if not stored:
        if len(data) > max_upload_bytes():
            raise ImportRejected(too_large_message(), limit=True)
        suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
        stored = private_storage.save(f"taxpay/imports/{secrets.token_hex(16)}{suffix}", ContentFile(data))
    from django.utils.translation import get_language

    job = jobs.enqueue(kind=job_kind, organization=organization, actor=actor,
                       params={"path": stored, "filename": filename[:200], "language": get_language()})
    audit.record(job, actor=actor, event=f"{job_kind}.queued", data={"filename": filename[:200]})
    return job
