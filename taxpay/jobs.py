"""Background jobs of the tax app (portal.machinery.jobs runs them; progress shows on the job's status page). Imports run
here, never in a request: the file was stored privately by services.start_import; a file past the reader's
limits fails the job with the reason, shown on the import-job page."""

import json

from django.utils.translation import gettext as _

from portal.machinery import jobs
from portal.outputs.files import private_storage

from . import services


@jobs.register("taxpay.assessment")
def assessment(job, progress):
    """The year's assessment run: assess every owner of the register and issue the bills not issued yet."""
    result = services.run_assessment(organization=job.organization, year=int(job.params["year"]),
                                     actor=job.created_by, progress=progress)
    progress(result["assessed"], result["assessed"])
    return None


def _stored(job) -> bytes:
    path = job.params["path"]
    if not private_storage.exists(path):
        raise jobs.JobFailed(_("ไม่พบไฟล์ที่อัปโหลด กรุณานำเข้าใหม่"))
    with private_storage.open(path, "rb") as handle:
        return handle.read()


def _result(data: dict):
    return "result.json", json.dumps(data, ensure_ascii=False).encode()


@jobs.register("taxpay.register_import")
def register_import(job, progress):
    """All or nothing: the counts of what was saved, or every row's error (nothing saved)."""
    try:
        counts = services.import_register(organization=job.organization, data=_stored(job),
                                          filename=job.params["filename"], actor=job.created_by)
    except services.ImportRejected as exc:
        if exc.limit:
            private_storage.delete(job.params["path"])
            raise jobs.JobFailed(" ".join(exc.messages)) from None
        return _result({"errors": exc.messages})
    private_storage.delete(job.params["path"])
    return _result({"counts": counts})


@jobs.register("taxpay.statement_check")
def statement_check(job, progress):
    """What the statement would record, line by line; nothing is recorded until the person confirms."""
    try:
        lines = services.check_statement(organization=job.organization, data=_stored(job),
                                         filename=job.params["filename"], actor=job.created_by)
    except services.ImportRejected as exc:
        private_storage.delete(job.params["path"])
        raise jobs.JobFailed(" ".join(exc.messages)) from None
    return _result({"lines": lines})


@jobs.register("taxpay.statement_record")
def statement_record(job, progress):
    try:
        record = services.import_statement(organization=job.organization, data=_stored(job),
                                           filename=job.params["filename"], actor=job.created_by)
    except services.ImportRejected as exc:
        raise jobs.JobFailed(" ".join(exc.messages)) from None
    private_storage.delete(job.params["path"])
    return _result({"import_id": record.pk, "recorded": record.recorded, "duplicates": record.duplicates,
                    "unmatched": len(record.unmatched)})
