"""Sentence templates for synthetic activities, by activity type and tone (`good`, `neutral`, `bad`).

Slots are filled by `bench.workspace_text.Prose`; `{feature_cap}` is `{feature}` capitalised.
"""

from __future__ import annotations

TITLES: dict[str, tuple[str, ...]] = {
    "meeting": ("QBR with {team} leadership", "Weekly sync with {contact_first}", "{feature_cap} workshop",
                "Quarterly business review", "Roadmap session", "Check-in on {feature}",
                "Rollout planning for {region}", "Success plan review", "Executive alignment with {sponsor}"),
    "email": ("Re: {feature_cap} rollout", "Follow-up from our call", "Re: questions on {feature}",
              "Training materials for {region}", "Re: next steps", "Agenda for {weekday}", "Recap and action items"),
    "call": ("Call with {contact_first}", "Check-in call", "Call about {feature}",
             "Quick call before the {team} review"),
    "note": ("Account note", "Internal note: {feature}", "Notes after {team} sync", "Observation from usage data",
             "Pipeline note"),
    "community_post": ("Community: tips for {feature}", "Community question about {feature}",
                       "Community: how we run {region} with FieldLoop"),
    "news": ("{company} in the news", "Press: {company} expands", "Mention of {company} on LinkedIn"),
}
BAD_TITLES: dict[str, tuple[str, ...]] = {
    "meeting": ("Issue review with {contact_first}", "Escalation meeting", "Problems with {feature}"),
    "email": ("Re: open tickets", "Re: {feature} problems", "Re: still not working"),
    "call": ("Escalation follow-up call", "Call about open issues", "Call with {contact_first} about {feature}"),
    "note": ("Risk review", "Concerns about {feature}", "Renewal risk"),
}

OPENERS: dict[str, tuple[str, ...]] = {
    "meeting": ("Met with {contact} and {n} people from the {team} team.",
                "Ran the session with {contact_first} on {weekday}.",
                "{contact} joined with their {team} leads.",
                "Good turnout: {contact_first}, {sponsor} and a few dispatchers."),
    "call": ("Spoke with {contact_first} for about {minutes} minutes.",
             "{contact} called in about {feature}.",
             "Short call with {contact_first} ahead of their {team} review."),
    "note": ("Writing this down so it is not lost.", "Context for whoever picks this up.",
             "Reviewed the account this morning.", "Usage data and recent tickets reviewed."),
    "community_post": ("{contact} posted in the FieldLoop community.",
                       "{contact_first} shared a write-up in the community forum."),
    "news": ("{company} announced a new multi-year service contract covering {big} sites.",
             "Local press covered {company} opening a branch in {region}.",
             "{sponsor} of {company} was interviewed about technician shortages.",
             "{company} announced the acquisition of a smaller competitor with {n}0 technicians.",
             "{company} won a regional award for customer service.",
             "{company} is hiring {n}0 technicians for {region}."),
}

# internal observations (meetings, calls, notes), third person
BODY: dict[str, tuple[str, ...]] = {
    "good": ("{feature_cap} is now used by every dispatcher in {region}.",
             "They cut average drive time by {pct}% since turning on route optimization.",
             "First-time fix rate went up {pct}% quarter over quarter.",
             "{contact_first} said the technicians love {feature} and nobody wants to go back to {legacy}.",
             "The {team} team closed {big} work orders last week without paper.",
             "They want to present their results at the next user group.",
             "Invoices now go out the same day the job is finished, down from {days} days.",
             "Adoption is strong: {users} active users out of {seats} seats.",
             "{sponsor} mentioned FieldLoop positively in their all-hands.",
             "They asked about rolling out {feature2} to {region} next quarter."),
    "neutral": ("We walked through {feature} settings and answered questions on {feature2}.",
                "They are still evaluating how {feature2} fits their process.",
                "Reviewed the open tickets; nothing blocking at the moment.",
                "{contact_first} asked for a refresher training for {n} new dispatchers.",
                "The {integration} integration is on their roadmap for next quarter.",
                "We agreed to revisit the success plan on {date}.",
                "They have {users} active users on {seats} seats; steady for now.",
                "Budget planning for next year starts in {month}.",
                "They asked how other customers in their industry use {feature}.",
                "Some technicians in {region} still fill in paper forms for parts."),
    "bad": ("{contact_first} is frustrated that {feature} keeps failing in the field.",
            "Technicians lost {n} jobs of data when offline sync failed.",
            "{sponsor} asked whether FieldLoop is the right platform long term.",
            "They mentioned that {legacy} was 'at least predictable'.",
            "Dispatchers are working around {feature} with spreadsheets again.",
            "Three tickets on the same issue in {days} days, and no root cause yet.",
            "{contact_first} said the last release broke their {integration} export.",
            "They feel support answers are slow: {hours} hours for a first reply on a sev-2.",
            "Tone of the meeting was tense; {sponsor} joined unexpectedly.",
            "They are collecting quotes from other vendors before renewal."),
}
COMMUNITY_BODY = ("Asked how others configure {feature} for {n}0 technicians.",
                  "Shared their checklist template for {team} inspections.",
                  "Explained how they cut drive time by {pct}% with route optimization.",
                  "Asked whether {feature} works with {integration}.",
                  "Recommended setting up {feature} before the busy season.",
                  "Posted screenshots of their dispatch board layout.")

