"""The one LINE Messaging API client (portal.notifications.line): what the outbox's pushes make of LINE's answers,
and the per-organization token. The webhook's replies and photos go through it too (tests/complaints/test_line.py,
against a local fake LINE server)."""

import pytest
import requests

from portal.notifications import channels
from portal.notifications import line as client


class Answer:
    def __init__(self, status_code, text="{}"):
        self.status_code, self.text = status_code, text

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(str(self.status_code))


class Org:
    line_channel_access_token = "org-token"
    line_channel_secret = ""


@pytest.fixture
def answers(monkeypatch):
    sent, queue = [], []

    def post(url, *, headers, json, timeout):
        sent.append((url, headers, json))
        return queue.pop(0)

    monkeypatch.setattr(client.requests, "post", post)
    return sent, queue


def test_a_push_names_the_organizations_token_and_the_retry_key(answers, settings):
    settings.LINE_API_BASE = "https://line.invalid/"
    sent, queue = answers
    queue.append(Answer(200))
    client.push(Org(), "U1", "x" * 6000, retry_key="k-1")
    ((url, headers, body),) = sent
    assert url == "https://line.invalid/v2/bot/message/push"
    assert headers == {"Authorization": "Bearer org-token", "X-Line-Retry-Key": "k-1"}
    assert body["to"] == "U1" and len(body["messages"][0]["text"]) == client.TEXT_MAX


@pytest.mark.parametrize("status,outcome", [(409, None), (400, client.LineRefused), (403, client.LineRefused),
                                            (429, requests.HTTPError), (500, requests.HTTPError)])
def test_lines_answers_to_a_push(answers, status, outcome):
    """409: accepted before under this retry key (delivered); another 4xx: never deliverable as it is; 429 and 5xx:
    a retry may succeed."""
    answers[1].append(Answer(status))
    if outcome is None:
        client.push(Org(), "U1", "hi", retry_key="k")
    else:
        with pytest.raises(outcome):
            client.push(Org(), "U1", "hi", retry_key="k")


def test_the_outbox_channel_turns_a_refusal_into_no_retry(answers):
    answers[1].append(Answer(400, "bad to"))
    notification = type("N", (), {"organization": Org(), "recipient": "U1", "subject": "s", "body": "b",
                                  "uuid": "u-1"})()
    with pytest.raises(channels.PermanentError, match="LINE 400"):
        channels.send_line(notification)


def test_the_installations_account_serves_an_organization_without_its_own(settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN, settings.LINE_CHANNEL_SECRET = "site-token", "site-secret"
    bare = type("O", (), {"line_channel_access_token": "", "line_channel_secret": ""})()
    assert (client.access_token(bare), client.channel_secret(bare)) == ("site-token", "site-secret")
    assert client.access_token(Org()) == "org-token"
