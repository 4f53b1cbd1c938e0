import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from innovation_plans.models import Activity, Plan
from portal.demo import load_core

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "innovation_plans" / "seeds"


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


def test_dry_run_json_prints_exactly_the_parsed_dict():
    out = run(str(SEEDS / "khamyai_plan.txt"), "--dry-run", "--json")
    data = json.loads(out)
    assert data["organization"]["name"] == "เทศบาลตำบลคำใหญ่"
    assert data["budget_total"] == 10000
    assert any(w["code"] == "stated_total_mismatch" and w["stated"] == 30000 for w in data["warnings"])
    assert not Plan.objects.exists()


def test_import_matches_organization_by_name_and_saves_all_seeds():
    load_core()
    out = run(*(str(SEEDS / f"{n}_plan.txt") for n in ("khamyai", "nangrong", "phannanakhon")))
    assert "บันทึกแล้ว" in out
    phanna = Plan.objects.get(organization__slug="phannanakhon")
    assert Activity.objects.filter(plan=phanna).count() == 42
    assert phanna.components.count() == 13
    from innovation_plans import selectors

    fig = selectors.plan_figures(selectors.plan_with_everything().get(pk=phanna.pk))
    assert fig.computed_total == 10_575_000 and all(v == 2_115_000 for v in fig.computed.values())
    assert not fig.has_disagreement
    khamyai = selectors.plan_figures(selectors.plan_with_everything().get(organization__slug="khamyai"))
    assert khamyai.computed_total == 10000 and khamyai.stated_total == 30000 and khamyai.has_disagreement
    nangrong = Plan.objects.get(organization__slug="nangrong")
    assert nangrong.activities.count() == 4 and not nangrong.activities.filter(budget_total__gt=0).exists()


def test_unknown_organization_fails_clearly_and_saves_nothing(org):
    with pytest.raises(CommandError, match="--org"):
        run(str(SEEDS / "khamyai_plan.txt"))
    assert not Plan.objects.exists()
    run(str(SEEDS / "khamyai_plan.txt"), "--org", org.slug)
    assert Plan.objects.get().organization == org
    with pytest.raises(CommandError, match="ไม่พบองค์กร"):
        run(str(SEEDS / "khamyai_plan.txt"), "--org", "nope")


def test_bad_file_names_the_line_and_saves_nothing(tmp_path, org):
    good = SEEDS / "phannanakhon_plan.txt"
    text = good.read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    # A budget cell that is not a number.
    bad.write_text(text.replace("๒๕,๐๐๐", "สองหมื่นห้า", 1), encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(text.replace("พรรณานคร", "ทดสอบ"), encoding="utf-8")
    with pytest.raises(CommandError, match="บรรทัด 248: ") as error:
        run(str(other), str(bad), "--org", org.slug)
    assert "line 248" not in str(error.value)  # one language at a time
    assert not Plan.objects.exists()  # the good file before it is not saved either


def test_not_a_plan_json_error(tmp_path, org, capsys):
    junk = tmp_path / "x.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(junk), "--dry-run", "--json", stdout=out)
    assert "error" in json.loads(out.getvalue())
