"""Word lists for synthetic FieldLoop workspaces: people, companies, industries, product features."""

from __future__ import annotations

VENDOR_DOMAIN = "fieldloop.example"

FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Anders", "Ana", "Arjun", "Beatriz", "Ben", "Bianca", "Carlos",
    "Chen", "Chloe", "Dana", "Daniel", "Deepa", "Diego", "Elena", "Emeka", "Emily", "Erik",
    "Fatima", "Felix", "Gabriel", "Grace", "Hana", "Hassan", "Ingrid", "Isaac", "Jamal", "Jana",
    "Jasmine", "Javier", "Jonas", "Julia", "Kenji", "Kofi", "Laila", "Lars", "Leah", "Liam",
    "Lucia", "Maya", "Marco", "Mariana", "Mateo", "Mei", "Mohammed", "Nadia", "Naomi", "Nikhil",
    "Nora", "Olivia", "Omar", "Oscar", "Pablo", "Priya", "Rafael", "Rania", "Ravi", "Rosa",
    "Ruth", "Sam", "Sana", "Sara", "Sebastian", "Shreya", "Sofia", "Stefan", "Tariq", "Tess",
    "Thomas", "Tomas", "Uma", "Valentina", "Victor", "Wei", "Yara", "Yusuf", "Zara", "Zoe",
)

LAST_NAMES = (
    "Abara", "Adeyemi", "Alvarez", "Andersson", "Bauer", "Becker", "Bianchi", "Brennan", "Campbell",
    "Castillo", "Chowdhury", "Costa", "Dubois", "Dunn", "Eriksen", "Fernandes", "Fischer", "Fitzgerald",
    "Garcia", "Goldberg", "Gupta", "Haddad", "Hansen", "Hughes", "Ibrahim", "Ito", "Jensen", "Kaur",
    "Keller", "Kim", "Kowalski", "Larsen", "Lee", "Lindqvist", "Lopez", "Mahmoud", "Martin", "Mendes",
    "Moreau", "Murphy", "Nakamura", "Novak", "Nowak", "Obi", "Okafor", "Olsen", "Ortiz", "Park",
    "Patel", "Perez", "Petrov", "Quinn", "Rahman", "Reyes", "Rossi", "Sato", "Schmidt", "Shah",
    "Silva", "Singh", "Sorensen", "Tanaka", "Thompson", "Torres", "Turner", "Vargas", "Varga", "Walsh",
    "Weber", "Wong", "Yamamoto", "Yilmaz", "Zhang", "Zielinski",
)

# industry -> (name stems that fit it, service nouns used in company names and prose)
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "HVAC services": ("Heating & Air", "Climate Services", "HVAC", "Comfort Systems", "Mechanical"),
    "Plumbing": ("Plumbing", "Pipe & Drain", "Plumbing Co", "Water Works"),
    "Electrical contracting": ("Electric", "Electrical Contractors", "Power Services", "Wiring"),
    "Facilities management": ("Facility Services", "Property Care", "Building Services", "FM Group"),
    "Elevator maintenance": ("Elevator", "Lift Services", "Vertical Transport"),
    "Pest control": ("Pest Control", "Pest Solutions", "Exterminating"),
    "Telecom installation": ("Telecom", "Fiber Services", "Network Installers", "Connect"),
    "Medical equipment service": ("Biomedical", "Medical Equipment Services", "Imaging Service"),
    "Utilities": ("Utilities", "Water District", "Energy Cooperative", "Power & Light"),
    "Security systems": ("Security", "Alarm Systems", "Protection Services"),
    "Solar installation": ("Solar", "Sun Energy", "Renewables", "PV Installers"),
    "Appliance repair": ("Appliance Repair", "Home Services", "Appliance Care"),
    "Fire protection": ("Fire Protection", "Fire & Safety", "Sprinkler Services"),
    "Water treatment": ("Water Treatment", "Water Solutions", "Aqua Services"),
    "Oilfield services": ("Oilfield Services", "Energy Services", "Well Services"),
    "Commercial cleaning": ("Cleaning Services", "Janitorial", "Clean Co"),
    "Landscaping": ("Landscaping", "Grounds Care", "Lawn & Garden"),
    "Garage doors": ("Garage Door", "Door Systems", "Overhead Door"),
}

