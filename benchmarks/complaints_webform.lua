-- wrk -s benchmarks/complaints_webform.lua: the citizen web form's POST (urlencoded, no photo), with a CSRF
-- cookie/token pair taken once from the form page (env CSRF_COOKIE, CSRF_TOKEN, CATEGORY_ID).
-- Method, content type and the RESULT reporter come from the Open311 script; only the request differs.
dofile("benchmarks/complaints_submit.lua")
wrk.headers["Cookie"] = "csrftoken=" .. (os.getenv("CSRF_COOKIE") or "")
wrk.headers["Referer"] = "http://127.0.0.1/"
wrk.body = "csrfmiddlewaretoken=" .. (os.getenv("CSRF_TOKEN") or "") .. "&category=" .. (os.getenv("CATEGORY_ID") or "") ..
  "&description=%E0%B9%84%E0%B8%9F%E0%B8%96%E0%B8%99%E0%B8%99%E0%B8%94%E0%B8%B1%E0%B8%9A&latitude=16.5931" ..
  "&longitude=103.2321&village=3&lat=16.5931&long=103.2321"
