"""Plan states and the transitions allowed between them: one table (portal.machinery.workflow), checked in one place."""

from portal.machinery.workflow import TransitionNotAllowed, Workflow

from .models import Plan

S = Plan.Status

WORKFLOW = Workflow(S, {
    S.DRAFT: [S.PUBLISHED, S.ARCHIVED],
    S.PUBLISHED: [S.DRAFT, S.ARCHIVED],
    S.ARCHIVED: [S.DRAFT],
})

__all__ = ["WORKFLOW", "TransitionNotAllowed", "check"]


def check(plan: Plan, target: str) -> None:
    """Raises TransitionNotAllowed (a ValidationError) with a Thai message."""
    WORKFLOW.check(plan.status, target)

