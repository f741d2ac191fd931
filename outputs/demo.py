"""The demo: the Connecting Policy with Practice programme (Institute for Government and Big Lottery Fund).

Content follows the programme's 2014-15 report (seeds/programme-report-2014-15.txt): its five disconnects,
two exam questions, eight findings, workshops, roundtables and case studies, and the kinds of organisation in
its Annex A. The organisations are real; every person is fictional. Dates are anchored to today so that the
2014-15 cohort is running: two workshops behind it, two ahead, step 2 due next week.

`demo_load()` deletes any earlier demo data and rebuilds it in one transaction, so running it twice leaves
the same rows. Pairs, steps, moves and activities are written through pairs.services, so every pair rule holds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Event,
    ExternalGuest,
    Finding,
    Insight,
    Membership,
    Question,
    Side,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from cohorts.services import (
    attendance_mark,
    attendance_reply,
    event_create,
    guest_add,
    insight_record,
    membership_create,
)
from outputs.models import Output, YearEndReport
from pairs.models import Activity, LearningPair, PairMember, Step, StepDeadline, StepProgress
from pairs.services import activity_create, member_move, membership_withdraw, pair_create, step_update
from programme.models import Disconnect, Organisation, PolicyArea, Programme, Sector, User

DEMO_PASSWORD = "pairwise-demo"  # noqa: S105 - a published demo password, never a real one
DEMO_EMAIL_DOMAIN = "pairwise.test"
PROGRAMME_SLUG = "connecting-policy-with-practice"

DEMO_LOGINS: list[tuple[str, str]] = [
    ("manager@pairwise.test", "Programme manager: staff and superuser, sees every cohort and the admin"),
    ("facilitator@pairwise.test", "Facilitator of the 2014-15 cohort (not staff)"),
    ("policymaker@pairwise.test", "Policymaker (DWP) in pair 6 of 2014-15: active, at step 2"),
    ("practitioner@pairwise.test", "Practitioner (Talent Match Staffordshire) in the same pair 6"),
    ("other@pairwise.test", "Policymaker (Department of Health) in pair 7, another pair of 2014-15"),
]

CG, LA, VCS, OTHER = Sector.CENTRAL_GOVERNMENT, Sector.LOCAL_AUTHORITY, Sector.VOLUNTARY, Sector.OTHER
PM, PR = Side.POLICYMAKER, Side.PRACTITIONER
CARLTON_GARDENS = "Institute for Government, 2 Carlton Gardens, London SW1Y 5AA"

# --- Organisations: the report's partners, Annex A and the departments it targeted ---------------------------

ORGANISATIONS: dict[str, str] = {
    "Institute for Government": OTHER,
    "Big Lottery Fund": OTHER,
    "Cabinet Office": CG,
    "Department for Work and Pensions": CG,
    "Department of Health": CG,
    "Home Office": CG,
    "Ministry of Justice": CG,
    "Department for Communities and Local Government": CG,
    "Department for Education": CG,
    "Department for Business, Innovation and Skills": CG,
    "HM Treasury": CG,
    "Islington Council": LA,
    "Cheshire West and Chester Council": LA,
    "Shelter": VCS,
    "Groundwork": VCS,
    "Certitude": VCS,
    "London Youth": VCS,
    "Your Consortium": VCS,
    "Freshwinds": VCS,
    "Brighton Housing Trust": VCS,
    "Plus Dane Housing Group": VCS,
    "Brighter Futures": VCS,
    "Talent Match Staffordshire": VCS,
    "Amy Winehouse Foundation": VCS,
    "Birmingham Voluntary Services Council": VCS,
    "Emmanuel House Day Centre": VCS,
    "Merseyside Youth Association": VCS,
    "Addaction": VCS,
    "Revolving Doors Agency": VCS,
}


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    organisation: str
    job_title: str
    interests: tuple[str, ...] = ()
    bio: str = ""
    email: str = ""

    @property
    def address(self) -> str:
        """The login: a fixed demo address, or firstname.lastname@pairwise.test."""
        local_part = self.name.lower().replace(" ", ".").replace("'", "")
        return self.email or f"{local_part}@{DEMO_EMAIL_DOMAIN}"


STAFF = [
    Person(
        "manager",
        "Alison Carter",
        "Institute for Government",
        "Programme Manager, Connecting Policy with Practice",
        ("Open policymaking",),
        "Runs the programme day to day.",
        email="manager@pairwise.test",
    ),
    Person(
        "facilitator",
        "Ben Hartley",
        "Institute for Government",
        "Researcher and facilitator",
        ("Open policymaking", "Commissioning"),
        "Facilitates the 2014-15 workshops and writes the year-end report.",
        email="facilitator@pairwise.test",
    ),
]

# 2014-15: fifteen policymakers and fifteen practitioners, one per Annex A organisation slot.
MEMBERS_2014: list[tuple[str, Person]] = [
    (
        PM,
        Person(
            "rachel",
            "Rachel Oduya",
            "Cabinet Office",
            "Deputy Director, Digital Inclusion (Government Digital Service)",
            ("Digital inclusion", "Service user engagement"),
        ),
    ),
    (
        PM,
        Person(
            "daniel",
            "Daniel Asante",
            "Home Office",
            "Head of Ending Gang and Youth Violence policy",
            ("Gangs and youth violence", "Youth employment"),
        ),
    ),
    (
        PM,
        Person(
            "simon",
            "Simon Fairweather",
            "Department of Health",
            "Policy lead, drug and alcohol recovery",
            ("Substance misuse and recovery", "Multiple and complex needs"),
        ),
    ),
    (
        PM,
        Person(
            "owen",
            "Owen Maddox",
            "Department for Work and Pensions",
            "Policy adviser, employment support",
            ("Welfare and benefits", "Substance misuse and recovery"),
        ),
    ),
    (
        PM,
        Person(
            "catherine",
            "Catherine Lowe",
            "Department for Work and Pensions",
            "Deputy Director, commissioning",
            ("Commissioning", "Social investment"),
        ),
    ),
    (
        PM,
        Person(
            "hannah",
            "Hannah Whitlock",
            "Department for Work and Pensions",
            "Policy adviser, youth employment",
            ("Youth employment", "Welfare and benefits"),
            "Works on employment support for young people; keen to see how policy lands in jobcentres.",
            email="policymaker@pairwise.test",
        ),
    ),
    (
        PM,
        Person(
            "olivia",
            "Olivia Grant",
            "Department of Health",
            "Senior policy manager, mental health",
            ("Mental health", "Commissioning"),
            email="other@pairwise.test",
        ),
    ),
    (
        PM,
        Person(
            "james",
            "James Whitfield",
            "Department for Education",
            "Policy adviser, 16-19 participation",
            ("Youth employment", "Education and skills"),
        ),
    ),
    (
        PM,
        Person(
            "andrew",
            "Andrew Pryce",
            "Department for Communities and Local Government",
            "Policy adviser, homelessness",
            ("Homelessness", "Housing"),
        ),
    ),
    (
        PM,
        Person(
            "richard",
            "Richard Ellison",
            "Ministry of Justice",
            "Policy manager, offender rehabilitation",
            ("Offending and rehabilitation",),
        ),
    ),
    (
        PM,
        Person(
            "fiona",
            "Fiona Marsh",
            "Cabinet Office",
            "Policy adviser, open policymaking",
            ("Open policymaking", "Service user engagement"),
        ),
    ),
    (
        PM,
        Person(
            "nadia",
            "Nadia Rahman",
            "Ministry of Justice",
            "Policy adviser, resettlement",
            ("Offending and rehabilitation", "Housing"),
        ),
    ),
    (
        PM,
        Person(
            "victoria",
            "Victoria Bell",
            "Department for Work and Pensions",
            "Policy adviser, Youth Contract",
            ("Youth employment", "Service user engagement"),
        ),
    ),
    (
        PM,
        Person(
            "stephen",
            "Stephen Clarke",
            "Department for Communities and Local Government",
            "Policy manager, Troubled Families Programme",
            ("Troubled families", "Commissioning"),
        ),
    ),
    (
        PM,
        Person(
            "imogen",
            "Imogen Price",
            "Cabinet Office",
            "Policy lead, agile policy design",
            ("Open policymaking", "Service user engagement"),
        ),
    ),
    (
        PR,
        Person(
            "gemma",
            "Gemma Hollis",
            "Birmingham Voluntary Services Council",
            "Learning and Evaluation Manager, Birmingham Changing Futures Together",
            ("Multiple and complex needs", "Service user engagement"),
        ),
    ),
    (
        PR,
        Person(
            "laura",
            "Laura Pemberton",
            "London Youth",
            "Head of Talent Match London",
            ("Youth employment", "Service user engagement"),
        ),
    ),
    (
        PR,
        Person(
            "kieran",
            "Kieran Doyle",
            "Amy Winehouse Foundation",
            "Fulfilling Lives lead, Blackpool",
            ("Substance misuse and recovery", "Service user engagement"),
        ),
    ),
    (
        PR,
        Person(
            "siobhan",
            "Siobhan Kerr",
            "Islington Council",
            "Senior Commissioning Manager, substance misuse",
            ("Commissioning", "Substance misuse and recovery"),
        ),
    ),
    (
        PR,
        Person(
            "martin",
            "Martin Hargreaves",
            "Brighter Futures",
            "Director, Voices of Stoke",
            ("Multiple and complex needs", "Commissioning"),
        ),
    ),
    (
        PR,
        Person(
            "marcus",
            "Marcus Reid",
            "Talent Match Staffordshire",
            "Partnership manager",
            ("Youth employment", "Welfare and benefits"),
            "Runs the Talent Match partnership in Staffordshire, supporting young people far from the labour market.",
            email="practitioner@pairwise.test",
        ),
    ),
    (
        PR,
        Person(
            "tom",
            "Tom Okafor",
            "Certitude",
            "Service manager, community connecting",
            ("Mental health", "Multiple and complex needs"),
        ),
    ),
    (
        PR,
        Person(
            "amira",
            "Amira Hussain",
            "Your Consortium",
            "Youth engagement coordinator",
            ("Youth employment", "Service user engagement"),
        ),
    ),
    (
        PR,
        Person(
            "claire",
            "Claire Ashworth",
            "Plus Dane Housing Group",
            "Head of supported housing",
            ("Housing", "Multiple and complex needs"),
        ),
    ),
    (
        PR,
        Person(
            "bernadette",
            "Bernadette Quinn",
            "Emmanuel House Day Centre",
            "Centre manager",
            ("Homelessness", "Offending and rehabilitation"),
        ),
    ),
    (PR, Person("gareth", "Gareth Rowlands", "Freshwinds", "Project lead", ("Multiple and complex needs",))),
    (
        PR,
        Person(
            "paul",
            "Paul Dempsey",
            "Shelter",
            "Service manager, prison housing advice",
            ("Housing", "Offending and rehabilitation"),
        ),
    ),
    (
        PR,
        Person(
            "jordan",
            "Jordan Mitchell",
            "Merseyside Youth Association",
            "Youth voice worker",
            ("Youth employment", "Service user engagement"),
        ),
    ),
    (
        PR,
        Person(
            "joanne",
            "Joanne Pritchard",
            "Brighton Housing Trust",
            "Complex needs service manager",
            ("Multiple and complex needs", "Troubled families"),
        ),
    ),
    (
        PR,
        Person(
            "samuel",
            "Samuel Adeyemi",
            "Groundwork",
            "Programme manager, employment projects",
            ("Youth employment", "Service user engagement"),
        ),
    ),
]

# 2013: a smaller, concluded first cohort.
MEMBERS_2013: list[tuple[str, Person]] = [
    (
        PM,
        Person(
            "y1-lena",
            "Lena Forsyth",
            "Department for Work and Pensions",
            "Policy adviser, worklessness",
            ("Welfare and benefits",),
        ),
    ),
    (PM, Person("y1-graham", "Graham Whitely", "HM Treasury", "Spending team, welfare", ("Social investment",))),
    (
        PM,
        Person(
            "y1-priya",
            "Priya Desai",
            "Department for Business, Innovation and Skills",
            "Policy adviser, skills",
            ("Education and skills",),
        ),
    ),
    (PM, Person("y1-mark", "Mark Tennant", "Home Office", "Policy adviser, drugs", ("Substance misuse and recovery",))),
    (
        PM,
        Person("y1-ruth", "Ruth Gallagher", "Department of Health", "Policy manager, integration", ("Commissioning",)),
    ),
    (PM, Person("y1-david", "David Onuoha", "Cabinet Office", "Office for Civil Society", ("Social investment",))),
    (
        PM,
        Person(
            "y1-emma",
            "Emma Sinclair",
            "Department for Education",
            "Policy adviser, NEET prevention",
            ("Youth employment",),
        ),
    ),
    (PR, Person("y1-carl", "Carl Benson", "Addaction", "Service manager", ("Substance misuse and recovery",))),
    (
        PR,
        Person(
            "y1-maria",
            "Maria Costa",
            "Revolving Doors Agency",
            "Policy and participation officer",
            ("Service user engagement",),
        ),
    ),
    (
        PR,
        Person(
            "y1-neil", "Neil Abbott", "Cheshire West and Chester Council", "Commissioning manager", ("Commissioning",)
        ),
    ),
    (PR, Person("y1-yasmin", "Yasmin Clarke", "London Youth", "Youth programmes lead", ("Youth employment",))),
    (PR, Person("y1-tony", "Tony Marsden", "Shelter", "Service manager", ("Homelessness",))),
    (PR, Person("y1-helen", "Helen Brooke", "Groundwork", "Partnership manager", ("Youth employment",))),
    (PR, Person("y1-sean", "Sean Kavanagh", "Certitude", "Operations manager", ("Mental health",))),
]

PAIRS_2013 = [
    ("y1-lena", "y1-carl", 1, "Designing employment support around the whole person in recovery"),
    ("y1-graham", "y1-neil", 2, "Payment by results and what it asks of small providers"),
    ("y1-priya", "y1-helen", 2, "Short-term grants and the space for preventive services"),
    ("y1-mark", "y1-maria", 1, "Putting people with lived experience into service design"),
    ("y1-ruth", "y1-sean", 3, "Local partnerships across health, housing and probation"),
    ("y1-david", "y1-tony", 3, "How the voluntary sector's skills get lost as policy trickles down"),
    ("y1-emma", "y1-yasmin", 1, "Young people's views in the design of NEET services"),
]

# --- The programme's ideas: disconnects, questions, findings --------------------------------------------------

DISCONNECTS = [
    (
        "Policy operates in silos; people need whole-person services",
        "People's lives, particularly those who are vulnerable and excluded, are messy and complicated. Services work "
        "best when they deal with the whole person, start with their needs and collaborate across different agencies.",
        "Policy too often operates in silos at both national and local levels and doesn't allow enough time for "
        "collaborations to form.",
    ),
    (
        "Long-term problems meet short-term policy",
        "Long-term policy problems require long-term thinking.",
        "Policy chops and changes, and the policy and funding environments in which practice operates lack stability.",
    ),
    (
        "Prevention is valued but hard to fund",
        "Services which prevent complex problems from escalating are, in principle, valuable and cost-effective.",
        "Finding the space to create such services and to prove the benefits is difficult in a constrained and often "
        "siloed funding environment.",
    ),
    (
        "Good intentions get lost on the way down",
        "Good policy intentions, such as making better use of the distinctive skills of the voluntary sector, often "
        "arrive on the ground changed beyond recognition.",
        "Intentions get lost as policy trickles down to the real world through different levels and is re-interpreted.",
    ),
    (
        "Service users are treated as problems, not assets",
        "Customer insights and in-depth understanding of service users, including a direct role for them in design and "
        "delivery of services, can be used to great effect.",
        "Too often the policy discussion is about problems rather than assets.",
    ),
]

THEMES_2013 = [
    ("Service design", "How can services be designed around the people who use them?", (0, 4)),
    ("Funding models", "How do funding and payment models shape what services can do?", (1, 2)),
    (
        "Partnership and collaboration",
        "What helps local partners, and central and local government, work together?",
        (0, 3),
    ),
]

QUESTIONS_2014 = [
    (
        "Engaging service users",
        "How can we more systematically make better use of the assets, experience and engagement of service users in "
        "the design and delivery of services?",
        (4,),
    ),
    (
        "Whole-person services",
        "How can we move towards policy and services that operate on the principle that complex problems require "
        "whole-person solutions?",
        (0,),
    ),
]

FINDINGS = {
    1: [
        (
            "Match your engagement methods to your aims",
            "There are many ways of involving service users in policy and in services, from large-scale consultation to "
            "full co-production. Policymakers and service designers need to understand this range and pick the model "
            "that is most appropriate to their particular goal.\n\nFor simpler, transactional services, intensive "
            "engagement risks 'gold-plating'; where services are bespoke and aimed at vulnerable or 'hard to reach' "
            "clients, investment in understanding service users is likely to produce more responsive and effective "
            "services. The right model also depends on where you sit in the system and on your policymaking process: "
            "an 'agile' process can work with a standing service user panel in a way a single uniform solution cannot.",
        ),
        (
            "Know how to find your service users",
            "Effective engagement involves upfront effort to identify and reach out to service users, especially those "
            "labelled 'hard to reach', in the most suitable way.\n\nFor Whitehall policymakers service users can feel "
            "far removed: one said, 'I wouldn't know where to begin in trying to contact a service user.' Trusted "
            "independent 'brokers' could lessen the cost of finding willing participants, and engagement must be "
            "reciprocal: half-hearted engagement risks doing more harm than good.",
        ),
        (
            "Ensure adequate resources and capability",
            "Ongoing effort is needed to ensure that service user voices are genuinely making a difference. Across "
            "different models of engagement this requires certain skills, whether it be the empathy of someone with "
            "'lived experience' of services or the data skills needed by people gathering larger-scale customer "
            "insights.\n\nThe cost of implementing ill-founded policy will be greater than the cost of doing the right "
            "groundwork.",
        ),
        (
            "Think carefully about your use of language",
            "Jargon, negative phrasing and labelling can alienate service users. Across all levels of the service "
            "delivery chain, professionals need to be aware of the effects of their language and work with service "
            "users to adapt and get it right.\n\nHard and fast rules about words date quickly; building user testing and "
            "feedback on language into services is the more practical way forward.",
        ),
    ],
    2: [
        (
            "Invest in local collaboration",
            "Joined-up services mean that different organisations must work well together. Establishing and maintaining "
            "effective collaboration takes time and skill that is not always accounted for in commissioning "
            "processes.\n\nParticipants suggested longer lead-in times during commissioning, specific funding lines for "
            "partnership development, and better ways of assessing the quality of partnerships. Trust 'acts as the main "
            "currency in effective partnerships'.",
        ),
        (
            "Get the central-local 'division of labour' right",
            "It is an essential part of the modern policymaker's role to understand what happens to their policy on the "
            "ground. As central policymaking becomes more about 'systems stewardship' rather than top-down delivery "
            "chains, policymakers should become better at recognising the benefits of working at different levels "
            "within the system and think strategically about the distribution of powers and functions.",
        ),
        (
            "Be sensitive to problems around transition and continuity of services",
            "New national programmes can disrupt existing good practice and partnership on the ground if they are not "
            "co-ordinated effectively with local services or do not build in transition periods. Policymakers must be "
            "sensitive to existing arrangements, and plan for continuity 'while the dust settles' rather than leave it "
            "to ad-hoc fixes.",
        ),
        (
            "Build the desire for whole-person services into the aims and processes of commissioning",
            "Commissioning can be an effective tool to encourage more joined-up working. Pooled budgets, social impact "
            "bonds, 'black box' commissioning and competitive dialogue could all work, but commissioners need the right "
            "skills and understanding to use these, and a better understanding of the complexity of service users' "
            "lives.",
        ),
    ],
}

# --- Pairs of 2014-15: who, which question, how far, what they did --------------------------------------------


@dataclass(frozen=True)
class Visit:
    """An activity: days relative to today, kind, hours, place, learning, private notes, who went."""

    days: int
    kind: str
    hours: str
    place: str
    learning: str
    private_notes: str = ""
    who: str = "both"  # "both", "pm", "pr" or "all" (every current member)


@dataclass(frozen=True)
class PairPlan:
    policymaker: str
    practitioner: str
    question: int
    angle: str
    done: list[tuple[int, str]] = field(default_factory=list)  # (completed, days relative to today; summary)
    working_on: str = ""  # summary so far of the step in progress
    visits: list[Visit] = field(default_factory=list)


A = Activity.Kind
PAIRS_2014: list[PairPlan] = [
    PairPlan(
        "rachel",
        "gemma",
        1,
        "Comparing two approaches to consultation",
        done=[
            (
                -100,
                "Government's digital inclusion team builds its picture of users from personas and demographic data, "
                "while Birmingham Changing Futures Together is guided by a group of Experts by Experience with lived "
                "experience of homelessness, poor mental health, offending and substance misuse. The people the "
                "digital inclusion policies are aimed at are rarely in the room where they are made.",
            ),
            (
                -62,
                "Why it happens: national policy works at a scale where personas and survey data feel like the only "
                "practical way to represent users, and officials have no route to people with complex needs. Who is "
                "involved: the policy team, its user researchers, the Experts and the project staff who support them. "
                "Our question: could bringing policymakers into the same space as people who have experienced "
                "significant life challenges lead to better policy conclusions?",
            ),
            (
                -35,
                "We tested draft digital inclusion proposals directly with the Birmingham Experts. Direct engagement let "
                "the policymaker check the Experts understood the evidence and policy drivers, correct misreadings and "
                "refine proposals in the room: many of the benefits of a citizens' jury.",
            ),
            (
                -12,
                "Actions: the policy team adds a session with people with complex needs to its user research for the "
                "next iteration of the strategy; the project offers its Experts' panel to other government teams. "
                "Output: a case study comparing the two approaches to consultation.",
            ),
        ],
        visits=[
            Visit(
                -130,
                A.MEETING,
                "2",
                CARLTON_GARDENS,
                "Agreed to compare the Experts by Experience with the digital inclusion team's personas.",
                "Rachel's diary is tight until the strategy is published: aim for Fridays.",
            ),
            Visit(
                -110,
                A.LOCAL_SERVICE_VISIT,
                "6",
                "Birmingham Changing Futures Together",
                "The Experts meet monthly, are trained before sitting on panels and are paid their expenses.",
                "Two Experts asked not to be quoted by name.",
            ),
            Visit(
                -75,
                A.DEPARTMENT_VISIT,
                "4",
                "Government Digital Service, Aviation House",
                "User research here is rigorous but rarely reaches people with complex needs.",
            ),
            Visit(
                -45,
                A.SERVICE_USER_ENGAGEMENT,
                "5",
                "Birmingham Changing Futures Together",
                "Tested three digital inclusion proposals with eight Experts; the assisted digital one changed most.",
                "One Expert was unwell on the day: follow up by phone.",
            ),
            Visit(-14, A.DESK_RESEARCH, "3", "", "Read up on citizens' juries to frame the write-up.", who="pm"),
        ],
    ),
    PairPlan(
        "daniel",
        "laura",
        1,
        "The language policy and services use about young people",
        done=[
            (
                -104,
                "Labels such as 'NEET', 'hard to reach' and 'gang member' run through policy documents and services. "
                "Young people on Talent Match London tell us they don't recognise themselves in these words, and some "
                "disengage because of them.",
            ),
            (
                -58,
                "The language of policy often trickles down from the media and political lexicon, and professionals use "
                "labels as shorthand without noticing their effect. Involved: ministers and press offices, policy teams "
                "writing guidance, commissioners writing specifications, front-line staff. A young woman told us this "
                "was the first service that hadn't called her a 'NEET' to her face.",
            ),
            (
                -30,
                "Rules about words to avoid date quickly and don't travel between audiences. More promising: testing "
                "language with service users, asking people how they would like to be referred to, and framing policy "
                "around where people want to be rather than their problems.",
            ),
            (
                -9,
                "We publish 'top tips' for government and commissioners and for service providers; Talent Match London "
                "will pilot different verbal and written approaches with young people and track the outcomes.",
            ),
        ],
        visits=[
            Visit(
                -128,
                A.MEETING,
                "1.5",
                "Home Office, 2 Marsham Street",
                "Mapped the labels each of us uses at work.",
                "Daniel may move teams in the spring: finish drafting before then.",
            ),
            Visit(
                -112,
                A.LOCAL_SERVICE_VISIT,
                "5",
                "Talent Match London youth hub",
                "Young people would rather be asked what to be called than be labelled.",
            ),
            Visit(
                -83,
                A.DEPARTMENT_VISIT,
                "3.5",
                "Home Office, 2 Marsham Street",
                "'Gang member' is a funding category as well as a label, which makes it hard to drop.",
            ),
            Visit(
                -60,
                A.DESK_RESEARCH,
                "4",
                "",
                "Collected examples from the GOV.UK style guide and youth services' plain-English work.",
                who="pr",
            ),
            Visit(
                -20,
                A.SERVICE_USER_ENGAGEMENT,
                "3",
                "London Youth",
                "Young people tested the draft tips and asked for 'assume less, check more' to come first.",
                "Check with Home Office press office before we publish.",
            ),
        ],
    ),
    PairPlan(
        "simon",
        "kieran",
        1,
        "Creating a service user engagement strategy for a complex needs service",
        done=[
            (
                -97,
                "To win Fulfilling Lives funding, Blackpool had to show active service user engagement in the design, "
                "delivery and evaluation of its complex needs service. National funders ask for engagement but say "
                "little about what makes it genuine rather than tokenistic.",
            ),
            (
                -66,
                "With a VCS organisation leading the bid, service users needed a voice independent of the organisations "
                "they worked with, so they felt free to praise and criticise alike. Involved: the lead partner, a "
                "Service User Lead with lived experience, the new Service User Board, treatment commissioners.",
            ),
            (
                -40,
                "What made it work: an independent service user voice; free training for board members from the "
                "council, colleges and VCS partners; funding for fares and lunches so the board meets often; visible "
                "evidence that service users' input changes the service and leads to real opportunities and jobs.",
            ),
            (
                -18,
                "Output: a case study on creating a service user engagement strategy. The Department of Health partner "
                "will share it with the recovery team reviewing guidance on user involvement in commissioning.",
            ),
        ],
        visits=[
            Visit(
                -125,
                A.EXCHANGE,
                "7.5",
                "Fulfilling Lives Blackpool",
                "Shadowed the Service User Lead for a day: the board's independence is what makes it credible.",
                "Travel booked on the department's budget.",
            ),
            Visit(
                -90,
                A.SERVICE_USER_ENGAGEMENT,
                "3",
                "Service User Board, Blackpool",
                "Board members see fares and lunches being paid as a sign that they are valued.",
            ),
            Visit(
                -70,
                A.DEPARTMENT_VISIT,
                "4",
                "Department of Health, Richmond House",
                "The recovery team wants examples of engagement that commissioners can copy.",
            ),
            Visit(
                -17, A.MEETING, "2", "Video call", "Agreed the case study's structure: what it took, what it achieved."
            ),
        ],
    ),
    PairPlan(
        "owen",
        "siobhan",
        2,
        "Service overlap and transition: two employment services for people in recovery",
        done=[
            (
                -95,
                "In Islington the local authority and the Department for Work and Pensions fund separate services to "
                "help the same people in recovery from drug dependency find work. At first sight it is clear "
                "duplication between central and local government.",
            ),
            (
                -55,
                "Setting aside the obvious explanations, we found three others: shared goals aren't always shared goals "
                "(for DWP work is the end, for the council a means to recovery); what motivates one person won't "
                "motivate another (conditionality can sap motivation in recovery); and local partnerships take time to "
                "form after a major new central policy.",
            ),
            (
                -26,
                "What looked like duplication may be a successful adaptation: after disruption in 2011 the mainstream "
                "and specialist services connected, and both now fund support at arm's length from the benefit system.",
            ),
            (
                -6,
                "We will present the case study to DWP colleagues designing the next employment programme and to "
                "Islington's commissioners. Our ask of policymakers: build transition periods into national programmes.",
            ),
        ],
        visits=[
            Visit(
                -126,
                A.MEETING,
                "2",
                "Islington Town Hall",
                "We both assumed duplication and agreed to test that assumption first.",
            ),
            Visit(
                -105,
                A.LOCAL_SERVICE_VISIT,
                "5",
                "Specialist employment service for people in recovery, Islington",
                "Clients were more motivated when work was their own decision.",
                "The manager was frank about contract renewal worries: keep this off the record.",
            ),
            Visit(
                -85,
                A.DEPARTMENT_VISIT,
                "4",
                "DWP, Caxton House",
                "The 2011 design meant to allow local flexibility; that flexibility isn't always visible on the ground.",
            ),
            Visit(
                -50,
                A.SERVICE_USER_ENGAGEMENT,
                "3",
                "Recovery café, Islington",
                "People in recovery describe conditionality as a reason to avoid mainstream programmes.",
            ),
            Visit(-10, A.DESK_RESEARCH, "2.5", "", "Compared the two contracts' outcome measures.", who="pm"),
        ],
    ),
    PairPlan(
        "catherine",
        "martin",
        2,
        "Competitive dialogue as an alternative to transactional commissioning",
        done=[
            (
                -92,
                "Local authorities too often use transactional rather than relational commissioning: service users and "
                "prospective providers are excluded from design, and tenders are short, define the same inputs and "
                "outputs and go to the same contractors.",
            ),
            (
                -48,
                "Our case: Cheshire West and Chester Council commissioned homeless services through 'competitive "
                "dialogue'. Service users, stakeholders and statutory providers built a shared vision; the council set "
                "broad outcomes and then talked solutions through with potential providers.",
            ),
            (
                -15,
                "Service users shape what good practice looks like; outcomes are met without commissioners fixing the "
                "inputs; providers helped refine payment by results to reduce gaming; trust allowed a 5+1+1 year "
                "contract; the service can evolve over its lifetime.",
            ),
        ],
        working_on="Drafting a how-to guide for commissioners; checking the procurement rules with a council lawyer.",
        visits=[
            Visit(
                -124,
                A.EXCHANGE,
                "7",
                "Voices of Stoke, Stoke-on-Trent",
                "Service users chose the word 'introduction' over 'referral' for how people come to the service.",
            ),
            Visit(
                -100,
                A.DESK_RESEARCH,
                "4",
                "",
                "Read the Cheshire West and Chester tender papers and the competitive dialogue rules.",
                who="pr",
            ),
            Visit(
                -72,
                A.LOCAL_SERVICE_VISIT,
                "6",
                "Cheshire West and Chester homeless services",
                "Providers said the dialogue let them propose approaches a fixed specification would have ruled out.",
                "The commissioner asked to see our draft before it is published.",
            ),
            Visit(
                -40,
                A.DEPARTMENT_VISIT,
                "3",
                "DWP, Caxton House",
                "Presented early findings to a commissioning team; they asked for a short how-to.",
            ),
            Visit(-8, A.MEETING, "1.5", "Video call", "Agreed the outline of the guide."),
        ],
    ),
    PairPlan(
        "hannah",
        "marcus",
        2,
        "Same policy, different jobcentres: work experience and benefit entitlement",
        done=[
            (
                -93,
                "Young people on Talent Match Staffordshire who take up work-experience placements have had their "
                "benefit entitlement questioned at some Jobcentre Plus offices but not at others. DWP colleagues believe "
                "the policy is flexible enough to allow these placements.",
            ),
        ],
        working_on="Collecting cases: so far advisers in three branches read the same guidance differently. Next: talk "
        "to a work coach and a district manager about how guidance reaches the front line.",
        visits=[
            Visit(
                -132,
                A.MEETING,
                "1.5",
                CARLTON_GARDENS,
                "Common ground: we both work on getting young people into work.",
                "Marcus prefers visits on Tuesdays.",
            ),
            Visit(
                -115,
                A.LOCAL_SERVICE_VISIT,
                "6",
                "Talent Match Staffordshire, Stoke-on-Trent",
                "Met four young people on work experience; two had been told their benefits were at risk.",
                "One young person is happy to be quoted by first name only.",
            ),
            Visit(
                -95,
                A.DESK_RESEARCH,
                "3",
                "",
                "The DWP guidance on work experience allows placements of this length.",
                who="pm",
            ),
            Visit(
                -52,
                A.DEPARTMENT_VISIT,
                "4",
                "DWP, Caxton House",
                "The policy team was surprised by the variation: guidance reaches advisers through several layers.",
            ),
            Visit(
                -16,
                A.SERVICE_USER_ENGAGEMENT,
                "2.5",
                "Jobcentre Plus, Stafford",
                "Sat in with a work coach, with the young people's consent: advisers are cautious because they carry "
                "the risk of a wrong decision.",
                "The work coach asked not to be named: keep her out of the report.",
            ),
            Visit(
                -5, A.MEETING, "1", "Video call", "Planned step 2: cases from three more branches before the deadline."
            ),
        ],
    ),
    PairPlan(
        "olivia",
        "tom",
        2,
        "Personal networks and community support for people with mental health problems",
        done=[
            (
                -80,
                "People with mental health problems do better when their personal networks and community support are "
                "strengthened, but services are commissioned around individual interventions and single outcomes.",
            ),
        ],
        working_on="Mapping who commissions what around one person's support, and what evidence national government "
        "would want before backing a networks approach.",
        visits=[
            Visit(-127, A.MEETING, "2", "Certitude, London", "Agreed to look at personal networks and mental health."),
            Visit(
                -98,
                A.LOCAL_SERVICE_VISIT,
                "5",
                "Certitude community connecting project, Lambeth",
                "Connectors help people rebuild networks: the outcomes are real but hard to measure.",
            ),
            Visit(
                -60,
                A.DEPARTMENT_VISIT,
                "3",
                "Department of Health, Richmond House",
                "National teams want trial evidence before backing a networks approach.",
                "Tom found the meeting discouraging; pick the mood up at the next workshop.",
            ),
            Visit(-12, A.DESK_RESEARCH, "3", "", "Gathered evidence on social networks and recovery.", who="pm"),
        ],
    ),
    PairPlan(
        "james",
        "amira",
        1,
        "Young people's voice in the design of programmes for 16-19 year olds",
        done=[
            (
                -91,
                "Young people helped design Your Consortium's Talent Match offer in Leeds, yet national programmes for "
                "16-19 year olds are specified with little direct input from young people.",
            ),
        ],
        working_on="Interviewing the youth panel and two DfE policy teams about how, and when, young people's views "
        "reach programme design.",
        visits=[
            Visit(
                -120, A.MEETING, "2", "Your Consortium, Leeds", "Chose our question and swapped organisation charts."
            ),
            Visit(
                -86,
                A.SERVICE_USER_ENGAGEMENT,
                "3",
                "Talent Match Leeds youth panel",
                "The panel wants to see what changed because of its advice.",
            ),
            Visit(
                -19,
                A.DEPARTMENT_VISIT,
                "3.5",
                "Department for Education, Sanctuary Buildings",
                "Consultations reach young people through schools and colleges, rarely those outside them.",
            ),
        ],
    ),
    PairPlan(
        "andrew",
        "claire",
        2,
        "One client, a dozen services: supported housing and multiple needs",
        done=[
            (
                -94,
                "Tenants with multiple needs are bounced between housing, probation, mental health and substance misuse "
                "services, each with its own assessment. One tenant dealt with more than a dozen agencies in a year.",
            ),
        ],
        working_on="Bernadette joined us from pair 10 and brought the day centre's view: most clients arrive through "
        "its door rather than by referral. We are tracing one client's journey across services.",
        visits=[
            Visit(
                -121,
                A.LOCAL_SERVICE_VISIT,
                "5",
                "Plus Dane supported housing, Liverpool",
                "Key workers spend much of their time repeating assessments for other agencies.",
            ),
            Visit(
                -96,
                A.DEPARTMENT_VISIT,
                "3",
                "DCLG, 2 Marsham Street",
                "Homelessness funding comes in several pots with different conditions.",
            ),
            Visit(
                -35,
                A.MEETING,
                "2",
                "Emmanuel House Day Centre, Nottingham",
                "Welcomed Bernadette and agreed to trace one client's journey together.",
                "Bernadette's partner withdrew: check she has the time for step 2.",
                who="all",
            ),
            Visit(
                -11,
                A.LOCAL_SERVICE_VISIT,
                "6",
                "Emmanuel House Day Centre, Nottingham",
                "The centre sees people before any referral: a natural 'no wrong door'.",
                who="all",
            ),
        ],
    ),
    PairPlan(
        "richard",
        "bernadette",
        2,
        "Resettlement that starts too late and ends at the prison gate",
        done=[
            (
                -96,
                "People leaving short prison sentences arrive at the day centre with no accommodation and no appointment "
                "with probation or the jobcentre.",
            ),
        ],
        visits=[
            Visit(
                -118,
                A.LOCAL_SERVICE_VISIT,
                "5",
                "Emmanuel House Day Centre, Nottingham",
                "Many clients were released on a Friday afternoon with nowhere to go.",
            ),
            Visit(
                -92,
                A.MEETING,
                "1.5",
                "Ministry of Justice, 102 Petty France",
                "Probation reforms will change who meets people at the gate.",
            ),
            Visit(-60, A.DESK_RESEARCH, "2", "", "Read the resettlement evidence for short sentences.", who="pr"),
        ],
    ),
    PairPlan(
        "fiona",
        "gareth",
        1,
        "When service users are consulted only after the specification is fixed",
        working_on="Possible instance: service users are consulted on new services only after the specification "
        "is fixed. We still have to agree which example to take forward.",
        visits=[
            Visit(-122, A.MEETING, "1.5", "Cabinet Office, 70 Whitehall", "Brainstormed possible instances."),
            Visit(
                -45,
                A.DESK_RESEARCH,
                "2",
                "",
                "Read the User Involvement in Voluntary Organisations Shared Learning Group's materials.",
                "No reply to the last two emails from Fiona: raise it with the facilitator?",
                who="pr",
            ),
        ],
    ),
    PairPlan(
        "nadia",
        "paul",
        2,
        "Housing advice for people leaving prison",
        working_on="Looking at how housing advice for prison leavers is split between prison, probation and "
        "local authority housing teams.",
        visits=[
            Visit(-119, A.MEETING, "2", "Shelter, London", "Agreed to focus on housing on release."),
            Visit(
                -63,
                A.LOCAL_SERVICE_VISIT,
                "4",
                "Shelter prison housing advice service",
                "Advisers often meet people only days before release.",
            ),
            Visit(-9, A.DESK_RESEARCH, "2", "", "Collected local authority duties towards prison leavers.", who="pm"),
        ],
    ),
    PairPlan(
        "victoria",
        "jordan",
        1,
        "Young people's voice in employment programme design",
        working_on="Choosing between two instances: the youth forum's exclusion from employment programme "
        "design, and how jobcentre letters read to young people.",
        visits=[
            Visit(-117, A.MEETING, "1.5", "Merseyside Youth Association, Liverpool", "Introductions and first ideas."),
            Visit(
                -40,
                A.SERVICE_USER_ENGAGEMENT,
                "3",
                "Youth voice forum, Liverpool",
                "Young people read three jobcentre letters aloud; none could say what they were asked to do.",
            ),
            Visit(
                -13,
                A.DEPARTMENT_VISIT,
                "3",
                "DWP, Caxton House",
                "The letters are drafted centrally; local offices cannot change them.",
            ),
        ],
    ),
    PairPlan(
        "stephen",
        "joanne",
        2,
        "Paying for whole-person outcomes: 'black box' commissioning and pooled budgets",
        done=[
            (
                -99,
                "Brighton Housing Trust's clients with multiple needs are eligible for several programmes at once, each "
                "paying for a different outcome, so no one owns the whole person.",
            ),
            (
                -45,
                "Services are commissioned around specific life events and judged on single outcomes; 'black box' "
                "commissioning frees providers on how, but each box keeps its own outcome. Involved: DCLG's Troubled "
                "Families team, the council's coordinator, Work Programme providers and the trust's key workers.",
            ),
        ],
        working_on="Exploring pooled budgets and the 'Whole Place' Community Budget pilots as ways to pay for "
        "whole-person outcomes.",
        visits=[
            Visit(
                -123,
                A.EXCHANGE,
                "7",
                "Brighton Housing Trust, Brighton",
                "Key workers juggle three programmes' paperwork for one family.",
            ),
            Visit(
                -88,
                A.DEPARTMENT_VISIT,
                "4",
                "Troubled Families Team, DCLG",
                "Payment by results has made councils count families; some now count needs as well.",
            ),
            Visit(-50, A.DESK_RESEARCH, "3", "", "Read the Community Budgets pilot evaluations.", who="pm"),
            Visit(-7, A.MEETING, "2", "Brighton Housing Trust, Brighton", "Planned interviews with two commissioners."),
        ],
    ),
    PairPlan(
        "imogen",
        "samuel",
        1,
        "Matching engagement methods to the aims of a policy",
        done=[
            (
                -101,
                "Groundwork's service user panel shapes its employment projects week by week; the policy team works in "
                "an 'agile' way but hears from users only through a formal consultation at the end.",
            ),
            (
                -38,
                "Policymakers see a choice between large-scale consultation and nothing. Agile policy development "
                "leaves room to adapt, so a standing panel could work with it; policies needing a single uniform "
                "solution may not. Involved: the policy team, the department's digital team and the panel.",
            ),
        ],
        working_on="Drawing up a spectrum of engagement methods, from customer insight data to co-production, with "
        "when each is worth its cost.",
        visits=[
            Visit(
                -129, A.MEETING, "1.5", "Cabinet Office, 70 Whitehall", "Agreed to compare our two ways of listening."
            ),
            Visit(
                -102,
                A.SERVICE_USER_ENGAGEMENT,
                "3",
                "Groundwork service user panel, London",
                "Panel members expect to hear back what happened to their ideas.",
            ),
            Visit(
                -70,
                A.DEPARTMENT_VISIT,
                "3",
                "Cabinet Office Policy Lab",
                "Policy Lab's ethnography shows what a light-touch version could look like.",
            ),
            Visit(-18, A.EXCHANGE, "7", "Groundwork, London", "A day on the front line of an employment project."),
        ],
    ),
]

PAIR_DEMO, PAIR_OTHER, PAIR_TRIO, PAIR_DISSOLVED, PAIR_STALLED = 6, 7, 9, 10, 11
WITHDRAWN, WITHDRAWN_DAYS, MOVED, MOVED_DAYS = "richard", -50, "bernadette", -40

# --- Outputs ---------------------------------------------------------------------------------------------------

TOP_TIPS_BODY = """Our initial 'top tips' for a more positive approach to language.

