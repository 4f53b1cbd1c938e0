"""One shape for every state machine: the states, and the allowed transitions in one table, checked in one place.

    class Status(models.TextChoices): ...
    WORKFLOW = Workflow(Status, {
        Status.DRAFT: [Status.SUBMITTED],
        Status.SUBMITTED: [Status.APPROVED, (Status.REJECTED, {"needs_note": True})],
    })
    WORKFLOW.check(request.status, Status.REJECTED, note)   # Transition, or TransitionNotAllowed
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    needs_note: bool = False  # the person must write why (e.g. shown to the citizen)


class TransitionNotAllowed(ValidationError):
    """A ValidationError, so forms, the admin and the API show its Thai message as bad input (4xx)."""

    def __init__(self, source, target, message=""):
        self.source, self.target = source, target
        super().__init__(str(message), code="transition")


class Workflow:
    def __init__(self, states, table):
        self.states = states
        self.transitions: dict[tuple[str, str], Transition] = {}
        for source, targets in table.items():
            if str(source) not in states.values:
                raise ValueError(f"unknown state {source!r}")
            for entry in targets:
                target, options = entry if isinstance(entry, tuple) else (entry, {})
                if str(target) not in states.values:
                    raise ValueError(f"unknown state {target!r}")
                unknown = set(options) - {"needs_note"}
                if unknown:
                    raise ValueError(f"unknown transition options {unknown}")
                self.transitions[(str(source), str(target))] = Transition(
                    str(source), str(target), bool(options.get("needs_note", False)))

    def label(self, state) -> str:
        return str(self.states(state).label) if state in self.states.values else str(state)

    def allowed_targets(self, source) -> list[str]:
        return [dst for (src, dst) in self.transitions if src == str(source)]

    def allowed(self, source, target) -> bool:
        return (str(source), str(target)) in self.transitions

    def check(self, source, target, note: str = "") -> Transition:
        """The transition, or TransitionNotAllowed with a message for the person who asked for it."""
        transition = self.transitions.get((str(source), str(target)))
        if transition is None:
            raise TransitionNotAllowed(source, target, _("ไม่สามารถเปลี่ยนสถานะจาก “%(src)s” เป็น “%(dst)s”") % {
                "src": self.label(source), "dst": self.label(target)})
        if transition.needs_note and not (note or "").strip():
            raise TransitionNotAllowed(source, target, _("ต้องระบุหมายเหตุเมื่อเปลี่ยนเป็นสถานะ “%(dst)s”") % {
                "dst": self.label(target)})
        return transition
