"""The portal's URLs plus /bench/bare-insert/: a bare Django view that inserts one row (the baseline)."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_insert (body, created) VALUES (%s, now()) RETURNING id",
                       [request.POST.get("description", "")])
        row_id = cursor.fetchone()[0]
    return JsonResponse([{"id": row_id}], safe=False)


urlpatterns = [path("bench/bare-insert/", bare_insert)] + portal_urlpatterns
