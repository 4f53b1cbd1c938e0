"""A plan with many activities on a phone: components fold (details/summary, no script needed), a search finds
activities, and the stated-vs-computed disagreement reads as a sentence with both figures."""

import re

import pytest
from django.test import Client

from innovation_plans.warning_text import matrix_sentences, warning_sentence

from .factories import make_plan

pytestmark = pytest.mark.django_db


def _details(html):
    return re.findall(r"<details class=\"card component\"( open)?>", html)


def test_a_big_plan_folds_its_components_and_a_small_one_does_not(org, other_org):
    big = make_plan(org, components=6, activities=7)  # 42 activities
    small = make_plan(other_org, components=2, activities=2)
    client = Client()
    folded = _details(client.get(big.get_absolute_url()).content.decode())
    assert len(folded) == 6 and not any(folded)
    opened = _details(client.get(small.get_absolute_url()).content.decode())
    assert len(opened) == 2 and all(opened)


def test_search_shows_only_matching_activities_opened(org):
    plan = make_plan(org, components=6, activities=7)
    target = plan.activities.order_by("order")[9]
    target.title = "ปรับปรุงระบบประปาหมู่บ้าน ๑๒"
    target.save()
    client = Client()
    html = client.get(plan.get_absolute_url(), {"q": "ประปา 12"}).content.decode()
    sections = _details(html)
    assert sections == [" open"]
    assert "ปรับปรุงระบบประปาหมู่บ้าน" in html
    assert html.count('<p class="act-title">') == 1
    assert 'value="ประปา 12"' in html and 'role="status"' in html
    none = client.get(plan.get_absolute_url(), {"q": "ไม่มีคำนี้แน่นอน"}).content.decode()
    assert _details(none) == [] and "ไม่พบโครงการ/กิจกรรมที่ตรงกับคำค้น" in none


def test_mismatch_is_a_sentence_with_both_figures_on_the_public_page(org):
    plan = make_plan(org, components=2, activities=2, stated={"2567": 30000})
    html = Client().get(plan.get_absolute_url()).content.decode()
    assert "ยอดรวมที่ระบุในแผน 30,000 บาท ไม่ตรงกับผลรวมของรายการ 20,000 บาท" in html
    assert "stated_total_mismatch" not in html
    client = Client()
    client.cookies["django_language"] = "en"
    english = client.get(plan.get_absolute_url()).content.decode()
    assert "The plan states a total of 30,000 baht, but its items add up to 20,000 baht" in english


def test_warning_sentences():
    stated = {"code": "stated_total_mismatch", "stated": 30000, "computed": 10000, "component": 1, "year": 2567,
              "message": "องค์ประกอบที่ 1 ปี 2567: เอกสารระบุยอดรวม 30,000 บาท แต่ผลรวมของรายการได้ 10,000 บาท"}
    assert warning_sentence(stated) == \
        "องค์ประกอบที่ 1 ปี 2567: ยอดรวมที่ระบุในแผน 30,000 บาท ไม่ตรงกับผลรวมของรายการ 10,000 บาท"
    count = {"code": "stated_count_mismatch", "stated": 4, "computed": 3, "message": "ทั้งแผน: เอกสารระบุ 4 กิจกรรม"}
    assert warning_sentence(count) == \
        "ทั้งแผน: จำนวนกิจกรรมที่ระบุในแผน 4 กิจกรรม ไม่ตรงกับจำนวนรายการในตาราง 3 กิจกรรม"
    gap = {"code": "numbering_gap", "message": "ข้ามจากข้อ 2 ไปข้อ 4"}
    assert warning_sentence(gap) == "ลำดับรายการข้ามไป อาจมีรายการหายจากเอกสาร: ข้ามจากข้อ 2 ไปข้อ 4"
    matrix = {"rows": [], "totals": [{"year": 2567, "stated": 30000, "computed": 10000, "mismatch": True}],
              "total_mismatch": False}
    assert matrix_sentences(matrix) == ["ทั้งแผน ปี 2567: ยอดรวมที่ระบุในแผน 30,000 บาท ไม่ตรงกับผลรวมของรายการ 10,000 บาท"]