NAME_STEMS = (
    "Northwind", "Bluepeak", "Granite", "Summit", "Redwood", "Harbor", "Ironclad", "Keystone", "Lakeside",
    "Meridian", "Pinecrest", "Riverside", "Silverline", "Tristate", "Evergreen", "Coastal", "Prairie",
    "Cascade", "Beacon", "Frontier", "Highland", "Liberty", "Pioneer", "Sterling", "Atlas", "Cardinal",
    "Crescent", "Eastgate", "Falcon", "Goldfield", "Horizon", "Juniper", "Magnolia", "Oakridge", "Patriot",
    "Quarry", "Ridgeway", "Sawtooth", "Timberline", "Unity", "Vantage", "Westbrook", "Yellowstone",
    "Zenith", "Apex", "Bayshore", "Canyon", "Delta", "Everest", "Foothill", "Glacier", "Hillcrest",
    "Lone Star", "Midwest", "Northstar", "Old Mill", "Pacific", "Rockport", "Sunbelt", "Tidewater",
    "Valley", "Wolverine", "Anchor", "Bridgeport", "Copperline", "Driftwood", "Elmwood", "Fairview",
)

LEGAL_SUFFIXES = ("", "", "", " Inc.", " LLC", " Group", " Ltd.", " Corp.")

# (segment, weight, (seats low, seats high), plans); ARR follows from seats and the plan's list price
SEGMENTS: tuple[tuple[str, float, tuple[int, int], tuple[str, ...]], ...] = (
    ("enterprise", 0.15, (150, 1500), ("Enterprise", "Enterprise Plus")),
    ("mid_market", 0.35, (40, 300), ("Professional", "Enterprise")),
    ("smb", 0.50, (5, 50), ("Starter", "Professional")),
)
SEAT_PRICE = {"Starter": 420, "Professional": 720, "Enterprise": 1080, "Enterprise Plus": 1500}  # USD per seat-year

# usage feature slug -> human name used in prose
FEATURES: dict[str, str] = {
    "dispatch": "the dispatch board",
    "scheduling": "scheduling",
    "mobile_app": "the technician mobile app",
    "offline_sync": "offline sync",
    "route_optimization": "route optimization",
    "inventory": "inventory and van stock",
    "invoicing": "invoicing",
    "reporting": "reporting dashboards",
    "customer_portal": "the customer portal",
    "api": "the REST API",
    "webhooks": "webhooks",
    "sso": "single sign-on",
}
CORE_FEATURES = ("dispatch", "scheduling", "mobile_app")
PLAN_FEATURES: dict[str, tuple[str, ...]] = {
    "Starter": (*CORE_FEATURES, "invoicing", "reporting"),
    "Professional": (*CORE_FEATURES, "offline_sync", "invoicing", "reporting", "inventory", "customer_portal"),
    "Enterprise": tuple(FEATURES),
    "Enterprise Plus": tuple(FEATURES),
}

LEGACY_TOOLS = (
    "spreadsheets and a whiteboard", "ServiceTitan", "a homegrown Access database", "Jobber", "paper work orders",
    "an old on-prem dispatch system", "Salesforce Field Service", "ServiceMax", "a patchwork of Excel files",
)
INTEGRATIONS = ("QuickBooks", "NetSuite", "SAP", "Salesforce", "HubSpot", "Xero", "Sage")  # one per account
IDENTITY_PROVIDERS = ("Okta", "Azure AD", "Google Workspace", "OneLogin")
TEAMS = ("operations", "dispatch", "field service", "finance", "IT", "service delivery", "regional")
REGIONS = ("the north region", "the Denver branch", "the coastal depot", "the east region", "the main depot",
           "the Phoenix office", "the west region", "the new Atlanta branch", "the Toronto team")

TITLES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "champion": ("Director of Field Operations", "Service Operations Manager", "Head of Dispatch",
                 "Field Service Manager", "Operations Excellence Lead"),
    "sponsor": ("VP Operations", "COO", "VP Field Service", "General Manager", "CEO"),
    "admin": ("Systems Administrator", "IT Manager", "Dispatch Lead", "Business Systems Analyst"),
    "user": ("Dispatcher", "Lead Technician", "Scheduler", "Service Coordinator", "Warehouse Lead",
             "Customer Service Rep"),
    "billing": ("Accounts Payable Specialist", "Controller", "Finance Manager"),
}