## For government and commissioners

- Understand the powerful impact of language on how service users and vulnerable groups are perceived by the public
- Use language that is transformational and focuses on where you want service users to be, rather than a narrow \
focus on the challenges or problems they may have today
- Allow for local and regional variation in the language of services

## For service providers

- Be mindful of and challenge your own language use
- Understand your end-goal and plan your language use accordingly
- Co-production of services with users is an effective way to test out language use; test different approaches and \
be willing to respond
- Assume less, check more
- Make a genuine connection, seeing the interaction as a conversation, not a process

Next we plan a pilot in Talent Match London trying different verbal and written approaches, tracking whether they \
change both the way people feel and the way they act."""

ENGAGEMENT_STRATEGY_BODY = """Blackpool was one of twelve areas selected for the Big Lottery Fund's multiple and \
complex needs programme. To get the funding it had to show active service user engagement in the design, delivery \
and ongoing evaluation of the service.

## How we did it

With a VCS organisation (Addaction) leading the bid, service users were involved from day one, shaping the bid and \
the design of the system. A former service user, employed as Service User Lead, spent six months touring the town's \
complex needs services. A Service User Board now meets quarterly to evaluate progress and suggest changes.

## What made it work

- the service user voice stays independent of the organisations delivering the programme
- comprehensive training for everyone on the board, sourced free from the council, local colleges and VCS partners
- funding for the board to meet often, covering fares and lunches
- evidence that their voice is heard, through their input into the service model and its evaluation
- evidence that their efforts lead to real opportunities: half the programme's staff have lived experience

