"""Seed the partner municipalities, the region and the 13 default themes (both languages).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MUNICIPALITIES = [
    ("albertslund", "Albertslund", "Albertslund"),
    ("egedal", "Egedal", "Egedal"),
    ("fredensborg", "Fredensborg", "Fredensborg"),
    ("frederiksberg", "Frederiksberg", "Frederiksberg"),
    ("gentofte", "Gentofte", "Gentofte"),
    ("gladsaxe", "Gladsaxe", "Gladsaxe"),
    ("helsingor", "Helsingør", "Helsingør (Elsinore)"),
    ("hoje-taastrup", "Høje-Taastrup", "Høje-Taastrup"),
    ("kobenhavn", "København", "Copenhagen"),
    ("vallensbaek", "Vallensbæk", "Vallensbæk"),
    ("bornholm", "Bornholm", "Bornholm"),
    ("tarnby", "Tårnby", "Tårnby"),
]
REGION = ("region-hovedstaden", "Region Hovedstaden", "Capital Region of Denmark")

THEMES = [
    {"slug": "mobility", "name_da": "Mobilitet og transport", "name_en": "Mobility and transport", "colour": "#1f6fb2", "description_da": "Kollektiv trafik, cykling, veje, trafik, parkering, delebiler og elbiler.", "description_en": "Public transport, cycling, roads, traffic, parking, car sharing and electric vehicles."},
    {"slug": "energy", "name_da": "Energi", "name_en": "Energy", "colour": "#e0a100", "description_da": "Fjernvarme, el, solceller, vindmøller, energieffektivisering, priser og varmepumper.", "description_en": "District heating, electricity, solar, wind, energy efficiency, prices and heat pumps."},
    {"slug": "climate", "name_da": "Klima og klimatilpasning", "name_en": "Climate and climate adaptation", "colour": "#2e7d32", "description_da": "CO2, udledninger, klimamål, grøn omstilling, oversvømmelser og skybrud.", "description_en": "CO2, emissions, targets, the green transition, flooding and cloudbursts."},
    {"slug": "waste", "name_da": "Affald og genanvendelse", "name_en": "Waste and recycling", "colour": "#6d4c41", "description_da": "Sortering, genanvendelse, cirkulær økonomi, henkastet affald, skraldespande og genbrug.", "description_en": "Sorting, recycling, the circular economy, litter, bins and reuse."},
    {"slug": "environment", "name_da": "Natur, miljø og grønne områder", "name_en": "Nature, environment and green spaces", "colour": "#558b2f", "description_da": "Parker, træer, biodiversitet, vand, luft, støj og strande.", "description_en": "Parks, trees, biodiversity, water, air, noise and beaches."},
    {"slug": "digital", "name_da": "Digitale løsninger og services", "name_en": "Digital solutions and services", "colour": "#5e35b1", "description_da": "Digitale selvbetjeningsløsninger, apps, bredbånd, digital inklusion, sensorer og teknologi.", "description_en": "Online services, apps, broadband, digital inclusion, sensors and technology."},
    {"slug": "data", "name_da": "Data, privatliv og etik", "name_en": "Data, privacy and ethics", "colour": "#37474f", "description_da": "Overvågning, persondata, GDPR, åbne data og algoritmer.", "description_en": "Surveillance, personal data, GDPR, open data and algorithms."},
    {"slug": "business", "name_da": "Erhverv, job og iværksætteri", "name_en": "Business, jobs and start-ups", "colour": "#00838f", "description_da": "Virksomheder, iværksættere, investeringer, job, detailhandel, turisme og deleøkonomi.", "description_en": "Companies, start-ups, investment, jobs, retail, tourism and the sharing economy."},
    {"slug": "housing", "name_da": "Bolig og byudvikling", "name_en": "Housing and urban development", "colour": "#ad1457", "description_da": "Betalelige boliger, husleje, byggeri, planlægning og bydele.", "description_en": "Affordable housing, rent, construction, planning and neighbourhoods."},
    {"slug": "health", "name_da": "Sundhed og velfærd", "name_en": "Health and welfare", "colour": "#c62828", "description_da": "Hospitaler, praktiserende læger, ældrepleje, handicap, mental sundhed og sociale tilbud.", "description_en": "Hospitals, GPs, elderly care, disability, mental health and social services."},
    {"slug": "safety", "name_da": "Tryghed og sikkerhed", "name_en": "Safety and security", "colour": "#4e342e", "description_da": "Kriminalitet, politi, belysning, tryghed og beredskab.", "description_en": "Crime, police, lighting, feeling safe and emergency services."},
    {"slug": "education", "name_da": "Uddannelse, kultur og fritid", "name_en": "Education, culture and leisure", "colour": "#ef6c00", "description_da": "Skoler, daginstitutioner, kompetencer, biblioteker, unge, idræt, kunst og arrangementer.", "description_en": "Schools, kindergartens, skills, libraries, youth, sports, arts and events."},
    {"slug": "participation", "name_da": "Borgerinddragelse og demokrati", "name_en": "Participation and democracy", "colour": "#283593", "description_da": "Medbestemmelse, høringer, åbenhed og lokaldemokrati.", "description_en": "Having a say, consultation, transparency and local democracy."}
]

municipality = sa.table(
    "municipality",
    sa.column("slug", sa.String),
    sa.column("name_da", sa.String),
    sa.column("name_en", sa.String),
    sa.column("kind", sa.String),
)
theme = sa.table(
    "theme",
    sa.column("slug", sa.String),
    sa.column("name_da", sa.String),
    sa.column("name_en", sa.String),
    sa.column("description_da", sa.Text),
    sa.column("description_en", sa.Text),
    sa.column("keywords_da", sa.JSON),
    sa.column("keywords_en", sa.JSON),
    sa.column("colour", sa.String),
    sa.column("is_active", sa.Boolean),
)


def upgrade():
    op.bulk_insert(
        municipality,
        [{"slug": s, "name_da": da, "name_en": en, "kind": "municipality"} for s, da, en in MUNICIPALITIES]
        + [{"slug": REGION[0], "name_da": REGION[1], "name_en": REGION[2], "kind": "region"}],
    )
    op.bulk_insert(
        theme,
        [
            {
                "slug": t["slug"],
                "name_da": t["name_da"],
                "name_en": t["name_en"],
                "description_da": t["description_da"],
                "description_en": t["description_en"],
                "keywords_da": [],
                "keywords_en": [],
                "colour": t["colour"],
                "is_active": True,
            }
            for t in THEMES
        ],
    )


def downgrade():
    slugs = [t["slug"] for t in THEMES]
    op.execute(theme.delete().where(theme.c.slug.in_(slugs)))
    op.execute(municipality.delete().where(municipality.c.slug.in_([m[0] for m in MUNICIPALITIES] + [REGION[0]])))
