"""The e-service steps of the organization's set-up wizard (portal.registry.SetupStep): the e-services to start
from (the templates the app ships, eservice.catalogue, copied through requests.services.create_from_template), and
the bookable queues with their office hours (the standard queues of the demo, eservice.demo.QUEUES)."""

import datetime as dt

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.audit import trail as audit
from portal.registry import SetupStep

from . import catalogue
from .models import OpeningHours, Queue, ServiceType
from .queues import services as queue_services
from .queues.standard import QUEUES
from .requests import services as request_services

# Ticked on a first visit: what nearly every organization offers.
FIRST_TEMPLATES = ["general-request", "service-request", "water-truck", "street-light-repair"]


class TemplatesForm(forms.Form):
    templates = forms.MultipleChoiceField(
        label=_("บริการที่เริ่มจากแม่แบบ"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("แต่ละแม่แบบมีแบบฟอร์ม เอกสารที่ต้องใช้ และระยะเวลาตามที่ใช้กันทั่วไป "
                    "แก้ไขได้ภายหลังในเครื่องมือสร้างแบบฟอร์ม"))

    def __init__(self, data=None, files=None, *, organization):
        super().__init__(data, files)
        self.fields["templates"].choices = [(key, thai.localized(t)) for key, t in catalogue.TEMPLATES.items()]
        have = set(ServiceType.objects.filter(organization=organization).exclude(template_key="")
                   .values_list("template_key", flat=True))
        self.fields["templates"].initial = sorted(have) if have else FIRST_TEMPLATES


@transaction.atomic
def save_templates(*, organization, form, actor):
    """A published e-service for every picked template the organization does not have yet (one it has is left
    as its staff made it). The rows the service saves name the clerk too (acting), outside a request as well."""
    with audit.acting(actor):
        for key in form.cleaned_data["templates"]:
            request_services.create_from_template(organization=organization, template_key=key, actor=actor)
    return None


WEEKDAYS = [(d.value, d.label) for d in OpeningHours.Weekday]


class QueuesForm(forms.Form):
    queues = forms.MultipleChoiceField(
        label=_("คิวที่ประชาชนจองได้"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("จองได้ช่วงละ 30 นาที ช่วงละ 4 คน ล่วงหน้า 14 วันทำการ ปรับได้ภายหลังในหน้าเจ้าหน้าที่"))
    days = forms.TypedMultipleChoiceField(
        label=_("วันทำการ"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4], help_text=_("วันหยุดราชการปิดจองให้เอง"))
    morning_opens = forms.TimeField(label=_("ช่วงเช้า เปิด"), initial=dt.time(8, 30),
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    morning_closes = forms.TimeField(label=_("ช่วงเช้า ปิด"), initial=dt.time(12, 0),
                                     widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    afternoon_opens = forms.TimeField(label=_("ช่วงบ่าย เปิด"), initial=dt.time(13, 0), required=False,
                                      widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                      help_text=_("เว้นว่างเมื่อเปิดช่วงเดียว"))
    afternoon_closes = forms.TimeField(label=_("ช่วงบ่าย ปิด"), initial=dt.time(16, 30), required=False,
                                       widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, data=None, files=None, *, organization):
        super().__init__(data, files)
        self.fields["queues"].choices = [(code, thai.in_language(th, en)) for code, th, en, *_rest in QUEUES]
        queues = list(Queue.objects.filter(organization=organization, code__in=[q[0] for q in QUEUES])
                      .prefetch_related("hours"))
        self.fields["queues"].initial = ([q.code for q in queues if q.is_active] if queues
                                         else [code for code, *_rest in QUEUES])
        hours = next((list(q.hours.all()) for q in queues if q.hours.all()), [])
        if hours:  # coming back: the hours saved (the first queue's, the step gives every queue the same)
            self.fields["days"].initial = sorted({h.weekday for h in hours})
            spans = sorted({(h.opens, h.closes) for h in hours})
            self.fields["morning_opens"].initial, self.fields["morning_closes"].initial = spans[0]
            later = spans[1] if len(spans) > 1 else (None, None)
            self.fields["afternoon_opens"].initial, self.fields["afternoon_closes"].initial = later

    def clean(self):
        data = super().clean()
        if data.get("queues") and not data.get("days"):
            self.add_error("days", _("เลือกวันทำการอย่างน้อยหนึ่งวัน"))
        opens, closes = data.get("morning_opens"), data.get("morning_closes")
        if opens and closes and closes <= opens:
            self.add_error("morning_closes", _("เวลาปิดต้องหลังเวลาเปิด"))
        later_opens, later_closes = data.get("afternoon_opens"), data.get("afternoon_closes")
        if bool(later_opens) != bool(later_closes):
            self.add_error("afternoon_closes", _("กรอกทั้งเวลาเปิดและเวลาปิดของช่วงบ่าย หรือเว้นว่างทั้งสองช่อง"))
        elif later_opens and later_closes:
            if later_closes <= later_opens:
                self.add_error("afternoon_closes", _("เวลาปิดต้องหลังเวลาเปิด"))
            elif closes and later_opens < closes:
                self.add_error("afternoon_opens", _("ช่วงบ่ายต้องเริ่มหลังช่วงเช้าปิด"))
        return data

    def spans(self) -> list[tuple[dt.time, dt.time]]:
        data = self.cleaned_data
        spans = [(data["morning_opens"], data["morning_closes"])]
        if data.get("afternoon_opens"):
            spans.append((data["afternoon_opens"], data["afternoon_closes"]))
        return spans


def save_queues(*, organization, form, actor):
    return queue_services.set_standard_queues(organization=organization, codes=form.cleaned_data["queues"],
                                              days=form.cleaned_data["days"], spans=form.spans(), actor=actor)


def setup_steps():
    return [
        SetupStep(name="templates", title=_("บริการออนไลน์จากแม่แบบ"), form_class=TemplatesForm, save=save_templates),
        SetupStep(name="queues", title=_("คิวและเวลาทำการ"), form_class=QueuesForm, save=save_queues),
    ]