## What it achieved

Treatment commissioners now employ service users to help write tender specifications and interview providers; \
people with lived experience bring others into services; and the independent service-user organisation is asked \
to advise agencies elsewhere. Really, why wouldn't you do it?"""

CONSULTATION_BODY = """Birmingham Changing Futures Together is supported by a group of Experts by Experience: people \
with lived experience of homelessness, poor mental health, offending and substance misuse. Government's digital \
inclusion team relies on personas and demographic data.

We asked: could bringing policymakers into the same space as people who have experienced significant life \
challenges lead to better policy conclusions? We tested digital inclusion proposals directly with the Experts.

## What we found

- Direct engagement let the policymaker check that the Experts understood the evidence and policy drivers, and \
refine proposals in the light of their feedback, much like a citizens' jury.
- Given the right setting and planning, unique insights can be shared between policymakers and Experts.
- The process itself was positive for everyone involved: 'I was pleased that someone from government could find the \
time to come and see us, listen to our feedback and make changes.'"""


@dataclass(frozen=True)
class OutputPlan:
    pair: int
    kind: str
    title: str
    summary: str
    status: str
    visibility: str
    body: str = ""
    featured: bool = False
    published_days: int | None = None
    due_days: int | None = None
    review_comment: str = ""


ST, V = Output.Status, Output.Visibility
OUTPUTS_2014 = [
    OutputPlan(
        2,
        Output.Kind.TOP_TIPS,
        "Top tips on language use",
        "Initial top tips for policymakers, commissioners and service providers on taking a more positive "
        "approach to the language they use about service users.",
        ST.PUBLISHED,
        V.PUBLIC,
        TOP_TIPS_BODY,
        featured=True,
        published_days=-6,
        due_days=-5,
    ),
    OutputPlan(
        3,
        Output.Kind.CASE_STUDY,
        "Creating a service user engagement strategy",
        "How Blackpool's complex needs programme built an independent service user voice into its design, "
        "delivery and evaluation, and what it took.",
        ST.PUBLISHED,
        V.PUBLIC,
        ENGAGEMENT_STRATEGY_BODY,
        featured=True,
        published_days=-15,
        due_days=-14,
    ),
    OutputPlan(
        1,
        Output.Kind.CASE_STUDY,
        "Comparing two approaches to consultation",
        "Testing digital inclusion policy directly with Experts by Experience, compared with personas and "
        "demographic data.",
        ST.PUBLISHED,
        V.PUBLIC,
        CONSULTATION_BODY,
        featured=True,
        published_days=-10,
        due_days=-7,
    ),
    OutputPlan(
        2,
        Output.Kind.BLOG_POST,
        "Mind your language: do the words policymakers use work?",
        "A practitioner's view of how labels like 'NEET' and 'hard to reach' land with young people.",
        ST.PUBLISHED,
        V.PUBLIC,
        "I will never forget trying to explain to a child with autism and his parents "
        "why he was having a Section 139a meeting at school, and the time it took to translate all the boxes "
        "into plain English.",
        published_days=-40,
    ),
    OutputPlan(
        14,
        Output.Kind.BLOG_POST,
        "Notes from a visit to the Troubled Families team",
        "What a practitioner learned about payment by results from inside DCLG.",
        ST.PUBLISHED,
        V.COHORT,
        "Payment by results has made councils count families; some now count needs as well.",
        published_days=-30,
    ),
    OutputPlan(
        4,
        Output.Kind.CASE_STUDY,
        "Service overlap and transition",
        "Why Islington and DWP fund separate employment services for people in recovery, and why that may be "
        "a successful adaptation rather than duplication.",
        ST.IN_REVIEW,
        V.PUBLIC,
        "1. Shared goals aren't always shared goals.\n2. What motivates one won't always motivate another.\n"
        "3. Rome wasn't built in a day.",
        due_days=10,
        review_comment="Strong. Please add a sentence on what policymakers should do differently.",
    ),
    OutputPlan(
        5,
        Output.Kind.HOW_TO_GUIDE,
        "Competitive dialogue: a how-to guide for commissioners",
        "A step-by-step guide to relational commissioning, based on Cheshire West and Chester's homeless services.",
        ST.DRAFTING,
        V.COHORT,
        "## Before you start\n\nBuild a shared vision with service users.",
        due_days=60,
    ),
    OutputPlan(
        6,
        Output.Kind.SHORT_REPORT,
        "Same policy, different jobcentres",
        "How one DWP policy on work experience is read differently in different Jobcentre Plus offices, and "
        "what that means for young people.",
        ST.DRAFTING,
        V.PAIR,
        "## The question\n\nWhy do young people on work experience hear different answers about their "
        "benefits in different jobcentres?\n\n## Cases so far\n\n- Stafford\n- Stoke-on-Trent\n- Burton",
        due_days=75,
    ),
    OutputPlan(
        15,
        Output.Kind.PRESENTATION,
        "A spectrum of service user engagement",
        "From customer insight to co-production: which method suits which aim.",
        ST.PLANNED,
        V.COHORT,
        due_days=90,
    ),
    OutputPlan(
        7,
        Output.Kind.SHORT_REPORT,
        "Personal networks and mental health",
        "The case, and the evidence, for commissioning support for people's networks.",
        ST.PLANNED,
        V.PAIR,
        due_days=95,
    ),
    OutputPlan(
        9,
        Output.Kind.VIDEO,
        "One client, a dozen services",
        "A short film following one client's journey across local services.",
        ST.PLANNED,
        V.PAIR,
        due_days=100,
    ),
]

