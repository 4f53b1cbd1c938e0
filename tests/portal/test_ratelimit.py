import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.inputs import ratelimit
from portal.inputs.ratelimit import client_ip, count_accepted, limited, parse_rate


@pytest.fixture(autouse=True)
def _enabled(settings):
    settings.RATELIMIT_ENABLE = True


def _post(ip="10.0.0.1", **extra):
    request = RequestFactory().post("/", REMOTE_ADDR=ip, HTTP_ACCEPT="text/html", **extra)
    return request


def test_parse_rate():
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("5/10m") == (5, 600)
    with pytest.raises(ValueError):
        parse_rate("ten per hour")


@pytest.mark.parametrize("depth,xff,expected", [
    (0, "1.2.3.4", "10.0.0.1"),  # no trusted proxy: the header is the client's own words
    (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # one proxy appended what it saw; the rest was typed by the client
    (2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
    (1, "not-an-ip", "10.0.0.1"),
    (1, "", "10.0.0.1"),
    (3, "1.2.3.4", "1.2.3.4"),
])
def test_client_ip_honours_trusted_proxy_depth(settings, depth, xff, expected):
    settings.TRUSTED_PROXY_DEPTH = depth
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


def _submit_view(accept=True):
    @limited("2/h", group="t-submit")
    def view(request, org_slug):
        if accept:
            count_accepted(request)
            return HttpResponse("accepted")
        return HttpResponse("errors", status=400)

    return view


@pytest.mark.django_db
def test_only_accepted_submissions_count():
    failing = _submit_view(accept=False)
    for _ in range(10):
        assert failing(_post(), org_slug="a").status_code == 400
    accepting = _submit_view(accept=True)
    assert accepting(_post(), org_slug="a").status_code == 200
    assert accepting(_post(), org_slug="a").status_code == 200
    refused = accepting(_post(), org_slug="a")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600


@pytest.mark.django_db
def test_limits_are_per_organization_and_per_address():
    view = _submit_view()
    for _ in range(2):
        view(_post(), org_slug="a")
    assert view(_post(), org_slug="a").status_code == 429
    assert view(_post(), org_slug="b").status_code == 200
    assert view(_post("10.0.0.2"), org_slug="a").status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_citizens_do_not_share_one_bucket(settings):
    settings.TRUSTED_PROXY_DEPTH = 1
    view = _submit_view()
    for _ in range(2):
        view(_post("127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1"), org_slug="a")
    assert view(_post("127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1"), org_slug="a").status_code == 429
    assert view(_post("127.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2"), org_slug="a").status_code == 200


@pytest.mark.django_db
def test_count_all_and_methods():
    @limited("1/m", group="t-get", count="all", methods=("GET",))
    def view(request, org_slug):
        return HttpResponse("ok")

    get = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9")
    assert view(get, org_slug="a").status_code == 200
    assert view(get, org_slug="a").status_code == 429
    assert view(_post("10.0.0.9"), org_slug="a").status_code == 200  # POST not limited here


@pytest.mark.django_db
def test_429_page_is_the_organizations_and_says_when(org):
    view = _submit_view()
    for _ in range(2):
        view(_post(), org_slug=org.slug)
    response = view(_post(), org_slug=org.slug)
    body = response.content.decode()
    assert response.status_code == 429
    assert org.name_th in body and "ลองใหม่ในอีก" in body


def test_on_limited_answers_with_the_views_own_page(settings):
    @limited("1/h", group="t-own", count="all",
             on_limited=lambda request, retry, org_slug: HttpResponse(f"form again {retry}", status=429))
    def view(request, org_slug):
        return HttpResponse("ok")

    view(_post(), org_slug="a")
    response = view(_post(), org_slug="a")
    assert response.status_code == 429 and response.content.startswith(b"form again")


@pytest.mark.django_db
def test_cache_down_falls_back_to_a_per_process_counter(monkeypatch):
    class Broken:
        def __getattr__(self, name):
            def fail(*a, **k):
                raise ConnectionError("redis down")
            return fail

    monkeypatch.setattr(ratelimit, "cache", Broken())

    @limited("1/h", group="t-down", count="all")
    def view(request, org_slug):
        return HttpResponse("ok")

    assert view(_post("10.9.9.9"), org_slug="a").status_code == 200
    assert view(_post("10.9.9.9"), org_slug="a").status_code == 429


def test_disabled_setting(settings):
    settings.RATELIMIT_ENABLE = False
    view = _submit_view()
    for _ in range(5):
        assert view(_post("10.5.5.5"), org_slug="a").status_code == 200