CLOSERS: dict[str, tuple[str, ...]] = {
    "meeting": ("Next step: follow-up session on {date}.", "Action items shared in the recap email.",
                "We owe them a short write-up by {weekday}.", ""),
    "call": ("Will check back next week.", "Logged the follow-ups in the plan.", ""),
    "note": ("Keep an eye on this before renewal.", "No action needed yet.", "Flagged in the team channel.", ""),
    "community_post": ("The post got {n} replies.", "Several other customers upvoted it.", ""),
    "news": ("Could be a good moment to reach out.", "Worth mentioning in the next QBR.", ""),
}

# customer-visible prose: what the vendor writes to the customer, and what the customer writes back
EMAIL_BODY: dict[str, tuple[str, ...]] = {
    "good": ("Great to hear {feature} is working well in {region}.",
             "Congratulations on {big} completed jobs last week!",
             "Your results with {feature} are among the best we see in your industry.",
             "I shared your drive-time numbers with our product team; they were impressed."),
    "neutral": ("Attached is the guide on {feature} we discussed.",
                "I booked a session with our {feature} specialist for {date}.",
                "Could you send the list of technicians for {region} so we can set up their accounts?",
                "Here are the release notes for this month's update.",
                "I will send an invite for the review on {date}.",
                "Let me know who should join the {integration} integration call."),
    "bad": ("I am sorry about the trouble your team had with {feature} last week.",
            "I understand the frustration about the repeated sync issues.",
            "Our engineers are on the root cause and I will update you by {weekday}.",
            "I have escalated your open tickets with our support lead.",
            "I know this has taken longer than it should."),
}
INBOUND_BODY: dict[str, tuple[str, ...]] = {
    "good": ("Quick note to say the rollout in {region} went smoothly.", "The team is really happy with {feature}.",
             "We closed our best month ever, {big} jobs, and FieldLoop helped."),
    "neutral": ("Can you help us with {feature}? We are not sure how to set it up for {region}.",
                "Who should we talk to about the {integration} integration?",
                "We have {n} new technicians starting next month.", "Is there a training recording we can share?"),
    "bad": ("We are still having issues with {feature}.",
            "This is the third time this month the app failed in the field.",
            "I need someone senior to call me today.", "My dispatchers are losing patience with {feature}."),
}
RECAP_BODY: dict[str, tuple[str, ...]] = {
    "good": ("We looked at the last quarter: {big} jobs completed, first-time fix up {pct}%.",
             "We agreed to pilot {feature2} with {n} technicians.", "Your team shared great feedback on {feature}."),
    "neutral": ("We reviewed adoption of {feature} across {region}.",
                "FieldLoop will share best practices for {feature} by {date}.",
                "Your team will clean up duplicate sites before the next session.",
                "Open questions on {integration} go to our solutions engineer.", "Next review on {date}."),
    "bad": ("We discussed the open issues with {feature} and the plan to fix them.",
            "FieldLoop will provide a root-cause analysis by {date}.",
            "We agreed on a daily check-in until this is fixed."),
}

REQUEST_ITEMS = ("an export of all work orders with custom fields", "a sandbox environment for testing",
                 "a bulk import of {big} customer sites", "custom fields on the technician checklist",
                 "a training session for {n} new dispatchers", "a fix for duplicate invoices in {integration}",
                 "route optimization that respects lunch breaks", "a quote for {n}0 more seats",
                 "SSO enforcement through {idp}", "a webhook for job status changes",
                 "a report of first-time fix rate by technician", "offline access to equipment manuals")
REQUEST_CONTEXT = ("They need it before {date}.", "It came up during the {team} sync.",
                   "Not urgent, but they asked twice.", "It blocks their rollout in {region}.")
COMMITMENT_ITEMS = ("send the roadmap for {feature}", "deliver the custom report on first-time fix rate",
                    "run an onsite training in {region}", "fix the {integration} invoice sync issue",
                    "share a written root-cause analysis", "set up the sandbox environment",
                    "enable the beta of {feature} for their team", "review their dispatch rules with an expert",
                    "provide a migration plan from {legacy}", "follow up with pricing for {n}0 additional seats")
COMMITMENT_CONTEXT = ("{csm_first} confirmed it in writing to {contact_first}.", "Promised during the QBR.",
                      "Owner on our side: {csm_first}.", "{contact_first} will hold us to the date.")