# --- Events ----------------------------------------------------------------------------------------------------

WORKSHOPS_2014 = [
    (-140, "1", "Workshop 1: launch and pairing", "The two exam questions and the four refining steps"),
    (-70, "1", "Workshop 2: from instance to case study", "Why disconnects happen, and who is involved"),
    (21, "1", "Workshop 3: exploring solutions", "Comparing pairs' work and finding common themes"),
    (105, "0.5", "Workshop 4: outputs and reflections", "Presenting outputs and reflecting on the year"),
]
ROUNDTABLES_2014 = [
    (
        -100,
        1,
        "Engaging service users for better policy",
        "Service-user 'brokers' between Whitehall and local services",
        [
            ("Ruth Castellano", "Revolving Doors Agency", "Director of policy"),
            ("Michael Adebayo", "Cabinet Office Policy Lab", "Deputy director"),
            ("Sarah Lindqvist", "Fulfilling Lives Blackpool", "Service User Lead"),
        ],
    ),
    (
        -28,
        1,
        "Mind your language",
        "How the language of policy and services affects service users' willingness to engage",
        [
            ("Kwame Boateng", "Youth violence charity", "Founder"),
            ("Lucy Fenwick", "Government Digital Service", "Content designer"),
            ("Peter Holloway", "Big Lottery Fund", "Head of Talent Match"),
        ],
    ),
    (
        45,
        2,
        "Breaking down silos and joining up services",
        "Central and local approaches to whole-person services",
        [
            ("Deborah Grange", "Homelessness charity and housing association", "Chief executive"),
            ("Jonathan Pike", "Department for Communities and Local Government", "Director, Troubled Families"),
            ("Mark Ellery", "Mental health charity", "Director of policy"),
        ],
    ),
]

