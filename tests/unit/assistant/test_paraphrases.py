"""Paraphrases written for this planner (not the issue's words): each routes to the intent that answers it.

The demo workspace's accounts and CSMs; plans from the real planner and the bundled MiniLM model.
"""

from __future__ import annotations

import pytest

from accounts.access import Audience

from .test_understanding import plan

CASES = [
    ("csm", None, "Give me the lowdown on Stark", "status"),
    ("csm", None, "how long until Initech's contract is up?", "status"),
    ("csm", None, "is it ok to ask wonka confections for a quote?", "advocacy"),
    ("csm", None, "How's Contoso looking these days?", "status"),
    ("csm", None, "Where are things at with Wayne Enterprises?", "status"),
    ("csm", None, "is tyrell a flight risk?", "status"),
    ("csm", None, "Do you think Soylent will renew?", "status"),
    ("csm", None, "why did Globex turn red?", "status"),
    ("csm", None, "What's the plan of action for Initech?", "next_actions"),
    ("csm", None, "what do I need to do this week for Umbrella?", "next_actions"),
    ("csm", None, "What did we commit to Contoso?", "promises"),
    ("csm", None, "anything we still owe Acme?", "promises"),
    ("csm", None, "what has Hooli requested from us?", "promises"),
    ("csm", None, "help me get ready for my Wayne QBR", "talking_points"),
    ("csm", None, "what should I say in tomorrow's exec review with Gringotts?", "talking_points"),
    ("csm", None, "is Acme hitting its success plan goals?", "success_plan"),
    ("csm", None, "How are Globex's objectives tracking?", "success_plan"),
    ("csm", None, "What support issues does Hooli have open?", "tickets"),
    ("csm", None, "list globex tickets", "tickets"),
    ("csm", None, "When was the last time we spoke to Oscorp?", "history"),
    ("csm", None, "What did Richard say about work orders?", "history"),
    ("csm", None, "Would Wonka give us a testimonial?", "advocacy"),
    ("csm", None, "can we use Gringotts as a reference?", "advocacy"),
    ("csm", None, "should I ask Stark to speak at our conference?", "advocacy"),
    ("customer", "hooli", "where are we with the things we reported last week?", "tickets"),
    ("customer", "hooli", "any update on what we raised this month?", "tickets"),
    ("customer", "hooli", "how do we report a bug to you?", "how_to"),
    ("customer", "globex", "when will the fix for jobs going back to in progress be available?", "how_to"),
    ("csm", None, "when is the android hotfix out?", "how_to"),
    ("csm", None, "is Soylent actually using the scheduling module they pay for?", "status"),
    ("csm", None, "has Umbrella gone quiet on us?", "status"),
    ("csm", None, "did Wayne follow up on the seats we quoted?", "history"),
    ("csm", None, "how much goodwill have we banked with Stark?", "advocacy"),
    ("manager", None, "who are the five biggest accounts?", "portfolio"),
    ("manager", None, "any customers still not live?", "portfolio"),
    ("manager", None, "Where's the risk in our book?", "portfolio"),
    ("manager", None, "Which customers are up for renewal soon?", "portfolio"),
    ("manager", None, "Which accounts haven't we talked to in a while?", "portfolio"),
    ("manager", None, "Who could be a good reference customer?", "portfolio"),
    ("manager", None, "which csm is carrying the most risk?", "portfolio"),
    ("manager", None, "what's the at-risk ARR per CSM?", "portfolio"),
    ("manager", None, "Are any customers experiencing P1 issues?", "portfolio"),
    ("csm", None, "How can I bulk reassign jobs?", "how_to"),
    ("csm", None, "What does the QuickBooks integration sync?", "how_to"),
    ("customer", "globex", "How do we set up SSO with Okta?", "how_to"),
    ("customer", "globex", "Can our techs capture signatures offline?", "how_to"),
    ("customer", "acme", "what's the API rate limit?", "how_to"),
    ("customer", "acme", "How many calls per minute can our integration make?", "how_to"),
    ("customer", "contoso", "our Power BI refresh keeps failing, what should we do?", "how_to"),
    ("customer", "globex", "When will the offline sync bug be fixed?", "how_to"),
    ("customer", "globex", "What did you promise us about the sync fix?", "promises"),
    ("customer", "globex", "What tickets do we have open with you?", "tickets"),
    ("customer", "globex", "Are we on track with our goals?", "success_plan"),
    ("customer", "globex", "How are we doing overall?", "status"),
    ("customer", "wonka", "what's the weather like in Paris?", "open"),
    ("csm", None, "What's the capital of France?", "open"),
    ("csm", None, "fill me in on Cyberdyne", "status"),
    ("csm", None, "cyberdyne health?", "status"),
    ("csm", None, "Is Vandelay in danger of not renewing?", "status"),
    ("csm", None, "what's the deal with umbrella's champion leaving — are we at risk?", "status"),
    ("csm", None, "Oscorp: what are my next moves?", "next_actions"),
    ("csm", None, "what should be my top priority with Tyrell?", "next_actions"),
    ("csm", None, "did we ever send Contoso the Power BI thing we said we would?", "promises"),
    ("csm", None, "open action items for globex", "promises"),
    ("csm", None, "prepare talking points for the Hooli renewal meeting", "talking_points"),
    ("csm", None, "how far along is Pied Piper on their onboarding goals?", "success_plan"),
    ("csm", None, "has Hooli escalated anything recently?", "tickets"),
    ("csm", None, "what was said in the last Stark meeting?", "history"),
    ("csm", None, "who did we meet at Gringotts last time?", "history"),
    ("csm", None, "is Oscorp open to a case study?", "advocacy"),
    ("csm", None, "How much have we asked of Hooli lately?", "advocacy"),
    ("manager", None, "give me the state of the book", "portfolio"),
    ("manager", None, "any accounts I should worry about?", "portfolio"),
    ("manager", None, "what renewals are due in the next 60 days?", "portfolio"),
    ("manager", None, "who's gone quiet on us?", "portfolio"),
    ("manager", None, "which CSM has the most renewals coming up?", "portfolio"),
    ("manager", None, "how is lee's book doing?", "portfolio"),
    ("manager", None, "any escalated tickets across customers?", "portfolio"),
    ("csm", None, "how do I turn on route optimization?", "how_to"),
    ("customer", "hooli", "can dispatchers reassign a batch of jobs at once?", "how_to"),
    ("customer", "hooli", "Where do I change the invoice template?", "how_to"),
    ("customer", "gringotts", "does FieldLoop support SAML?", "how_to"),
    ("customer", "acme", "We keep getting 429 errors from your API, why?", "how_to"),
    ("customer", "acme", "what did you agree to do for us?", "promises"),
    ("customer", "acme", "any update on our open support cases?", "tickets"),
    ("customer", "acme", "what are our objectives for this year?", "success_plan"),
    # Customers asking how the product behaves in words that sound like an account question: the
    # docs answer unless their words name their own records (planner.docs_first).
    ("customer", "acme", "will our customers hear from you before the technician arrives?", "how_to"),
    ("customer", "globex", "what do our clients see when a visit is rescheduled?", "how_to"),
    ("customer", "hooli", "our accounting system was down overnight, did the invoices still go across?", "how_to"),
    ("customer", "contoso", "you said you'd send us a setup guide, where is it?", "promises"),
    ("customer", "globex", "any progress on the outage we reported?", "tickets"),
    ("customer", "acme", "did you book our onboarding workshop yet?", "history"),
]


@pytest.mark.parametrize(("audience", "account", "question", "intent"), CASES, ids=[c[2][:48] for c in CASES])
def test_paraphrase_routes(audience: str, account: str | None, question: str, intent: str) -> None:
    found = plan(question, Audience(audience), account)
    assert found.intent.value == intent, (found.rows, found.scores[:3])
