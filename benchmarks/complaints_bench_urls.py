"""The portal's URLs plus /bench/bare-insert/: the baseline of benchmarks/complaints_submit.sh.

A bare Django view under the very same settings (so the same middleware stack, database and connection
settings as the portal) that inserts one row with raw SQL and answers JSON like the Open311 POST does. The row is
comparable to a complaint: `bench_bare_insert` is created by the script as LIKE complaints_complaint (same
columns, defaults and identity), filled with the same kind of values (random tracking code, the posted text and
coordinates, a random UUID, timestamps). It has only its primary key: the complaint table's secondary indexes are
part of what the real path pays, not of the baseline.
"""

import secrets

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import urlpatterns as portal_urlpatterns

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
INSERT = """
INSERT INTO bench_bare_insert (tracking_code, is_protected, description, status, channel, latitude, longitude,
    address, village, contact_name, contact_phone, contact_email, line_user_id, notify_channel, passphrase_hash,
    rating_token, created_at, updated_at, sla_deadline, category_id, organization_id, sealed_contact, language)
VALUES (%s, false, %s, 'submitted', 'open311', %s, %s, '', '', '', '', '', '', '', '', gen_random_uuid(), now(),
    now(), now() + interval '3 days', 1, 1, '', 'th')
RETURNING tracking_code"""


@csrf_exempt
def bare_insert(request):
    code = "KY-2569-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
    with connection.cursor() as cursor:
        cursor.execute(INSERT, [code, request.POST.get("description", ""), request.POST.get("lat") or None,
                                request.POST.get("long") or None])
        code = cursor.fetchone()[0]
    return JsonResponse([{"service_request_id": code, "service_notice": "", "account_id": None}], safe=False)


urlpatterns = [path("bench/bare-insert/", bare_insert)] + portal_urlpatterns