# (event key, question, speaker key or guest name, text). Event keys: "W1", "R2"...; None for a pair's reflection.
INSIGHTS_2014 = [
    (
        "W1",
        1,
        "owen",
        "Intensive service user engagement on every fiscal decision isn't realistic, but I need a "
        "broader sense of how my policy lands on other parts of the system.",
    ),
    (
        "W1",
        2,
        "claire",
        "Local commissioners scaled up a successful employability service and produced a hollow "
        "impression of the original.",
    ),
    ("W2", 2, "martin", "Trust acts as the main currency in effective partnerships."),
    (
        "W2",
        1,
        "fiona",
        "With the time and resource pressures we face, building very deep relationships with service "
        "users simply isn't realistic.",
    ),
    ("R1", 1, "victoria", "I wouldn't know where to begin in trying to contact a service user."),
    (
        "R1",
        1,
        "Ruth Castellano",
        "Direct interaction with the undiluted voice of service users is very different from "
        "hearing large charities speak on their behalf.",
    ),
    (
        "R1",
        1,
        "Michael Adebayo",
        "Some engagement pays lip service to open policymaking when the outcome is already "
        "decided, and that does more harm than good.",
    ),
    (
        "R2",
        1,
        "laura",
        "I will never forget trying to explain to a child with autism and his parents why he was having "
        "a Section 139a meeting at school, and the time it took to translate the boxes into plain English.",
    ),
    (
        "R2",
        1,
        "marcus",
        "A young woman told us she got involved because this was the first service that hadn't "
        "described her as a 'NEET' to her face.",
    ),
    (
        "R2",
        1,
        "Kwame Boateng",
        "Words like 'scroungers' or 'troubled families' imply motivations that the people "
        "described wouldn't recognise; many young people wouldn't call themselves gang members.",
    ),
    (
        None,
        1,
        "rachel",
        "The boundaries can be pushed further than I'd thought when it comes to writing users into policy processes.",
    ),
    (None, 1, "gemma", "We need to find ways to consult or involve people at the receiving end."),
    (
        None,
        2,
        "catherine",
        "Policy can be about creating the right conditions for change rather than providing "
        "one-size-fits-all solutions.",
    ),
    (
        None,
        2,
        "hannah",
        "I have learned the value of using people's own experiences and perspective to tell a story: "
        "a particularly powerful form of evidence.",
    ),
]

