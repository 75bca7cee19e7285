"""Templates for synthetic tickets, survey comments, advocacy notes, handoffs and success-plan objectives.

All strings are `str.format` templates over the slots `bench.workspace_text.Prose` knows.
"""

from __future__ import annotations

# --- handoff notes (sales -> CS): long, several sentences -------------------------------------
HANDOFF_LINES = (
    ("Closed-won: {term}-year deal, {seats} seats on the {plan} plan, ${arr} ARR.",
     "Signed {term}-year contract for {seats} seats ({plan}), ${arr} per year."),
    ("They are replacing {legacy}.", "Today they run dispatch on {legacy}.",
     "Coming from {legacy}; expect change-management work."),
    ("Champion is {champion}; executive sponsor is {sponsor}.",
     "{champion} drove the evaluation, {sponsor} signed."),
    ("Main goals: fewer truck rolls, faster invoicing and better visibility for dispatch.",
     "Their goal is to raise first-time fix rate and cut drive time by a fifth.",
     "They bought mainly for route optimization and the offline-capable mobile app.",
     "Success for them means invoices out the same day and no paper on the trucks."),
    ("Go-live target is {date} for {region}, the rest later.", "They want to be live before their busy season."),
    ("Risks: the {integration} integration and a skeptical dispatch team.",
     "Risk: the IT team is small and stretched.",
     "Risk: technicians in {region} have poor coverage, so offline sync must work from day one.",
     "Risk: their data is messy, {big} duplicate customer sites to clean up."),
    ("Promised in the sales cycle: a dedicated onboarding engineer for the first 60 days.",
     "Sales promised a training session per branch.", "We promised a {integration} connector by go-live.",
     "No special promises beyond the standard onboarding."),
)

# --- tickets ----------------------------------------------------------------------------------
TICKET_SUBJECTS: dict[str, tuple[str, ...]] = {
    "dispatch": ("Dispatch board slow to load", "Jobs disappear from the dispatch board after drag and drop",
                 "Cannot reassign a job to another technician", "Dispatch board shows wrong time zone"),
    "scheduling": ("Recurring maintenance visits not generated", "Appointment windows off by one hour",
                   "Scheduling conflicts not flagged", "Calendar export missing recurring jobs"),
    "mobile_app": ("Technician app crashes when adding photos", "Signature capture blank on Android",
                   "App logs technicians out every day", "Checklist items not saving on iOS"),
    "offline_sync": ("Offline jobs not syncing after reconnect", "Duplicate work orders after offline sync",
                     "Sync stuck at 'pending' for some technicians"),
    "route_optimization": ("Route optimization ignores time windows", "Optimized routes cross the river twice",
                           "Route optimization times out for large regions"),
    "inventory": ("Van stock counts wrong after transfer", "Parts not deducted when job is completed",
                  "Reorder point alerts not sent"),
    "invoicing": ("Invoice PDF missing line items", "Tax calculated twice on invoices",
                  "Invoices not exported to {integration}", "Wrong currency on invoice"),
    "reporting": ("Dashboard numbers differ from export", "Scheduled report not delivered",
                  "First-time fix report shows zero"),
    "customer_portal": ("Portal booking page shows no slots", "Customers cannot reset portal password",
                        "Portal branding reverted to default"),
    "api": ("API returns 429 on small batch jobs", "API pagination skips records", "API token expired early"),
    "webhooks": ("Webhook deliveries failing with 500", "Webhook payload missing custom fields",
                 "Duplicate webhook events for job updates"),
    "sso": ("SSO login loop with {idp}", "New users not provisioned via SCIM", "SAML certificate rotation"),
}
SEV1_SUBJECTS = ("Outage: technician app cannot sync any jobs", "Dispatch board down for all dispatchers",
                 "Invoices posted twice to {integration}", "SSO login failing for all users via {idp}",
                 "Completed work orders missing since last release")
TICKET_IMPACT = {
    1: ("All technicians in {region} are blocked; work has stopped.", "No one can log in; {big} jobs at risk today.",
        "Business critical: customers are being double-billed."),
    2: ("{n} dispatchers are affected and working around it manually.", "Affects {region}; about {big} jobs a day.",
        "Workaround exists but costs the team hours every day."),
    3: ("Affects {n} users.", "Annoying but there is a workaround.", "Happens a few times a week."),
    4: ("Cosmetic issue.", "Question, not urgent.", "Low impact, one user reported it."),
}
TICKET_DETAIL = ("Started on {date_past} after the latest release.",
                 "Reported by {contact_first} from the {team} team.",
                 "Steps: open {feature}, filter by {region}, save. Expected the change to persist; it did not.",
                 "Seen on {n} devices so far.", "Customer attached screenshots and a HAR file.",
                 "Only happens for jobs with more than {n} line items.", "Could be related to the {integration} sync.")

