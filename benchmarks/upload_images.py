"""Photo uploads: five 12-megapixel phone-like JPEGs in one submission, time and peak memory.

    .venv/bin/python benchmarks/upload_images.py            # figures for BENCHMARKS.md

Makes five 4032x3024 JPEGs that look like phone photos to the decoder (noise and gradients, quality 92, EXIF with
an orientation tag, 3-5 MB each) and five "pixel bombs" (7745x7745 1-bit PNGs of a few KB), then measures in a
fresh process per case:

  new       portal.inputs.uploads.check_images (declared dimensions checked first, JPEG decoded at reduced scale)
  old       the previous per-app code path (full decode, then thumbnail), kept here for comparison only
  web form  the whole citizen form POST with the five photos (Django test client, SQLite in memory)

Peak memory is the process's resident-set high-water mark (VmHWM, reset just before the case with
/proc/self/clear_refs) above its size at that moment; Pillow's pixel buffers are outside Python's allocator, so
tracemalloc would not see them.
"""

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_files(directory: Path) -> None:
    from PIL import Image, ImageFilter

    for i in range(5):
        base = Image.effect_noise((1008, 756), 60 + i * 5).convert("RGB")
        gradient = Image.linear_gradient("L").resize((1008, 756)).convert("RGB")
        photo = Image.blend(base, gradient, 0.4).resize((4032, 3024), Image.BICUBIC)
        grain = Image.effect_noise((4032, 3024), 25).convert("RGB")
        photo = Image.blend(photo, grain, 0.25).filter(ImageFilter.SMOOTH)
        exif = Image.Exif()
        exif[0x010F], exif[0x0110], exif[0x0112] = "PhoneMaker", "Phone 12MP", 6  # make, model, orientation
        photo.save(directory / f"phone{i}.jpg", "JPEG", quality=92, exif=exif.tobytes())
    for i in range(5):
        Image.new("1", (7745, 7745), 0).save(directory / f"bomb{i}.png", "PNG", optimize=True)


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _start_peak() -> float:
    """Reset the process's high-water mark to its current size (Linux: clear_refs 5) and return that size."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


def old_clean(data: bytes):
    """The previous complaints/images.py path: verify, open, full decode, transpose, convert, thumbnail."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as probe:
        probe.verify()
    image = Image.open(io.BytesIO(data))
    if image.width * image.height > 60_000_000:
        raise ValueError("too large")
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((2000, 2000))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def run_case(case: str, directory: Path) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.inputs import uploads

    kind = "bomb" if case.endswith("bombs") else "phone"
    ext = "png" if kind == "bomb" else "jpg"
    files = [(p.name, p.read_bytes()) for p in sorted(directory.glob(f"{kind}*.{ext}"))]
    total_mb = sum(len(d) for _, d in files) / 1024 / 1024
    result = {"case": case, "files": len(files), "input_mb": round(total_mb, 1)}
    if case.startswith("web"):
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        connection.creation.create_test_db(verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))
        from complaints.models import Category, Complaint

        category = Category.objects.filter(organization__slug="khamyai", is_public=True).first()
        client = Client()
        data = {"category": category.pk, "description": "ถนนชำรุด", "village": "หมู่ 1", "notify_channel": "",
                "photos": [SimpleUploadedFile(n, d, content_type="image/jpeg") for n, d in files]}
        before = Complaint.objects.count()
        baseline = _start_peak()
        started = time.perf_counter()
        response = client.post("/khamyai/complaints/new/", data)
        elapsed = time.perf_counter() - started
        result["status"] = response.status_code
        result["saved"] = Complaint.objects.count() - before
    else:
        uploads_list = [SimpleUploadedFile(n, d) for n, d in files]
        baseline = _start_peak()
        started = time.perf_counter()
        try:
            if case.startswith("old"):
                for _, data in files:
                    old_clean(data)
            else:
                uploads.check_images(uploads_list, max_count=5)
            result["outcome"] = "accepted"
        except (ValidationError, ValueError) as exc:
            result["outcome"] = "refused: " + " ".join(getattr(exc, "messages", [str(exc)]))[:80]
        elapsed = time.perf_counter() - started
    result["seconds"] = round(elapsed, 2)
    result["peak_mb_above_baseline"] = round(_peak_mb() - baseline, 1)
    return result


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], Path(os.environ["UPLOAD_BENCH_DIR"]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        make_files(directory)
        env = {**os.environ, "UPLOAD_BENCH_DIR": tmp}
        print(f"{'case':16} {'files':>5} {'input MB':>9} {'seconds':>8} {'peak MB':>8}  outcome")
        for case in ("new phones", "old phones", "web form phones", "new bombs", "old bombs"):
            out = subprocess.run([sys.executable, __file__, "--case", case], env=env, capture_output=True, text=True,
                                 cwd=ROOT, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            outcome = r.get("outcome") or f"HTTP {r['status']}, {r['saved']} saved"
            print(f"{r['case']:16} {r['files']:>5} {r['input_mb']:>9} {r['seconds']:>8} "
                  f"{r['peak_mb_above_baseline']:>8}  {outcome}")


if __name__ == "__main__":
    main()