# --- Surveys ---------------------------------------------------------------------------------------------------

SQ = SurveyQuestion.Kind
# (kind, audience, text, choices, answers cycled over respondents)
END_OF_YEAR_QUESTIONS: list[tuple[str, str, str, str, list[object]]] = [
    (SQ.SCALE, PR, "The programme increased my ability to engage with policymakers.", "", [5, 4, 4, 5, 3, 4, 5]),
    (
        SQ.SCALE,
        PR,
        "I understand government structures and how policy is developed better than before.",
        "",
        [5, 4, 5, 4, 4, 5, 4],
    ),
    (SQ.YES_NO, PM, "I am now more aware of the real-life consequences of policymaking.", "", [True]),
    (SQ.SCALE, "all", "I would recommend the programme to a colleague.", "", [5, 4, 5, 3, 4, 5]),
    (
        SQ.CHOICE,
        "all",
        "Which part of the programme was most valuable to you?",
        "Working with my pair\nVisits and exchanges\nWorkshops\nRoundtables\nMeeting the wider cohort",
        [
            "Working with my pair",
            "Visits and exchanges",
            "Meeting the wider cohort",
            "Working with my pair",
            "Workshops",
        ],
    ),
    (
        SQ.YES_NO,
        "all",
        "Do you intend to keep working with your partner after the programme?",
        "",
        [True, True, False, True],
    ),
    (
        SQ.TEXT,
        "all",
        "What will you do differently in your work as a result of the programme?",
        "",
        [
            "Get out of the office at least a day a month.",
            "Involve our service user panel earlier.",
            "Push back on 'policy as blueprint'.",
            "Invite policymakers to see our service.",
        ],
    ),
    (
        SQ.TEXT,
        "all",
        "What should we change for next year's cohort?",
        "",
        [
            "More structure and clearer goals for the pair work.",
            "Clearer deadlines for each stage.",
            "More time with other pairs.",
            "",
        ],
    ),
]
MID_YEAR_QUESTIONS: list[tuple[str, str, str, str, list[object]]] = [
    (SQ.SCALE, "all", "My pair is making good progress on our question.", "", [4, 5, 3, 4, 2, 4]),
    (SQ.YES_NO, "all", "Have you visited your partner's organisation yet?", "", [True, True, True, False]),
    (
        SQ.CHOICE,
        "all",
        "What has helped your pair most so far?",
        "Visits and exchanges\nWorkshops\nRoundtables\nThe step deadlines",
        ["Visits and exchanges", "Workshops", "Visits and exchanges", "The step deadlines", "Roundtables"],
    ),
    (
        SQ.TEXT,
        "all",
        "What would help your pair most in the next three months?",
        "",
        [
            "Time: the day job keeps getting in the way.",
            "An introduction to a commissioner.",
            "Examples of finished outputs from last year.",
            "",
        ],
    ),
]


# --- Building ------------------------------------------------------------------------------------------------


@dataclass
class Demo:
    """What demo_load() built, for the command's summary and for tests."""

    programme: Programme
    year1: Cohort
    year2: Cohort
    people: dict[str, User]
    memberships: dict[str, Membership]
    pairs: dict[int, LearningPair]


