"""Success-plan objectives as they stood on the as-of date.

An objective keeps the status the plan gives it, except that one still `on_track` after its due
date counts as `at_risk` (nobody marked it achieved in time). A milestone is overdue when its due
date is more than `outcomes.milestone_grace_days` before as_of and it was not done by as_of (a done
date after as_of means not done yet).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from accounts.models import Milestone, Objective, ObjectiveStatus
from tools.as_of import AccountView
from tools.config import JudgementConfig


class ObjectiveState(NamedTuple):
    objective: Objective
    effective_status: ObjectiveStatus
    past_due: bool  # due before as_of and not achieved
    overdue_milestones: tuple[Milestone, ...]

    @property
    def at_risk(self) -> bool:
        return self.effective_status in (ObjectiveStatus.AT_RISK, ObjectiveStatus.MISSED) or bool(
            self.overdue_milestones
        )


def objective_states(view: AccountView, config: JudgementConfig) -> list[ObjectiveState]:
    cached: list[ObjectiveState] | None = view.memo.get("objectives")
    if cached is not None:
        return cached
    states: list[ObjectiveState] = []
    if view.plan is not None:
        as_of = view.as_of
        late = as_of - timedelta(days=config.outcomes.milestone_grace_days)
        for o in view.plan.objectives:
            achieved = o.status is ObjectiveStatus.ACHIEVED
            past_due = not achieved and o.due is not None and o.due < as_of
            status = ObjectiveStatus.AT_RISK if past_due and o.status is ObjectiveStatus.ON_TRACK else o.status
            overdue = tuple(
                m for m in o.milestones
                if not achieved and m.due is not None and m.due < late and (m.done is None or m.done > as_of)
            )
            states.append(ObjectiveState(o, status, past_due, overdue))
    view.memo["objectives"] = states
    return states
