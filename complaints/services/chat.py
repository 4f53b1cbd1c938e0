"""LINE chats: the conversation between a citizen's messages (its draft complaint), and a citizen stopping
updates."""


from django.db import transaction
from django.utils import timezone

from complaints.models import (
    Complaint,
    LineConversation,
)
from portal.audit import trail as audit
from portal.machinery import changes


def stop_line_updates(*, organization, line_user_id: str) -> int:
    """A LINE user typed "stop" or blocked the account: no more pushes, and the LINE id leaves their complaints.
    Returns how many complaints carried it."""
    if not line_user_id:
        return 0
    with transaction.atomic():
        carried = list(Complaint.objects.select_for_update().filter(organization=organization,
                                                                    line_user_id=line_user_id))
        Complaint.objects.filter(pk__in=[c.pk for c in carried]).update(
            line_user_id="", notify_channel=Complaint.NotifyChannel.NONE, updated_at=timezone.now())
        changes.announce(Complaint, [organization.pk])
        for complaint in carried:
            audit.record(complaint, actor=audit.citizen("line"), event="complaints.complaint.line_updates_stopped",
                         data={"tracking_code": complaint.tracking_code})
    return len(carried)


def start_line_conversation(*, organization, line_user_id: str) -> LineConversation:
    """The citizen followed the account and has been shown the privacy notice."""
    with transaction.atomic():
        conversation, _created = LineConversation.objects.update_or_create(
            organization=organization, line_user_id=line_user_id, defaults={"draft": {"noticed": True}})
        audit.record(conversation, actor=audit.citizen("line"), event="complaints.lineconversation.started")
    return conversation


def lock_line_conversation(*, organization, line_user_id: str) -> LineConversation:
    """The citizen's conversation, locked until the caller's transaction ends (LINE may deliver two messages of
    one citizen at once)."""
    conversation, _created = LineConversation.objects.select_for_update().get_or_create(
        organization=organization, line_user_id=line_user_id)
    return conversation


def save_line_draft(*, conversation: LineConversation, draft: dict) -> None:
    """The citizen's own unfinished report (not audited: no staff write)."""
    conversation.draft = draft
    conversation.save(update_fields=["draft", "updated_at"])