# --- surveys ----------------------------------------------------------------------------------
NPS_COMMENTS = {
    "promoter": ("Dispatch is so much easier now.", "The mobile app is a game changer for our technicians.",
                 "Great support and a CSM who actually knows our business.", "Route optimization paid for itself.",
                 "We invoice the same day now.", "Best field service tool we have used.",
                 "{csm_first} is always one step ahead of us.", "Our technicians actually like using it.",
                 "{feature_cap} saves our dispatchers hours every week.", "Onboarding was smooth.",
                 "Keep it up!", "Would recommend to any service company."),
    "passive": ("Good product, a few rough edges in {feature}.", "Works well, reporting could be better.",
                "Solid, but the last release had bugs.", "Pricing is on the high side.",
                "Does the job.", "Support is fine but could be faster.", "We would like more flexibility in {feature}.",
                "Still learning how to use {feature}.", "Mostly happy."),
    "detractor": ("Sync problems keep costing us jobs.", "Support is slow and the same bugs keep coming back.",
                  "Too expensive for what we get.", "We are not getting the value we were promised.",
                  "The app is unreliable in the field.", "Technicians hate the new release.",
                  "Nobody follows up on what they promise.", "{feature_cap} has been broken for weeks.",
                  "We are looking at alternatives.", "Reporting numbers do not match our own."),
}
CSAT_COMMENTS = {
    "high": ("Quick fix, thanks!", "Support was fast and friendly.", "Solved in one reply.", ""),
    "mid": ("Took a while but it got solved.", "OK.", ""),
    "low": ("Took days to get an answer.", "Issue came back the next week.", "Had to escalate to get attention."),
}

# --- advocacy ---------------------------------------------------------------------------------
ASK_NOTES = {
    "social_share": ("LinkedIn post about their go-live", "share our launch post on social media"),
    "review": ("review on G2", "review on Capterra"),
    "quote": ("quote for the {feature} press release", "quote for our website"),
    "reference_call": ("reference call with a prospect in {industry}", "reference call for an enterprise deal"),
    "case_study": ("case study about {feature}", "joint case study on drive-time savings"),
    "webinar": ("webinar on {feature} with our product team", "customer panel webinar"),
    "speaking": ("speaking slot at FieldLoop Connect", "talk at the regional user group"),
    "other": ("beta feedback session on {feature}", "participation in a pricing survey"),
}
GIVE_NOTES = {
    "free_service": ("free data clean-up of {big} customer sites", "waived overage for {n} extra seats"),
    "training": ("free onsite training in {region}", "extra dispatcher training for {n} people"),
    "exec_access": ("dinner with our CEO at FieldLoop Connect", "roadmap session with our VP Product"),
    "feature_delivered": ("shipped their request: {feature} improvements",
                          "delivered the custom export they asked for"),
    "intro": ("intro to a {integration} implementation partner", "intro to a peer customer in {industry}"),
    "promotion": ("featured them in our customer newsletter", "promoted their hiring post to our network"),
    "other": ("early access to the {feature} beta", "extended sandbox access"),
}

# --- success plans ------------------------------------------------------------------------------
# (title, kpi, baseline, target) with baseline and target as (low, high) ranges; target lower = reduce
OBJECTIVES = (
    ("Cut median ticket resolution time", "median_resolution_hours", (30, 60), (16, 28)),
    ("Raise first-time fix rate", "first_time_fix_rate_pct", (62, 74), (80, 90)),
    ("Reduce average drive time per job", "avg_drive_minutes", (35, 55), (22, 32)),
    ("Invoice within a day of job completion", "days_to_invoice", (4, 9), (1, 1)),
    ("Get every technician on the mobile app", "mobile_adoption_pct", (20, 50), (90, 100)),
    ("Eliminate paper work orders", "paper_work_orders_per_week", (150, 600), (0, 10)),
    ("Increase completed jobs per technician per day", "jobs_per_tech_day", (3, 4), (5, 6)),
    ("Move bookings to the customer portal", "portal_bookings_pct", (0, 5), (25, 40)),
    ("Cut repeat visits caused by missing parts", "repeat_visits_parts_pct", (9, 15), (3, 5)),
)
MILESTONES = ("Dispatch module live", "Technicians trained in {region}", "{integration} integration live",
              "Route optimization pilot", "Offline sync enabled for all vans", "Customer portal launched",
              "Reporting dashboards agreed", "Data migration from {legacy} complete", "SSO enforced",
              "Inventory counts loaded", "Executive review of results")