def _day(today: date, days: int) -> date:
    return today + timedelta(days=days)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def demo_delete() -> None:
    """Delete the demo programme, its cohorts and everything in them, the demo people and their history rows."""
    cohort_ids = list(Cohort.objects.filter(programme__slug=PROGRAMME_SLUG).values_list("pk", flat=True))
    pair_ids = list(LearningPair.objects.filter(cohort_id__in=cohort_ids).values_list("pk", flat=True))
    # Outputs, pairs and cohorts PROTECT what they point at, so they go first and in this order.
    Output.objects.filter(pair_id__in=pair_ids).delete()
    LearningPair.objects.filter(pk__in=pair_ids).delete()
    Cohort.objects.filter(pk__in=cohort_ids).delete()
    Programme.objects.filter(slug=PROGRAMME_SLUG).delete()
    User.objects.filter(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    # Deleting records history rows too; drop the demo's so that a reload leaves the same rows.
    apps.get_model("pairs", "HistoricalActivity_attendees").objects.filter(history__pair_id__in=pair_ids).delete()
    for model, by_pair in (
        (Activity.history.model, True),
        (PairMember.history.model, True),
        (StepProgress.history.model, True),
        (Output.history.model, True),
        (LearningPair.history.model, False),
        (Membership.history.model, False),
        (YearEndReport.history.model, False),
    ):
        lookup = {"pair_id__in": pair_ids} if by_pair else {"cohort_id__in": cohort_ids}
        model.objects.filter(**lookup).delete()


@transaction.atomic
def demo_load(*, today: date | None = None) -> Demo:
    """Replace any earlier demo data with a fresh build of the programme, anchored on today."""
    today = today or timezone.localdate()
    demo_delete()
    rng = random.Random(2014)

    organisations = _build_organisations()
    people = _build_people(organisations)
    programme = _build_programme(organisations)
    disconnects = _build_disconnects(programme)
    year2_start = _day(today, -150)
    year1 = _build_year1(programme, people, disconnects, year2_start=year2_start)
    year2, memberships = _build_year2(programme, people, disconnects, today=today, start=year2_start)
    events = _build_events(year2, people, memberships, today=today, rng=rng)
    _build_insights(year2, events, memberships, people["facilitator"])
    pairs = _build_pairs(year2, memberships, today=today)
    _build_outputs(pairs, today=today)
    _build_report(year2, people["facilitator"])
    _build_year2_surveys(year2, memberships, pairs, today=today)
    return Demo(programme=programme, year1=year1, year2=year2, people=people, memberships=memberships, pairs=pairs)


def _build_organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, sector in ORGANISATIONS.items():
        organisations[name], _ = Organisation.objects.get_or_create(name=name, defaults={"sector": sector})
    return organisations


def _build_people(organisations: dict[str, Organisation]) -> dict[str, User]:
    password = make_password(DEMO_PASSWORD)  # hashed once: the slow hasher runs once, not fifty times
    everyone = STAFF + [person for _, person in MEMBERS_2014 + MEMBERS_2013]
    areas = {
        name: PolicyArea.objects.get_or_create(name=name)[0]
        for name in sorted({area for person in everyone for area in person.interests})
    }
    people = {}
    for person in everyone:
        is_manager = person.key == "manager"
        user = User(
            email=person.address,
            full_name=person.name,
            job_title=person.job_title,
            organisation=organisations[person.organisation],
            bio=person.bio,
            password=password,
            is_staff=is_manager,
            is_superuser=is_manager,
        )
        user.save()
        user.interests.set([areas[name] for name in person.interests])
        people[person.key] = user
    return people


def _build_programme(organisations: dict[str, Organisation]) -> Programme:
    programme = Programme.objects.create(
        name="Connecting Policy with Practice",
        slug=PROGRAMME_SLUG,
        description=(
            "A partnership between the Big Lottery Fund and the Institute for Government that connects Whitehall "
            "policymakers with the people who deliver services to vulnerable groups. Cross-sector learning pairs "
            "explore each other's worlds and work together on the disconnects between policy and practice."
        ),
    )
    programme.partners.set([organisations["Institute for Government"], organisations["Big Lottery Fund"]])
    return programme


def _build_disconnects(programme: Programme) -> list[Disconnect]:
    return [
        Disconnect.objects.create(
            programme=programme, title=title, practice_finds=practice, policy_does=policy, order=order
        )
        for order, (title, practice, policy) in enumerate(DISCONNECTS, start=1)
    ]


def _new_cohort(**fields: object) -> Cohort:
    cohort = Cohort(**fields)
    cohort.full_clean()
    cohort.save()
    return cohort


def _build_year1(
    programme: Programme, people: dict[str, User], disconnects: list[Disconnect], *, year2_start: date
) -> Cohort:
    """The 2013 cohort: three themes, the five disconnects it found, completed pairs and its closed evaluation."""
    start = _day(year2_start, -365)
    cohort = _new_cohort(
        programme=programme,
        name="2013",
        number=1,
        starts_on=start,
        ends_on=_day(start, 215),
        applications_open_on=_day(start, -75),
        applications_close_on=_day(start, -40),
        status=Cohort.Status.CONCLUDED,
    )
    cohort.facilitators.set([people["manager"]])
    cohort.disconnects_found.set(disconnects)
    themes = []
    for order, (short_title, text, linked) in enumerate(THEMES_2013, start=1):
        theme = Question.objects.create(
            cohort=cohort, kind=Question.Kind.THEME, short_title=short_title, text=text, order=order
        )
        theme.disconnects.set([disconnects[i] for i in linked])
        themes.append(theme)
    memberships = {
        person.key: membership_create(cohort=cohort, user=people[person.key], side=side, joined_on=start)
        for side, person in MEMBERS_2013
    }
    for policymaker, practitioner, theme_number, angle in PAIRS_2013:
        pair = pair_create(
            cohort=cohort,
            members=[memberships[policymaker], memberships[practitioner]],
            on=_day(start, 14),
            question=themes[theme_number - 1],
            angle=angle,
        )
        pair.status = LearningPair.Status.COMPLETED
        pair.save(update_fields=["status"])
    for membership in memberships.values():
        membership.status = Membership.Status.COMPLETED
        membership.save(update_fields=["status"])
    practitioners = [m for m in memberships.values() if m.side == PR]
    respondents = practitioners + [m for m in memberships.values() if m.side == PM][:5]  # two did not reply
    _build_survey(
        cohort,
        "End-of-year evaluation 2013",
        END_OF_YEAR_QUESTIONS,
        respondents,
        opens=_at(cohort.ends_on, 9) - timedelta(days=14),
        closes=_at(cohort.ends_on, 17) + timedelta(days=14),
        introduction="Tell us what the programme gave you, and what we should change for next year.",
    )
    return cohort


def _build_year2(
    programme: Programme, people: dict[str, User], disconnects: list[Disconnect], *, today: date, start: date
) -> tuple[Cohort, dict[str, Membership]]:
    """The 2014-15 cohort, running now: two exam questions, their findings, deadlines and thirty members."""
    cohort = _new_cohort(
        programme=programme,
        name="2014-15",
        number=2,
        starts_on=start,
        ends_on=_day(today, 120),
        applications_open_on=_day(start, -75),
        applications_close_on=_day(start, -30),
        min_commitment_days=Decimal("5"),
        status=Cohort.Status.RUNNING,
    )
    cohort.facilitators.set([people["facilitator"]])
    questions = []
    for order, (short_title, text, linked) in enumerate(QUESTIONS_2014, start=1):
        question = Question.objects.create(
            cohort=cohort, kind=Question.Kind.EXAM_QUESTION, short_title=short_title, text=text, order=order
        )
        question.disconnects.set([disconnects[i] for i in linked])
        Finding.objects.bulk_create(
            Finding(question=question, title=title, body=body, order=n)
            for n, (title, body) in enumerate(FINDINGS[order], start=1)
        )
        questions.append(question)
    StepDeadline.objects.bulk_create(
        StepDeadline(cohort=cohort, step=step, due_on=_day(today, days))
        for step, days in ((Step.IDENTIFY, -90), (Step.UNDERSTAND, 7), (Step.EXPLORE, 50), (Step.ACT, 100))
    )
    preferred = {}
    for plan in PAIRS_2014:
        preferred[plan.policymaker] = preferred[plan.practitioner] = questions[plan.question - 1]
    memberships = {}
    for side, person in MEMBERS_2014:
        membership = membership_create(cohort=cohort, user=people[person.key], side=side, joined_on=start)
        membership.preferred_question = preferred[person.key]
        membership.save(update_fields=["preferred_question"])
        memberships[person.key] = membership
    return cohort, memberships


def _build_events(
    cohort: Cohort, people: dict[str, User], memberships: dict[str, Membership], *, today: date, rng: random.Random
) -> dict[str, Event]:
    """Four workshops (3.5 days in all) and three roundtables with guests, and who came or replied."""
    questions = list(cohort.questions.order_by("order"))
    facilitator = people["facilitator"]
    events: dict[str, Event] = {}
    for number, (days, length, title, topic) in enumerate(WORKSHOPS_2014, start=1):
        day = _day(today, days)
        event = event_create(
            cohort=cohort,
            by=facilitator,
            kind=Event.Kind.WORKSHOP,
            title=title,
            topic=topic,
            starts_at=_at(day, 9, 30),
            ends_at=_at(day, 13 if length == "0.5" else 17),
            length_days=Decimal(length),
            place=CARLTON_GARDENS,
        )
        event.facilitators.add(people["manager"])
        events[f"W{number}"] = event
    for number, (days, question, title, topic, guests) in enumerate(ROUNDTABLES_2014, start=1):
        day = _day(today, days)
        events[f"R{number}"] = event = event_create(
            cohort=cohort,
            by=facilitator,
            kind=Event.Kind.ROUNDTABLE,
            title=title,
            topic=topic,
            question=questions[question - 1],
            starts_at=_at(day, 8, 30),
            ends_at=_at(day, 12, 30),
            length_days=Decimal("0.5"),
            place=CARLTON_GARDENS,
        )
        for name, organisation, role in guests:
            guest_add(event=event, name=name, organisation=organisation, role=role)

    # event_create invited every member; now the register of past events and the replies to coming ones.
    stalled = {PAIRS_2014[PAIR_STALLED - 1].policymaker, PAIRS_2014[PAIR_STALLED - 1].practitioner}
    for event in sorted(events.values(), key=lambda e: e.starts_at):
        past = event.starts_at.date() < today
        sent_apologies = []
        for key, membership in memberships.items():
            roll = rng.random()
            if key == WITHDRAWN and event.starts_at.date() > _day(today, WITHDRAWN_DAYS):
                continue  # invited before withdrawing; never replied
            if past:
                drifting = key in stalled and event.starts_at.date() > _day(today, -100)
                if roll < (0.5 if drifting else 0.15):
                    sent_apologies.append(membership)
                else:
                    attendance_mark(event=event, membership=membership, attended=True)
            elif roll < 0.6:
                attendance_reply(event=event, membership=membership, status=Attendance.Status.ACCEPTED)
            elif roll >= 0.9:
                attendance_reply(event=event, membership=membership, status=Attendance.Status.APOLOGIES)
        # Replies close when an event starts, so the apologies sent for past events are written as they were.
        event.attendances.filter(membership__in=sent_apologies).update(status=Attendance.Status.APOLOGIES)
    return events


def _build_insights(
    cohort: Cohort, events: dict[str, Event], memberships: dict[str, Membership], recorded_by: User
) -> None:
    """Quotes from the report: said at workshops and roundtables, or written in a pair's reflections."""
    questions = {q.order: q for q in cohort.questions.all()}
    guests = {guest.name: guest for guest in ExternalGuest.objects.filter(event__cohort=cohort)}
    for event_key, question, speaker, text in INSIGHTS_2014:
        if event_key:
            insight_record(
                event=events[event_key],
                text=text,
                by=recorded_by,
                question=questions[question],
                speaker=memberships.get(speaker),
                guest=guests.get(speaker),
            )
        else:
            insight = Insight(
                cohort=cohort,
                question=questions[question],
                text=text,
                speaker=memberships[speaker],
                recorded_by=recorded_by,
            )
            insight.full_clean()
            insight.save()


def _build_pairs(cohort: Cohort, memberships: dict[str, Membership], *, today: date) -> dict[int, LearningPair]:
    """Fifteen pairs at different steps, through the pair services: one stalled, one dissolved, one trio."""
    questions = {q.order: q for q in cohort.questions.all()}
    paired_on = _day(today, -140)  # at the first workshop
    pairs = {}
    for number, plan in enumerate(PAIRS_2014, start=1):
        pairs[number] = pair_create(
            cohort=cohort,
            members=[memberships[plan.policymaker], memberships[plan.practitioner]],
            on=paired_on,
            question=questions[plan.question],
            angle=plan.angle,
        )
    for number, plan in enumerate(PAIRS_2014, start=1):
        pair, policymaker, practitioner = pairs[number], memberships[plan.policymaker], memberships[plan.practitioner]
        for visit in (v for v in plan.visits if v.who != "all"):
            _log_visit(pair, visit, policymaker, practitioner, today=today)
        _progress_steps(pair, plan, memberships[plan.policymaker].user, today=today)

    # A policymaker moved post and withdrew; their partner joined another pair, which became a trio.
    membership_withdraw(
        membership=memberships[WITHDRAWN],
        on=_day(today, WITHDRAWN_DAYS),
        reason="Moved to a new post whose workload left no time for the programme.",
    )
    seat = PairMember.objects.current().get(membership=memberships[MOVED])
    member_move(member=seat, to_pair=pairs[PAIR_TRIO], on=_day(today, MOVED_DAYS), reason="Partner withdrew")
    dissolved = pairs[PAIR_DISSOLVED]
    dissolved.refresh_from_db()
    dissolved.status = LearningPair.Status.DISSOLVED
    dissolved.save(update_fields=["status"])
    trio_plan = PAIRS_2014[PAIR_TRIO - 1]
    for visit in (v for v in trio_plan.visits if v.who == "all"):
        _log_visit(
            pairs[PAIR_TRIO],
            visit,
            memberships[trio_plan.policymaker],
            memberships[trio_plan.practitioner],
            today=today,
            extra=[memberships[MOVED]],
        )

    # No activity for six weeks and step 1 overdue: the facilitator has marked the pair stalled.
    stalled = pairs[PAIR_STALLED]
    stalled.status = LearningPair.Status.STALLED
    stalled.full_clean()
    stalled.save(update_fields=["status"])
    for pair in pairs.values():
        pair.refresh_from_db()
    return pairs


def _log_visit(
    pair: LearningPair,
    visit: Visit,
    policymaker: Membership,
    practitioner: Membership,
    *,
    today: date,
    extra: list[Membership] | None = None,
) -> Activity:
    attendees = {"pm": [policymaker], "pr": [practitioner]}.get(visit.who, [policymaker, practitioner])
    attendees = attendees + (extra or [])
    logged_by = attendees[-1].user if visit.who == "pr" else attendees[0].user
    return activity_create(
        pair=pair,
        kind=visit.kind,
        occurred_on=_day(today, visit.days),
        hours=Decimal(visit.hours),
        attendees=attendees,
        by=logged_by,
        place=visit.place,
        learning=visit.learning,
        private_notes=visit.private_notes,
    )


def _progress_steps(pair: LearningPair, plan: PairPlan, by: User, *, today: date) -> None:
    steps = {progress.step: progress for progress in pair.steps.all()}
    for step, (days, summary) in enumerate(plan.done, start=1):
        progress = step_update(progress=steps[step], status=StepProgress.Status.DONE, summary=summary, by=by)
        # step_update stamps today; the demo's steps were finished on the days the plan says.
        StepProgress.objects.filter(pk=progress.pk).update(completed_on=_day(today, days))
    if len(plan.done) < len(Step):
        step_update(
            progress=steps[len(plan.done) + 1], status=StepProgress.Status.IN_PROGRESS, summary=plan.working_on, by=by
        )


def _build_outputs(pairs: dict[int, LearningPair], *, today: date) -> None:
    for plan in OUTPUTS_2014:
        pair = pairs[plan.pair]
        output = Output(
            pair=pair,
            question=pair.question,
            kind=plan.kind,
            title=plan.title,
            summary=plan.summary,
            body=plan.body,
            status=plan.status,
            visibility=plan.visibility,
            featured=plan.featured,
            review_comment=plan.review_comment,
            due_on=_day(today, plan.due_days) if plan.due_days is not None else None,
            published_at=_at(_day(today, plan.published_days), 10) if plan.published_days is not None else None,
        )
        output.full_clean()
        output.save()


def _build_report(cohort: Cohort, facilitator: User) -> None:
    """A draft: summary and introduction written, lessons begun, conclusion still to write."""
    YearEndReport.objects.create(
        cohort=cohort,
        title="Connecting Policy with Practice: insights from the programme in 2014-15",
        executive_summary=(
            "Policymaking in Whitehall can seem far removed from the reality of services on the ground. For two "
            "years the programme has connected policymakers in Whitehall with people who deliver services to "
            "vulnerable groups.\n\nIn its first year the programme identified five 'disconnects' between policy and "
            "practice. Two of them became the questions for this year: how to make better use of the assets, "
            "experience and engagement of service users, and how to move towards whole-person solutions for complex "
            "problems. On each, participants reached four pointers for improvement."
        ),
        introduction=(
            "The programme is a partnership between the Big Lottery Fund and the Institute for Government. It brings "
            "together a cohort of Whitehall policymakers and practitioners from voluntary sector organisations and "
            "local authorities delivering the Fund's strategic investments, Talent Match and Fulfilling Lives.\n\n"
            "The second cohort took part in four workshops and was organised into cross-sector learning pairs, each "
            "working on one of two exam questions through four refining steps, supplemented by three roundtables "
            "with senior policymakers and experts."
        ),
        lessons=(
            "## Give participants clear tasks and deadlines\n\nIn response to feedback from the first cohort, tasks "
            "were made much clearer and the outputs more prescribed. In general this has been a positive step, but "
            "it made differences in pace between pairs harder to manage.\n\n## Plan for not all pairs working out "
            "well\n\nWhen one member drops out, their partner faces the difficult task of joining another pair's work."
        ),
        conclusion="",
        updated_by=facilitator,
    )


def _build_year2_surveys(
    cohort: Cohort, memberships: dict[str, Membership], pairs: dict[int, LearningPair], *, today: date
) -> None:
    """A closed mid-year check-in with answers, and the end-of-year evaluation, which opens near the end."""
    stalled = pairs[PAIR_STALLED]
    quiet = set(stalled.members.values_list("membership_id", flat=True))
    current = [m for m in memberships.values() if m.status == Membership.Status.ACTIVE and m.pk not in quiet]
    respondents = [m for i, m in enumerate(current) if i % 5 != 4]  # most, not all, replied
    _build_survey(
        cohort,
        "Mid-year check-in",
        MID_YEAR_QUESTIONS,
        respondents,
        opens=_at(_day(today, -45), 9),
        closes=_at(_day(today, -24), 17),
        introduction="Five minutes on how your pair is getting on.",
    )
    _build_survey(
        cohort,
        "End-of-year evaluation 2014-15",
        END_OF_YEAR_QUESTIONS,
        [],
        opens=_at(cohort.ends_on, 9) - timedelta(days=20),
        closes=_at(cohort.ends_on, 17) + timedelta(days=10),
        introduction="Tell us what the programme gave you, and what we should change.",
    )


def _build_survey(
    cohort: Cohort,
    title: str,
    questions: list[tuple[str, str, str, str, list[object]]],
    respondents: list[Membership],
    *,
    opens: datetime,
    closes: datetime,
    introduction: str,
) -> Survey:
    survey = Survey(cohort=cohort, title=title, introduction=introduction, opens_at=opens, closes_at=closes)
    survey.full_clean()
    survey.save()
    built = []
    for order, (kind, audience, text, choices, answers) in enumerate(questions, start=1):
        question = SurveyQuestion(survey=survey, order=order, text=text, kind=kind, audience=audience, choices=choices)
        question.full_clean()
        question.save()
        built.append((question, answers))
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, membership=membership) for membership in respondents
    )
    rows = []
    for question, answers in built:
        eligible = [r for r, m in zip(responses, respondents, strict=True) if question.audience in ("all", m.side)]
        for n, response in enumerate(eligible):
            value = answers[n % len(answers)]
            if value == "":
                continue  # a free-text question left blank
            rows.append(SurveyAnswer(response=response, question=question, **{_ANSWER_FIELD[question.kind]: value}))
    SurveyAnswer.objects.bulk_create(rows)
    return survey


_ANSWER_FIELD: dict[str, str] = {
    SQ.SCALE: "scale_value",
    SQ.YES_NO: "yes_no_value",
    SQ.CHOICE: "choice_value",
    SQ.TEXT: "text_value",
}
