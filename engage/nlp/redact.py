"""Replace personal data in free-text answers with typed placeholders.

Runs on every answer before it is stored or shown, inside the 20 ms analysis budget, so it is
built from precompiled regular expressions and set look-ups only (no spaCy pipeline). Each
detector proposes character spans; overlaps are resolved by type priority (a URL that contains
an e-mail address is one URL; a street named after a person is an address) and then by length.

Detected: CPR numbers, Danish and international phone numbers, e-mail addresses (also
"navn (at) domæne.dk"), URLs that identify a person (profile links, ?email=/?user=/?id=,
/users/<name>, a page named after a person), street addresses with a house number, and names
after a cue (a title, a relation, a role, "att.", "called", "familien"), in a sign-off, next to
another name, or from the given-name lists in engage/nlp/data/names/. Answers dictated by voice
keep their data in words, and those forms are found too: e-mail and web addresses spoken out
("lone punktum berg snabel a example punktum dk"), phone and CPR numbers read aloud or digit by
digit after a cue ("mit nummer er fireogtyve seksten niogfirs tolv"). Look-alikes (prices, dates,
years, case numbers, postcodes, bus lines, street names used as places, ordinary capitalised
words, Danish 70/80/90 service numbers) are left alone.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from engage.nlp.types import Redaction

__all__ = ["redact", "PLACEHOLDERS"]

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "da": {
        "cpr": "[CPR]",
        "phone": "[TELEFON]",
        "email": "[EMAIL]",
        "url": "[URL]",
        "address": "[ADRESSE]",
        "name": "[NAVN]",
    },
    "en": {
        "cpr": "[CPR]",
        "phone": "[PHONE]",
        "email": "[EMAIL]",
        "url": "[URL]",
        "address": "[ADDRESS]",
        "name": "[NAME]",
    },
}

# Lower rank wins when two detections overlap.
_PRIORITY = {"url": 0, "email": 1, "cpr": 2, "phone": 3, "address": 4, "name": 5}

_NAMES_DIR = Path(__file__).parent / "data" / "names"

# Capitals and small letters of the Latin alphabets names are written in (Latin-1, Latin Extended-A:
# Baltic, Polish, Czech, Turkish, Hungarian, Romanian; Vietnamese). The extended blocks alternate
# capital and small letter, so _LO holds both of them: it continues a word.
_UP = ("A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽƠƯȘȚ"
       "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ")
_LO = "a-zß-öø-ÿĀ-žơưș-țạ-ỹ"


def _fail_fast(first: str, pattern: str) -> str:
    """Return `pattern` behind a look-ahead for the characters it can start with (`first`, a
    character-class body): the same matches, but the regex engine leaves most places in a text
    after one character test instead of trying every alternative of a long pattern there (about
    twice as fast for the relation and name-cue patterns, `bench.bench_pipeline`). A test checks
    that `first` holds every character each wrapped pattern can start with."""
    return f"(?=[{first}]){pattern}"

# --------------------------------------------------------------------------------------------
# Numbers: CPR and phones
# --------------------------------------------------------------------------------------------

_CPR = re.compile(
    r"(?<![\w/.,:+-])(?<!\d[.,/-])"
    r"(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d(?:-| ?| - )\d{4}"  # also "121086 - 2473"
    r"(?![\w/-]|[.,]\d)"
)
# Spaced-out forms ("24 12 75 - 1234") only right after a CPR cue word.
_CPR_CUED = re.compile(
    r"(?:cpr|personnummer|personnr)[\w.-]*(?:\s+(?:er|is|nr\.?|number|nummer))?[\s:]+"
    r"((?:0[1-9]|[12]\d|3[01])[ .]?(?:0[1-9]|1[0-2])[ .]?\d\d ?-? ?\d\d ?\d\d)(?!\d)",  # also "11 07 39 20 57"
    re.I,
)
# Ten digits spaced at random after the cue: "cpr 120439-1 1 57", "(cpr 0 9 1 2 1 4-4 5 2 3)".
_CPR_CUED_SPACED = re.compile(
    r"(?:cpr|personnummer|personnr)[\w.-]*(?:\s+(?:er|is|nr\.?|number|nummer))?[\s:]+"
    r"((?:0 ?[1-9]|[12] ?\d|3 ?[01]) ?(?:0 ?[1-9]|1 ?[0-2])(?: ?\d){2} ?-? ?\d(?: ?\d){3})(?!\d)",
    re.I,
)
# Swedish personal identity numbers (personnummer: year, month, day, then four digits; a
# samordningsnummer adds 60 to the day; "+" for a person of 100 or more): "870412-5528",
# "230512+4418", "19990228-6642", and twelve digits with no mark ("198203150673").
_SE_ID = re.compile(
    r"(?<![\w/.,:+-])(?<!\d[.,/-])(?:(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?"
    r"|\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+])\d{4}(?![\w/-]|[.,]\d)"
)
_CPR_CUE = re.compile(
    r"(?:cpr|personnummer|personnr|samordningsnummer|person\s*nr|personal\s+(?:id\s+)?number)", re.I
)

# A number right after one of these words is an identifier, not a phone number or CPR.
_ID_CUE = re.compile(
    r"(?:ordre|order|faktura|invoice|kunde|customer|client|sags?|case|journal|j\.\s?nr|konto|"
    r"account|reference|ref|id|nr|no|nummer|nummeret|number|matrikel|postnummer|kode|code|"
    r"pin|serie|serial|stregkode|barcode|billet|ticket|bilag|cvr|ean|p-nr|måler\w*|meter(?:\s+(?:reading|id))?|"
    r"aflæsning|reading|batch|lot|skema|formular|løbenr|løbenummer)"
    r"\.?\s*(?:(?:er|is|was|var|lyder\s+på)\s*)?[:#]?\s*$",
    re.I,
)
# (a cue opens a word: "ring" in "udeservering", "tel" in "hotel" are no cue)
_PHONE_CUE = re.compile(
    r"\b(?:tlf|telefon|mobil(?!epay)|mobile(?!pay)|ring|sms|phone|call|tel|text|whatsapp|signal|træffes|kontakt|"
    r"contact|reach|nummer\s+er|nummeret\s+er|number\s+is|fax|cell|landline|fastnet|"
    r"(?:danish|dansk|danske|mobile|work|home|private)\s+(?:number|nummer|nr)|"
    r"(?:mit|min|my|vores|our|hans|hendes|his|her|their|deres|har|has|have)\s+(?:tlf\.?\s*)?(?:nr|nummer(?:et)?|number)\b)",
    re.I,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:kr\b|kr\.|dkk|kroner|krone|€|\$|eur|euro|usd|kwh|mwh|gwh|kw\b|mw\b|ton|tons|tonnes|"
    r"km|m2|m²|m3|kvm|%|procent|percent|pct|mio|mia|million|billion|stk|indbyggere|borgere|"
    r"people|personer|biler|cars)",
    re.I,
)
_THING_NUMBER_BEFORE = re.compile(
    r"\b(?:meter|måler\w*|invoice|faktura\w*|order|ordre\w*|case|sags?|journal|customer|kunde\w*|account|konto\w*|cvr)"
    r"[ \t]+(?:no\.?|nr\.?|number|nummer|id)?(?:[ \t]+(?:on|in|of|på|i)[ \t]+(?:\w+[ \t]+){0,3}?)?[ \t]*(?:is|er|:)?[ \t]*$",
    re.I)  # "the meter number on my heating bill is …"
_CURRENCY_BEFORE = re.compile(r"(?:kr\.?|dkk|€|\$|eur|usd)\s*$", re.I)

_DK_PREFIX = r"(?:(?:\+|00)45[ .-]?|\(\+?45\)[ ]?)"
_DK_BODY = (
    r"(?:[2-9]\d([ .-]?)\d\d\1\d\d\1\d\d"  # 22334455, 22 33 44 55, 22-33-44-55
    r"|[2-9]\d{3} \d{4}"  # 2233 4455
    r"|[2-9]\d\d \d\d \d{3})"  # 223 34 455
)
_DK_PHONE = re.compile(rf"(?<![\w/+-])(?<!\d[.,:])(?<!\d )(?:(?:{_DK_PREFIX})?{_DK_BODY}|{_DK_PREFIX}[2-9]\d{{3}}-\d{{4}})"
                       r"(?![\w/-]|[.,:]\d)")  # "+45 2874-1190" (without the +45, "2019-2023" is years)
# Danish-style numbers starting with 1 (not real subscriber numbers, but written as such): in
# pairs ("12 34 56 78") always, as one run ("12345678") only next to a phone cue.
_DK_ONE = re.compile(r"(?<![\w/+-])(?<!\d[.,:])(?<!\d )1\d(?:( ?)\d\d\1\d\d\1\d\d)(?![\w/-]|[.,:]\d)")
# UK numbers: a leading 0 and 10–11 digits ("07700 900123", "0161 496 0000", "020 7946 0018").
_UK_PHONE = re.compile(
    r"(?<![\w+/.:-])0(?:7\d{3} ?\d{3} ?\d{3}|[1-9]\d{1,3} \d{3,4} ?\d{3,4}|[1-9]\d{9})(?![\w/-]|[.,]\d)"
)
# Swedish mobiles: "070-318 42 66", "073-123 45 67", grouped as the writer likes.
_SE_PHONE = re.compile(r"(?<![\w+/.:-])07\d(?:[ -]?\d){7}(?![\w/-]|[.,]\d)")  # and "0709-33 81 20", "0735-209 114"
# North American numbers: "(555) 123-4567", "555-123-4567", "555.123.4567".
_US_PHONE = re.compile(r"(?<![\w+/.:-])(?:\(\d{3}\) ?|\d{3}[-.])\d{3}[-.]\d{4}(?![\w/-]|[.,]\d)")
_INTL_PHONE = re.compile(
    r"(?<![\w+/:.-])(?:\+|00)(?!45)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\w/-]|[.,]\d)"
)
# After an explicit phone cue, accept other groupings (UK, US, Swedish local numbers …).
_DIGIT_RUN = re.compile(r"(?<![\w+(/.,:-])\(?\+?\d[\d ().-]{5,20}\d(?![\w/-]|[.,]\d)")
_PHONE_CUE_BEFORE = re.compile(
    r"(?:tlf|telefon|mobil|mobile|phone|call|tel|text|ring|sms|whatsapp|"
    r"(?:mit|min|my|vores|our|his|her|their|hans|hendes|deres|\w+['’]s)\s+(?:nr|nummer|number))"
    r"\.?(?:\s+(?:me|mig|på|on|at|til|to|nr\.?|nummer|number|is|er))*[\s:]+$",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_LONG_NUMBER = re.compile(r"\d(?:[ .\-()/+]{0,3}\d){7}")

# --------------------------------------------------------------------------------------------
# E-mail and URLs
# --------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]*\w@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w-])")
# A space read into an address on either side of the "@" (a form read by OCR, a slip): "jonna.skov @example.dk".
# (a local part with a dot, an underscore or a digit, a short top-level domain: not "follow @lena.rides")
_EMAIL_SPACED_AT = re.compile(r"(?<![\w.+-])[\w+-]*[._\d][\w.+-]*\w(?: @|@ )[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,4}(?![\w-])")
_TLD = r"(?:dk|com|org|net|se|no|de|uk|eu|io|info|nu|fi|nl|fr|co|me|biz|edu|gov)"
_OBF_AT = r"(?:\s*(?:\(at\)|\[at\]|\{at\}|\(snabel-a\)|\[snabel-a\])\s*|\s+(?:snabel[ -]?a)\s+)"
_OBF_DOT = r"(?:\s*(?:\.|\(dot\)|\[dot\]|\(punktum\)|\[punktum\])\s*|\s+(?:dot|punktum|period)\s+)"
# a local part may be spelt too, as it is read aloud or dictated: "helle punktum krogh snabel-a …",
# "anna dot berg at …", "hannah underscore berg at …", "p e t e r s e n snabel a …", "fiona m at …",
# "green underscore mum 42 at …"
_SPELT_LOCAL = r"(?:[\w+-]+\s+(?:dot|punktum|period|underscore|bindestreg|dash|hyphen)\s+){0,3}"
_LOCAL_END = r"(?:(?:\w\s){2,}\w|[\w.+-]*\w(?:\s(?:\d{1,4}|[^\W\d_])(?!\w))?)"
_EMAIL_OBFUSCATED = re.compile(
    rf"(?<![\w.+-]){_SPELT_LOCAL}{_LOCAL_END}{_OBF_AT}[\w-]+(?:{_OBF_DOT}[\w-]+)*{_OBF_DOT}{_TLD}(?![\w-])",
    re.I,
)
# "navn.efternavn at example.dk": a plain " at " only before a domain with a known top-level domain.
# (not "the plan at kk.dk/klimaplan": a path follows a web address, never an e-mail domain)
_EMAIL_PLAIN_AT = re.compile(rf"(?<![\w.+-])[\w.+-]*\w\s+at\s+[\w-]+(?:\.[\w-]+)*\.{_TLD}(?![\w/-])", re.I)
_WEB_PLACES = frozenset({"site", "website", "blog", "page", "homepage", "portfolio", "shop", "gallery", "profile",
                         "side", "hjemmeside", "webside", "blogs", "sites", "pages"})  # "… site at nanna.example.dk"
_PLAIN_AT_DOMAIN = re.compile(rf"[\w-]+(?:\.[\w-]+)*\.{_TLD}(?![\w/-])", re.I)  # what follows " at "
# "name at domain dot com": only with both words spelt out, to leave "meet at Nørreport" alone.
_EMAIL_SPELT = re.compile(
    rf"(?<![\w.+-]){_SPELT_LOCAL}{_LOCAL_END}\s+at\s+[\w-]+(?:\s+(?:dot|punktum|period)\s+[\w-]+)*?\s+(?:dot|punktum|period)\s+{_TLD}"
    r"(?![\w-])(?![ \t]+(?:forward[ \t]+)?(?:slash|skråstreg)\b)", re.I
)

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'`]+"
    r"|(?<![\w@./-])(?:[a-z0-9-]+\.)+(?:com|dk|org|net|se|no|de|uk|eu|io|me|be|tv|info|app|"
    r"co)/[^\s<>\"'`]*",
    re.I,
)
# A social network's name opening a host ("instagram.example.com/lukas.cph.cycles"): its profiles.
_SOCIAL_NAMES = frozenset({"facebook", "instagram", "linkedin", "twitter", "tiktok", "snapchat", "threads", "reddit",
                           "strava", "tumblr", "mastodon", "bsky", "pinterest"})
_SOCIAL_HOSTS = frozenset(
    {
        "facebook.com", "fb.com", "instagram.com", "linkedin.com", "twitter.com", "x.com",
        "tiktok.com", "github.com", "gitlab.com", "youtube.com", "snapchat.com", "threads.net",
        "pinterest.com", "reddit.com", "medium.com", "bsky.app", "vimeo.com", "soundcloud.com",
        "flickr.com", "t.me", "wa.me", "m.me", "mastodon.social", "tumblr.com", "strava.com",
    }
)  # fmt: skip
_SOCIAL_GENERIC = frozenset(
    {
        "", "groups", "pages", "events", "help", "about", "policies", "legal", "privacy", "terms",
        "watch", "hashtag", "explore", "search", "company", "jobs", "school", "showcase",
        "marketplace", "login", "signup", "home", "feed", "topics", "trending", "results",
    }
)  # fmt: skip
_PERSONAL_QUERY = frozenset(
    {
        "email", "e-mail", "mail", "user", "username", "user_id", "userid", "uid", "id", "name",
        "navn", "fornavn", "efternavn", "firstname", "lastname", "phone", "tlf", "telefon",
        "mobile", "mobil", "cpr", "author", "profile", "profil", "login", "account", "customer",
        "kunde", "member", "token", "ssn", "person", "personid", "borger", "adresse", "address",
    }
)  # fmt: skip
_PERSONAL_PATH = frozenset(
    {
        "users", "user", "u", "profile", "profil", "profiles", "people", "person", "members",
        "member", "author", "authors", "brugere", "bruger", "medlem", "medlemmer", "konto",
        "account", "in",
    }
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

_STREET_SUFFIX = (
    r"(?:gade|vej|allé|alle|boulevard|plads|stræde|torv|vænge|vang|park|bakke|sti|gyde|passage|"
    r"kaj|brygge|toft|løkke|mark|eng|lund|gård|have|hegn|sving|høj|hus|kvarter|ager|dige|"
    r"strand|bro)(?:en|et|n|e|t)?"
)
# Street names that begin with a title's abbreviation ("Dr. Tværgade").
_TITLE_STREET = ("gade", "vej", "allé", "alle", "boulevard", "plads", "stræde", "torv", "street", "road")
_STREET_WORD = r"(?:Allé|Alle|Boulevard|Vej|Gade|Plads|Torv|Stræde|Brygge|Have|Park|Vænge|Kaj|Bakke|Passage|Strand)"
_STREET_PREFIX = (
    r"(?:Gl\.|Gammel|Gamle|Ny|Nye|Nørre|Søndre|Sønder|Vester|Øster|Nordre|Store|Lille|Sankt|Skt\.)"
)
# Capitalised words that start sentences or clauses and are never part of a street name.
_NOT_STREET = (
    r"(?!(?:I|På|Ved|Til|Fra|Og|Jeg|Vi|Min|Mit|Mine|Vores|Den|Det|Der|De|Af|For|Om|Hos|Bor|Mod|"
    r"Langs|Efter|Kontakt|Adresse|Send|Skriv|Ring|Se|In|At|On|The|My|Our|To|From|Near|Along|"
    r"Live|Lives|Send|Contact|Address|Write|Visit|Hej|Hi|Mvh|Tak|Thanks)\b)"
)
_CAP = rf"[{_UP}][{_LO}]+"
_INITIALS = rf"(?:[{_UP}]\.\s?){{1,3}}"
_STREET_NAME = (
    rf"(?:(?:{_STREET_PREFIX}\s)?[{_UP}][{_LO}-]*?{_STREET_SUFFIX}"
    rf"|(?:{_INITIALS}\s?)?(?:{_NOT_STREET}{_CAP}s?[ \t]){{1,2}}{_STREET_WORD})"  # not a signature's surname above it
)
_HOUSE_NUMBER = (
    r"\d{1,3}(?:[A-Za-z](?![\w])|[ \t][A-H](?![\w'’]))?(?![\w])(?![.,]\d)"  # "16B", "16 B"
    r"(?!\s*(?:%|km\b|m\b|m2|meter|kr\b|kr\.|gange|times|minutter|min\b|minutes|år\b|years|"
    r"timer|hours|sekunder|grader|degrees|stk|procent|etager|spor|x\b|-\d|/\d|\.\s?(?:maj|juni|juli)))"
)
_FLOOR = (
    r"(?:,?\s\d{1,2}\s(?:th|tv|mf)\b|,?\s\d{1,2}\ssal\b(?:\s(?:til\s)?(?:venstre|højre))?"  # "5 th", "3 sal til venstre"
    r"|,\s(?:stuen|kælderen)\b"  # "Præstegårdshaven 5, stuen"
    r"|,?\s(?:st\.|st\b|kl\.|kl\b|\d{1,2}\.(?:\s?sal\b(?:\s(?:til\s)?(?:venstre|højre))?)?)"
    rf"(?:,?\s?(?:th|tv|mf)\b(?:\.(?=,|[ \t]+[{_LO}]|[ \t]+\d{{4}}|\s*$))?)?"  # "3. tv. og …", "… 1. th.": the abbreviation's dot
    r"|,?\s(?:\d{1,2}(?:st|nd|rd|th)|ground|first|second|third|top)\s+(?:floor|fl\b\.?)(?:\s+(?:left|right|middle))?)"  # in English
)
_POSTCODE_TOWN = (
    rf"(?:,?\s[1-9]\d{{3}}\s(?:Kgs\.\s|Kongens\s)?(?:[{_UP}][{_LO}]+|KBH|Kbh\.?)(?:\s(?:NV|SV|NØ|SØ|N|S|V|K|Ø|C|M)\b)?)"
)
_DA_ADDRESS = re.compile(_fail_fast(
    _UP, rf"(?<![\w.])(?!Danmark\b|Bornholm\b){_STREET_NAME}(?:[ \t]|\n(?!\d{{1,3}}[.)]\s))(?:(?:nummer|number|nr\.?)\s)?"
    rf"{_HOUSE_NUMBER}{_FLOOR}?{_POSTCODE_TOWN}?"  # not a list's next number: "4. Kløverhaven\n5. Holmen"
))
# A British address whose street has no street word, known by its postcode: "Flat 2, 9 Kingsway,
# Cardiff CF10 3AA".
_UK_POSTCODE_ADDRESS = re.compile(
    r"(?:(?<![\w])(?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit)\s\d{1,4}[A-Za-z]?,?\s)?"
    r"(?<![\w.,])\d{1,4}[A-Za-z]?\s(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+,[ \t](?:[A-Z][a-z]+[ \t]){1,2}"
    r"[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}(?![\w])"
)
# German and Polish addresses: "Kastanienallee 12, 10435 Berlin", "ul. Wrocławska 14/3, 61-838 Poznań".
_DE_PL_ADDRESS = re.compile(
    r"(?<![\w.])(?:[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|allee|weg|platz|gasse|ring|damm)[ \t]\d{1,4}[a-z]?,[ \t]\d{5}"
    r"|ul\.[ \t][A-ZŁŚŻŹĆŃÓ]\w+(?:[ \t][A-ZŁŚŻŹĆŃÓ]\w+)?[ \t]\d{1,4}[a-z]?(?:/\d{1,4})?,[ \t]\d{2}-\d{3})"
    r"[ \t][A-ZÄÖÜŁŚŻ]\w+")
# Swedish addresses (people of the Øresund region): "Kornettsgatan 12, 211 50 Malmö", "Bergsgatan 7 A,
# 1 tr, 214 22 Malmö", "Lilla Torg 3, lgh 1204", "Östra Rönneholmsvägen 15". The street word ends
# the name ("…gatan", "…vägen", "Torg"), then a house number and maybe its letter, the floor ("1 tr",
# trappor) or the flat ("lgh 1204", lägenhet), and the postcode of three and two digits with its town.
_SE_STREET_END = r"(?:gatan|gata|vägen|väg|gränd|gränden|torget|backe|backen|stigen|platsen|leden|esplanaden|allén)"
_SE_ADDRESS = re.compile(
    r"(?<![\w.])(?:(?:Östra|Västra|Norra|Södra|Lilla|Stora|Gamla|Nya|Mäster|Sankt|S:t)[ \t])?"
    rf"(?:[A-ZÅÄÖ][a-zåäöéü-]*?{_SE_STREET_END}|(?:Lilla|Stora)[ \t]Torg|[A-ZÅÄÖ][a-zåäöéü]+[ \t](?:Torg|Gata|Väg))"
    r"[ \t]\d{1,4}(?:[ \t]?[A-H](?![\w]))?(?![\w])(?![.,]\d)"
    r"(?:,?[ \t](?:\d[ \t]?tr\b\.?|lgh\.?[ \t]\d{4}\b))*(?:,?[ \t](?:SE-)?\d{3}[ \t]?\d{2}[ \t][A-ZÅÄÖ][a-zåäö]+)?")
_PLACE_BEFORE_STREET = re.compile(rf"(?<![\w.])([{_UP}][{_LO}]+)[ \t]$")
_LOWER_PLACE_BEFORE_STREET = re.compile(rf"(?<![\w.])([{_LO}]{{3,}})[ \t]$")
# How Danish places end ("Valby", "Hørsholm", "Amager", "Glostrup"): such a word before a street names its district.
_PLACE_ENDINGS = ("by", "holm", "rup", "lev", "ager", "bro", "havn", "sted", "løse", "bjerg", "høj", "rød", "lund",
                  "torp", "købing", "skov", "strand", "vig", "mose", "dal", "bæk")
_FR_ADDRESS = re.compile(r"(?<![\w.])\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t](?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Pp]lace|[Cc]hemin|[Aa]llée|"
                         r"[Ii]mpasse|[Qq]uai)[ \t](?:(?:de|des|du|de la|d')[ \t]?)?[A-ZÉ][\w'’-]+(?:[ \t][A-ZÉ][\w'’-]+)*,"
                         r"[ \t]\d{5}[ \t][A-ZÉ][\w'’-]+")
_UK_POSTCODE_IN = re.compile(r"[A-Z]\d[A-Z\d]?[ \t]\d[A-Z]{2}")  # cheap pre-checks for the two patterns above
_TWO_CAPITALS = re.compile(rf"[{_UP}][{_UP}]")  # a cheap test before _initials_of_names
_FIVE_DIGITS = re.compile(r"\d\d{4}")  # a first single class lets the regex engine scan for it (faster than \d{5})
_CAPITAL_BEFORE_NUMBER = re.compile(rf"[{_UP}][^\s]*\s(?:nummer\s|number\s|nr\.?\s)?\d")
# A street written in lower case ("bor på istedgade 33, 3. th.", "vi bor amagerbrogade 45 st tv"):
# an address when a floor or a postcode follows the number, or when the writer says they live
# there; a street word standing alone after a genitive or a prefix ("hans tavsens gade 19",
# "rosenvængets allé 7", "nørre allé 12") is a street whatever comes around it (group 3).
_LOWER_ADDRESS = re.compile(
    rf"(?<![\w.])((?:(?:(?:nordre|søndre|østre|vestre|gamle|gammel|nye|store|lille)[ \t])?[{_LO}]+{_STREET_SUFFIX}"
    rf"|((?:(?:[{_LO}]+[ \t]|[{_LO}]\.[{_LO}]\.[ \t])?([{_LO}]{{2,}}s)|nordre|søndre|østre|vestre|nørre|sønder|vester|øster|"
    rf"gammel|gamle|ny|nye|store|lille)[ \t](?:gade|vej|allé|alle|boulevard|plads|stræde|torv|vænge|passage|kaj|brygge)))"
    rf"[ \t]{_HOUSE_NUMBER}({_FLOOR}|,?[ \t]\d{{1,2}}\.?[ \t]?(?:th|tv|mf)\b\.?)?"
    rf"(,?[ \t][1-9]\d{{3}}[ \t][{_LO}]+\.?(?:[ \t](?:nv|sv|nø|sø|n|s|v|k|ø|c)\b)?)?)"  # "2200 kbh n"
)
# Without a street word before a number, _LOWER_ADDRESS cannot match (a cheap test first).
_SPACE_DIGIT = re.compile(r"[ \t]\d")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_CORE_STREET_END = re.compile(r"(?:gade|vej|allé|alle|boulevard|plads|stræde|torv|vænge|vang|park|bakke|gyde|passage|kaj|brygge)"
                              r"(?:en|et|n|e|t)?$")  # "strandvejen" is a word and a street; "tager" only a word
_POSTCODE_NUMBER = re.compile(r",[ \t][1-9]\d{3}[ \t]")
_ADDRESS_STREET_AND_NUMBER = re.compile(r"\D+\d+[A-Za-z]?(?![\w])")  # "Rådhuspladsen 1" of "Rådhuspladsen 1, 1550 …"
_ENDS_IN_STREET_WORD = re.compile(rf"{_STREET_SUFFIX}$")


def _street_word_before_number(text: str) -> bool:
    """Return whether a word ending like a street ("…gade", "…vejen", "allé") stands right before a
    number somewhere in `text` (found from the numbers: there are few)."""
    return any(_ENDS_IN_STREET_WORD.search(text, max(0, m.start() - 12), m.start()) for m in _SPACE_DIGIT.finditer(text))
# A house number before its street: "ved nr. 8 på Fensmarkgade", "outside no. 14 on Mimersgade".
_NUMBER_ON_STREET = re.compile(
    rf"\b(?:nr\.?|no\.?|nummer|number)[ \t]*\d{{1,3}}[A-Za-z]?[ \t]+(?:på|on|in|i)[ \t]+"
    rf"(?:{_STREET_PREFIX}\s)?[{_UP}][{_LO}-]*?{_STREET_SUFFIX}(?![\w])"
)
# A street with no street word, known by its number, postcode and town: "Ruten 14, 2700 Brønshøj".
_POSTCODE_STREET = re.compile(
    rf"(?<![\w.])(?!(?:Bus|Linje|Line|Rute|Route|Spor|Tog|Train|Platform|Perron|Side|Page|Kl|Nr|No)\b)"
    rf"({_CAP}(?:[ \t]{_CAP})?[ \t]\d{{1,3}}[A-Za-z]?(?:{_FLOOR})?,[ \t][1-9]\d{{3}}[ \t]{_CAP}(?:[ \t](?:NV|SV|NØ|SØ|N|S|V|K|Ø|C)\b)?)"
)
# A street with no street word, after "bor på"/"lives at": a word in the definite form, maybe after
# "ved", and a house number closing the clause ("vi bor på ruten 12, 1. tv", "bor på ved stadsgraven 8.").
_LIVE_AT_STREET = re.compile(_fail_fast(
    "bl", rf"\b(?:bor|boede|lives?|lived|living)(?:[ \t]+(?:alone|alene|still|stadig|now|nu))?[ \t]+(?:på|at|on)[ \t]+"
    rf"((?:[Vv]ed[ \t]+)?[{_UP}{_LO}][{_LO}]+(?:en|et|ne)[ \t]\d{{1,3}}[a-zA-Z]?(?:{_FLOOR})?)"
    rf"(?=[ \t]*(?:[,.!?;:\n]|$|og\b|and\b|since\b|siden\b|(?-i:(?:in|i)[ \t]+[{_UP}])))"),  # "… at Bakkedraget 2 in Hørning"
    re.I,
)
_LIVE_AT_BEFORE = re.compile(r"(?:\b(?:bor|boede|bo)(?:[ \t]+(?:på|i))?|\blives?[ \t]+(?:at|on|in)|\b(?:adresse|adr)\.?[ \t]*:?|"
                             r"\bmoved[ \t]+to|\bflyttet[ \t]+til|\b(?:place|flat|house|home|apartment|lejlighed|hjem)[ \t]+(?:at|on|på|i))[ \t]+$",
                             re.I)  # "my place at rantzausgade 38"
# A street whose name has no street word ("Gadelandet", "Urbanplanen") is an address when a floor
# and a side follow its number, after "på"/"i"/"on"/"at".
_SIDED_ADDRESS = re.compile(
    rf"\b(?:på|i|on|at|in|bor)[ \t]+({_CAP}(?:[ \t]{_CAP})?[ \t]\d{{1,3}}[A-Za-z]?,?[ \t](?:st\.?|kl\.?|\d{{1,2}}\.)"
    rf",?[ \t]?(?:th|tv|mf)\b\.?{_POSTCODE_TOWN}?)"
)
# A Danish street written the English way, its number first, after "at"/"on": "our flat at 22A
# Peter Bangs Vej", "I live at 12 Jagtvej".
_NUMBER_FIRST_ADDRESS = re.compile(_fail_fast(
    "aoi,", rf"(?:\b(?:at|on|is)(?:[ \t](?:number|no\.|nr\.?))?|,)[ \t](\d{{1,3}}[A-Za-z]?[ \t](?:{_STREET_PREFIX}\s)?(?:[{_UP}][{_LO}-]*?{_STREET_SUFFIX}"
    rf"|(?:{_NOT_STREET}{_CAP}s?\s){{1,2}}{_STREET_WORD})(?![\w])"
    r"(?:,?[ \t](?:\d{1,2}(?:st|nd|rd|th)|ground|top)[ \t]floor(?:[ \t](?:left|right))?)?)"
))
_EN_STREET_WORDS = ("Street", "St.", "Road", "Rd", "Avenue", "Ave", "Lane", "Drive", "Close", "Way",
                    "Court", "Place", "Square", "Terrace", "Crescent", "Gardens", "Grove", "Row",
                    "Boulevard", "Blvd", "Hill", "Mews", "Walk", "Parade")  # fmt: skip
_EN_ADDRESS = re.compile(
    r"(?:(?<![\w])(?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit)\s\d{1,4}[A-Za-z]?,?\s)?"
    r"(?<![\w.,])\d{1,4}[A-Za-z]?\s(?:[A-Z][a-z]+(?:['’]s)?\s){1,3}"
    r"(?:Street|St\.|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Close|Way|Court|Place|Square|Terrace|"
    r"Crescent|Gardens|Grove|Row|Boulevard|Blvd\.?|Hill|Mews|Walk|Parade)(?![\w])"
    # the flat after the street, and a town with its UK postcode: "14 Elm Road, Flat 2",
    # "221 Holloway Road, London N7 8DB"
    r"(?:,?[ \t](?:[Ff]lat|[Aa]partment|[Aa]pt\.?|[Uu]nit|[Ss]uite)[ \t]\d{1,4}[A-Za-z]?(?![\w]))?"
    r"(?:,[ \t](?:[A-Z][a-z]+,[ \t])?(?:[A-Z][a-z]+[ \t])?[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}(?![\w])"
    r"|,[ \t][A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?,[ \t][A-Z]{2}[ \t]\d{5}(?:-\d{4})?(?![\w])"  # "Columbus, OH 43215"
    r"|,[ \t][A-Z][a-z]+,[ \t][A-Z]{2}[ \t][A-Z]\d[A-Z][ \t]\d[A-Z]\d(?![\w]))?"  # "Toronto, ON M4E 2V5"
)

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_NAME_WORD = rf"(?:O'|O’|D'|Mc|Mac|al-|el-)?[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+|-[{_LO}]{{2,4}}(?![{_LO}]))?"  # "Ji-woo"
_NAME_TOKEN = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?![\w'’-])")
# The writer gives a name and an age: "i'm Amelia, 19, from Ireland", "im Robin (they/them), 16",
# "jeg er Line, 19 år": a name even when it is also a word.
_NAME_AND_AGE = re.compile(rf"\b(?:[Ii]['’]?m|[Jj]eg[ \t]+er)[ \t]+({_NAME_WORD})(?:[ \t]+\([^()]{{1,12}}\))?[ \t]*,[ \t]*\d{{1,2}}(?!\d|[.,:]\d)")
_COMMA_NUMBER = re.compile(r",[ \t]*\d")
_MAIDEN_NAME = re.compile(rf"\b(?:[Nn]ée|[Ff]ødt)[ \t]+({_NAME_WORD})(?![\w'’-])")


@lru_cache(maxsize=4)
def _name_tokens(text: str) -> tuple[re.Match, ...]:
    """Return the capitalised words of `text` (_NAME_TOKEN): several rules read them, the text is
    scanned once."""
    return tuple(_NAME_TOKEN.finditer(text))
# One search in C instead of a Python loop of `in` tests: any of the words anywhere in the text.
_EN_STREET_WORD_IN = re.compile("|".join(map(re.escape, _EN_STREET_WORDS)))
_ASCII_DIGIT = re.compile(r"[0-9]")
_NEXT_NAME = re.compile(
    rf"[ \t](?:(?:van|von|de|da|del|dela|della|di|du|dos|das|la|le|al|bin|ibn|ap|af|ter|ten|á|í|Ó|Ní|Mac|Thi|Thị|Văn|"
    rf"Van|Von|De|Da|Del|Dela|Di|Dos|Das)"
    rf"[ \t](?:(?:der|den|de|la|ter)[ \t])?|"
    rf"[{_UP}]\.[ \t])?({_NAME_WORD})(?![\w'’-])"
)
_NAME_GROUP = (rf"{_NAME_WORD}(?:[ \t](?:(?:van|von|de|da|del|dela|della|di|du|dos|das|la|le|al|bin|ibn|ap|af|ter|ten|Thị|Thi|Văn)"
               rf"[ \t](?:(?:der|den|de|la)[ \t])?)?(?:[{_UP}]\.[ \t])?{_NAME_WORD}){{0,2}}(?![\w'’-])")
_STRONG_CUE = re.compile(_fail_fast(
    "mjhtngefslg", rf"\b(?:mi[nt]\s+navn\s+er|(?:jeg|han|hun)\s+hedder|hedder\s+jeg|my\s+name\s+is|my\s+name's|"
    rf"(?:her|his|their)\s+name\s+(?:is|was)|(?:han|hun)\s+hed|(?:hendes|hans)\s+navn\s+(?:er|var)|"
    rf"(?:efter|for|mellem)?navn(?:et)?\s*:|(?:efter|for)navn(?:et)?(?:\s+er)?|(?:sur|first|last|given|family)\s*name(?:\s+is)?\s*:?|"
    rf"(?:(?<=,\s)|(?<=\band\s))name|"  # "I'm Thai, name Kanokwan", "and name Ha Thi Ngoc Anh": a learner's "my name is"
    rf"name(?:\s+on\s+file)?\s*:|(?:hi|hello|hey|hej|hejsa|goddag)[ \t]*[,!]?[ \t]+(?:this\s+is|it'?s|det\s+er|her\s+er))"
    rf"\s+((?-i:{_NAME_GROUP}))"),
    re.I,
)
# "det er mig igen, Rune", "it's me, Priya": a listed name or no word after it.
_ITS_ME = re.compile(rf"\b(?:det\s+er\s+mig|it['’]?s\s+me)(?:\s+(?:igen|again))?\s*,\s*((?-i:{_NAME_GROUP}))", re.I)
# Initials before a surname in a signature: "J. R. Hollingsworth", "/K.M. Lund".
_INITIALS_NAME = rf"(?:[{_UP}]\.[ \t]?){{1,3}}{_NAME_WORD}(?![\w'’-])"
# Sign-offs followed by any capitalised name (a full signature line) …
_SIGN_OFF = (
    r"(?:(?:med\s+)?venlig(?:st)?\s+hilsen|mvh\.?|vh\.?|kh\.?|kærlig\s+hilsen|"
    r"(?:de\s+)?bedste\s+hilsner|mange\s+hilsner|hilsen|"
    r"kind\s+regards|best\s+regards|warm\s+regards|warmest\s+regards|regards|best\s+wishes|"
    r"all\s+the\s+best|cheers|sincerely|yours\s+sincerely|yours\s+faithfully|yours\s+truly|signed|underskrevet|"
    r"respectfully|yours\s+respectfully|with\s+(?:much\s+)?love|(?:with\s+)?warmest\s+(?:thanks|wishes)|ærbødigst|"
    r"(?:med\s+)?(?:varme|kærlige|venlige)\s+hilsner|"
    r"(?:(?<=\n)|^|(?<=[.!?][ \t]))(?-i:Best)(?=,)|"  # "Best," opening a closing line or after a sentence
    r"(?:thanks|thank[ \t]+you|(?:mange[ \t]+|tusind[ \t]+)?tak)(?=[ \t]*[,!.]?[ \t]*\n))"  # thanks closing a line
)
_SIGNATURE = re.compile(
    rf"(?<![\w-]){_SIGN_OFF}[ \t]*[,:]?\s*"
    rf"((?-i:(?:Md\.[ \t]|Mohd\.[ \t])?(?:{_INITIALS_NAME}|{_NAME_GROUP})))(?:[ \t]+(?:og|and|&)[ \t]+((?-i:{_NAME_GROUP})))?"
    rf"(?=(?-i:[ \t][{_UP}]\.?)?\s*(?:$|[\n,(.!)]))",  # "Cheers, Tunde A.": the initial is taken later
    re.I,
)
# … and weaker ones only before a listed given name.
_WEAK_SIGN_OFF_BEFORE = re.compile(
    r"(?<![\w-])(?:tak|thanks|thank\s+you|greetings|signed|underskrevet|skrevet\s+af|sendt\s+af|"
    r"fra|from)[ \t]*[,:]?\s*$",
    re.I,
)
#: Titles before a name: the name after them is found by _TITLE_NAME, the title is no name.
_TITLES = frozenset({"Dr", "Mr", "Mrs", "Ms", "Mx", "Miss", "Prof", "Hr", "Fru", "Frk", "Pastor"})
_SIGN_OFF_STEMS = ("hilsen", "hilsner", "mvh", "vh", "kh", "regards", "wishes", "best", "cheers",
                   "sincerely", "yours", "signed", "underskrevet", "thank", "tak\n", "tak,\n", "tak!\n",
                   "respectfully", "love", "warmest", "ærbødigst")  # fmt: skip
_STRONG_CUE_STEMS = ("navn", "hedder", "name", "this is", "it's", "its", "det er", "her er")
# Initials and a surname on a line of their own near the end, or closing the answer: the writer
# signs ("H. Baker (Mr.)", "M. Quigley\nNyvej 6\n8600 Silkeborg").
_CLOSING_INITIALS = re.compile(rf"(?:^|\n|[.!?][ \t]+)({_INITIALS_NAME})[ \t]*(?:\((?:Mr|Mrs|Ms|Miss|Hr|Fru|Frk)\.?\))?[ \t]*(?=\n|$)")
# The slash or dash before a signature closing an answer ("– Tom H.", "/LKP").
_CLOSING_MARK = r"(?:/|-{1,2}|–|—)[ \t]?"
# A staff member's initials signing a note they typed for a resident: closing it ("… 23 45 61 78. /LKP",
# "– JRA", "/IHA-JT": a team's letters, then the person's; "/bh"), after a label ("Notat: HCN",
# "Interviewer KLM:", "Notes by MB.") or opening it ("JBH noterer:").
_INITIALS_CLOSING = re.compile(rf"(?:^|\s)(?:{_CLOSING_MARK}(?:[{_UP}]{{2,5}}-)?([{_UP}]{{2,4}})|/([{_LO}]{{2,3}}))[.!]?\s*$")
_INITIALS_LABEL = re.compile(
    rf"\b(?:[Nn]otat|[Nn]oteret[ \t]+af|[Nn]otes?[ \t]+by|[Nn]oted[ \t]+by|[Ss]krevet[ \t]+af|[Ii]nterviewer|"
    rf"[Ss]taff(?:[ \t]+note)?|[Ii]nit\.|[Ss]agsbehandler|[Ss]agsbeh\.|[Aa]dviser|[Rr]ådgiver|[Mm]edarbejder|"
    rf"[Tt]aken[ \t]+by|[Mm]odtaget[ \t]+af)[ \t]*:?[ \t]*([{_UP}]{{2,4}})(?![\w'’/-])"
    rf"|(?:^|[.!?\n][ \t]*)([{_UP}]{{2,4}})[ \t]+(?:noterer|notes|skriver|writes)\b")
_INITIALS_LABEL_STEMS = ("notat", "noteret", "note", "skrevet", "interviewer", "staff", "init.", "sagsbeh", "adviser",
                         "rådgiver", "medarbejder", "taken by", "modtaget af", "noterer", "skriver", "writes")
# Letters that close or label a note and are no one's initials.
_NOT_INITIALS = frozenset({"OK", "NB", "PS", "SMS", "CPR", "MIT", "EU", "DK", "UK", "USA", "IT", "KBH", "CPH", "DSB",
                           "TV", "PDF", "APP", "FAQ", "HR", "ID", "NN", "MVH", "VH", "KH", "TAK", "OBS", "ASAP", "FYI",
                           "AM", "PM", "ST", "TH", "MF", "ANG", "URL", "LOL", "OMG", "WTF", "IMO", "IMHO", "BTW", "TBH",
                           "NGO", "GDPR", "VIP", "DIY", "RIP", "USB", "GPS", "WIFI", "SOS"})
_SLASH_SIGNATURE = re.compile(rf"(?:^|\s){_CLOSING_MARK}({_INITIALS_NAME}|{_NAME_GROUP}(?:[ \t][{_UP}]\.?)?|(?:[{_UP}]\.){{2,3}})"
                              rf"(?:[ \t]*\([^()\n]{{0,40}}\))?(?:,[ \t]*(?:aged|age|alder)?[ \t]*\d{{2,3}}(?:[ \t]*(?:år|years?(?:[ \t]+old)?))?)?"
                              rf"[.!]?\s*$")  # "– Tom H.", "/R.T.", "– Ivy, aged 88"

# Languages are capitalised in English: "translated from Danish" names no one.
_LANGUAGES = frozenset(
    """
    Danish English German Swedish Norwegian Arabic Turkish Polish Ukrainian Somali Urdu Persian Farsi Dansk Engelsk
    Tysk Svensk Norsk Arabisk Tyrkisk Polsk Ukrainsk Somalisk
    """.split()
)
# Capitalised words that follow a given name without being a surname ("Bella Center").
_NOT_SURNAME = frozenset(
    """
    Kommune Kommunen Region Regionen København Copenhagen Station Stationen Center Centret
    Centre Skole Skolen School Fonden Fond Foundation Museum Museet Park Parken Plads Pladsen
    Kirke Kirken Church Hospital Hospitalet Bibliotek Biblioteket Library Universitet University
    Gymnasium Hallen Hal Kulturhus Kulturhuset Street Road Avenue Lane Vej Gade Allé Alle
    Boulevard Torv Brygge Have Bro Bridge Airport Lufthavn City Byen Nord Syd Øst Vest Danmark
    Denmark Kollegium Kollegiet Centeret Teater Teatret Theatre Arena Hotel Restaurant Café Cafe
    Festival Prisen Award Award Institut Institute Instituttet Hus Huset House Garden Gardens
    Square Strand Stranden Beach Marked Market Stadion Stadium Hall Klinik Clinic Skolen
    Plejehjem Plejecenter Børnehave Vuggestue Kirkegård Kirkegården Sø Søen Havn Havnen
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    August September October November December Mandag Tirsdag Onsdag Torsdag Fredag Lørdag
    Søndag Januar Februar Marts Juli Oktober Jeg Vi Han Hun De Og The And From Fra Til
    Building Bygning Bygningen Institutet Instituttet Line Linje Linjen Tower Tårn Tårnet Centre
    Movia Metroselskabet Rejsekort Letbanen Banedanmark Vejdirektoratet Vestforbrænding Ørsted
    President Præsident Borgmester Borgmesteren Minister Ministeren Statsminister Statsministeren Mayor
    Senator Governor Councillor Rådmand Rådmanden King Queen Colonel Captain Kaptajn Oberst Sister Professor
    Doctor Lieutenant Løjtnant Sergeant Sergent Admiral Borgerservice Citizen Bcc Cc
    """.split()
) | _LANGUAGES
# Given names that are also words after a name ("Metro Line", "Bella Center" … "1. August"): after a
# sign-off they are the person ("Venlig hilsen Line").
_SIGNING_GIVEN_NAMES = frozenset({"Line", "August"})
# People everyone knows, and the shops, brands and places named after them ("outside Georg Jensen
# on Amagertorv", "Karen Blixen Parken"): no citizen's personal data.
_STORM_BEFORE = re.compile(rf"\b(?:storm(?:en|ene|s)?|orkan(?:en)?|hurricanes?)[ \t]+(?:[{_UP}][{_LO}]+[ \t]+(?:og|and|&)[ \t]+)?$", re.I)
_MEMBER_OF_BEFORE = re.compile(r"\b(?:medlem[ \t]+af|member[ \t]+of)[ \t]+$", re.I)
# After a name: a regnal number, an institution in the genitive, a firm's legal form.
_MONARCH_AFTER = re.compile(r"[ \t]+(?:[IVX]{2,4}|V|X|I(?![ \t]+[a-zæøå])|\d{1,2}\.)(?![\w.'’])")  # not "Kevin Marsh I think", "… I'm"
_INSTITUTION_AFTER = re.compile(
    rf"s[ \t]+[{_UP}][{_LO}]*(?:skole|gymnasium|gymnasieskole|kirke|hospital|kollegium|bibliotek|museum|institut|fond|"
    rf"seminarium|akademi|skolen|kirken|kollegiet)\b"
)
# A shop, café or workshop named after its owner in the genitive: "Ullas Strikkecafé", "Svend Aages
# Fiskehus", "Anna Marias Legestue", "Ruths Kagebod".
_SHOP_AFTER = re.compile(
    rf"s[ \t]+(?=[{_UP}])(?i:[a-zæøå]*(?:café|cafe|kaffebar|bod|fiskehus|kaffehus|bøfhus|spisehus|pølsehus|legestue|"
    rf"spisestue|bageri|kiosk|salon|grill|køkken|butik|handel|værksted|klinik|frisør|bistro|restaurant|bryghus|bodega|"
    rf"blomster|cykler|slagter|kro))\b"
)
_FIRM_AFTER = re.compile(
    rf"(?:[ \t]+(?:&[ \t]+)?[{_UP}][\w-]*){{0,3}}[ \t]+(?:A/S|ApS|I/S|IVS|K/S|P/S|Ltd\.?|Inc\.?|GmbH)(?!\w)"
    rf"|(?:[ \t]+[{_UP}][\w-]*)?[ \t]+&[ \t]+(?:Søn|Sønner|Søns|Døtre|Co|Partnere|Partners|Sons|Daughters|Brothers|Anlæg)\b"  # "Hansen & Søn", "Gaarde Have & Anlæg"
    r"|[ \t]+(?:Tømrer|Tømrerfirma|Murer|Murerfirma|Maler|Malerfirma|VVS|Auto|Autoværksted|Byg|Byggeri|Entreprise|"
    r"Vognmandsforretning|Rengøring|Bageri|Bøfhus|Cykler|Blomster|Ejendomme|Advokater|Revision|Optik|Isenkram|"
    r"Builders|Bakery|Motors|Plumbing|Cleaning|Construction|Consulting)\b"  # a trade after a surname: "Nielsen Tømrer"
)
# A public office before a name: the office holder in that role ("borgmester Sophie Hæstorp
# Andersen lovede", "the mayor … gave a speech", "King Frederik"), no citizen's personal data.
_PUBLIC_OFFICE_BEFORE = re.compile(
    r"\b(?:(?:over)?borgmester(?:en)?|statsminister(?:en)?|minister(?:en)?|rådmand(?:en)?|regionsrådsformand(?:en)?|"
    r"folketingsmedlem|mayor|prime\s+minister|minister|president|præsident(?:en)?|king|queen|kong|dronning|"
    r"prins|prinsesse|prince|princess)(?:[ \t]+(?:of|for)(?:[ \t]+the)?)?[ \t]+$",  # "the Minister of Transport"
    re.I,
)
# Words that put a politician in their role anywhere in the answer (see _public_in_role).
_POLITICAL_ROLE = re.compile(r"\b(?:stats)?minister|prime\s+minister|\bregering|\bgovernment\b|\bfolketing|"
                             r"\bparliament\b|nytårstale|new\s+year['’]?s?\s+(?:speech|address)|partiformand|"
                             r"party\s+leader|socialdemokrat|social\s+democrat|valgkamp|election\s+campaign|"
                             r"grøn\s+omstilling|green\s+transition", re.I)  # "talte om grøn omstilling i 2019"
_AFTER_SPAN_INSTITUTION = re.compile(
    rf"[ \t]?(?:{'|'.join(sorted(_NOT_SURNAME - {'Og', 'And', 'Fra', 'Til', 'From'}))})\b"
)
# Words that open a business's name: "Trattoria Bianchi", "Salon Yildiz".
_BUSINESS_WORDS = frozenset("Café Cafe Restaurant Bistro Bar Pizzeria Trattoria Osteria Ristorante Brasserie Taverna "
                            "Bageri Salon Frisør Kiosk Hotel Klinik Studio Galleri Atelier Butik Boutique".split())
_BUSINESS_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(_BUSINESS_WORDS))})[ \t]$")  # "Trattoria Bianchi": the family's restaurant
# Words before a given name that make it a place, a business or a storm: "Sankt Peders Stræde",
# "Kong Hans", "Café Lise", "stormen Bodil".
_SAINT_BEFORE = re.compile(r"(?:Sankt|Skt\.|St\.?|Saint|Kong|Kongens|Dronning|Prins|Prinsesse|Café|Cafe|Restaurant|"
                           r"Bistro|Bar|Pizzeria|Bageri|Salon|Frisør|Kiosk|Hotel|[Ss]tormen|[Ss]torm|[Oo]rkanen|[Hh]urricane)\s$")
# A month that is also a given name ("since Jan.", "in May 2024", "fra Aug. til"): a date.
_MONTH_NAMES = frozenset({"Jan", "Feb", "Mar", "Apr", "April", "May", "Jun", "June", "Jul", "Aug", "August",
                          "Sep", "Sept", "Oct", "Okt", "Nov", "Dec"})
# Every month, for dates that look like a street before a postcode ("On May 4, 2021 Council").
_MONTHS = _MONTH_NAMES | frozenset("January February March July September October November December Januar Februar "
                                   "Marts Maj Juni Juli Oktober".split())
_MONTH_BEFORE = re.compile(r"(?:since|in|from|until|till|by|before|after|early|late|mid|of|end|siden|fra|til|i|"
                           r"før|efter|primo|medio|ultimo|\d{1,2}\.?)[ \t]$", re.I)
_MONTH_AFTER = re.compile(r"\.|[ \t]\d")
# "the Elizabeth line", "The Niels Bohr Building": a given name after "the" names a thing.
_THE_BEFORE = re.compile(r"(?<![\w-])[Tt]he\s$")
# A name written in lower case ("spørg lars", "me and jen"), as a token.
_LOWER_TOKEN = re.compile(rf"(?<![\w'’@./:#-])[{_LO}]{{3,}}(?![\w'’@]|\.[\w.+-]*@|-(?![{_LO}]{{3,}}(?![\w'’@-])))")  # not "jorgen.hald@…"
_LOWER_HYPHEN_PART = re.compile(rf"-[{_LO}]{{3,}}(?![\w'’@-])")
_LOWER_NEXT = re.compile(rf"[ \t]((?:[{_LO}]{{3,}}-|o['’])?[{_LO}]{{3,}})(?![\w'’@-])")  # "o'connor"
_AND_I_AFTER = re.compile(r"[ \t]+(?:and[ \t]+[Ii]|og[ \t]+jeg)\b")
# a cheap pre-check: one word opening a clause before "and I"/"og jeg" somewhere in the text
_OPENS_AND_I = re.compile(
    r"(?:^|[.!?;:\n][ \t]*|\b(?:with|med)[ \t]+)(?:[^\W\d_]+[ \t]+)?[^\W\d_]+(?:-[^\W\d_]+)?[ \t]+(?:and[ \t]+i|og[ \t]+jeg)\b", re.I
)
# where "X and I" names a person: at the start of a sentence or after "with"/"med" — not "I want
# paparazzi and I want publicists"
_CLAUSE_START = re.compile(r"(?:^|(?<!\d)\.[ \t]*|[!?;:\n][ \t]*|\b(?:with|med)[ \t]+)$", re.I)  # not "5. sal"
# Who the person is to the writer, or an invitation to talk to them, right before a name.
_RELATION_NOUNS = frozenset(
    """
    neighbour neighbor friend flatmate roommate room-mate housemate house-mate wife husband partner girlfriend
    boyfriend son daughter colleague boss landlord mum mom dad brother sister kid teacher nanny carer caregiver
    childminder babysitter tutor coach nabo ven veninde kæreste søn datter kollega chef udlejer vicevært mand kone hustru
    bror søster mor far lærer underbo genbo boy girl dreng pige hjælper træner pædagog underviser dagplejer
    barnepige svigermor svigerfar svigerinde svoger mormor morfar farmor farfar onkel tante fætter kusine barnebarn
    nevø niece nephew uncle aunt aunty auntie cousin grandma granny grandad grandpa grandmother grandfather grandson
    granddaughter stepson stepdaughter mother father co-owner medejer kompagnon medarbejder sagsbehandler bf gf hubby fiance fiancé fiancee fiancée mate buddy pal stepmother stepfather stepmum stepdad mother-in-law father-in-law
    sister-in-law brother-in-law son-in-law daughter-in-law caretaker janitor landlady doctor nurse midwife
    pedel gårdmand læge sygeplejerske jordemoder hjemmehjælper twin bro sis bestie bff ex tvilling lillebror
    lillesøster storebror storesøster oldefar oldemor tipoldefar tipoldemor great-grandfather great-grandmother
    """.split()
)
_IN_LAWS = ("mother in law", "father in law", "sister in law", "brother in law", "son in law", "daughter in law")
# (the nearest relation noun: "mit barnebarn ieva hjælper" is a grandchild, not a helper)
_RELATION = (rf"\b(?:my|our|your|his|her|their|min|mit|mine|din|dit|dine|vores|jeres|hans|hendes|deres)\s+(?:\w+(?:['’]s)?\s+){{0,2}}?"
             rf"(?:{'|'.join(sorted((*_RELATION_NOUNS, *_IN_LAWS), key=len, reverse=True))})")
# Who the person is to the writer, a role in the definite form ("underviseren Lykke"), an address
# line ("att. Sullivan", "v/ Bent Ravnholt", "cc Bobby"), or an invitation to talk to them.
_DEFINITE_ROLES = ("underviseren", "læreren", "pædagogen", "træneren", "hjælperen", "sygeplejersken", "pedellen",
                   "datteren", "sønnen", "konen", "manden", "hustruen", "kæresten", "svigerdatteren", "svigersønnen",
                   "viceværten", "formanden", "dagplejeren", "chaufføren", "instruktøren", "sagsbehandleren",
                   "kontaktpersonen", "rådgiveren", "socialrådgiveren", "mentoren", "ejeren", "udlejeren",
                   "fysioterapeuten", "ergoterapeuten", "lægen", "tandlægen", "hjemmehjælperen", "skolelederen",
                   "bestyreren", "naboen", "genboen", "underboen", "overboen")
_ROLES_BEFORE_COMMA = ("librarian", "caretaker", "janitor", "landlord", "landlady", "manager", "owner", "headteacher",
                       "receptionist", "nurse", "driver", "chair", "secretary", "coordinator")  # "The librarian, Grace,"
# "It was Mark Wells from downstairs", "det var Bo Holm": a full name after a cleft.
_IT_WAS_BEFORE = re.compile(r"\b(?:it\s+was|det\s+var)\s+$", re.I)
# "hiya 👋 it's Amelia": a greeting, then who writes.
_GREETING_ITS_BEFORE = re.compile(r"\b(?:hi+|hiya|hey+|hello+|hej|hejsa)\W{0,6}(?:it['’]?s|this\s+is|det\s+er)\s+$", re.I)
# How a staff note names the resident it is about, where a name may follow or stand: "Borger ringede",
# "Resident says", "Resident Tom Hughes".
_RESIDENT_WORDS = ("resident", "respondent", "respondenten", "caller", "citizen", "borger", "borgeren", "beboer",
                   "beboeren")
# Trades written right before a given name that is also a word: "bike mechanic Tom Winter", "gartner Bo Lund".
_TRADE_BEFORE = re.compile(r"\b(?:mechanic|plumber|electrician|carpenter|builder|gardener|hairdresser|barber|pharmacist|"
                           r"dentist|shopkeeper|mekaniker|elektriker|blikkenslager|gartner|frisør|tandlæge|"
                           rf"{'|'.join(_RESIDENT_WORDS)})[ \t]+$", re.I)  # also "Resident Tom Hughes"
# Kin words used as a title before a name: "aunty bola", "onkel Ib" (longest first).
_KIN_TITLES = ("aunty", "auntie", "aunt", "uncle", "tante", "onkel")
_PERSON_CUE_BEFORE = re.compile(
    rf"(?:{_RELATION}|\b(?:{'|'.join(_DEFINITE_ROLES)})|\b(?:att\.|attn\.?|c/o|cc:?)|(?<![\w/])v/|"
    rf"\b(?:[Tt]he|[Oo]ur|[Mm]y|[Tt]heir)\s+(?:same\s+|new\s+|old\s+)?(?:{'|'.join(_ROLES_BEFORE_COMMA)})\s*,|"
    rf"\b(?:{'|'.join(_KIN_TITLES)})|"  # kin words as a title: "aunty bola", "onkel Ib"
    r"\b(?:ask(?:\s+for)?|talk\s+to|speak\s+to|tell|call|thanks\s+to|tak\s+til|me\s+and|spørg(?:\s+bare|\s+efter)?|"
    r"together\s+with|sammen\s+med|"
    r"(?:raised|discussed|took)\s+(?:this|it)\s+(?:up\s+)?with|spoke\s+(?:to|with)|talked\s+(?:to|with)|talte\s+med|"
    r"tal\s+med|snak\s+med|hils\s+på|ring(?:ede)?\s+til|giv\s+besked\s+til|mig\s+og|jeg\s+og|(?:i|jeg)\s+(?:told|fortalte)|"
    r"(?:enig|enige)\s+med|(?:agree|agrees|agreed)\s+with|"
    r"(?P<parent>(?:mor|far|forælder|bedstemor|bedstefar|mother|father|mum|mom|dad|parent|grandmother|grandfather|grandma|"
    r"grandpa)\s+(?:til|of)))"  # "mor til Theo", "mum of Theo" (not "mor til Tre": _NUMBER_WORD)
    rf"|\b(?:{'|'.join(_DEFINITE_ROLES)})\s+(?:hedder|hed))[ \t]*,?[ \t]*$",
    re.I,
)
_RELATION_ANYWHERE = re.compile(_fail_fast("mohtdvyj", _RELATION), re.I)
# Verbs that say a person follows: "tell agus", "me and gabi", "send the answer to petar".
_PERSON_VERB = re.compile(_fail_fast("tamshrfgj", r"\b(?:tell|ask|me\s+and|mig\s+og|jeg\s+og|spørg|hils\s+på|ring\s+til|thanks\s+to|tak\s+til|"
                          r"giv\s+besked\s+til|"
                          r"(?:send|forward|give)\s+(?:it|this|them|that|the\s+\w+)\s+to)\b"), re.I)
# How every cue of _PERSON_CUE_BEFORE ends (lower case): a window that ends otherwise, before any
# spaces and commas, cannot match it, so the costly search is skipped (the results are the same).
_CUE_BEFORE_ENDINGS = (*_RELATION_NOUNS, *_DEFINITE_ROLES, *_ROLES_BEFORE_COMMA, *_KIN_TITLES,
                       "att.", "attn", "attn.", "c/o", "cc", "cc:", "v/", "ask", "for", "to", "tell", "call", "til",
                       "and", "spørg", "bare", "efter", "with", "med", "på", "og", "told", "fortalte", "hedder", "hed", "of")


def _cue_before(text: str, start: int) -> bool:
    """Return whether the 40 characters before `start` end in a cue that says who a person is to the
    writer ("min nabo", "att.", "spørg bare", "I told")."""
    window = max(0, start - 40)
    if not text[window:start].rstrip(" \t,\n").lower().endswith(_CUE_BEFORE_ENDINGS):
        return False
    m = _PERSON_CUE_BEFORE.search(text, window, start)
    return m is not None and not (m.group("parent") and _NUMBER_WORD.match(text, start))


_NUMBER_WORD = re.compile(r"(?i:to|tre|fire|fem|seks|syv|otte|ni|ti|two|three|four|five|six|seven|eight|nine|ten|twins|tvillinger)\b")
_GAP = re.compile(r"[ \t]*,?[ \t]*")
# Verbs that come before a name and are names too ("ask tomás": Ask is a Danish given name).
_CUE_VERBS = frozenset({"ask", "tell", "call", "ring", "spørg", "hils", "thank", "thanks", "tak"})
# What follows a name standing alone: a verb of saying, a place of living, "and I".
_PERSON_CUE_AFTER = re.compile(
    r"[ \t]*(?:[ \t](?:bhai|bhaiya|ji|sahib|saab|bey|hanım|abla|abi)\b|,[ \t]*(?:the|our|my|vores|min)[ \t]+(?:[a-zæøå]+[ \t]+)?(?:caretaker|landlord|landlady|chair|janitor|manager|owner|"
    r"teacher|neighbou?r|vicevært|formand|udlejer|nabo)|"
    r",[ \t]*(?:formand|næstformand|kasserer|sekretær|leder|vicevært|pedel|ejer|indehaver|træner|chair(?:man|woman|person)?|"
    r"treasurer|secretary|caretaker|owner|coach|organi[sz]er)[ \t]+(?:for|i|af|of|at|in|på)\b|[ \t](?:said|says|reckons|thinks|told|has\s+complained|"
    r"promised|has\s+promised|next\s+door|at\s+number|from\s+number|from\s+no\.|sagde|siger|mener|synes|"
    r"har\s+lovet|lovede|ringede|mente|fortalte|skrev\s+til|wrote\s+to|fra\s+nr\.|fra\s+nummer|i\s+nr\.|"
    r"i\s+bestyrelsen|fra\s+\d{1,2}\.\s?[a-zæøå]\b|fra\s+\d{1,2}\.\s+klasse))",  # "Storm fra 3.b"
    re.I,
)
# Cheap pre-check: without one of these, no cue of the two patterns above can match.
_PERSON_CUE_STEMS = ("my ", "our ", "his ", "her ", "their ", "min ", "mit ", "mine ", "vores ", "hans ", "hendes ",
                     "deres ", "your ", "jeres ", "tak til", "besked til", "ask", "talk", "speak", "spoke", "tell", "call", "thanks", "this with", "it with", "talte",
                     "together", "sammen", "enig", "agree",
                     "att.", "attn", "v/", "cc ", "cc:", "c/o", *_DEFINITE_ROLES,
                     "me and", "spørg", "tal ", "snak", "hils", "ring", "mig og", "jeg og", "said", "says", "reckon", "think", "told",
                     "complain", "next door", "number", "sagde", "siger", "mener", "mente", "fortalte", "synes", "lovet", "ringede", "nr.",
                     "bestyrelsen", ", the", ", vores", ", our", ", my", ", min", "promised", "lovede", "nummer",
                     "skrev", "wrote", *(f"{role}," for role in _ROLES_BEFORE_COMMA),
                     ", formand", ", næstformand", ", kasserer", ", sekretær", ", leder", ", vicevært", ", pedel", ", ejer",
                     ", indehaver", ", træner", ", chair", ", treasurer", ", secretary", ", caretaker", ", owner", ", coach",
                     ", organi")
_NUMBER_BEFORE = re.compile(r"\d[ \t]$")
_CLASS_IN = re.compile(r" fra \d{1,2}\.(?: ?[a-zæøå]\b| klasse)")  # a school class after a name (_PERSON_CUE_AFTER)
# An organisation named after its place: "Københavns Ejendomme lovede", "Gladsaxes Bibliotek siger".
# A form's label, then family name, comma, given names: "Navn: Hamdi, Sahra." — one name.
_GIVEN_AFTER_COMMA = re.compile(rf",[ \t]*({_NAME_GROUP})(?=[ \t]*(?:[.;\n]|$))")
_STRONG_CUE_BEFORE = re.compile(r"(?:mi[nt]\s+navn\s+er|(?:efter|for)navn(?:et)?(?:\s+er)?\s*:?|"
                                r"(?:sur|first|last|given|family)\s*name(?:\s+is)?\s*:?|it['’]?s\s+me\s*,|det\s+er\s+mig\s*,|(?:jeg|han|hun)\s+hedder|hedder\s+(?:vist|nok|måske)|my\s+name\s+is|"
                                r"my\s+name's|(?:his|her)\s+name\s+is|(?:his|her)\s+name's)\s+$", re.I)  # "hedder vist sørensen"
# Where the writer says what someone is called: "en mand der hed Ib", "a volunteer named Grace".
_NAMED_BEFORE = re.compile(r"\b(?:(?:der|som|han|hun)\s+(?:hed|hedder)|named|who\s+(?:is|was)\s+called)\s+$", re.I)
# "Grace, who chairs …": "who" after a comma follows a person.
_WHO_AFTER = re.compile(r"[ \t]*,?[ \t]*who\b")
# "i Glostrup synes jeg", "in Ballerup say", "lægen på Nørrebro siger": a place, not a person, before a verb of saying.
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:i|in|fra|from|på)[ \t]+$")
# A greeting, thanks or "it's me" right before a name written in lower case, which ends there:
# "thx mark 😊", "its me rose 🌹", "hej bo!".
_HELLO_BEFORE = re.compile(r"(?:^|[.!?\n][ \t]*|\b(?:lol|ok|okay))[ \t]*(?:thx|thanks|thank[ \t]+you|tak|tusind[ \t]+tak|cheers|"
                           r"hi|hey|hej|hello|dear|kære|it['’]?s[ \t]+me|det[ \t]+er[ \t]+mig)[ \t]*,?[ \t]*$", re.I)
_ENDS_HERE = re.compile(r"[ \t]*(?:[^\w\s]|$)")
# After "my son", "min nabo": "is"/"er" or "hedder" and a name ("my kid is Thanushan").
_NAMED_AFTER_RELATION = re.compile(
    rf"[ \t]+(?:(hedder|hed|is[ \t]+called|is[ \t]+named)|is|er)[ \t]+({_NAME_WORD})(?![\w'’-])")
_GENITIVE_BEFORE = re.compile(rf"(?<![\w'’-])[{_UP}][{_LO}]+s[ \t]$")
# "Skiltet siger", "Energistyrelsen mener": a Danish noun in its definite form, not a person.
_DANISH_DEFINITE = ("et", "en", "ne")
_TITLE_NAME = re.compile(_fail_fast(
    "MmDdHhFfPp", rf"(?<![\w-])(?:(?:Mr|Mrs|Ms|Miss|Mx|mr|mrs|ms)\.?[ \t]+((?:[{_UP}]\.[ \t]?)*"
    rf"(?:(?:de|da|van|von|del|di|dos|du|le|la|Ó|Ní|Nic|Van|Von|De|Da)[ \t]+(?:(?:der|den|de|la)[ \t]+)?)?"
    rf"(?:O'|O’|Mc|Mac)?[{_UP}{_LO}][{_LO}]+"
    rf"(?:-[{_UP}][{_LO}]+)?)|(?:Dr|Hr|Fru|Frk|dr|hr|fru|frk|Pastor|pastor|Father|Fr|Prof|Professor|professor|"
    rf"Pater|pater)\.?[ \t]+({_NAME_WORD}))(?![\w-])"
))

# A person introduced by what they are and what they are called ("a lovely man called Dev",
# "en dame der hedder Lis"), and a family by its surname ("familien Bech", "the Walsh family").
_CALLED = re.compile(
    rf"\b(?:man|woman|guy|lady|girl|boy|chap|bloke|fellow|gentleman|person|someone|somebody|"
    rf"mand|kvinde|dame|fyr|pige|dreng|herre|person)[ \t]+(?:called|named|der[ \t]+hedder|som[ \t]+hedder|"
    rf"ved[ \t]+navn)[ \t]+((?-i:{_NAME_GROUP}))",
    re.I,
)
# The same in lower case: "a guy called sten", "en mand der hedder bent".
_LOWER_CALLED = re.compile(
    rf"\b(?:man|woman|guy|lady|girl|boy|chap|bloke|fellow|gentleman|person|someone|somebody|"
    rf"mand|kvinde|dame|fyr|pige|dreng|herre|person)[ \t]+(?:called|named|der[ \t]+hedder|som[ \t]+hedder|"
    rf"ved[ \t]+navn)[ \t]+([{_LO}]{{2,}})(?![\w'’@-])"
)
# Children, neighbours, friends … in the plural, as in "tage og storm (mine drenge)".
_RELATION_PLURALS = ("drenge", "piger", "børn", "unger", "sønner", "døtre", "tvillinger", "naboer", "venner",
                     "veninder", "forældre", "brødre", "søstre", "kids", "boys", "girls", "children", "sons",
                     "daughters", "twins", "neighbours", "neighbors", "friends", "parents", "brothers", "sisters")
_RELATION_OR_PLURAL = "|".join(sorted((*_RELATION_NOUNS, *_RELATION_PLURALS), key=len, reverse=True))
# Names before who they are, in brackets: "tage og storm (mine drenge)", "Aziz (my neighbour)", "Summer (my 6 yr old)".
_NAMES_BEFORE_BRACKET = re.compile(
    rf"(?<![\w'’@./:#-])([{_UP}{_LO}][{_LO}]+(?:[ \t][{_UP}][{_LO}]+){{0,2}})(?:,?[ \t]+(?:og|and|&)[ \t]+([{_UP}{_LO}][{_LO}]+))?[ \t]*\("
    rf"(?:min|mine|mit|my|our|vores|hans|hendes|his|her)[ \t]+(?:(?:[{_LO}]+[ \t]+)?(?:{_RELATION_OR_PLURAL})|"
    rf"\d{{1,2}}[ \t-]*(?:(?:yrs?|years?)[ \t-]*old|årige?)(?:[ \t]+(?:{_RELATION_OR_PLURAL}))?)\)"
)
# Two given names opening a sentence before "from": "will and mark from the allotment
# garden have been asking", "Joy and Faith from our church run"; one before "and her little brother": "storm and her little brother bike
# to school" (capitalised or not).
_LOWER_PAIR_FROM = re.compile(
    rf"(?:^|[.!?\n][ \t]*)([{_UP}{_LO}][{_LO}]{{2,}})[ \t]+(?:and|og|&)[ \t]+([{_UP}{_LO}][{_LO}]{{2,}})[ \t]+(?:from|fra)[ \t]")
_AND_POSSESSIVE = re.compile(r"(?:and|og)[ \t]+(?:his|her|their|hans|hendes|deres|sin|sit|sine)[ \t]")  # a cheap test first
_NAME_AND_RELATIVE = re.compile(
    rf"(?:^|[.!?\n][ \t]*)([{_UP}{_LO}][{_LO}]{{2,}})[ \t]+(?:and|og)[ \t]+(?:his|her|their|hans|hendes|deres|sin|sit|sine)"
    rf"[ \t]+(?:[{_LO}]+[ \t]+)?(?:{_RELATION_OR_PLURAL})\b"
)
# Lower-case words closing the answer: after its phone number or e-mail ("… 60 12 77 53 tharshan"),
# or as a sentence of their own ("… vi har ventet 7 mdr. nguyen thi lan").
_LOWER_NAME_AT_END = re.compile(rf"[ \t,.:-]*([{_LO}]{{2,}}(?:[ \t][{_LO}]{{2,}}){{0,2}})[ \t.!]*$")
_LOWER_CLOSING_NAME = re.compile(rf"(?:(?<!\d)[.!?]|\n)[ \t]*([{_LO}]{{2,}}(?:[ \t][{_LO}]{{2,}}){{1,2}})[ \t.!]*$")
# "ham dino fra 4. tv", "hende sanne på hjørnet": a person pointed at by name.
_DRAWN_OUT = re.compile(r"(.)\1\1")  # "plsss", "nejjj": a word drawn out, no name
_HIM_NAME = re.compile(rf"\b(?:ham|hende)[ \t]+([{_LO}]{{3,}})[ \t]+(?:fra|på|i|der|som|ovre|nede|oppe)\b")
# Lower-case words opening a reply (a chat answer to "who?") before a pronoun that says a person
# was meant: "nguyen thi lan, hun taler bedst engelsk", "femi, he knows the caretaker".
_LOWER_NAME_THEN_PRONOUN = re.compile(
    rf"(?:^|\n)[ \t]*([{_LO}]{{2,}}(?:[ \t][{_LO}]{{2,}}){{0,2}}),[ \t]*(?:hun|han|she|he)[ \t]+[{_LO}]"
)
_FAMILY = re.compile(
    rf"(?:\b[Ff]amilien|\b[Ff]amily|\b[Ff]am\.)[ \t]+((?:(?:Ó|Ní|Mac|Mc|de|van|von)[ \t])?{_NAME_WORD})(?![\w'’-])|\b[Tt]he[ \t]+({_NAME_WORD})[ \t]+family\b"
)
# Two people named together: "henrik og helle", "Lone og kim", "Malthe og Ida", "Sue and rob".
_AND_AFTER = re.compile(rf"[ \t]+(?:og|and|&|eller|or)[ \t]+([{_UP}{_LO}][{_LO}]+)(?![\w'’@-])")
_COMMA_BEFORE = re.compile(rf"(?<![\w'’@./:#-])((?:[{_UP}][{_LO}]+[ \t](?=[{_UP}]))?[{_UP}{_LO}][{_LO}]+),[ \t]+$")
# "…, Fartun and I", "…, Kristaps Ozoliņš and us": the next name of a list
_COMMA_AFTER = re.compile(rf",[ \t]+([{_UP}{_LO}][{_LO}]+)(?:[ \t][{_UP}][{_LO}]+)?(?=[ \t]*(?:,|og\b|and\b|&))")
_AND_BEFORE = re.compile(rf"(?<![\w'’@./:#-])([{_UP}{_LO}][{_LO}]+)[ \t]+(?:og|and|&)[ \t]+$")
# A full name (two or three capitalised words, or initials and a surname) closing the answer after
# a weak sign-off: "Thanks, Graham Whitaker", "Best, J. Morgan". One capitalised word there is only taken when it is a listed given name.
_WEAK_SIGNATURE = re.compile(
    rf"(?<![\w-])(?:tak|thanks|thank\s+you|greetings|best)[ \t]*[,:!]?\s*"
    rf"((?-i:{_NAME_WORD}(?:[ \t]{_NAME_WORD}){{1,2}}|{_INITIALS}[ \t]?{_NAME_WORD}))[ \t.!]*$",
    re.I,
)
# A cheap pre-check for the sign-off patterns in `_find_cued_names`.
_SIGNATURE_STEMS = re.compile("|".join(("tak", "thank", "greetings", "pls", *_SIGN_OFF_STEMS)))
# A name in lower case after a greeting or "name": "hi its femi here", "name adaeze chioma nwosu,".
_LOWER_INTRODUCTION = re.compile(
    rf"(?:\b(?:hi+|hello+|hey+|hej|hejsa)[ \t]*[,!]?[ \t]+(?:this[ \t]+is|it'?s|its|det[ \t]+er|her[ \t]+er)|"
    rf"\b(?:name|navn)[ \t]*:?)[ \t]+([{_LO}]{{2,}}(?:[ \t][{_LO}]{{2,}}){{0,2}})(?![\w'’@-])"
)
# A listed name in lower case after a sign-off, closing the answer: "cheers, tom", "mvh birgitte".
_LOWER_SIGN_OFF = re.compile(
    rf"(?<![\w-])(?:{_SIGN_OFF}|tak|thanks|thank\s+you|pls\.?|best)[ \t]*[,:]?\s*((?-i:[{_LO}]{{2,}}(?:[ \t][{_LO}]{{2,}})?))[ \t.!]*$", re.I
)
# A signature in lower case at the very end: "- bev", "/malthe".
_LOWER_SIGNATURE = re.compile(rf"(?:^|\s)(?:/{{1,2}}|-{{1,2}}|–|—)[ \t]?((?:[{_LO}]\.[ \t]?|[{_LO}]{{2,}}[ \t])?[{_LO}]{{2,}})\s*$")
# Chat words no lemma table knows, which are no name: "- haha", "/ osv", "my name is bo btw".
# A role, or a listed name's possessive before a relation, next to a listed given name in lower
# case: "gårdmand ib", "the bus driver ahmed", "omar's dad".
_ROLE_LOWER_NAME = re.compile(
    r"\b(?:gårdmand(?:en)?|pedel(?:len)?|vicevært(?:en)?|pædagog(?:en)?|lærer(?:en)?|træner(?:en)?|chauffør(?:en)?|"
    r"buschauffør(?:en)?|medarbejder(?:en)?|sagsbehandler(?:en)?|udlejer(?:en)?|caretaker|janitor|teacher|coach|driver|"
    r"landlord|nurse)"
    rf"[ \t,]+([{_LO}]{{2,}}(?:-[{_LO}]{{2,}})?)(?![\w'’-])"
)
_ROLE_STEMS = ("gårdmand", "pedel", "vicevært", "pædagog", "lærer", "træner", "chauffør", "medarbejder",
               "sagsbehandler", "udlejer", "caretaker", "janitor", "teacher", "coach", "driver", "landlord", "nurse")
_LOWER_TITLE_STEMS = ("hr", "fru", "frk", "mr", "ms", "famil")
_LOWER_APOSTROPHE_GENITIVE = re.compile(rf"(?<![\w'’@-])([{_LO}]{{2,}}[sxz])['’][ \t]+[{_LO}]")  # "jonas' hund"
_LOWER_POSSESSIVE_RELATION = re.compile(
    rf"(?<![\w'’@-])([{_LO}]{{3,}})['’]s[ \t]+(?:dad|mum|mom|mother|father|son|daughter|wife|husband|brother|sister|"
    r"mor|far|søn|datter|kone|mand|bror|søster)\b"
)
# A title or "familien" before a listed name in lower case: "(hr. petersen)", "familien rasmussen".
_LOWER_TITLE_NAME = re.compile(rf"(?<![\w-])(?:hr|fru|frk|mr|mrs|ms|familien|family)\.?[ \t]+([{_LO}]{{3,}})(?![\w'’-])")
_FOUR_CAPITALS = re.compile(f"[{_UP}][{_UP}]{{3}}")  # a cheap test before _CAPS_WORD (written so: as above)
_UPPER_WORD = re.compile(rf"(?<![\w'’-])[{_UP}][{_UP}'’-]*(?![\w'’-])")
_CAPS_NEIGHBOUR_BEFORE = re.compile(rf"(?<![\w'’-])[{_UP}][{_UP}'’-]+[ \t]$")
_CAPS_NEIGHBOUR_AFTER = re.compile(rf"[ \t][{_UP}][{_UP}'’-]+(?![\w'’-])")
_CAPS_WORD = re.compile(rf"(?<![\w'’-])[{_UP}]{{4,}}(?![\w'’-])")
_SHORT_CAPS_WORD = re.compile(rf"(?<![\w'’-])[{_UP}]{{2,}}(?![\w'’-])")  # "WEI ZHANG": a short part of a shouted name
_KIN_TITLE = re.compile(rf"\b(?:{'|'.join(_KIN_TITLES)})\b", re.I)
_SPEECH_VERBS = frozenset({"said", "says", "told", "asked", "wrote", "sagde", "siger", "skrev", "mente", "mener"})
_CHAT_WORDS = frozenset({"haha", "hahaha", "hehe", "lol", "osv", "etc", "obs", "mvh", "tak", "thx", "xoxo", "ps",
                         "btw", "pls", "plz", "asap", "fyi", "imo", "imho", "ok", "okay", "mht", "vedr", "evt", "ifm",
                         "pga", "ift", "fx", "tbh", "idk", "omg", "wtf", "smh", "ppl", "thnx", "ty", "tlf", "tel", "mob",
                         "nr", "cpr", "mail", "email", "lmao", "lmfao", "rofl", "ngl", "irl", "jk", "bc", "rn", "tho",
                         "ikr", "fml", "xd", "typ", "nvm", "hbu", "wbu", "aka"})

# A name in the possessive: "Aisha's son", "Nguyen's bakery", "Jensens hund", "Ahmads kiosk".
_POSSESSIVE = re.compile(_fail_fast(_UP, rf"\b([{_UP}][{_LO}]+)(['’]s|s|(?<=[sxz])['’])(?=[ \t]+[{_LO}]|(?<=['’]s)(?:[.!?,;]|\s*$))"))
# Two or three capitalised words opening a sentence right before an e-mail address or phone number
# found already: a signature with contact details ("Tamsin Clarke-Hughes, tamsin@example.com").
_QUOTED_NAME = re.compile(rf"(?<![\w'’])['‘“\"]({_NAME_WORD})['’”\"](?![\w'’])")
_PRONOUN_AFTER = re.compile(r"[ \t]+(?:I|you|we|they|he|she|it|my|your|our|his|her|their|jeg|du|vi|de|han|hun|den|"
                            r"det|man|min|mit|din|dit|vores|jeres|hans|hendes|deres)\b")
# Words that open a greeting or a signature before a name ("Mvh Hanne Jensen", "Hej Ali").
_NOT_BEFORE_NAME = frozenset({*_SIGN_OFF_STEMS, "tak", "thanks", "hej", "hejsa", "hi", "hello", "hey", "dear", "kære",
                              "kh", "vh", "mvh", "venlig", "venligst", "bedste", "signed", "cc", "att", "attn",
                              "ask", "call", "contact", "email", "kontakt", "spørg", "ring", "skriv"})
# One to three capitalised name words: "Joy", "Chinedu Okonkwo", "Olena Kovalenko".
_NAME_RUN = rf"{_NAME_WORD}(?:[ \t]{_NAME_WORD}){{0,2}}"
_PREV_NAME = re.compile(rf"(?<![\w'’-])({_NAME_WORD})[ \t]$")
_CLOSING_NAME = re.compile(rf"[.!?\n][ \t]*({_NAME_WORD}(?:[ \t](?:[{_UP}]\.[ \t])?{_NAME_WORD}){{1,2}})[ \t.!]*$")
_RELATIVE_OF = re.compile(
    rf"(?:^|[.!?\n][ \t]*)({_NAME_RUN})[ \t]+(?:and|og)[ \t]+"
    rf"(?:(?:his|her|their|hans|hendes|deres)[ \t]+(?:{'|'.join(sorted(_RELATION_NOUNS, key=len, reverse=True))})|"
    rf"{'|'.join(_DEFINITE_ROLES)})(?:[ \t]+{_NAME_WORD}|[ \t]+[{_LO}])"  # "… and her husband run the kiosk"
)
_CONTACT_SIGNATURE = re.compile(
    rf"(?:^|[.!?:\n][ \t]*)((?-i:{_NAME_WORD}(?:[ \t](?:[{_UP}]\.[ \t])?{_NAME_WORD}){{1,2}}))[ \t]*(?:[,:]|[-–—])?[ \t]*"
    r"(?:(?:cpr(?:-?nr\.?)?|tlf\.?|tel\.?|phone|mobil|mobile|e-?mail|mail|my\s+website|min\s+hjemmeside)[ \t]*:?[ \t]*)?$",
    re.I,
)
# A name opening a sentence before where the person is from ("Bird from the council said",
# "Holm fra Teknik- og Miljøforvaltningen sagde", "Chinedu Okonkwo fra beboerrådet", "Joy Okeke and
# Hope Lindqvist from the youth club"), and a verb of saying within the next few words.
# (in lower case too: "chinonso okafor fra beboerbestyrelsen", "seanie from the allotments reckons")
_ANY_NAME_RUN = (rf"(?:O'|O’|D'|Mc|Mac)?[{_UP}{_LO}][{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)?"
                 rf"(?:[ \t](?!(?:og|and)[ \t])[{_UP}{_LO}][{_LO}]+){{0,2}}")
_INITIAL = re.compile(rf"[{_UP}]\.")
_WORD_BEFORE_SPACE = re.compile(rf"({_NAME_WORD})[ \t]$")
_BEFORE_FROM = re.compile(
    rf"(?:^|[.!?\n][ \t]*)((?:[{_UP}]\.[ \t]?)?{_ANY_NAME_RUN})"
    rf"(?:[ \t]+(?:and|og|&)[ \t]+({_ANY_NAME_RUN}))?[ \t]+(?:from|fra)[ \t]"
)
# Where the person lives, after "fra"/"from": "ciarán fra nr 12", "Lone og kim fra nr. 3".
_HOUSE_NUMBER_AFTER = re.compile(r"(?:nr\.?|nummer|number|no\.)[ \t]*\d", re.I)
# A diminutive before a given name: "lille-per", "Store-Mads", "little-jon".
_DIMINUTIVE = re.compile(rf"(?<![\w-])(?:[Ll]ille|[Ss]tore|[Ll]ittle|[Bb]ig)-([{_UP}{_LO}][{_LO}]+)(?![\w'’-])")
# A full name after "ved"/"hos"/"with"/"med": "vores forening ved Tharshini Sivakumar", "min datter
# går i 3.b hos Naveed Chaudhry og han siger".
_AFTER_PREPOSITION = re.compile(
    rf"(?<![\w-])(?:ved|hos|with|med|til|for|af|by|to|lovede|promised|thanks|tak)[ \t]+"
    rf"({_NAME_WORD}(?:[ \t]{_NAME_WORD}){{1,2}})(?![\w'’-])"
)
# A personal pronoun soon after: the words before it were a person ("… og han siger", "she runs").
_PRONOUN_SOON = re.compile(r"[ \t,]*(?:[^\s.!?]+[ \t]+){0,10}?(?:han|hun|hans|hendes|he|she|his|her)\b", re.I)
_SAYS_SOON = re.compile(
    r"(?:[^\s.!?]+[ \t]+){0,6}?(?:said|says|told|promised|reckons|thinks|never|sagde|siger|mener|lovede|"
    r"har[ \t]+lovet|synes|svarede|skrev|ringede)\b",
    re.I,
)
# An initial after a name ("Sara K. fra skolebestyrelsen", "Anders B og jeg"), and a lower-case
# one closing the answer ("- gordon b").
_INITIAL_AFTER = re.compile(rf"[ \t]([{_UP}])\.?(?=[ \t]+[{_LO}]|[ \t]*[,;:)]|[ \t]*$)")
# The words around a name found in lower case: "tran van minh", "fatima abdi warsame", "pham duc anh".
_LOWER_WORD_RUN = re.compile(rf"[{_LO}]+")
_LOWER_WORD_NEXT = re.compile(rf"[ \t]([{_LO}]+)(?![\w'’@.-])")  # (one letter: only a particle, "í")
_LOWER_WORD_BEFORE = re.compile(rf"(?<![\w'’@./:#-])([{_LO}]{{2,}})[ \t]$")
# Exactly two capitalised words, no capitalised word next to them (see _find_unknown_pairs).
_UNKNOWN_PAIR = re.compile(_fail_fast(
    f"{_UP}ae", rf"(?<![\w'’@./#&-])({_NAME_WORD})[ \t]({_NAME_WORD})(?![\w'’@/&-])(?![ \t]+[{_UP}\d])"))
# How words end that name a street, a building, a firm or a thing, not a person (see _find_unknown_pairs).
_THING_ENDINGS = ("vej", "gade", "allé", "alle", "plads", "park", "parken", "have", "haven", "torv", "stræde", "vænge",
                  "vænget", "boulevard", "center", "centret", "hallen", "huset", "skole", "skolen", "kirke", "kirken",
                  "pkwy", "blvd", "ave", "kompaniet", "selskabet", "ation", "ment", "ness", "ity", "ism",
                  "foreningen", "forening", "klubben", "gården", "fonden", "rådet", "udvalget")  # "Andelsboligforeningen Kastanjegården"
# First words of place names ("Puerto Rican", "Lake Vernon", "San Marino") and royal titles ("Kong
# Frederik"): no given name.
_PLACE_PREFIXES = frozenset("Puerto Porto Rio San Santa Santo Lago Monte Mount Lake Fort Port Cape Saint Sankt Bad Nueva "
                            "Nuevo Novo Nova Villa Costa Punta Isla Ciudad New North South East West Svenska Norske "
                            "Dansk Danske Kong Dronning Prins Prinsesse King Queen Prince Princess "
                            "Södra Norra Östra Västra Lilla Stora Gamla Nya".split())  # "Södra Innerstaden"
_NOT_PERSON_BEFORE = re.compile(r"\b(?:the|in|i|fra|from|to|til|at|på|ved|near|af|of|mod|towards|via|around|omkring|by|for|"
                                r"between|mellem|visit|visiting|besøg|besøge)[ \t]+$", re.I)
_NUMBER_AFTER = re.compile(r"[ \t]+\d")
_CAPITAL_WORD_BEFORE = re.compile(rf"[{_UP}][{_LO}]*[ \t]$")
# Korean surnames that are also words or places, taken after a hyphenated given name ("Ji-woo Park").
_KOREAN_SURNAME_FIRST = re.compile(rf"(?<![\w'’-])([A-Z][a-z]{{1,4}})[ \t]([{_UP}][{_LO}]+-[{_LO}]{{2,4}})(?![\w'’-])")
_KOREAN_SURNAMES = frozenset("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong "
                             "Jeon Ko Moon Bae Baek".split())
# Family names written first, before the given name, as in Vietnam and China: "I'm Tran Minh Chau".
_FAMILY_NAME_FIRST = frozenset("Nguyen Nguyễn Tran Trần Pham Phạm Hoang Hoàng Huynh Huỳnh Phan Dang Đặng Bui Bùi Duong "
                               "Dương Wang Zhang Chen Yang Huang Zhao Zhou Guo Lin Liu Zheng Liang Xie Feng Deng Cao "
                               "Peng Zeng Xiao Tian Yuan Cai Jiang Cheng Wei Shen Yao".split())
_NAME_PARTICLES = frozenset({"van", "văn", "thi", "thị", "bin", "ibn", "al", "abu", "von", "í", "á"})
# A name in apposition before a verb of saying: "the lollipop lady outside Katrinedal School,
# maureen, says", "vores formand, Bettina, siger".
_APPOSITION = re.compile(
    rf",[ \t]*([{_UP}{_LO}][{_LO}]+(?:[ \t][{_UP}{_LO}][{_LO}]+)?)[ \t]*,[ \t]*"
    r"(?:(?:says|said|told|reckons|thinks|siger|sagde|mener|mente|fortalte)\b|(?:på|on|at)[ \t]+(?=[+(]?\d))"
)
# A listed given name right before the address it lives at: "Kom forbi hos Lykke, Istedgade 33".
_NAME_BEFORE_ADDRESS = re.compile(rf"(?<![\w'’-])({_NAME_WORD}(?:[ \t]{_NAME_WORD}){{0,2}})[ \t]*,[ \t]*$")
_LOWER_INITIAL_AFTER = re.compile(rf"[ \t][{_LO}](?:\.?(?=[ \t.!]*$)|\.(?=[ \t]))")
# The person part of an e-mail address ("tharshan.s", "tariq.mahmood at …", "frost.mette"): what
# comes before "@", " at ", "(at)" or "snabel-a"; its parts are split at dots, dashes, underscores.
_EMAIL_LOCAL_END = re.compile(r"@|\s+at\s+|\s*[(\[{](?:at|snabel-?a)[)\]}]|\s+snabel-?a\s+", re.I)
_EMAIL_LOCAL_PARTS = re.compile(r"[._+-]|\s+(?:dot|punktum)\s+", re.I)
_HYPHENATED_BEFORE = re.compile(rf"(?<![\w'’@./-])[{_UP}{_LO}][{_LO}]+-[{_UP}{_LO}][{_LO}]+(?![\w'’@/-])")
_WORD_BEFORE = re.compile(rf"(?<![\w'’@./-])[{_UP}{_LO}][{_LO}]+(?![\w'’@/-])")
# A nickname in brackets: "Kristoffer Dahl (kaldet Kiffer)", "min nabo (bo)".
# A social-media handle spelling a listed given name: "@sanne.k_kbh", "@tobias.fjeld".
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-zæøåÆØÅ]+)(?:[\w.]*\w)?")  # "@priya", "@sanne.k_kbh"
# A user name after the app it is on, with the digits or underscore of one: "add me on snap jay_k2003".
_APP_HANDLE = re.compile(r"\b(?:snap|snapchat|insta|instagram|tiktok|discord|twitch|gamer[ \t]?tag|username|brugernavn|"
                         r"add[ \t]+(?:me|mig))(?:[ \t]*:)?[ \t]+(?:(?:is|er|as|som)[ \t]+)?@?"
                         r"([a-z][a-z0-9._]*(?:_|\d)[a-z0-9._]*[a-z0-9](?:#\d{4})?|[a-z][a-z0-9._]*#\d{4})(?![\w#])", re.I)
# A user name beside the name it belongs to, in brackets: "Viktor Holm (vikzz)", "Oliver (oli_ver_dk)",
# "xX_NoahGG_Xx (Noah Vestergaard)".
_BRACKETED_HANDLE = re.compile(r"[ \t]*\(@?([A-Za-z][\w.]*[A-Za-z0-9])\)")
_HANDLE_BEFORE_BRACKET = re.compile(r"(?<![\w@.])@?([A-Za-z][\w.]*(?:_|\d)[\w.]*[A-Za-z0-9])[ \t]+\($")
_AKA_BEFORE = re.compile(r"\b(?:aka|a\.k\.a\.|alias|kaldet)[ \t]+$", re.I)  # "valdemar aka @valde_boy"
_NICKNAME = re.compile(rf"\((?:også[ \t]+)?(?:kaldet|called|aka|a\.k\.a\.|alias|known[ \t]+as|kaldes|goes[ \t]+by|"
                       rf"vi[ \t]+kalder[ \t]+(?:hende|ham)|we[ \t]+call[ \t]+(?:her|him))[ \t]+['‘“\"]?"
                       rf"((?-i:{_NAME_WORD}|[{_LO}]{{2,}}))['’”\"]?\)", re.I)
# The writer's own web site: "min hjemmeside https://…", "my personal site with photos … is https://…"
_OWN_SITE_BEFORE = re.compile(
    r"\b(?:min|mit|my)[ \t]+(?:egen[ \t]+|eget[ \t]+|own[ \t]+|personal[ \t]+|private[ \t]+|personlige[ \t]+)?"
    r"(?:hjemmeside|blog|website|web[ \t]?site|site|homepage|home[ \t]page|portfolio|profil|profile)\b[^.!?\n]{0,60}$"
    r"|\b(?:I|jeg)[ \t]+(?:blog|blogger|vlog|vlogger)\b[^.!?\n]{0,60}$", re.I)  # "I blog about zero waste at …"
_WE_CALL = re.compile(rf"\b(?:(?:vi|alle|de|venner|vennerne)[ \t]+kalder[ \t]+(?:hende|ham|mig)|(?:we|everyone|everybody|people|they|friends|"
                      rf"my[ \t]+friends)[ \t]+calls?[ \t]+(?:her|him|me)|(?:bliver|blev)[ \t]+kaldt)"
                      rf"[ \t]+['‘“\"]?({_NAME_GROUP})['’”\"]?")  # "friends call me Kwan"
_ITS_NAME_AGAIN = re.compile(rf"(?:\b(?:it['’]?s|its|it[ \t]+is|this[ \t]+is|det[ \t]+er)|(?:^|\n)(?:[Hh]i|[Hh]ello|[Hh]ey|[Hh]ej|[Hh]ejsa|[Gg]oddag)[ \t]*,?)"
                             rf"[ \t]+({_NAME_GROUP})(?:[ \t]+"
                             rf"(?:again|here|igen|her|speaking|calling)\b|(?=[.!][ \t]+[{_UP}]))")  # "this is Tom. Tom Whitaker."
_CONTACT_NAME = re.compile(rf"\b(?:contact|kontakt|kontaktperson|contact[ \t]+person|applicant|ansøger|afsender|sender|"
                           rf"patient|resident|beboer|borger|citizen|referent|ordstyrer|staff|medarbejder)[ \t]*:[ \t]*((?-i:{_NAME_GROUP}))"
                           rf"(?=[ \t]*[,(\n]|[ \t]*$)", re.I)  # "Applicant: Graham Fletcher"
# Who came, in minutes and lists: every item after the label is a person ("Fremmødte: Svend-Erik,
# Lykke, Mustafa, Annette P., Birk", "Attendees: …, Tom (from the hunting association)").
_ATTENDEES_LABEL = re.compile(r"\b(?:fremmødte|deltagere|til[ \t]?stede|afbud|attendees|present|participants|apologies|"
                              r"forældrerepræsentanter|repræsentanter|kontaktpersoner|contacts|volunteers|frivillige)[ \t]*:[ \t]*", re.I)
_LISTED_PERSON = re.compile(rf"({_NAME_GROUP}(?:[ \t][{_UP}]\.)?)(?:[ \t]*\([^()\n]{{0,60}}\))?[ \t]*(?:,[ \t]*|&[ \t]*|og[ \t]+|and[ \t]+|(?=\n|$))")
# Who speaks in a copied chat: "[14/06/2024, 21:05] Rajesh: …", "Agent (Sidse): …".
_CHAT_SPEAKER = re.compile(rf"(?:^|\n)\[[^\]\n]{{5,25}}\][ \t]*({_NAME_GROUP}(?:[ \t][{_UP}]\.?)?):"
                           rf"|\b(?:Agent|Medarbejder|Support|Rådgiver|Sagsbehandler|Caseworker|Adviser|Advisor)[ \t]*\(({_NAME_GROUP})\):")
_QUOTED_AFTER_NAME = re.compile(rf",?[ \t]*['‘“\"]({_NAME_WORD})['’”\"]")
_BRACKETED_AFTER_NAME = re.compile(rf"[ \t]*\(({_NAME_WORD})\)")  # "Viktor (Vitya) Petrenko"
_RELATION_BRACKET = re.compile(
    _fail_fast("mohtdvyj", rf"{_RELATION}[ \t]*\(((?-i:[{_UP}{_LO}][{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)?))\)"), re.I
)

_ROLE_BRACKET = re.compile(rf"\b(?:{'|'.join(_DEFINITE_ROLES)})[ \t]*\(((?-i:[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?))\)", re.I)

_Span = tuple[int, int, str]


def _read_list(name: str, folder: Path = _NAMES_DIR) -> frozenset[str]:
    """Return the entries of a list file (one per line; blank lines and # comments skipped)."""
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Return (unambiguous given names, ambiguous given names, surnames), loaded once."""
    ambiguous = _read_list("ambiguous.txt") | _read_list("ambiguous_da_ku.txt") | _read_list("ambiguous_faker.txt")
    given = (
        _read_list("first_names_da.txt") | _read_list("first_names_intl.txt") | _read_list("nicknames_en.txt")
        | _read_list("first_names_da_ku.txt") | _read_list("first_names_faker.txt")
    )
    surnames = (_read_list("surnames_da.txt") | _read_list("surnames_da_ku.txt") | _read_list("surnames_intl.txt")
                | _read_list("surnames_faker.txt"))
    # as typed on a keyboard without æ, ø and å ("Groenbech", "Soren", "Joergensen", "Aase"), where
    # that spelling is no word: "Bøg" does not become "bog"
    given, ambiguous, surnames = (names | {v for name in names for v in _without_danish_letters(name)
                                           if v not in names and _unknown_word(v.lower())}
                                  for names in (given, ambiguous, surnames))
    return given - ambiguous, ambiguous, surnames


def _without_danish_letters(name: str) -> tuple[str, ...]:
    """Return a name with æ, ø, å spelt out ("ae", "oe", "aa") and dropped to one letter ("a", "o",
    "a"), when it has them."""
    if not any(c in name for c in "æøåÆØÅ"):
        return ()
    return (name.translate(_SPELT_OUT), name.translate(_ONE_LETTER))


_SPELT_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_ONE_LETTER = str.maketrans({"æ": "a", "ø": "o", "å": "a", "Æ": "A", "Ø": "O", "Å": "A"})


# Danish words written together that the lemma tables lack ("min far istedet?"): words, not names.
_RUN_TOGETHER = frozenset("istedet istedetfor idag igår imorgen iaften inat ihvertfald iøvrigt ialt".split())


@lru_cache(maxsize=1)
def _public_in_role() -> frozenset[str]:
    """Return the public figures whose names private people share (data/names/public_in_role.txt),
    in lower case: kept only where the answer names their role (_POLITICAL_ROLE)."""
    return frozenset(name.lower() for name in _read_list("public_in_role.txt"))


@lru_cache(maxsize=1)
def _public_numbers() -> frozenset[str]:
    """Return the telephone numbers of public bodies (data/numbers/public.txt, digits), never redacted."""
    return _read_list("public.txt", _NAMES_DIR.parent / "numbers")


@lru_cache(maxsize=1)
def _public_addresses() -> frozenset[str]:
    """Return the addresses of public buildings (data/addresses/public.txt, "street number" in lower
    case), never redacted."""
    return frozenset(s.lower() for s in _read_list("public.txt", _NAMES_DIR.parent / "addresses"))


# A public institution named right before the address: "henvist til Hovedbiblioteket, Kongensgade 71",
# "the queue at Citizen Service, Vesterbrogade 16", "Niels Bohr Bygningen på Jagtvej 155".
_INSTITUTION_BEFORE = re.compile(
    rf"(?<![\w-])(?=[{_UP}])[\w-]*(?i:bibliotek|biblioteket|library|skole|skolen|school|rådhus|rådhuset|town[ \t]+hall|"
    rf"city[ \t]+hall|borgerservice|citizen[ \t]+service|bygning|bygningen|building|hospital|hospitalet|museum|museet|"
    rf"station|stationen|sportshal|sportshallen|svømmehal|svømmehallen|kulturhus|kulturhuset|medborgerhus|medborgerhuset|"
    rf"house|centre|center)"
    rf"(?:,[ \t]*|[ \t]+(?:på|at|on|i|in)[ \t]+)$"
    # a sign, a stop or a crossing at the address: "Skiltet ved Strandboulevarden 120 siger 2 timer"
    rf"|\b(?i:skiltet|skilt|the[ \t]+sign|a[ \t]+sign|stoppestedet|the[ \t]+(?:bus[ \t]+)?stop|krydset|the[ \t]+crossing|"
    rf"the[ \t]+junction)[ \t]+(?i:ved|på|at|on|outside|foran|near)[ \t]+$"
    # an association's or a firm's office, club house or invoice address: "ejendomskontoret, Blixensvej 2",
    # "Kontor: Marthasvej 2", "club house at Skovalléen 2", "Our invoice address is Baltorpvej 150"
    rf"|\b(?i:ejendomskontor(?:et)?|administrationskontor(?:et)?|klubhus(?:et)?|club[ \t]*house|invoice[ \t]+address|"
    rf"fakturaadresse(?:n)?)(?:[ \t]*[,:][ \t]*|[ \t]+(?:på|at|on|is|er)[ \t]+)$|(?:^|\.[ \t]+|\n)Kontor:[ \t]*$")


# A thing the answer says is so named: "'Viggo' er navnet på kommunens nye chatbot".
_THING_NAMED = re.compile(r"['‘\"“]([^\W\d_]+)['’\"”][ \t]+(?:er[ \t]+navnet[ \t]+på|is[ \t]+the[ \t]+name[ \t]+of)\b")
# A place the writer describes in brackets: "Vestre Ringvej 100 (den gl. rutebilstation)".
_PLACE_DESCRIBED_AFTER = re.compile(r"[ \t]*\((?:den|det|the)[ \t]+(?:gl\.|gamle|old|former|tidligere)[ \t]")


# A house number written digit by digit, then maybe its letter and floor: "Vesterbrogade 1 5 7, 3 tv",
# "Nordre Fasanvej 1 0 1, 4.th", "Peter Bangs Vej 7 1 A".
_SPACED_HOUSE_DIGITS = re.compile(rf"(?:[ \t]\d(?![\w.,]\d|\w)){{1,2}}(?:[ \t][A-H](?![\w'’]))?(?:{_FLOOR})?{_POSTCODE_TOWN}?")
_ONE_DIGIT_HOUSE_NUMBER = re.compile(r"(?<![\w.,])\d$")


def _with_spaced_house_number(text: str, span: _Span) -> _Span:
    """Return an address span that ends in a one-digit house number taken over the digits written
    apart after it (and the floor after them); any other span unchanged."""
    s, e, kind = span
    if kind != "address" or not _ONE_DIGIT_HOUSE_NUMBER.search(text, s, e):
        return span
    m = _SPACED_HOUSE_DIGITS.match(text, e)
    return (s, m.end(), kind) if m and m.end() > e else span


# A farm's or a house's name written before its address: "Lærkegård, Aakirkebyvej 31, 3720 Aakirkeby",
# "Bakkehuset, Slagslundevej 41": part of the home's address.
_FARM_NAME_BEFORE = re.compile(rf"(?<![\w-])((?:[{_UP}][{_LO}]+[ \t])?[{_UP}][{_LO}]*(?:gård|gaard|gården|gaarden|huset|minde|lyst|hytten))"
                               r"[ \t]*,[ \t]*$")


def _with_farm_name(text: str, span: _Span, spans: list[_Span]) -> _Span:
    """Return an address span taken back over the farm's or house's name right before it, unless a
    name found is there ("Lise Kjærgaard, Tranehavegård 9": a person's surname)."""
    s, e, kind = span
    m = _FARM_NAME_BEFORE.search(text, max(0, s - 40), s) if kind == "address" else None
    if m is None or any(k == "name" and a < s and b > m.start(1) for a, b, k in spans):
        return span
    return m.start(1), e, kind


def _public_address(value: str) -> bool:
    """Return whether an address span is a public building's ("Rådhuspladsen 1, 1550 København V")."""
    street = _ADDRESS_STREET_AND_NUMBER.match(value)
    return street is not None and street.group().lower() in _public_addresses()


_FUNCTION_MAILBOXES = frozenset({"info", "kontakt", "contact", "post", "mail", "support", "service", "borgerservice",
                                 "affald", "genbrug", "teknik", "miljoe", "miljo", "byg", "hotline", "webmaster",
                                 "noreply", "no-reply", "admin", "sekretariat", "secretariat", "presse", "press",
                                 "hoering", "horing", "hoeringssvar", "feedback", "help", "hjaelp", "kundeservice",
                                 # an organisation's shared or role mailboxes: "bestyrelsen@", "booking@", "formand@"
                                 "bestyrelsen", "bestyrelse", "board", "styrelsen", "klinik", "clinic", "booking",
                                 "bookings", "members", "medlem", "medlemmer", "hello", "hej", "market", "marked",
                                 "catering", "faktura", "invoice", "invoices", "reception", "office", "kontor", "salg",
                                 "sales", "shop", "butik", "ordre", "orders", "regnskab", "accounts", "events",
                                 "formand", "chair", "secretary", "sekretaer", "kasserer", "treasurer"})

# A public body's line, named as such: "The municipality's elder care line is 72 36 00 00",
# "kommunens hjemmepleje kan kontaktes på …" is not enough (a person may be reached there too).
_PUBLIC_LINE_BEFORE = re.compile(
    r"\b(?:municipality|council|kommune|kommunens|regionens|region|hospital|hospitalets|borgerservice|jobcentret|jobcentrets)"
    r"['’]?s?\b[^.\n]{0,30}\b(?:line|linje|hotline|helpline|switchboard|omstilling|hovednummer|main[ \t]+number)"
    r"[ \t]*(?:is|er|:)?[ \t]*$"
    r"|\b(?:borgerservice|kommunen|jobcentret|the[ \t]+council|the[ \t]+municipality)[ \t]+(?:på|on|at)[ \t]*$"
    r"|\b(?:home[ \t]+care|hjemmeplejen?s?|switchboard|omstillingen|the[ \t]+office|kontoret|sekretariatet|receptionen)"
    r"[^.\n]{0,12}(?:(?:line|linje|number|nummer)[ \t]*(?:is|er|:)?|på|on|at)[ \t]*$"  # "The home care line 44 34 00 00"
    r"|\b(?:switchboard|omstilling|hovednummer)[ \t]*:?[ \t]*$"  # "Switchboard 43 96 12 00"
    r"|\b(?:vores|our)[ \t]+(?:kontor|office|butik|shop|klinik|clinic|reception)\b[^.\n]{0,30}\b(?:tlf|tel|phone|telefon)\.?:?[ \t]*$"
    rf"|\b(?:{'|'.join(sorted(_FUNCTION_MAILBOXES))})@[\w.-]+[ \t]*,?[ \t]*(?:tlf|tel|phone|telefon)\.?:?[ \t]*$", re.I)  # "booking@…, tel. 33 21 50 50"


def _public_number(value: str, public: frozenset[str]) -> bool:
    """Return whether a phone number is a public one: listed (data/numbers/public.txt), or a Danish
    service number — 8 digits from 70, 80 or 90 (shared-cost, free and premium-rate numbers, which
    the Danish numbering plan gives to businesses and authorities, never to a private line)."""
    digits = _digits(value)
    if digits[-8:] in public:
        return True
    if digits.startswith("0045"):
        digits = digits[4:]
    elif digits.startswith("45") and value.lstrip().startswith("+"):
        digits = digits[2:]
    return len(digits) == 8 and digits.startswith(("70", "80", "90"))


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


@lru_cache(maxsize=1)
def _public_names() -> frozenset[str]:
    """Return the names of well-known people and brands (data/names/public.txt), never redacted,
    in lower case (they are compared so: "joe & the juice")."""
    names = {name.lower() for name in _read_list("public.txt")}
    return frozenset(names | {v for name in names for v in _without_danish_letters(name)})  # "Soren Kierkegaard"


@lru_cache(maxsize=1)
def _lowercase_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Return (given names in lower case, those that are also ordinary words, -sen/-son surnames).
    The rarer names of the Faker lists are left out of the first: in lower case they are more
    often a slip of the keyboard or a plural ("mobi matts") than a person."""
    given, ambiguous, surnames = _name_lists()
    words = _read_list("lowercase_words.txt") | {n.lower() for n in ambiguous}
    rare = _read_list("first_names_faker.txt") | _read_list("ambiguous_faker.txt")
    names = frozenset(n.lower() for n in given | ambiguous if len(n) >= 3 and n not in rare)
    patronymics = frozenset(n for n in surnames if n.endswith(("sen", "son")))
    return names, frozenset(words), patronymics


@lru_cache(maxsize=1)
def _two_letter_names() -> frozenset[str]:
    """Return the listed given names of two letters ("Bo", "Ib"): in lower case only after a cue."""
    given, ambiguous, _ = _name_lists()
    return frozenset(n for n in given | ambiguous if len(n) == 2)


@lru_cache(maxsize=1)
def _two_letter_name_pattern() -> re.Pattern:
    """Return a pattern for the two-letter given names in lower case, standing alone."""
    names = sorted(n.lower() for n in _two_letter_names())
    first = "".join(sorted({n[0] for n in names}))
    return re.compile(_fail_fast(first, rf"(?<![\w'’@./:#-])(?:{'|'.join(names)})(?![\w'’@-])"))


@lru_cache(maxsize=1)
def _lower_surnames() -> frozenset[str]:
    """Return the listed surnames in lower case."""
    return frozenset(n.lower() for n in _name_lists()[2])


@lru_cache(maxsize=1)
def _not_a_person() -> frozenset[str]:
    """Words that take a name's place before "said" or after "ask" without being one."""
    from spacy.lang.da.stop_words import STOP_WORDS as DA
    from spacy.lang.en.stop_words import STOP_WORDS as EN

    roles = {"mum", "mom", "dad", "mother", "father", "teacher", "doctor", "everyone", "nobody", "somebody",
             "mor", "far", "mormor", "morfar", "farmor", "farfar", "naboen", "læreren", "lægen", "kommunen",
             "politiet", "regionen", "council", "government", "police", "staff", "people", "residents",
             "mr", "mrs", "ms", "miss", "mx", "dr", "hr", "fru", "frk", "sir", "madam",
             "mvh", "vh", "kh", "hilsen", "hilsner", "rgds", "regards", "cheers", "thx",  # sign-offs: "Mvh Samira"
             "interviewer", *_RESIDENT_WORDS}  # a staff note's resident: "Borger ringede", "Resident says"
    return frozenset(DA | EN | roles)


# --------------------------------------------------------------------------------------------
# Detectors
# --------------------------------------------------------------------------------------------


def _is_identifier_context(text: str, start: int) -> bool:
    """Return True if the number at `start` is introduced as an order, case or customer number."""
    return _ID_CUE.search(text, max(0, start - 30), start) is not None \
        or _THING_NUMBER_BEFORE.search(text, max(0, start - 40), start) is not None


def _near(pattern: re.Pattern[str], text: str, start: int, width: int = 40) -> bool:
    return pattern.search(text, max(0, start - width), start) is not None


_PAIRS = re.compile(r"\d\d \d\d \d\d \d\d")
# "nummer"/"number" alone, opening a clause or after "mit", "på" …, not after a thing ("kundenummer")
_BARE_NUMBER_BEFORE = re.compile(r"(?:^|[,.:;!?(][ \t]*|\b(?:mit|min|my|our|vores|et|a|på|on|til|to|at)[ \t]+)(?:nummer|number|nr\.?)"
                                 r"[ \t]*:?[ \t]*$", re.I)


def _bare_number_in_pairs(text: str, start: int, value: str) -> bool:
    """Return whether a number grouped as a Danish phone number ("30 64 12 77") follows "nummer"
    alone: "…, nummer 30 64 12 77" gives a phone number; a case or customer number is not written
    in pairs after a bare "nummer", and a thing named before it ("kundenummer") still wins."""
    return _PAIRS.fullmatch(value) is not None and _BARE_NUMBER_BEFORE.search(text, max(0, start - 20), start) is not None


def _cued(text: str, start: int, end: int) -> bool:
    """Return whether a phone cue stands just before the number or soon after it ("… er mit nummer"),
    and no thing's number does ("the meter number is 28 44 61 93")."""
    if _THING_NUMBER_BEFORE.search(text, max(0, start - 40), start):
        return False
    return _near(_PHONE_CUE, text, start, 30) or _PHONE_CUE.search(text, end, end + 40) is not None


def _is_quantity(text: str, start: int, end: int) -> bool:
    """Return True if the number is a price or a measured quantity."""
    return (
        _UNIT_AFTER.match(text, end) is not None
        or _CURRENCY_BEFORE.search(text, max(0, start - 6), start) is not None
    )


def _find_cpr(text: str, spans: list[_Span]) -> None:
    low = text.lower()
    if "cpr" in low or "personn" in low:
        for m in _CPR_CUED.finditer(text):
            spans.append((m.start(1), m.end(1), "cpr"))
        for m in _CPR_CUED_SPACED.finditer(text):
            spans.append((m.start(1), m.end(1), "cpr"))
    for m in itertools.chain(_CPR.finditer(text), _SE_ID.finditer(text)):
        s, e = m.span()
        if _near(_CPR_CUE, text, s):
            spans.append((s, e, "cpr"))
        elif (not _is_identifier_context(text, s) or "-" in m.group() and _a_persons_number_before(text, s)) \
                and not _is_quantity(text, s, e):
            spans.append((s, e, "cpr"))


# "the number", "mit nummer": a number that belongs to someone, no thing's number ("ordrenummer",
# "the order number"): a date and four digits after it are a CPR number ("I got the number 040190-3379").
_PERSONS_NUMBER_BEFORE = re.compile(r"\b(?:the|my|your|his|her|their|our|det|mit|dit|sit|hans|hendes|deres|vores|jeres)"
                                    r"[ \t]+(?:number|nummer|nummeret|no\.?|nr\.?)[ \t]*:?[ \t]*$", re.I)


def _a_persons_number_before(text: str, start: int) -> bool:
    """Return whether the number at `start` follows a bare "number" said to be someone's, not a thing's."""
    return _PERSONS_NUMBER_BEFORE.search(text, max(0, start - 20), start) is not None \
        and _THING_NUMBER_BEFORE.search(text, max(0, start - 40), start) is None


def _find_phones(text: str, spans: list[_Span]) -> None:
    numbers = list(_DK_PHONE.finditer(text))
    # a number the answer gives as an identifier, repeated as written elsewhere: "P-afgift nr. 4471
    # 2298 (i app'en står der 44712298)"
    identifiers = {re.sub(r"\D", "", m.group()) for m in numbers if m.group()[0] not in "+0("
                   and _is_identifier_context(text, m.start()) and not _cued(text, m.start(), m.end())
                   and not _bare_number_in_pairs(text, m.start(), m.group())}
    for m in numbers:
        s, e = m.span()
        value = m.group()
        prefixed = value[0] in "+0("
        if not prefixed:
            if _is_quantity(text, s, e) or identifiers and re.sub(r"\D", "", value) in identifiers:
                continue
            halves = value.split(" ")
            if len(halves) == 2 and all(_YEAR.fullmatch(h) for h in halves):
                continue
            if not _cued(text, s, e) and _is_identifier_context(text, s) and not _bare_number_in_pairs(text, s, value):
                continue
        spans.append((s, e, "phone"))
    for m in _DK_ONE.finditer(text):
        s, e = m.span()
        if _is_quantity(text, s, e) or (not m.group(1) and not _cued(text, s, e)):
            continue
        if _is_identifier_context(text, s) and not _cued(text, s, e):
            continue
        spans.append((s, e, "phone"))
    for pattern in (_UK_PHONE, _US_PHONE, _SE_PHONE) if "0" in text else (_US_PHONE,):  # a UK number has a 0
        for m in pattern.finditer(text):
            s, e = m.span()
            if not _is_quantity(text, s, e) and (_cued(text, s, e) or not _is_identifier_context(text, s)):
                spans.append((s, e, "phone"))
    for m in _INTL_PHONE.finditer(text) if ("+" in text or "00" in text) else ():
        if m.group().count(".") == 1 and " " not in m.group() and m.group()[0] == "0":
            continue  # "00198.002 on 1 dec": a meter reading
        digits = sum(c.isdigit() for c in m.group())
        if 8 <= digits <= 15 and (m.group()[0] == "+" or _cued(text, m.start(), m.end())
                                  or not _is_identifier_context(text, m.start())):  # not "meter reading 0041 7725"
            unopened = m.group().endswith(")") and m.group().count("(") < m.group().count(")")
            spans.append((m.start(), m.end() - unopened, "phone"))  # "(svensk nr +46 70 123 45 67)"
    for m in _DIGIT_RUN.finditer(text):
        value = m.group().rstrip(" .-(")
        digits = sum(c.isdigit() for c in value)
        s = m.start()
        if 8 <= digits <= 15 and _PHONE_CUE_BEFORE.search(text, max(0, s - 30), s):
            spans.append((s, s + len(value), "phone"))


# Numbers read aloud or dictated: digits as words ("fireogtyve seksten niogfirs tolv", "oh seven
# seven double oh nine"), or one by one ("2 0 double 4 7 1 9 3", "0 6 0 9 3 5 7 7 1 9").
_DA_UNITS = {"nul": 0, "en": 1, "et": 1, "én": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8,
             "ni": 9}
_DA_TEENS = {"ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16,
             "sytten": 17, "atten": 18, "nitten": 19}
_DA_TENS = {"tyve": 20, "tredive": 30, "tredve": 30, "fyrre": 40, "fyrretyve": 40, "halvtreds": 50, "tres": 60,
            "halvfjerds": 70, "firs": 80, "halvfems": 90}
_EN_UNITS = {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9}
_EN_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
             "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_REPEAT_WORDS = {"double": 2, "dobbelt": 2, "triple": 3, "tredobbelt": 3}
_NUMBER_SEPARATORS = frozenset({"bindestreg", "dash", "hyphen", "streg", "-", "–"})
_SPOKEN_TOKEN = re.compile(r"\S+")
_NUMBER_WORDS = frozenset({*_DA_UNITS, *_DA_TEENS, *_DA_TENS, *_EN_UNITS, *_EN_TEENS, *_EN_TENS, *_REPEAT_WORDS})
# A number read aloud follows its cue closely: only the text from each cue word on is read
# (_spoken_number_windows), which spares the word-by-word reading everywhere else.
_SPOKEN_CUE_STEMS = ("nummer", "number", "tlf", "telefon", "mobil", "phone", "ring", "call", "text", "sms", "cpr",
                     "contact", "kontakt", "reach")
_SPOKEN_NUMBER_CUE = re.compile("|".join(_SPOKEN_CUE_STEMS), re.I)  # in the 45 characters before a run
_SPOKEN_WINDOW = 160
# A name spelt out letter by letter, as people do on the phone: "det staves k j æ r s g a a r d",
# "my name is spelled W-O-J-C-I-E-C-H".
_SPELLED = re.compile(r"\b(?:staves|stavet|spelled|spelt|spells)(?:[ \t]+(?:som|as|it|is|det|er|like|med))*[ \t]*[,:]?[ \t]+"
                      r"((?:[^\W\d_][ \t-]){2,}[^\W\d_])(?![\w-])", re.I)


def _spoken_number_windows(low: str) -> list[tuple[int, int]]:
    """Return the stretches of text from each cue word on, merged where they overlap."""
    starts = []
    for stem in _SPOKEN_CUE_STEMS:
        k = low.find(stem)
        while k >= 0:
            starts.append(k)
            k = low.find(stem, k + 1)
    windows: list[tuple[int, int]] = []
    for k in sorted(starts):
        if windows and k <= windows[-1][1]:
            windows[-1] = (windows[-1][0], min(len(low), k + _SPOKEN_WINDOW))
        else:
            windows.append((k, min(len(low), k + _SPOKEN_WINDOW)))
    return windows


def _spoken_digits(word: str) -> str | None:
    """Return the digits a word stands for when a number is read aloud ("fireogtyve" → "24",
    "seven" → "7", "0407" → "0407"), or None."""
    word = word.lower().strip(",.")
    if word.isdigit() and len(word) <= 4:
        return word
    if "-" in word and all(part.isdigit() and len(part) <= 4 for part in word.split("-")):
        return word.replace("-", "")  # "52-1186"
    for table in (_DA_UNITS, _EN_UNITS):
        if word in table:
            return str(table[word])
    for table in (_DA_TEENS, _DA_TENS, _EN_TEENS, _EN_TENS):
        if word in table:
            return str(table[word])
    unit, og, tens = word.partition("og")  # "niogfirs" = 89
    if og and unit in _DA_UNITS and tens in _DA_TENS and unit not in ("nul", "et"):
        return str(_DA_TENS[tens] + _DA_UNITS[unit])
    return None


def _find_spoken_numbers(text: str, spans: list[_Span], windows: list[tuple[int, int]]) -> None:
    """Phone and CPR numbers read aloud or spaced out digit by digit, after a cue ("mit nummer er
    fireogtyve seksten niogfirs tolv", "CPR number one five one two eight three one two four four",
    "call me on oh seven seven double oh nine double oh five one eight"): a run of 8 digits (a
    Danish number, or 10 after "plus four five"), 10 (a CPR number after a CPR cue, or one with its
    dash after the sixth digit), or 11 from 0 (a British number). Only `windows` are read."""
    tokens = [t for a, b in windows for t in _SPOKEN_TOKEN.finditer(text, a, b)]
    i = 0
    while i < len(tokens):
        first = tokens[i].group().lower().strip(",.")
        if not (first[:1].isdigit() or first in _NUMBER_WORDS or first == "plus" or "og" in first):
            i += 1  # no run starts here (the cheap test before the detailed one)
            continue
        start, digits, pieces, dash_at, j = tokens[i].start(), "", 0, -1, i
        plus = tokens[i].group().lower() == "plus"
        if plus:
            j += 1
        repeat, worded = 1, plus  # a word read aloud in the run: "plus", "double", "dash", "fire"
        while j < len(tokens):
            word = tokens[j].group().lower().strip(",.")
            if word in _REPEAT_WORDS:
                repeat = _REPEAT_WORDS[word]
                j += 1
                continue
            if word in _NUMBER_SEPARATORS and digits:
                dash_at, worded = len(digits), worded or word.isalpha()
                j += 1
                continue
            value = _spoken_digits(tokens[j].group())
            if value is None:
                break
            if value.endswith("0") and len(value) == 2 and value[0] != "1" and j + 1 < len(tokens):
                unit = _spoken_digits(tokens[j + 1].group())  # "twenty eight" = 28
                if unit is not None and len(unit) == 1 and tokens[j + 1].group().lower().strip(",.") in _EN_UNITS \
                        and unit != "0":
                    value = value[0] + unit
                    j += 1
            digits += value * repeat
            worded = worded or not tokens[j].group()[0].isdigit() or repeat > 1
            repeat, pieces = 1, pieces + 1
            j += 1
        end = tokens[j - 1].end() if j > i else tokens[i].end()
        while end > start and text[end - 1] in ",.":
            end -= 1
        i = max(j, i + 1)
        if pieces < 4 or not digits or not worded and pieces < 6:
            continue  # "22 33 44 55" and the like are the ordinary patterns' to find
        before = text[max(0, start - 45):start]
        if not _SPOKEN_NUMBER_CUE.search(before) or _THING_NUMBER_BEFORE.search(before):
            continue
        national = digits[2:] if plus and digits.startswith("45") else digits
        if len(digits) == 10 and (_CPR_CUE.search(before) or dash_at == 6):
            spans.append((start, end, "cpr"))
        elif len(national) == 8 and national[0] in "23456789" or len(digits) == 11 and digits.startswith("0"):
            spans.append((start, end, "phone"))


# A service's mailbox, no one's address: "skriv til affald@example.dk", "info@…".


def _find_emails(text: str, spans: list[_Span]) -> None:
    if "@" in text:
        for pattern in (_EMAIL, _EMAIL_SPACED_AT) if " @" in text or "@ " in text else (_EMAIL,):
            spans.extend((m.start(), m.end(), "email") for m in pattern.finditer(text)
                         if m.group().partition("@")[0].strip().lower() not in _FUNCTION_MAILBOXES)
    low = text.lower()
    if "at)" in low or "at]" in low or "at}" in low or "snabel" in low:
        spans.extend((m.start(), m.end(), "email") for m in _EMAIL_OBFUSCATED.finditer(text))
    if " dot " in low or " punktum " in low or " period " in low:
        spans.extend((m.start(), m.end(), "email") for m in _EMAIL_SPELT.finditer(text))
    at = low.find(" at ")
    while at >= 0:  # the full pattern only where a domain follows an ordinary-looking " at "
        if _PLAIN_AT_DOMAIN.match(text, at + 4):
            for m in _EMAIL_PLAIN_AT.finditer(text):
                local, _, _ = m.group().partition(" ")
                if local.lower() in _WEB_PLACES:  # "my photo site at nanna.example.dk": a web address
                    spans.append((m.start() + m.group().lower().rfind(" at ") + 4, m.end(), "url"))
                else:
                    spans.append((m.start(), m.end(), "email"))
            break
        at = low.find(" at ", at + 4)


def _trim_url(url: str) -> str:
    while url and url[-1] in ".,;:!?'\")]}»”":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _is_personal_url(url: str) -> bool:
    """Return True if the URL points at a person (a profile) or carries an identifier."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "da-dk.", "dk.", "en-gb."):
        if host.startswith(prefix) and host not in _SOCIAL_HOSTS:
            host = host[len(prefix) :]
    segments = [seg for seg in parts.path.split("/") if seg]
    if host in _SOCIAL_HOSTS or host.endswith(".linkedin.com") or host.split(".")[0] in _SOCIAL_NAMES:
        if segments and segments[0].lower() not in _SOCIAL_GENERIC:
            if segments[0].lower() == "profile.php" and not parts.query:
                return False
            return True
    query_keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if query_keys & _PERSONAL_QUERY:
        return True
    if "@" in parts.path or "@" in parts.query:
        return True
    for i, seg in enumerate(segments):
        if seg[0] in "~@":
            return True
        if seg.lower() in _PERSONAL_PATH and i + 1 < len(segments):
            return True
    return any(_is_name_slug(seg) or _has_name_pair(seg) or _is_name_handle(seg) for seg in segments)


_NAME_AND_NUMBER = re.compile(r"([a-zæøå]{3,})(\d{2,4})")


def _is_name_handle(segment: str) -> bool:
    """Return True for a user name made of a listed given name that is no word and a number, an
    initial or a short tag: "freddie88", "rikke_dk", "by-lena-k" (not "anna-karenina")."""
    names, words, _ = _lowercase_names()
    low = segment.lower()
    m = _NAME_AND_NUMBER.fullmatch(low)
    if m:
        return m.group(1) in names and m.group(1) not in words
    if low.isalpha() and len(low) >= 7 and _unknown_word(low):  # a name glued to a word or a tag
        given = _name_lists()[0]
        for cut in range(4, len(low) - 1):
            head, tail = low[:cut], low[cut:]
            if (len(head) >= 5 - (len(tail) >= 4) and head in names and head not in words and not _unknown_word(tail)) \
                    or (len(tail) >= 4 and tail.capitalize() in given and tail not in words and len(head) >= 3) \
                    or (head.endswith("s") and head[:-1] in names and head[:-1] not in words and len(tail) >= 4
                        and not _unknown_word(tail)) \
                    or (len(head) >= 5 and len(tail) <= 3 and head in names and head not in words):
                return True  # "kasperfoto", "bikewithjuan", "emmaslektier" (Emma's homework), "tobiasmc"
    parts = re.split(r"[-_.]", low)
    if len(parts) == 2 and parts[1] in names and parts[1] not in words and len(parts[0]) >= 3 and parts[0].isalpha():
        return True  # "compostqueen_siri"
    return any(a in names and a not in words and (len(b) == 1 and b.isalpha() or len(parts) == 2 and len(b) == 2
                                                 and b.isalpha() or b.isdigit() and 2 <= len(b) <= 4)
               for a, b in zip(parts, parts[1:], strict=False))


def _fold(text: str) -> str:
    """Return `text` without accents ("joão" → "joao"): a web address spells a name in plain letters."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_FAMILY_WORDS = frozenset({"familien", "family", "familie", "fam"})


def _danish_letters(word: str) -> str:
    """Return a name written in a web address with æ, ø, å spelt out as "ae", "oe", "aa" as it is
    written ("laerke" → "lærke")."""
    return word.replace("ae", "æ").replace("oe", "ø").replace("aa", "å")


def _is_name_slug(segment: str) -> bool:
    """Return True for a path segment that spells a person's name: "hanne-vestergaard",
    "marcus.lindqvist", "henrik-toft", "bo.overgaard.77" (a listed given name, then one or two more words, none a
    street word, the last no word or a listed surname), or a given name's genitive before a word ("arnes-vejfest")."""
    parts = re.split(r"[-_.]", segment.lower())
    given, ambiguous, surnames = _name_lists()
    for a, b in zip(parts, parts[1:], strict=False):  # "familien-riis", "the-nielsen-family-garden"
        if a in _FAMILY_WORDS and len(b) >= 3 and (b.capitalize() in surnames or _unknown_word(b)) \
                or b in _FAMILY_WORDS and len(a) >= 3 and (a.capitalize() in surnames or _unknown_word(a)):
            return True
    if len(parts) > 2 and parts[-1].isdigit():
        parts = parts[:-1]  # "bo.overgaard.77"
    if not 2 <= len(parts) <= 3 or not all(p.isalpha() for p in parts):
        return False
    if any(p.endswith(("vej", "gade", "allé", "alle", "plads", "torv", "park", "road", "street")) for p in parts):
        return False
    names, words, _ = _lowercase_names()
    base = parts[0][:-1]
    if len(parts) == 2 and parts[0].endswith("s") and len(parts[1]) >= 3 and parts[0] not in names \
            and (base in names or base.capitalize() in given or base.capitalize() in ambiguous):
        return True  # "arnes-vejfest", "harolds-letters": a name's genitive before a word
    short = parts[0].capitalize()
    first = parts[0] in names or _danish_letters(parts[0]) in names or len(parts[0]) == 2 and (short in given or short in ambiguous)
    if len(parts) == 3 and not first:  # "malerfirma-bo-kristiansen": a firm named after its owner
        return _is_name_slug("-".join(parts[1:]))
    return first and (_unknown_word(parts[-1]) or parts[-1].capitalize() in surnames)  # "bo.overgaard"


def _has_name_pair(segment: str) -> bool:
    """Return True for a longer path segment with a listed given name right before a listed
    surname: "mikkel-hansen-lejlighed", "olga-petrova-noise-diary"."""
    parts = re.split(r"[-_.]", segment.lower())
    if len(parts) < 3:
        return False
    names, surnames = _lowercase_names()[0], _lower_surnames()
    return any(a in names and (b in surnames or _unknown_word(b) and len(b) >= 4)
               for a, b in zip(parts, parts[1:], strict=False))


def _urls_naming(text: str, spans: list[_Span]) -> list[_Span]:
    """Return url spans for web addresses with a path segment that spells a full name found in
    the answer ("…/jonnafriis/gaardhaven – hilsen Jonna Friis") or has a part that is a word of
    one ("…/freja-affald-mockup" and "Min kæreste, Freja Lindqvist"), or a host of their own that
    spells the name or opens with a word of it of four letters or more ("https://rasmusvestergaard.example.dk",
    "kenjicycles.example.com" beside "Kenji Watanabe"), or ends with its surname or given name."""
    names = [_fold(text[s:e].lower()) for s, e, kind in spans if kind == "name"]
    keys = {key for name in names if " " in name and len(key := re.sub(r"\W", "", name)) >= 6}
    # a family's site ends with its surname: "familjenpersson.example.se" (Ulrika Persson),
    # "www.mollerohlsson.example.dk" (Sebastian Møller-Ohlsson)
    endings = tuple({spelt for name in names if " " in name
                    and len(key := re.sub(r"\W", "", name.split(" ", 1)[1])) >= 6
                    for spelt in (key, *_without_danish_letters(key))}
                   # … or with the given name: "cykelmaja.example.dk" (Maja Thøgersen)
                   | {first for name in names if " " in name and len(first := name.split(" ", 1)[0]) >= 4
                      and first.isalpha()})
    lower_names, lower_words, _ = _lowercase_names()  # a name that is no word may open a path: "…/jennyinkbh"
    parts = {word for name in names for word in re.findall(r"\w{3,}", name)}
    if not keys and not parts:
        return []
    found: list[_Span] = []
    for start, end in _url_tokens(text):
        m = _URL.search(text, start, end)
        url = _trim_url(m.group()) if m else ""
        if not url or any(s < m.start() + len(url) and m.start() < e for s, e, _ in spans):
            continue
        split = urlsplit(url if "://" in url else "http://" + url)
        labels = [label for label in (split.hostname or "").split(".")[:-1] if label not in ("www", "example")]
        opens = tuple(p for p in parts if len(p) >= 4 and (_unknown_word(p) or p in lower_names and p not in lower_words))
        if any(re.sub(r"[-_.]", "", segment) in keys or not parts.isdisjoint(re.split(r"[-_.]", segment))
               or opens and segment.startswith(opens) for segment in split.path.lower().split("/")) \
                or any(re.sub(r"[-_]", "", label) in keys or opens and label.startswith(opens)
                       or endings and re.sub(r"[-_]", "", label).endswith(endings) for label in labels):
            found.append((m.start(), m.start() + len(url), "url"))
    return found


def _url_tokens(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of whitespace-delimited tokens that contain a "/" or "www."."""
    found: list[tuple[int, int]] = []
    pos = 0
    while True:
        i = text.find("/", pos)
        j = text.find("www.", pos)
        if i < 0 or (0 <= j < i):
            i = j
        if i < 0:
            return found
        start = max(text.rfind(c, 0, i) for c in " \n\t(<\"'") + 1
        end = i
        while end < len(text) and not text[end].isspace():
            end += 1
        found.append((start, end))
        pos = end


# A web address read aloud: "example dot net slash jamie walks", "www punktum example punktum dk
# skråstreg hannes-have": the host, then each part of the path after "slash"/"skråstreg".
_SPOKEN_URL_HOST = re.compile(
    rf"\b(?:www[ \t]+(?:dot|punktum|period)[ \t]+)?[\w-]+(?:[ \t]+(?:dot|punktum|period)[ \t]+[\w-]+)*?[ \t]+(?:dot|punktum|period)"
    rf"[ \t]+{_TLD}(?=[ \t]+(?:forward[ \t]+)?(?:slash|skråstreg)[ \t])", re.I)
_SPOKEN_SLASH = re.compile(r"[ \t]+(?:forward[ \t]+)?(?:slash|skråstreg)[ \t]+", re.I)
_SPOKEN_PATH_WORD = re.compile(r"[\w-]+")


def _find_spoken_urls(text: str, spans: list[_Span]) -> None:
    """Web addresses read aloud, when their path names a person or the writer calls it their own
    ("my website is example dot net slash jamie walks"): each part after a slash is up to three words,
    ending before a small word ("… skråstreg hannes-have hvis andre …")."""
    blocked = _not_a_person()
    for m in _SPOKEN_URL_HOST.finditer(text):
        end, segments = m.end(), []
        while (slash := _SPOKEN_SLASH.match(text, end)) is not None:
            words, pos = [], slash.end()
            while len(words) < 3 and (w := _SPOKEN_PATH_WORD.match(text, pos)) is not None:
                if words and (w.group().lower() in blocked or _SPOKEN_SLASH.match(text, pos - 1)):
                    break
                words.append(w.group())
                end = w.end()
                pos = w.end() + 1 if text[w.end():w.end() + 1] in (" ", "\t") else len(text) + 1
            if not words:
                break
            segments.append("-".join(words))
        host = re.sub(r"[ \t]+(?:dot|punktum|period)[ \t]+", ".", m.group(), flags=re.I)
        url = host + "/" + "/".join(segments)
        if segments and (_is_personal_url(url) or any(_has_name_part(seg) for seg in segments)
                         or _OWN_SITE_BEFORE.search(text, max(0, m.start() - 80), m.start())):
            spans.append((m.start(), end, "url"))


def _has_name_part(segment: str) -> bool:
    """Return whether a word of a spoken path is a listed given name that is no word, or its
    genitive ("jamie", "anderssons", "pete")."""
    names, words, _ = _lowercase_names()
    surnames = _name_lists()[2]
    for part in segment.lower().split("-"):
        for word in (part, part[:-1] if part.endswith("s") else part):
            if word in names and word not in words or word.capitalize() in surnames and _unknown_word(word):
                return True
    return False


def _find_urls(text: str, spans: list[_Span]) -> None:
    for start, end in _url_tokens(text):
        m = _URL.search(text, start, end)
        if m is None:
            continue
        url = _trim_url(m.group())
        if url and (_is_personal_url(url) or _OWN_SITE_BEFORE.search(text, max(0, start - 80), start)):
            spans.append((m.start(), m.start() + len(url), "url"))


def _find_addresses(text: str, spans: list[_Span]) -> None:
    # A Danish address has a capitalised word right before its house number: without one, the
    # detailed pattern (tried at every position) cannot match.
    if _CAPITAL_BEFORE_NUMBER.search(text):
        for m in _DA_ADDRESS.finditer(text):
            place = _PLACE_BEFORE_STREET.search(text, max(0, m.start() - 20), m.start())
            start = place.start(1) if place and place.group(1).endswith(_PLACE_ENDINGS) else m.start()
            spans.append((start, m.end(), "address"))  # "Valby Langgade 27", "Hørsholm Kongevej 3B"
        if "," in text:
            spans.extend((m.start(), m.end(), "address") for m in _DE_PL_ADDRESS.finditer(text))
        if "gat" in text or "väg" in text or "torg" in text or "Torg" in text or "Gata" in text or "Väg" in text \
                or "gränd" in text or "backe" in text or "stigen" in text or "platsen" in text or "leden" in text \
                or "allén" in text or "esplanaden" in text:  # a cheap test for a Swedish street word
            spans.extend((m.start(), m.end(), "address") for m in _SE_ADDRESS.finditer(text))
        for m in _SIDED_ADDRESS.finditer(text):  # "på Gadelandet 12, st. th.": no street word, but a floor and side
            spans.append((m.start(1), m.end(1), "address"))
    if _street_word_before_number(text):
        for m in _LOWER_ADDRESS.finditer(text):
            if m.group(3) in _not_a_person():
                continue  # "langs alle 899", "vores gade 597": a genitive street name, not a small word
            word = _FIRST_WORD.match(m.group(1))
            if word and m.group(1)[word.end():word.end() + 1] in " \t" and _SPACE_DIGIT.match(m.group(1), word.end()) \
                    and (not m.group(4) or m.group(4).strip(" ,.") == "kl") and not m.group(5) \
                    and not _unknown_word(word.group()) and not _CORE_STREET_END.search(word.group()):
                continue  # "jeg bor i 2400 NV og tager 2A kl 7:40": a verb ending like a street ("-ager"), then a bus
            first = m.start(1)
            before = text[m.start(1):m.start(3)].strip() if m.group(3) else ""
            if before and "." not in before and before not in _lowercase_names()[0]:
                first = m.start(3)  # "han bor rosenvængets allé 9": not "bor"; but "hans tavsens gade", "h.c. andersens"
            if m.group(2) or m.group(4) or (m.group(5) or "").startswith(",") \
                    or _LIVE_AT_BEFORE.search(text, max(0, first - 20), first):
                place = _LOWER_PLACE_BEFORE_STREET.search(text, max(0, first - 20), first)
                start = place.start(1) if place and place.group(1).endswith(_PLACE_ENDINGS) else first
                spans.append((start, m.end(1), "address"))  # "valby langgade 55 st th"
    low = text.lower()
    if "bor" in low or "boede" in low or "liv" in low:  # "lives", "living"
        spans.extend((m.start(1), m.end(1), "address") for m in _LIVE_AT_STREET.finditer(text))
    if " at " in text or " on " in text or " is " in text or ", " in text:
        for m in _NUMBER_FIRST_ADDRESS.finditer(text):
            spans.append((m.start(1), m.end(1), "address"))
    if _EN_STREET_WORD_IN.search(text):
        for m in _EN_ADDRESS.finditer(text):
            spans.append((m.start(), m.end(), "address"))
    if ", " in text and _UK_POSTCODE_IN.search(text):
        spans.extend((m.start(), m.end(), "address") for m in _UK_POSTCODE_ADDRESS.finditer(text))
    if " nr" in text or " no" in text or "nummer" in text or "number" in text:
        spans.extend((m.start(), m.end(), "address") for m in _NUMBER_ON_STREET.finditer(text))
    if ", " in text and _POSTCODE_NUMBER.search(text):
        spans.extend((m.start(1), m.end(1), "address") for m in _POSTCODE_STREET.finditer(text)
                     if _MONTHS.isdisjoint(m.group(1).split()[:2]))  # a date: "On May 4, 2021 Council"
    if ", " in text and _FIVE_DIGITS.search(text):
        spans.extend((m.start(), m.end(), "address") for m in _FR_ADDRESS.finditer(text))


def _extend_name(text: str, end: int, words: int = 3, accept: Callable[[str], bool] | None = None) -> int:
    """Return the end of the name that starts before `end`, taking up to `words` more capitalised
    words that `accept` (when given) lets in."""
    for _ in range(words):
        m = _NEXT_NAME.match(text, end)
        if m is None or m.group(1) in _NOT_SURNAME or (accept is not None and not accept(m.group(1))):
            break
        end = m.end()
    return end


def _extend_cued_name(text: str, end: int) -> int:
    """Return the end of a name found through its context, taking up to two more words that are
    listed names or no word at all ("Bent Ravnholt", "Else Marie Dam"), not "Olsen Banden" or a
    shop called "African Hairstyle"."""
    given, ambiguous, surnames = _name_lists()
    return _extend_name(text, end, 2, lambda word: not word.lower().endswith(_TITLE_STREET) and (
        word in given or word in ambiguous or word in surnames or _unknown_word(word.lower())))


def _extend_cued_name_back(text: str, start: int) -> int:
    """Return the start of a name found through its context, taking up to two words before it that
    are listed given names, family names written first or no word at all ("Thuraiya Sivakumar skrev",
    "Bent Nørgaard Hansen", "Tran Minh Chau", not "Borgmester Hansen" or "Egyptian-American Mohamed Soltan")."""
    given, ambiguous, _surnames = _name_lists()
    for _ in range(2):  # "Bent Nørgaard Hansen": a given name before a middle name
        m = _PREV_NAME.search(text, max(0, start - 30), start)
        if m is None or m.group(1) in _NOT_SURNAME or m.group(1).lower() in _NOT_BEFORE_NAME \
                or m.group(1).lower() in _not_a_person() and m.group(1) not in ("Per", "Hans", "Else"):
            return start  # (capitalised before a name, "Per", "Hans" and "Else" are given names)
        word = m.group(1)
        if not (word in given or word in ambiguous or word in _FAMILY_NAME_FIRST
                or "-" not in word and _unknown_word(word.lower())):
            return start
        start = m.start(1)
    return start


def _opens_and_i(text: str, start: int, end: int) -> bool:
    """Return whether the word at start:end opens a clause as "X and I"/"X og jeg" — a person,
    also as the second word of a capitalised name ("Mark Jennings and I") — and is not a Danish
    noun in its definite form ("hunden og jeg")."""
    if not _AND_I_AFTER.match(text, end) or text[start:end].endswith(_DANISH_DEFINITE):
        return False
    if _CLAUSE_START.search(text, max(0, start - 12), start):
        return True
    prev = _PREV_NAME.search(text, max(0, start - 30), start) if text[start].isupper() else None
    return bool(prev and _CLAUSE_START.search(text, max(0, prev.start(1) - 12), prev.start(1)))


def _find_possessive_names(text: str, spans: list[_Span]) -> None:
    """Listed names in the possessive before a lower-case word ("Aisha's son", "Nguyen's bakery",
    "Jensens hund"; not the restaurant "Jensens Bøfhus"), or any that is no word or a name that is
    also a word after a relation ("our son Hamza's coach", "our son Finn's bike"): the name without its ending. A Danish -s takes only given names and
    -sen/-son surnames (a surname such as "Lund" is also a town); a name of its own ("Jens",
    "Hans") is left to the other rules."""
    given, ambiguous, surnames = _name_lists()
    patronymics = _lowercase_names()[2]
    for m in _POSSESSIVE.finditer(text):
        stem, ending = m.group(1), m.group(2)
        if stem in _NOT_SURNAME or stem + ending in given or stem + ending in ambiguous:
            continue
        if not (stem in given or stem in patronymics
                or ending != "s" and stem in surnames and _unknown_word(stem.lower())
                or (_unknown_word(stem.lower()) or stem in ambiguous) and _cue_before(text, m.start())):
            continue
        if _AFTER_SPAN_INSTITUTION.match(text, m.end()) or _SAINT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "Frederiks Kirke", "Sankt Peders Stræde"
        spans.append((m.start(1), m.end(1), "name"))


def _signed_name(group: str, closing: bool) -> bool:
    """Return whether two or three capitalised words standing as a signature are a name: each a
    listed name or (a part of it) no word at all, the first no word ("Ring …" is a verb), and the
    first a listed given name or the last a listed or double-barrelled surname — or, closing the
    answer on their own, the last no word ("Stuart McAllister"); not "Københavns Kommune" or "Lyngby
    Taarbæk" before a phone number, nor a sign-off ("Mvh Hanne Jensen", found as one)."""
    given, ambiguous, surnames = _name_lists()
    words = [w for w in group.split() if not w.endswith(".")]
    first, last = words[0], words[-1]
    if first.lower() in _NOT_BEFORE_NAME or any(w in _NOT_SURNAME or w.lower() in _not_a_person() for w in words):
        return False  # "Mvh Hanne Jensen": the sign-off rules take the name
    closing_surname = closing and _unknown_word(last.lower())  # "Stuart McAllister": "Stuart" is also a word
    first_given = first in given or first in ambiguous
    if not closing_surname and not (
            (first_given or _unknown_word(first.lower())) and (first_given or last in surnames or "-" in last)):
        return False
    checked = words[1:] if closing_surname else words
    return all(w in given or w in ambiguous or w in surnames or any(_unknown_word(p.lower()) for p in w.split("-"))
               for w in checked)


def _find_contact_signatures(text: str, spans: list[_Span]) -> None:
    """Two or three capitalised words that open a sentence right before an e-mail address or phone
    number ("Tamsin Clarke-Hughes, tamsin@example.com", "Priya Raman, 22 33 44 55"), or close the
    answer as a sentence of their own ("… doesn't work yet. Stuart McAllister"): a signature, when
    `_signed_name` says they are a name."""
    given, ambiguous, _surnames = _name_lists()
    for start, end, kind in [sp for sp in spans if sp[2] in ("email", "phone", "address", "cpr", "url")]:
        if kind == "address":
            m = _NAME_BEFORE_ADDRESS.search(text, max(0, start - 40), start)
            first = m.group(1).split()[0] if m else ""
            if (first in given or first in ambiguous) and first.lower() not in _NOT_BEFORE_NAME:
                spans.append((m.start(1), m.end(1), "name"))  # "hos Lykke, Istedgade 33"
            continue
        m = _CONTACT_SIGNATURE.search(text, max(0, start - 60), start)
        if m is None:
            continue
        words = m.group(1).split()
        plain = all(w not in _NOT_SURNAME and w.lower() not in _not_a_person() for w in words)
        # A reply that opens with the name before its number: the words are a name when the first is
        # a listed given name ("Rose Hill – 23 45 67 01"), before a CPR number whatever they are ("Chen
        # Jing, cpr …"), and before a web address that spells them ("Kiran Raj, my website …/kiranraj").
        opens = m.start(1) == 0 or text[m.start(1) - 1] == "\n"
        if _signed_name(m.group(1), closing=False) \
                or plain and opens and (kind == "cpr" or kind == "phone" and (words[0] in given or words[0] in ambiguous)) \
                or plain and kind == "url" and _fold("".join(words).lower()) in re.split(r"[/?#._-]", text[start:end].lower()):
            spans.append((m.start(1), m.end(1), "name"))
    m = _CLOSING_NAME.search(text, max(0, len(text) - 50))
    if m is not None and _signed_name(m.group(1), closing=True):
        spans.append((m.start(1), m.end(1), "name"))


# A family word with no possessive right before a name, as staff write notes: "Datter Sofiia
# tolkede", "wants a school bus for daughter Ananya".
_BARE_RELATIONS = ("datter", "søn", "daughter", "son", "wife", "husband", "kone", "hustru", "mother", "father", "bror",
                   "søster", "brother", "sister", "barnebarn", "grandson", "granddaughter", "niece", "nephew", "nevø")
_BARE_RELATION_NAME = re.compile(
    rf"(?<![\w'’-])(?i:{'|'.join(_BARE_RELATIONS)})[ \t]+({_NAME_WORD})(?![\w'’-])")


def _find_relatives_of(text: str, spans: list[_Span]) -> None:
    """A sentence opening with a person and a named relative: "Olena Kovalenko og datteren Sofiia",
    "Dmytro Shevchuk and his wife Oksana" — the words before "and" are a name too."""
    for m in _RELATIVE_OF.finditer(text):
        words = m.group(1).split()
        if all(w not in _NOT_SURNAME and w.lower() not in _not_a_person() for w in words):
            spans.append((m.start(1), m.end(1), "name"))


def _find_lone_names(text: str, spans: list[_Span]) -> None:
    """Names without a given name written as one: after a title ("Mr Patel", "fru Rasmussen"),
    in lower case ("spørg lars", "me and jen"), and surnames standing alone ("Hansen har lovet",
    "Ask Thompson", "Walsh said")."""
    names, words, patronymics = _lowercase_names()
    _given, ambiguous, surnames = _name_lists()
    blocked = _not_a_person()
    for m in _TITLE_NAME.finditer(text):
        g = 1 if m.group(1) else 2
        if m.group(g).lower() not in blocked and m.group(g) not in _NOT_SURNAME \
                and not m.group(g).lower().endswith(_TITLE_STREET) and not _AFTER_SPAN_INSTITUTION.match(text, m.end(g)):
            # "Dr. Tværgade", "Dr. Abildgaards Allé": a street
            spans.append((m.start(g), _extend_cued_name(text, m.end(g)), "name"))  # "Dr. Nkechi Adeyemi"
    lower = _LOWER_TOKEN.findall(text)
    low = text.lower()
    for m in _LOWER_TITLE_NAME.finditer(text) if any(t in low for t in _LOWER_TITLE_STEMS) else ():
        if m.group(1) in _lower_surnames() or m.group(1) in names and m.group(1) not in words:
            spans.append((m.start(1), m.end(1), "name"))
    if "' " in text or "’ " in text:
        spans.extend((m.start(1), m.end(1), "name") for m in _LOWER_APOSTROPHE_GENITIVE.finditer(text)
                     if m.group(1) in names and m.group(1) not in words)
    patterns = ((_ROLE_LOWER_NAME,) if any(r in low for r in _ROLE_STEMS) else ()) \
        + ((_LOWER_POSSESSIVE_RELATION,) if "'s " in text or "’s " in text else ())
    for pattern in patterns:
        for m in pattern.finditer(text):
            word = m.group(1)
            first = word.partition("-")[0]  # "jens-ole"
            if word not in _not_a_person() and (first in names or first.capitalize() in _given
                                                or first.capitalize() in ambiguous or word in _lower_surnames()
                                                or pattern is _LOWER_POSSESSIVE_RELATION and _unknown_word(word)):
                spans.append((m.start(1), m.end(1), "name"))
    # where a word right after "my flatmate", "min søn" … starts; whether "and I"/"og jeg" occurs
    relations = list(_RELATION_ANYWHERE.finditer(text))
    after_relation = {_GAP.match(text, r.end()).end() for r in relations}
    if any(stem in low for stem in ("tell", "ask", "me and", "mig og", "jeg og", "spørg", "hils", "ring til", "thanks to", "tak til",
                                    "besked til", "send", "forward", "give")):
        after_relation |= {_GAP.match(text, v.end()).end() for v in _PERSON_VERB.finditer(text)}
    for r in relations:  # "my kid is Thanushan", "min søn hedder Tenzin"
        named = _NAMED_AFTER_RELATION.match(text, r.end())
        if named and (named.group(1) or named.group(2) in _given or named.group(2) in ambiguous
                      or _unknown_word(named.group(2).lower())):
            spans.append((named.start(2), _extend_cued_name(text, named.end(2)), "name"))
    if any(kin in low for kin in _KIN_TITLES):  # a kin word as a title: "auntie funmi"
        after_relation |= {_GAP.match(text, r.end()).end() for r in _KIN_TITLE.finditer(text)}
    and_i = (" and i " in low or " og jeg " in low) and _OPENS_AND_I.search(text) is not None
    maybe_and_i = and_i or _AND_I_AFTER.search(text) is not None  # else no word can open "… and I"
    cued = and_i or any(stem in low for stem in _PERSON_CUE_STEMS) \
        or " fra " in low and _CLASS_IN.search(low) is not None  # "Storm fra 3.b"
    lower_surnames = _lower_surnames()
    strong = "hedder" in low or "name" in low or "navn" in low or "s me," in low or "er mig," in low  # "jeg hedder ionut popescu"
    for m in _LOWER_TOKEN.finditer(text) if after_relation or and_i or not names.isdisjoint(lower) \
            or cued and not lower_surnames.isdisjoint(lower) or strong else ():
        word, start = m.group(), m.start()
        if word in _CUE_VERBS:
            continue  # "ask tomás": the verb, though Ask is a name
        if word in _NAMES_THAT_ARE_FUNCTION_WORDS and _VERB_OR_NOUN_AFTER.match(text, m.end()) \
                and not _JOINED_BEFORE.search(text, max(0, start - 6), start):  # not "me and will went"
            continue  # "ring til hans far", "my dad will come": "his", a modal verb, though they are names
        if word not in names:
            # not a listed name: still one when the writer says who it is — after a relation when
            # it is no word ("my flatmate ollie"), a rarer name that is a word ("my twin hazel") or a listed surname ("min nabo berg",
            # "sagsbehandleren fisker", "talte med dam"), opening "… and I" whatever it is ("kat and
            # I", "bimse og jeg"), unless it is a relation or a Danish noun in its definite form
            if word in blocked or word in _RELATION_NOUNS:
                continue
            if not (start in after_relation and (_unknown_word(word) or word in lower_surnames or word in words)
                    or word in lower_surnames and _cue_before(text, start)
                    or (word in lower_surnames or _unknown_word(word)) and _PERSON_CUE_AFTER.match(text, m.end())
                    and _CLAUSE_START.search(text, max(0, start - 12), start)  # "nguyen said", "xóchitl, my neighbour"
                    or maybe_and_i and _opens_and_i(text, start, m.end())
                    or strong and (_unknown_word(word) or word in lower_surnames)
                    and _STRONG_CUE_BEFORE.search(text, max(0, start - 20), start)):
                continue
        elif word in words and not _cue_before(text, start):
            surname = _LOWER_NEXT.match(text, m.end())
            opens = _PERSON_CUE_AFTER.match(text, m.end()) and _CLAUSE_START.search(text, max(0, start - 12), start) \
                or and_i and _opens_and_i(text, start, m.end())  # "frank and i have lived"
            greeted = _HELLO_BEFORE.search(text, max(0, start - 20), start) and _ENDS_HERE.match(text, m.end())
            told = strong and _STRONG_CUE_BEFORE.search(text, max(0, start - 20), start)  # "my name is tom"
            if not (surname and _lower_surname(surname.group(1), surnames, patronymics) or opens or greeted or told):
                continue  # "frank", "hope", "tage": a word unless the writer says who it is or "sten hansen"
        if _NUMBER_BEFORE.search(text, max(0, start - 4), start):
            continue  # "20 mia. kr.": an abbreviation after a number
        prev = _LOWER_PREV.search(text, max(0, start - 25), start)
        if prev and _unknown_word(prev.group(1)) and not _unknown_word(prev.group(1) + word):
            continue  # "husle jen": a word split in two ("huslejen"), not a name
        if word in _MONTH_SHORT and _MONTH_SHORT_BEFORE.search(text, max(0, start - 8), start):
            continue  # "no heating in jan": a month
        if word == "mille" and low.endswith(("per ", "pro "), 0, start):
            continue  # "land tax at 7.4 per mille"
        end = m.end()
        hyphen = _LOWER_HYPHEN_PART.match(text, end)  # "mads-emil"
        if hyphen:
            end = hyphen.end()
        surname = _LOWER_NEXT.match(text, end)  # "jakob frederiksen", "rasmus bech-nielsen"
        told = _STRONG_CUE_BEFORE.search(text, max(0, start - 20), start) is not None
        if surname and (_lower_surname(surname.group(1), surnames, patronymics)
                        or told and _unknown_word(surname.group(1))):
            end = surname.end()  # "my name is joseph mensah"
        if told:
            end = _extend_told_lower_name(text, end, names)  # "min navn er nguyen thi lan", "joão pedro da silva"
        initial = _LOWER_INITIAL.match(text, end)
        if initial:
            end = initial.end()  # "sofie k fra 9b", "spørg anna k."
        spans.append((start, end, "name"))
    for m in _name_tokens(text) if cued or not patronymics.isdisjoint([t.group() for t in _name_tokens(text)]) else ():
        word = m.group()
        if word in ambiguous and (_opens_and_i(text, m.start(), m.end()) or _PERSON_CUE_AFTER.match(text, m.end())
                                  and _CLAUSE_START.search(text, max(0, m.start() - 12), m.start())):
            spans.append((m.start(), _extend_cued_name(text, m.end()), "name"))  # "Will and I", "Will said"
            continue
        if len(word) < 3 or word.lower() in blocked or word in _NOT_SURNAME or word.lower().endswith(_TITLE_STREET):
            continue  # "Fx lovede man …": two letters are an abbreviation here (listed ones are found as names)
        cue_before = _cue_before(text, m.start())
        if word in patronymics or cue_before \
                or (_PERSON_CUE_AFTER.match(text, m.end())
                    and (not word.endswith(_DANISH_DEFINITE) or word.startswith(("O'", "O’", "Mc", "Mac")))
                    and not _GENITIVE_BEFORE.search(text, max(0, m.start() - 30), m.start())
                    and not _PLACE_PREPOSITION_BEFORE.search(text, max(0, m.start() - 6), m.start())) \
                or (_WHO_AFTER.match(text, m.end()) and _unknown_word(word.lower())
                    and ("," in _WHO_AFTER.match(text, m.end()).group() or _after_given_name(text, m.start()))) \
                or (word.lower() not in _RELATION_NOUNS and _opens_and_i(text, m.start(), m.end())):
            if _AFTER_SPAN_INSTITUTION.match(text, m.end()) or _SAINT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            start = m.start() if cue_before else _extend_cued_name_back(text, m.start())  # not "Ask Thompson"
            spans.append((start, _extend_cued_name(text, m.end()), "name"))
    if after_relation and any(q in text for q in "'‘“\""):
        for m in _QUOTED_NAME.finditer(text):  # "vores træner 'Kalle'", "my neighbour “Bobby”"
            if m.group(1).lower() not in blocked and _cue_before(text, m.start()):
                spans.append((m.start(1), m.end(1), "name"))
    if cued:  # a given name of two letters only right after a cue: "spørg efter bo", "tal med ib"
        spans.extend((m.start(), m.end(), "name") for m in _two_letter_name_pattern().finditer(text)
                     if m.group() not in blocked and _cue_before(text, m.start()))


# A surname's initial after a lower-case given name, not a one-letter word ("i", "a", "å", "ø", "o"):
# "sofie k fra 9b", "spørg anna k."
_LOWER_INITIAL = re.compile(r"[ \t]([b-hj-np-zæ])(?:\.(?!\w)|(?=[ \t]+(?:fra|from|i|in|og|and|er|is|har|has)\b|[ \t]*[,!?]|[ \t]*$))")
_LOWER_PREV = re.compile(rf"(?<![\w'’-])([{_LO}]{{2,}})[ \t]$")
_MONTH_SHORT = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dec"})
_MONTH_SHORT_BEFORE = re.compile(r"\b(?:in|i|since|until|till|from|fra|til|by|på|next|last|this|før|efter|siden)[ \t]+$")
_NAMES_THAT_ARE_FUNCTION_WORDS = frozenset({"hans", "will", "may", "can"})
_JOINED_BEFORE = re.compile(r"\b(?:and|og|with|med|n|&)[ \t]+$")
# after a modal verb, a verb ("will answer", "may come", not "will keeps parking"); after "hans", a
# noun ("hans far"); not a preposition or a verb that follows a person ("min mand will på 22 …")
_VERB_OR_NOUN_AFTER = re.compile(rf"[ \t]+(?!(?:på|on|at|from|fra|i|in|og|and|er|is|har|has|said|sagde|siger|was|var)\b)"
                                 rf"[{_LO}]+(?<!s)(?![\w'’])")
_LOWER_NAME_PART = re.compile(rf"[ \t]([{_LO}]{{2,}}(?:-[{_LO}]{{2,}})?)(?![\w'’@-])")
# Particles inside a name ("joão pedro da silva", "nguyen thi lan", "ahmad bin hamid"); "da" is
# also Danish for "then", so a particle counts only before another part of the name.
_LOWER_PARTICLES = frozenset({"da", "de", "do", "dos", "das", "del", "van", "von", "der", "den", "al", "el", "bin", "ibn",
                              "thi", "thị", "văn", "abu", "ter", "ten"})


def _extend_lower_told_name_part(word: str, names: frozenset[str]) -> bool:
    return word not in _CHAT_WORDS and word not in _RELATION_NOUNS and (
        word in names or _unknown_word(word) and word not in _not_a_person() and not _DRAWN_OUT.search(word))


def _extend_told_lower_name(text: str, end: int, names: frozenset[str]) -> int:
    """Return the end of a lower-case name the writer has just introduced ("my name is …", "min
    navn er …"), taking up to three more words that are listed given names or no word at all, or a
    particle before any word that is not a small word ("da silva")."""
    for _ in range(3):
        m = _LOWER_NAME_PART.match(text, end)
        if m is None:
            break
        word = m.group(1)
        if word in _LOWER_PARTICLES:
            after = _LOWER_NAME_PART.match(text, m.end())
            if after is None or after.group(1) in _not_a_person() or len(after.group(1)) < 3:
                break
            end = after.end()
        elif _extend_lower_told_name_part(word, names):
            end = m.end()
        else:
            break
    return end


def _name_group_end(text: str, start: int, end: int) -> int:
    """Return the end of the name text[start:end] without the capitalised words after it that open
    the next sentence where a speech engine left out the full stop ("Jeg hedder Agnieszka Nowak Jeg
    er fra Polen")."""
    words = text[start:end].split(" ")
    while len(words) > 1 and words[-1] in _NOT_SURNAME:
        words.pop()
    return start + len(" ".join(words))


def _after_given_name(text: str, start: int) -> bool:
    """Return whether a listed given name comes right before `start` ("Chidi Okafor who …", not
    "an Astorian who" or "USAF AETC who")."""
    before = _WORD_BEFORE_SPACE.search(text, max(0, start - 30), start)
    return before is not None and before.group(1) in _name_lists()[0]


def _lower_surname(word: str, surnames: frozenset[str], patronymics: frozenset[str]) -> bool:
    """Return whether a lower-case word after a lower-case given name is its surname: a -sen/-son
    name ("frederiksen"), a listed surname that is no word, a hyphenated pair with such a part
    ("bech-nielsen", "brennan-smith"), or an O' name ("o'connor")."""
    if word.startswith(("o'", "o’")):
        return True  # an Irish surname: "rebecca o'connor"
    parts = word.split("-")
    if any(p.capitalize() in patronymics for p in parts):
        return True
    if len(parts) > 1:
        return any(_unknown_word(p) for p in parts)
    return word.capitalize() in surnames and _unknown_word(word)


def _find_cued_names(text: str, spans: list[_Span], low: str) -> None:
    """Names that their context gives away whatever the lists say: "a man called Dev",
    "familien Bech", "the Walsh family"; a name closing the answer ("Thanks, Graham Whitaker",
    "cheers, tom", "- bev"). `low` is `text.lower()`."""
    if "called" in low or "named" in low or "hedder" in low or "navn" in low or "fam" in low:
        for m in _CALLED.finditer(text):
            if m.group(1).split()[0] not in _NOT_SURNAME:
                spans.append((m.start(1), m.end(1), "name"))
        for m in _FAMILY.finditer(text):
            g = 1 if m.group(1) else 2
            if m.group(g) not in _NOT_SURNAME and m.group(g).lower() not in _not_a_person():
                spans.append((m.start(g), m.end(g), "name"))
    names, words, _ = _lowercase_names()
    given, ambiguous, _surnames = _name_lists()

    def listed_or_unknown(word: str) -> bool:  # a given name in either case, or no word at all
        low_word = word.lower()
        return low_word not in _not_a_person() and (low_word in names or low_word in words or word.capitalize() in given
                                                     or word.capitalize() in ambiguous or _unknown_word(low_word))

    if "called" in low or "named" in low or "hedder" in low or "navn" in low:
        spans.extend((m.start(1), m.end(1), "name") for m in _LOWER_CALLED.finditer(text) if listed_or_unknown(m.group(1)))
    if "(" in text:
        for m in _NAMES_BEFORE_BRACKET.finditer(text):
            start, first = m.start(1), m.group(1)
            while " " in first and (first.split(" ", 1)[0].lower() in _not_a_person()  # "great but Summer (my 6 yr old)"
                                    or first.split(" ", 1)[0].lower() in _CUE_VERBS):  # "ask Li Na (my mother)"
                skip = len(first.split(" ", 1)[0]) + 1
                start, first = start + skip, first[skip:]
            one = listed_or_unknown(first) or " " in first and all(  # "Li Na (my mother)"
                w not in _NOT_SURNAME and w.lower() not in _not_a_person() for w in first.split())
            if m.group(2) is None:
                if one:
                    spans.append((start, m.end(1), "name"))
            elif listed_or_unknown(m.group(2)):  # "tage og storm (mine drenge)"; "cold and Zuri (my 9 year old)"
                spans.extend([(start, m.end(1), "name"), (m.start(2), m.end(2), "name")] if one else
                             [(m.start(2), m.end(2), "name")])
    if " from " in low or " fra " in low:
        for m in _LOWER_PAIR_FROM.finditer(text):
            one, two = m.group(1), m.group(2)  # written alike: "Joy and Faith from our church"
            if one.lower() in names and two.lower() in names and one[0].isupper() == two[0].isupper():
                spans.extend((m.start(g), m.end(g), "name") for g in (1, 2))
    def lower_name(words: list[str]) -> bool:  # listed or no word, not a small word, and not only particles
        return all(w in _NAME_PARTICLES or w not in _RELATION_NOUNS and w not in _CHAT_WORDS and w not in _CUE_VERBS
                   and not _DRAWN_OUT.search(w) and listed_or_unknown(w) for w in words) \
            and not all(w in _NAME_PARTICLES for w in words)

    def listed_given(word: str) -> bool:  # where a word alone could be anything: a given name on the lists
        return word in names or word in words or word.capitalize() in given or word.capitalize() in ambiguous

    contact_ends = [e for _, e, kind in spans if kind in ("phone", "email")]
    if contact_ends:
        m = _LOWER_NAME_AT_END.match(text, max(contact_ends))
        found = m.group(1).split() if m else []
        if found and lower_name(found) and (  # "… 60 12 77 53 tharshan", not "… 22334455 dag og nat"
                len(found) == 1 and (found[0] in names or found[0].capitalize() in given) and found[0] not in words
                or len(found) > 1 and listed_given(found[0]) and (found[-1] in _lower_surnames() or _unknown_word(found[-1]))):
            spans.append((m.start(1), m.end(1), "name"))
    m = _LOWER_CLOSING_NAME.search(text, max(0, len(text) - 50))
    if m and lower_name(m.group(1).split()) and any(listed_given(w) for w in m.group(1).split()) \
            and any(_unknown_word(w) or w in _lower_surnames() for w in m.group(1).split()):
        spans.append((m.start(1), m.end(1), "name"))
    if "ham " in low or "hende " in low:
        spans.extend((m.start(1), m.end(1), "name") for m in _HIM_NAME.finditer(text)
                     if lower_name([m.group(1)]) and listed_given(m.group(1)))
    if ", h" in text or ", s" in text:
        for m in _LOWER_NAME_THEN_PRONOUN.finditer(text):
            words = m.group(1).split()
            if lower_name(words) and not any(w in _DEFINITE_ROLES for w in words):
                spans.append((m.start(1), m.end(1), "name"))
    if (" and " in low or " og " in low) and _AND_POSSESSIVE.search(text):
        spans.extend((m.start(1), m.end(1), "name") for m in _NAME_AND_RELATIVE.finditer(text)
                     if listed_or_unknown(m.group(1)))
    if "hi" in low or "he" in low or "name" in low or "navn" in low:
        for m in _LOWER_INTRODUCTION.finditer(text):
            end = m.start(1)
            for word in _LOWER_WORD_RUN.finditer(m.group(1)):
                w = word.group()
                if w in _not_a_person() or w in _CHAT_WORDS or not (w in names or w in words or _unknown_word(w)):
                    break
                end = m.start(1) + word.end()
            if end > m.start(1):
                spans.append((m.start(1), end, "name"))
    end = _before_contact_details(text, spans)
    tail = max(0, end - 60)  # the signatures below close the answer, or come right before closing contact details
    if _SIGNATURE_STEMS.search(low, tail):
        m = _WEAK_SIGNATURE.search(text, tail, end)
        if m and m.group(1).split()[0] not in _NOT_SURNAME:
            spans.append((m.start(1), m.end(1), "name"))
        m = _LOWER_SIGN_OFF.search(text, tail, end)
        if m and _lower_signed_name(m.group(1), names, words):
            spans.append((m.start(1), m.end(1), "name"))
    end = max(0, len(text) - 30)
    if any(c in text[end:] for c in "/-–—"):
        m = _LOWER_SIGNATURE.search(text, end)
        if m and _lower_signature(m.group(1), names):
            spans.append((m.start(1), m.end(1), "name"))


def _before_contact_details(text: str, spans: list[_Span]) -> int:
    """Return where the answer ends before the contact details that close it ("kh birgitte andersen
    nørrebrogade 14, 3. th.", "regards, ewa nowak, 22 33 44 55"): the start of the phone, e-mail and
    address spans that run to the end, less the commas and spaces before them; else its end."""
    end = len(text.rstrip(" \t\n.!"))
    moved = True
    while moved:
        moved = False
        for start, stop, kind in spans:
            if kind in ("phone", "email", "address") and start < end <= stop:
                end, moved = len(text[:start].rstrip(" \t\n,;:-–")), True
    return end


_SIGN_OFF_WORD = re.compile(_SIGN_OFF, re.I)


def _lower_signed_name(group: str, names: frozenset[str], words: frozenset[str]) -> bool:
    """Return whether lower-case words after a sign-off are a name: a listed given name ("mvh lise"),
    or two words whose first is a listed name or no word and whose last is a listed surname or no
    word ("regards, ewa nowak"); not "tak for nu"."""
    first, _, last = group.partition(" ") if " " in group else group.partition("\t")
    if not last:
        return first in names or first in words
    return first not in _not_a_person() and first not in _CHAT_WORDS and not _SIGN_OFF_WORD.fullmatch(first) and (first in names or first in words or _unknown_word(first)) \
        and (last in _lower_surnames() or _unknown_word(last))


def _lower_signature(group: str, names: frozenset[str]) -> bool:
    """Return whether a lower-case word closing the answer after a dash or slash is a name: a listed
    given name ("- bev"), a listed surname or no word after an initial ("— p. skov"), or no word at
    all ("Sent from my Galaxy — rory"); not "- haha"."""
    initial, _, word = group.rpartition(" ") if " " in group else ("", "", group)
    if "." in word:  # "p.skov"
        initial, _, word = word.partition(".")
    if word in _CHAT_WORDS or word in _not_a_person() or word in _NOT_BEFORE_NAME:
        return False
    if len(initial) > 1 and not initial.endswith("."):  # a given name before ("- li wei"), not "- love bev"
        return initial not in _CHAT_WORDS and initial not in _not_a_person() and initial not in _NOT_BEFORE_NAME \
            and (initial in names or len(initial) == 2 or _unknown_word(initial)) \
            and (word in _lower_surnames() or word.capitalize() in _name_lists()[0] or _unknown_word(word))
    if initial:
        return word.capitalize() in _name_lists()[2] or _unknown_word(word)
    return word in names or _unknown_word(word) or len(word) == 2 and word.capitalize() in _two_letter_names()


def _find_names_before_from(text: str, spans: list[_Span]) -> None:
    """Names opening a sentence before "from"/"fra" and where the person is from: a full name whose
    last word is a listed surname or no word ("Chinedu Okonkwo fra beboerrådet", "Joy Okeke and
    Hope Lindqvist from the youth club"), or, when a verb of saying follows within a few words, a
    listed name or a word no lemma table knows ("Holm fra Teknik- og Miljøforvaltningen sagde",
    "Will Harper from our allotment association says"); not "Eksperter fra DTU mener"."""
    given, ambiguous, surnames = _name_lists()
    blocked = _not_a_person()
    for m in _BEFORE_FROM.finditer(text):
        says = _SAYS_SOON.match(text, m.end()) is not None or _HOUSE_NUMBER_AFTER.match(text, m.end()) is not None
        for g in (1, 2):
            if not m.group(g):
                continue
            words = [w.capitalize() if w.islower() else w for w in m.group(g).split() if not _INITIAL.fullmatch(w)]
            first, last = words[0], words[-1]
            named = first in given or first in ambiguous
            if any(w in _NOT_SURNAME for w in words) or not (
                    named or first in surnames or first.lower() not in blocked and _unknown_word(first.lower())):
                continue  # "The council from …", "Region Hovedstaden fra …", "Eksperter fra DTU"
            if m.group(g).islower() and any(w.lower() not in _NAME_PARTICLES and (w.lower() in blocked or not (
                    w in given or w in ambiguous or w in surnames or _unknown_word(w.lower()))) for w in words):
                continue  # "naboerne fra nr 3": in lower case, every word a listed name or no word
            if len(words) > 1:  # "nguyen thi lan fra tredje sal siger": every word a listed name
                found = last in surnames or _unknown_word(last.lower()) or says and (
                    named or all(w in given or w in ambiguous or w in surnames for w in words))
            else:
                found = says and first.lower() not in blocked
            if found:
                spans.append((m.start(g), m.end(g), "name"))


def _has_words(text: str, words: str) -> bool:
    """Return whether `words` occurs in `text` as whole words, maybe in the genitive ("tove ditlevsens"):
    "ole kirk" is not in "lars-ole kirkegaard"."""
    i = text.find(words)
    while i >= 0:
        j = i + len(words)
        if j < len(text) and text[j] == "s" and (j + 1 == len(text) or not text[j + 1].isalpha()):
            j += 1
        if (i == 0 or not (text[i - 1].isalpha() or text[i - 1] == "-")) \
                and (j == len(text) or not (text[j].isalpha() or text[j] == "-")):
            return True
        i = text.find(words, i + 1)
    return False


# A shop named by its trade and its owner, opening a line or after "hos", "fra", "ved", "at", "from".
_TRADE_SHOP_BEFORE = re.compile(r"(?:^|\n|[.!?:][ \t]+|\b(?:hos|fra|ved|at|from)[ \t]+)(?:Skomager|Købmand|Urmager|Guldsmed|"
                                r"Cykelsmed|Isenkræmmer|Glarmester)[ \t]+$")


def _public_name(text: str, start: int, end: int) -> bool:
    """Return whether the name at start:end is (part of) a well-known person's or a brand's name
    ("the Hans Christian Andersen museum"), follows a public office, or is a monarch ("Frederik
    V", "Christian 4."), a school or church in the genitive ("Ingrid Jespersens Gymnasieskole")
    or a firm ("Brødrene Hansen A/S", "Hansen & Kaur Catering ApS")."""
    for at in {start, _extend_cued_name_back(text, start)}:  # "statsminister Mette Frederiksens tale"
        if _PUBLIC_OFFICE_BEFORE.search(text, max(0, at - 30), at) is not None:
            return True
    if _MEMBER_OF_BEFORE.search(text, max(0, start - 16), start):
        return True  # "medlem af ida og hk": a union, a club
    if _STORM_BEFORE.search(text, max(0, start - 40), start):
        return True  # "stormene Allan og Bodil": storms are named like people
    if _TRADE_SHOP_BEFORE.search(text, max(0, start - 30), start):
        return True  # "Skomager Hansen – Frederiksborggade 15", "hos Købmand Vestergaard": a shop
    window = text[max(0, start - 30):end + 30].lower()
    span = text[start:end].lower()
    if span in _public_in_role() and _POLITICAL_ROLE.search(text):  # "Mette Frederiksen said in her New Year speech"
        return True
    if any(name in window and (_has_words(name, span) or _has_words(span, name)) for name in _public_names()):
        return True
    if " " not in span and any(name.endswith(" " + span) and name in text.lower() for name in _public_names()):
        return True  # "The H.C. Andersen trail … Nyhavn, where Andersen lived"
    if " " in span and any(name.startswith(span + " ") for name in _public_names()):
        return True  # "Lars Løkke" for Lars Løkke Rasmussen
    return _MONARCH_AFTER.match(text, end) is not None or _INSTITUTION_AFTER.match(text, end) is not None \
        or _FIRM_AFTER.match(text, end) is not None \
        or _SHOP_AFTER.match(text, end - 1) is not None or _SHOP_AFTER.search(text, start, end) is not None


def _find_names_after_preposition(text: str, spans: list[_Span]) -> None:
    """A full name after "ved", "hos", "with", "med": two or three capitalised words, the last a
    listed surname or no word, the first a listed given name — or any word when "he"/"she" follows
    soon ("hos Naveed Chaudhry og han siger"): a shop and its district ("hos Føtex Valby") or a
    place ("ved Utterslev Mose") look the same."""
    given, ambiguous, surnames = _name_lists()
    blocked = _not_a_person()
    for m in _AFTER_PREPOSITION.finditer(text):
        words = m.group(1).split()
        first, last = words[0], words[-1]
        if any(w in _NOT_SURNAME or w.lower() in blocked or w.lower().endswith(_TITLE_STREET) for w in words) \
                or _AFTER_SPAN_INSTITUTION.match(text, m.end()):
            continue  # "ved Nørreport Station", "med Københavns Kommune"
        if (last in surnames or _unknown_word(last.lower())) and (
                first in given or first in ambiguous or _PRONOUN_SOON.match(text, m.end())):
            spans.append((m.start(1), m.end(1), "name"))


_FAMILY_FIRST_BEFORE = re.compile(rf"({_NAME_WORD})(?:[ \t]{_NAME_WORD})?[ \t]$")


def _names_before_email(text: str, spans: list[_Span]) -> list[_Span]:
    """Return name spans for the words shortly before an e-mail address that spell its person part:
    "skriv til Tharshan: tharshan.s@example.dk", "mette frost på frost.mette@example.dk" (a run of
    such words is one name), and for such a word capitalised shortly after it ("lena.marsh@… and
    Marsh will"). A part counts when it is a listed name, or no word at all and the
    address has a part per name ("tharshan.s"); not "Borgerservice … borgerservice@…"."""
    given, ambiguous, surnames = _name_lists()
    blocked = _not_a_person()
    found: list[_Span] = []
    for start, end, kind in spans:
        if kind != "email":
            continue
        local = _EMAIL_LOCAL_END.split(text[start:end], maxsplit=1)[0]
        parts = [p for p in _EMAIL_LOCAL_PARTS.split(local.lower()) if p]
        letters = _fold("".join(c for c in local.lower() if c.isalpha()))
        for m in _HYPHENATED_BEFORE.finditer(text, max(0, start - 40), start):
            if len(letters) >= 5 and _fold(m.group().lower().replace("-", "")) == letters:
                found.append((m.start(), m.end(), "name"))  # "Jens-Ole på jensole@…"
        personal = {p for p in parts if len(p) >= 3 and p.isalpha() and p not in blocked
                    and (p.capitalize() in given or p.capitalize() in ambiguous or p.capitalize() in surnames
                         or len(parts) > 1 and _unknown_word(p))}
        if not personal:
            continue
        # a run of words that spell parts of the address, with at least one personal part: "jericho
        # santos jericho.santos@…" (Jericho is a word, Santos a listed surname)
        spelled = {p for p in parts if len(p) >= 3 and p.isalpha() and p not in blocked}
        runs: list[list[int]] = []  # [start, end, personal parts in it]
        for m in _WORD_BEFORE.finditer(text, max(0, start - 60), start):
            word = m.group().lower()
            if word not in spelled:
                continue
            if runs and runs[-1][1] == m.start() - 1 and text[m.start() - 1] in " \t":
                runs[-1][1] = m.end()
                runs[-1][2] += word in personal
            else:
                runs.append([m.start(), m.end(), int(word in personal)])
        for i, (run_start, run_end, known) in enumerate(runs):
            word = text[run_start:run_end]
            if " " not in word and word not in given and word not in ambiguous \
                    and _PLACE_PREPOSITION_BEFORE.search(text, max(0, run_start - 6), run_start):
                continue  # "studying in Lund … luca.bianchi.lund@…": a town that is also a surname
            if known:
                last = i == len(runs) - 1
                end_of_name = _extend_cued_name(text, run_end) if last and text[run_start].isupper() else run_end
                found.append((run_start, end_of_name, "name"))  # "Kavitha Rajendran at kavitha.r@…"
        # further before the address, capitalised: a part that is a given name ("I'm Luca from Italy,
        # … Write to luca.bianchi.lund@…")
        # ("Nguyen Thi Lan … lan.nguyen@…": with the words before it when the first spells a part too)
        first_names = {p for p in personal if p.capitalize() in given or p.capitalize() in ambiguous}
        if first_names:
            for m in _WORD_BEFORE.finditer(text, max(0, start - 300), max(0, start - 60)):
                if m.group()[0].isupper() and m.group().lower() in first_names:
                    family = _FAMILY_FIRST_BEFORE.search(text, max(0, m.start() - 30), m.start())
                    first = family.start() if family and family.group(1).lower() in spelled else m.start()
                    found.append((first, _extend_cued_name(text, m.end()), "name"))
        # after the address, capitalised: every part of a person's address ("lena.marsh@… and Marsh will")
        if any(p.capitalize() in given for p in parts):
            personal |= {p for p in parts if len(p) >= 3 and p.isalpha() and p not in blocked}
        for m in _WORD_BEFORE.finditer(text, end, min(len(text), end + 80)):
            if m.group()[0].isupper() and m.group().lower() in personal:
                found.append((m.start(), m.end(), "name"))
    return found


def _find_nicknames(text: str, spans: list[_Span]) -> None:
    """A nickname in brackets after "kaldet"/"called"/"aka"/"vi kalder hende", right after a relation
    or a name: "Kristoffer Dahl (kaldet Kiffer)", "min nabo (bo)", "Viktor (Vitya) Petrenko"; a
    diminutive and a given name: "lille-per"."""
    low = text.lower()
    if "lille-" in low or "store-" in low or "little-" in low or "big-" in low:
        names = _lowercase_names()[0]
        for m in _DIMINUTIVE.finditer(text):
            if m.group(1).lower() in names:
                spans.append((m.start(), m.end(), "name"))
    for m in _NICKNAME.finditer(text):
        if m.group(1).lower() not in _not_a_person():
            spans.append((m.start(1), m.end(1), "name"))
    for m in _RELATION_BRACKET.finditer(text):
        if m.group(1).lower() not in _not_a_person():
            spans.append((m.start(1), m.end(1), "name"))
    if "en (" in low:  # "viceværten (Kim)": a role in the definite form, then the name in brackets
        for m in _ROLE_BRACKET.finditer(text):
            if m.group(1).lower() not in _not_a_person():
                spans.append((m.start(1), m.end(1), "name"))
    if "kald" in low or " call" in low:  # "– vi kalder hende Bebbe –", "everyone calls him "Big Tony""
        spans.extend((m.start(1), m.end(1), "name") for m in _WE_CALL.finditer(text))
    if any(q in text for q in "'‘“\""):  # a nickname in quotes after a name: "Oleksandra Hnatyuk, 'Sasha',"
        for _start, e, kind in list(spans):
            m = _QUOTED_AFTER_NAME.match(text, e) if kind == "name" else None
            if m and m.group(1).lower() not in _not_a_person() and m.group(1) not in _NOT_SURNAME:
                spans.append((m.start(1), m.end(1), "name"))
    if "(" in text:  # a capitalised word in brackets right after a name: "Viktor (Vitya) Petrenko"
        for _start, e, kind in list(spans):
            m = _BRACKETED_AFTER_NAME.match(text, e) if kind == "name" else None
            if m and m.group(1).lower() not in _not_a_person() and m.group(1) not in _NOT_SURNAME:
                spans.append((m.start(1), m.end(1), "name"))
                surname = _NEXT_NAME.match(text, m.end())  # "… (Sasha) Bondar"
                if surname and (surname.group(1) in _name_lists()[2] or _unknown_word(surname.group(1).lower())):
                    spans.append((surname.start(1), surname.end(1), "name"))


def _whole_lower_names(text: str, spans: list[_Span]) -> list[_Span]:
    """Return the name spans written in lower case with the rest of the name around them: up to
    two words before that are listed names or particles ("tran van minh" after "minh"), and up to
    two after that are those or no word at all ("fatima abdi warsame", "mr pham duc anh")."""
    given, ambiguous, surnames = _name_lists()
    blocked = _not_a_person()

    def listed(word: str) -> bool:
        return word in _NAME_PARTICLES or word.capitalize() in given or word.capitalize() in ambiguous \
            or word.capitalize() in surnames

    def not_name(word: str) -> bool:  # "ask", "ring", "min", "btw", "said" (also a name)
        return word in blocked or word in _RELATION_NOUNS or word in _NOT_BEFORE_NAME or word in _CHAT_WORDS \
            or word in _SPEECH_VERBS or word in _CUE_VERBS

    others = [(s, e) for s, e, kind in spans if kind != "name"]  # "birgitte andersen nørrebrogade 14": no word of the address
    out: list[_Span] = []
    for s, e, kind in spans:
        if kind == "name" and text[s:e].islower():
            for _ in range(2):
                m = _LOWER_WORD_NEXT.match(text, e)
                if m is None or not_name(m.group(1)) or not (listed(m.group(1)) or _unknown_word(m.group(1))) \
                        or any(a < m.end() and m.start(1) < b for a, b in others):
                    break
                e = m.end()
            for _ in range(2):
                m = _LOWER_WORD_BEFORE.search(text, max(0, s - 20), s)
                if m is None or not_name(m.group(1)) or not listed(m.group(1)):
                    break
                s = m.start(1)
        out.append((s, e, kind))
    return out


def _find_appositions(text: str, spans: list[_Span]) -> None:
    """A name between commas before a verb of saying or a phone number ("…School, maureen, says",
    "vores formand, Lund, på 20 45 67 81"): a listed given name or surname, or no word."""
    given, ambiguous, surnames = _name_lists()
    blocked = _not_a_person()
    for m in _APPOSITION.finditer(text):
        first = m.group(1).split()[0]
        if first.lower() in blocked or first in _NOT_SURNAME:
            continue
        if first.capitalize() in given or first.capitalize() in ambiguous or _unknown_word(first.lower()) \
                or first in surnames:
            spans.append((m.start(1), m.end(1), "name"))


_INITIALS_BEFORE = re.compile(rf"(?<![\w.])(?:[{_UP}]\.[ \t]?){{1,3}}$")


def _with_initials(text: str, spans: list[_Span]) -> list[_Span]:
    """Return the name spans with the initials before them ("J. Thomsen") and an initial that
    follows them ("Sara K.", "Anders B", "gordon b" at the end); not "I" ("Mette I think …")."""
    out: list[_Span] = []
    for s, e, kind in spans:
        if kind == "name":
            before = _INITIALS_BEFORE.search(text, max(0, s - 9), s) if text[s].isupper() else None
            if before and not any(ks < before.end() and before.start() < ke for ks, ke, k in spans if k != "name"):
                s = before.start()  # "Kontaktperson: L. Frandsen", "J. R. Thomsen"; not "2200 København N. Wei Zhang"
            m = _INITIAL_AFTER.match(text, e)
            if m and m.group(1) != "I" and text[s].isupper():
                e = m.end()
            elif text[s].islower():
                m = _LOWER_INITIAL_AFTER.match(text, e)
                if m:
                    e = m.end()
        out.append((s, e, kind))
    return out


def _coordinated_names(text: str, spans: list[_Span]) -> list[_Span]:
    """Return name spans for listed names joined by "og"/"and"/"&" to a name already found:
    "henrik og helle" (helle is also a word), "Lone og kim", "Malthe og Ida"."""
    given, ambiguous, _surnames = _name_lists()
    lower_names, lower_words, _patronymics = _lowercase_names()
    blocked = _not_a_person()

    def listed(word: str, capital: bool, couple: bool = False) -> bool:
        if couple and word in ambiguous and capital:
            return True  # "Else og Poul Brandt": a given name before a full name, though "else" is a word
        if word.lower() in blocked or word.lower() in _CHAT_WORDS:
            return False
        if word.islower() and word in lower_words and capital:
            return False  # "older guy, Rolf Haugen": a word, not written like the name beside it
        if (word in given or word in ambiguous or word.lower() in lower_names
                or word.capitalize() in given or word.capitalize() in ambiguous):
            return True
        # "Priya and Kofi", "kalle og ibbe": not a word, and written like the name it is joined to
        return word[:1].isupper() == capital and word not in _NOT_SURNAME and _unknown_word(word.lower())

    found: list[_Span] = []
    taken = {(s, e) for s, e, _ in spans}
    for s, e, kind in spans:
        if kind != "name":
            continue
        after = _AND_AFTER.match(text, e)
        if after and listed(after.group(1), text[s].isupper()) and (after.start(1), after.end(1)) not in taken:
            end = _extend_cued_name(text, after.end(1)) if after.group(1)[0].isupper() else after.end(1)
            found.append((after.start(1), end, "name"))  # "… og Ivalo Heilmann"
        comma = _COMMA_BEFORE.search(text, max(0, s - 30), s)  # "(Line, Ahmad, …", "Gintarė Jankauskienė, Rūta"
        if comma and listed(comma.group(1).split()[0], text[s].isupper()) and (comma.start(1), comma.end(1)) not in taken:
            found.append((comma.start(1), comma.end(1), "name"))
        before = _AND_BEFORE.search(text, max(0, s - 30), s)
        if before and listed(before.group(1), text[s].isupper(), " " in text[s:e]) and (before.start(1), before.end(1)) not in taken:
            found.append((before.start(1), before.end(1), "name"))
        listing = _COMMA_AFTER.match(text, e)
        if listing and listed(listing.group(1), text[s].isupper()) and (listing.start(1), listing.end(1)) not in taken:
            found.append((listing.start(1), listing.end(), "name"))
    return found


# Eight digits spaced at random right after a name or other contact details: "ole 22 4 6 1 8 9 0",
# "Julie 20 4 4 5 1 6 7", "…@example.org, 26 0 0 3 5 7 1".
_SPACED_NUMBER_AFTER = re.compile(r"[ \t]*,?[ \t]*(\d(?:[ \t-]?\d){7})(?![\d.,]\d|\d)")
_COMPOUND_AFTER = re.compile(rf"(?:[ \t][{_UP}][{_LO}]+)?-([{_LO}]{{3,}})")  # "Karl| Johan-svampe"


def _numbers_after_names(text: str, spans: list[_Span]) -> list[_Span]:
    """Return phone spans for a number of eight digits, however spaced, right after a name, an
    e-mail or an address found (a signature: the name, then the number) and not taken already."""
    found: list[_Span] = []
    for _, e, kind in spans:
        m = _SPACED_NUMBER_AFTER.match(text, e) if kind in ("name", "email", "address") else None
        if m and all(m.end(1) <= s or m.start(1) >= e2 for s, e2, _ in spans):
            found.append((m.start(1), m.end(1), "phone"))
    return found


def _in_compound(text: str, end: int) -> bool:
    """Return whether a name ending at `end` opens a compound noun ("Karl Johan-svampe"): a
    hyphen, then a word the lemma data knows that is no name."""
    m = _COMPOUND_AFTER.match(text, end)
    return m is not None and not _unknown_word(m.group(1)) and m.group(1) not in _lowercase_names()[0]


def _initials_of_names(text: str, spans: list[_Span]) -> list[_Span]:
    """Return the mentions of a full name's initials found in the same answer: "Karen Holm synes …
    (KH er fast bruger …)" (even letters that are also a sign-off: the name says whose they are)."""
    taken = [(s, e) for s, e, _ in spans]
    found: list[_Span] = []
    for s, e, kind in spans:
        words = text[s:e].split()
        if kind != "name" or not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
            continue
        initials = "".join(w[0] for w in words)
        for m in re.finditer(rf"(?<![\w'’.-]){initials}(?![\w'’-])", text):
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                found.append((m.start(), m.end(), "name"))
    return found


def _repeated_names(text: str, spans: list[_Span]) -> list[_Span]:
    """Return the other mentions of a listed given name (or a listed surname or a part of a full
    name that is no word: not "West") found once ("Rose and I run the garden. Rose handles the rota"), except opening a
    sentence before a pronoun or possessive ("Will you …", "Mark my words"; but "… told Theo he could")."""
    given, ambiguous, surnames = _name_lists()
    # a listed given name, a listed surname that is no word, or any word of a full name that is
    # no word ("Rógvi Joensen … Rógvi", "Fereshta Noori … Fereshta")
    words = set()
    for s, e, kind in spans:
        parts = text[s:e].split() if kind == "name" else []
        words.update(w for w in parts if (w in given or w in ambiguous or (w in surnames or len(parts) > 1 and w[:1].isupper())
                                          and _unknown_word(w.lower()))
                     and (w.lower() not in _not_a_person()  # "Else Mølgaard … Else har fået": a full name's given name
                          or w in ambiguous and len(parts) > 1 and w == parts[0]))
        # in lower case only a name that is no word: "jesse … jesse's number", not "will … will"
        words.update(w for w in parts if w.islower() and len(w) >= 3 and _unknown_word(w)
                     and (w.capitalize() in given or w.capitalize() in ambiguous or w.capitalize() in surnames
                          or w in _lowercase_names()[0]))
    found: list[_Span] = []
    for word in words:
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])", text):
            head = text[max(0, m.start() - 8):m.start()].rstrip()
            opens = head[-1:] in ("", ".", "!", "?", ":", "\n")  # "Will you …" opens a sentence
            if not (opens and _PRONOUN_AFTER.match(text, m.end())) and all(m.end() <= s or m.start() >= e for s, e, _ in spans) \
                    and not _BUSINESS_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                end = _extend_cued_name(text, m.end()) if word[0].isupper() else m.end()  # "this is Tom. Tom Whitaker."
                found.append((m.start(), end, "name"))
    return found


@lru_cache(maxsize=65536)
def _unknown_word(word: str) -> bool:
    """Return True if `word` (lower case) is no Danish or English word that the lemma data knows
    (Danish full forms, English inflected forms, English base forms of nouns, verbs, adjectives
    and adverbs, and their regular inflections): next to a name, or where the writer says who
    someone is, such a word is a name ("Kofi", "ibbe", "my flatmate ollie") rather than a thing."""
    if len(word) < 3 or len(set(word)) == 1:  # "xxxxxx": a word blanked out, no name
        return False
    from engage.nlp.text import lemma_table

    known = _known_words()
    if word in known or lemma_table("da").get(word) is not None or lemma_table("en").get(word) is not None:
        return False
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement in known:
            return False
    return True


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """Return the base forms the lemma tables map to (their keys are hashed: look forms up with
    `lemma_table(lang).get`) and the English lemma index of spacy-lookups-data (WordNet's base
    forms). Loaded once, on first use."""
    import gzip
    import json

    import spacy_lookups_data

    from engage.nlp.text import lemma_table

    words: set[str] = set()
    for lang in ("da", "en"):
        words.update(lemma_table(lang).values())
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_index.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for lemmas in json.load(fh).values():
            words.update(lemmas)
    return frozenset(words) | _RUN_TOGETHER


def _place_or_thing(word: str) -> bool:
    """Return whether a capitalised word belongs to a place's or a thing's name, not a person's:
    "Center", "Valby", "Privatskole", "Kløverhaven"."""
    return word in _NOT_SURNAME or word.lower().endswith(_PLACE_ENDINGS + _THING_ENDINGS)


def _find_unknown_pairs(text: str, spans: list[_Span]) -> None:
    """Two capitalised words standing alone that no lemma table knows and no list holds, neither
    ending like a Danish place or street, not after "the" or a preposition of place, nor before a
    house number: a person's full name in any tradition ("Nakato Ssemwanga is my mother", "Vsevolod
    Kuznetsov on the 6th floor"); not "Amager Strandpark", "from Kuala Lumpur", "the Tivoli Gardens"."""
    blocked = _not_a_person()
    for m in _UNKNOWN_PAIR.finditer(text):
        first, second = m.group(1), m.group(2)
        if first in _PLACE_PREFIXES or first in _BUSINESS_WORDS or any(_place_or_thing(w) or w.lower() in blocked
               or not _unknown_word(w.lower()) for w in (first, second)):
            continue
        if _NOT_PERSON_BEFORE.search(text, max(0, m.start() - 12), m.start()) or _NUMBER_AFTER.match(text, m.end()) \
                or _CAPITAL_WORD_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue
        spans.append((m.start(), m.end(), "name"))


_GROUP_SIGNERS = frozenset("board committee team council secretariat management residents members volunteers staff "
                           "parents neighbours neighbors".split())


def _signed_as_a_group(group: str) -> bool:
    """Return whether one word signing an answer names a group, not a person: a Danish noun of the
    language in the definite form ("Bestyrelsen", "Styregruppen", "Sekretariatet") or a group
    ("Committee"), and no listed name ("cheers, Nat" is a person)."""
    word = group.strip()
    if " " in word:
        return False
    given, ambiguous, surnames = _name_lists()
    if word in given or word in ambiguous or word in surnames:
        return False
    low = word.lower()
    return low in _GROUP_SIGNERS or len(low) >= 6 and low.endswith(("en", "et", "erne", "ene")) and not _unknown_word(low)


def _find_names(text: str, spans: list[_Span]) -> None:
    given, ambiguous, surnames = _name_lists()
    _find_lone_names(text, spans)
    _find_unknown_pairs(text, spans)
    low = text.lower()
    _find_cued_names(text, spans, low)
    if any(stem in low for stem in _STRONG_CUE_STEMS):
        for m in _STRONG_CUE.finditer(text):
            if m.group(1).split()[0] not in _NOT_SURNAME and m.group(1).split()[0] not in _TITLES:
                given_after = _GIVEN_AFTER_COMMA.match(text, m.end(1)) if ":" in m.group() else None
                end = given_after.end(1) if given_after else _name_group_end(text, m.start(1), m.end(1))
                spans.append((m.start(1), end, "name"))
    if ":" in text:  # "Contact: Nguyen Thi Lan, 22 61 03 85", "Applicant: Graham Fletcher"
        spans.extend((m.start(1), m.end(1), "name") for m in _CONTACT_NAME.finditer(text))
        for m in _ATTENDEES_LABEL.finditer(text):  # every item of the list after "Fremmødte:"
            pos = m.end()
            while (item := _LISTED_PERSON.match(text, pos)) is not None and item.end() > pos:
                first = item.group(1).split()[0]
                if item.group(1) not in _NOT_SURNAME and first not in _NOT_SURNAME \
                        and (first.lower() not in _not_a_person() or " " in item.group(1)):  # "Will Hart", not "The Mayor"
                    spans.append((item.start(1), item.end(1), "name"))
                pos = item.end()
                if text[item.end(1):pos].strip() == "" and (pos >= len(text) or text[pos - 1:pos] == "\n"):
                    break
        for m in _CHAT_SPEAKER.finditer(text):
            g = 1 if m.group(1) else 2
            if m.group(g).split()[0] not in _NOT_SURNAME and m.group(g).split()[0] not in ("You", "Du", "Me", "Mig"):
                spans.append((m.start(g), m.end(g), "name"))
    if "-" in text:  # "Park Ji-hoon": a Korean surname before a hyphenated given name
        spans.extend((m.start(), m.end(), "name") for m in _KOREAN_SURNAME_FIRST.finditer(text)
                     if m.group(1) in _KOREAN_SURNAMES)
    if " again" in low or " igen" in low or " here" in low or " her" in low or " speaking" in low or " calling" in low \
            or "this is" in low or "it's" in low or "det er" in low:  # "it's Mbuyi again", "this is Tom. Tom Whitaker."
        for m in _ITS_NAME_AGAIN.finditer(text):  # "this is Raj Patel speaking": any part a name or no word
            words = m.group(1).split()
            if (any(w in given or w in ambiguous or w in surnames or _unknown_word(w.lower()) for w in words)
                    if text[m.end(1):m.end(1) + 1] == " " else words[0] in given
                    or words[0] in ambiguous and text.startswith(words[0], m.end(1) + 2)) and words[0] not in _NOT_SURNAME:
                spans.append((m.start(1), m.end(1), "name"))
    if ("'m " in text or "’m " in text or "im " in text or "Im " in text or "eg er " in text) and _COMMA_NUMBER.search(text):
        for m in _NAME_AND_AGE.finditer(text):
            if m.group(1) in given or m.group(1) in ambiguous:
                spans.append((m.start(1), m.end(1), "name"))
    if "née " in low or "født " in low:  # a maiden name: "Saga Holmgaard (née Ekström)", "Inger Bak, født Lund"
        for m in _MAIDEN_NAME.finditer(text):
            if m.group(1) in surnames or m.group(1) in given or _unknown_word(m.group(1).lower()):
                spans.append((m.start(1), m.end(1), "name"))
    if "er mig" in low or "s me" in low or "’s me" in low:
        for m in _ITS_ME.finditer(text):
            first = m.group(1).split()[0]
            if first in given or first in ambiguous or _unknown_word(first.lower()):
                spans.append((m.start(1), _extend_cued_name(text, m.start(1) + len(first)), "name"))
    tail = max(0, len(text) - 160)
    m = _CLOSING_INITIALS.search(text, tail) if "." in text[tail:] else None
    if m is not None and m.group(1).split()[-1] not in _NOT_SURNAME:
        spans.append((m.start(1), m.end(1), "name"))  # "… on my site. H. Baker (Mr.)", "M. Quigley\nNyvej 6"
    if any(stem in low for stem in _SIGN_OFF_STEMS):
        for m in _SIGNATURE.finditer(text):
            for g in (1, 2):
                first = m.group(g).split()[0] if m.group(g) else ""
                if first and (first not in _NOT_SURNAME or first in _SIGNING_GIVEN_NAMES) and first not in _TITLES \
                        and not _signed_as_a_group(m.group(g)):  # "Regards, Dr. Amara …", not "Mvh. Bestyrelsen"
                    spans.append((m.start(g), m.end(g), "name"))
    tail = max(0, len(text) - 60)
    if any(c in text[tail:] for c in "/-–—"):
        m = _SLASH_SIGNATURE.search(text, tail)
        if m and m.group(1).split()[0] not in _NOT_SURNAME \
                and not m.group(1).split()[-1].lower().endswith(_THING_ENDINGS):  # "- Vanløse Privatskole": a list's last item
            spans.append((m.start(1), m.end(1), "name"))
        m = _INITIALS_CLOSING.search(text, tail)
        g = 1 if m and m.group(1) else 2
        if m and m.group(g).upper() not in _NOT_INITIALS:
            spans.append((m.start(g), m.end(g), "name"))
    if any(stem in low for stem in _INITIALS_LABEL_STEMS):
        for m in _INITIALS_LABEL.finditer(text):
            g = 1 if m.group(1) else 2
            if m.group(g) not in _NOT_INITIALS:
                spans.append((m.start(g), m.end(g), "name"))
    _find_possessive_names(text, spans)
    _find_contact_signatures(text, spans)
    if " from " in low or " fra " in low:
        _find_names_before_from(text, spans)
    if any(f" {w} " in low for w in ("ved", "hos", "with", "med", "til", "for", "af", "by", "to", "lovede", "promised",
                                     "thanks", "tak")):
        _find_names_after_preposition(text, spans)
    if " og " in text or " and " in text:
        _find_relatives_of(text, spans)
    if any(noun in low for noun in _BARE_RELATIONS):  # notes drop the "my": "Datter Sofiia tolkede"
        for m in _BARE_RELATION_NAME.finditer(text):
            word = m.group(1)
            if word not in _NOT_SURNAME and word.lower() not in _not_a_person() \
                    and (word in given or word in ambiguous or _unknown_word(word.lower())):
                spans.append((m.start(1), _extend_cued_name(text, m.end(1)), "name"))
    candidates = [m.group() for m in _name_tokens(text)]
    candidates += [c.partition("-")[0] for c in candidates if "-" in c]
    if given.isdisjoint(candidates) and ambiguous.isdisjoint(candidates):
        return  # no capitalised word is a given name: the loop below would find nothing
    for m in _name_tokens(text):
        word = m.group()
        if word in _MONTH_NAMES and (_MONTH_BEFORE.search(text, max(0, m.start() - 8), m.start())
                                     or _MONTH_AFTER.match(text, m.end())):
            continue  # "from May to September" is a date, even after "from"
        if word in given or ("-" in word and word.partition("-")[0] in given):  # "Jean-Luc"
            pass
        elif word in ambiguous:
            nxt = _NEXT_NAME.match(text, m.end())
            # a listed surname after it, or a last word that is no word, no given name and no place
            # ("Graham Whitfield"; not "Storm Bodil", "Jens Olsens Bageri")
            surname_after = nxt is not None and (nxt.group(1) in surnames or _unknown_word(nxt.group(1).lower())
                                                 and nxt.group(1) not in given and nxt.group(1) not in ambiguous
                                                 and nxt.group(1).lower() not in _not_a_person()  # "… Danish She …"
                                                 and not _place_or_thing(nxt.group(1)) and word not in _PARTICLES
                                                 and not _CAPITAL_AFTER.match(text, nxt.end())
                                                 and not (len(nxt.group(1)) <= 4 and text.startswith(".", nxt.end())))  # "Cpl."
            if not surname_after or word.lower() in _NOT_BEFORE_NAME:  # "Ask Thompson"
                # An ambiguous name still counts right after a weak sign-off ("Tak, Per") or when
                # the writer says who it is ("min nabo Per").
                if _WEAK_SIGN_OFF_BEFORE.search(text, max(0, m.start() - 20), m.start()) or \
                        _cue_before(text, m.start()) or _WHO_AFTER.match(text, m.end()) or \
                        _TRADE_BEFORE.search(text, max(0, m.start() - 20), m.start()) or \
                        _NAMED_BEFORE.search(text, max(0, m.start() - 20), m.start()) or \
                        _GREETING_ITS_BEFORE.search(text, max(0, m.start() - 24), m.start()) or \
                        nxt is not None and _IT_WAS_BEFORE.search(text, max(0, m.start() - 10), m.start()):
                    end = _extend_cued_name(text, m.end())
                    if nxt is not None and nxt.group(1) not in _NOT_SURNAME and nxt.group(1).lower() not in _not_a_person():
                        end = max(end, nxt.end())  # "my daughter Grace Hill", "It was Mark Wells"
                    spans.append((m.start(), end, "name"))
                continue
        else:
            continue
        if _SAINT_BEFORE.search(text, max(0, m.start() - 12), m.start()) or \
                _THE_BEFORE.search(text, max(0, m.start() - 5), m.start()):
            continue
        end = _extend_name(text, m.end())
        korean = _NEXT_NAME.match(text, end) if "-" in word and word.partition("-")[2].islower() else None
        if korean and korean.group(1) in _KOREAN_SURNAMES:
            end = korean.end()  # "Ji-woo Park"
        institution = _AFTER_SPAN_INSTITUTION.match(text, end)
        if institution and _cue_before(text, m.start()):
            end = institution.end()  # "my brother Felix Strand": who he is says it is a person
        elif institution:
            continue  # "Bella Center", "Villum Fonden": a place or an organisation
        spans.append((_extend_cued_name_back(text, m.start()), end, "name"))  # "Halima Abdullahi Farah"


_CAPITAL_AFTER = re.compile(rf"[ \t]+[{_UP}]")
_PARTICLES = frozenset({"Van", "Von", "De", "Da", "Di", "Del", "La", "Le", "Du", "Dos", "Das"})


def _resolve(spans: list[_Span]) -> list[_Span]:
    """Keep non-overlapping spans, preferring higher-priority types, then longer spans."""
    chosen: list[_Span] = []
    for span in sorted(spans, key=lambda sp: (_PRIORITY[sp[2]], sp[0] - sp[1], sp[0])):
        s, e, _ = span
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append(span)
    return sorted(chosen)


# What OCR does to a handwritten form: O, o, l, I and | read for digits in a number ("4O 18 27 93",
# "Hyldebaervej l7, 275O Ballerup", "14ll38-0646"), 0 and 1 for letters in a word ("J0rgen",
# "0stergaard", "Kowa1czyk").
# (each test opens with a digit, a single class the regex engine scans for: a cheap test on every answer)
_OCR_DAMAGE = re.compile(rf"[0-9](?:(?<=[OolI|][0-9])|(?=[OolI|])|(?<=[^\W\d_][01])(?=[{_LO}])|(?<=0)(?<![\w]0)(?=[{_LO}]{{2}}))")
_OCR_NUMBER = re.compile(r"(?<![^\W\d_])[0-9OolI|]*\d[0-9OolI|]*(?![^\W\d_])")
_OCR_DIGITS = str.maketrans("OolI|", "00111")
# A form's blank lines around what was written in them, not an underscore inside an address ("musa_kamara@…").
_FORM_UNDERSCORES = re.compile(r"_{2,}|(?<=:)_|_(?=\s|$)|(?<=\s)_")
_TABLE_ROW = re.compile(r"\|[^|\n]*\|")  # two pipes on one line: a table, "|24 17 63 09 |"
_OCR_IN_WORD = re.compile(rf"(?<=[^\W\d_])[01](?=[{_LO}])|(?<![\w])0(?=[{_LO}]{{2}})")  # not "EC1R 4TD"


# A form's printed label where a name was looked for: "Name: ________  Address: ________".
_FORM_LABEL = re.compile(r"(?i:adresse|address|phone|tlf|telefon|e-?mail|mobil|mobile|svar|answer|dato|date|"
                         r"signature|underskrift|postnr|cpr)\.?[ \t]*:")


def _ocr_read(text: str) -> str:
    """Return `text` as a reader of an OCR'd form would read it, letter for letter (the same
    length, so the spans found in it are the spans of `text`)."""
    text = _FORM_UNDERSCORES.sub(lambda m: " " * len(m.group()), text)  # "Navn:_Solveig Dahl_", "___28 9O 15 77___"
    text = _OCR_NUMBER.sub(lambda m: m.group().translate(_OCR_DIGITS), text)
    return _OCR_IN_WORD.sub(lambda m: "l" if m.group() == "1" else "o" if m.start() and text[m.start() - 1].isalpha() else "O",
                            text)


def find_personal_data(text: str) -> list[_Span]:
    """Return the (start, end, type) spans of personal data in `text`, sorted by position.

    Text damaged by OCR is read as it was meant first (`_ocr_read`).

    Words of four or more capitals are read as capitalised words ("han hedder THOMAS KROGH") when
    they are fewer than a quarter of the words: a name shouted is still a name, and the rules know
    names by their capital; in an answer written in capitals they carry no such sign. The spans are the
    same in both texts (the copy is only used where it has the same length)."""
    if _OCR_DAMAGE.search(text) or "__" in text or ":_" in text:
        if _TABLE_ROW.search(text) and "¦" not in text:  # a table's pipes beside its numbers are no OCR'd "1"
            text = _ocr_read(text.replace("|", "¦")).replace("¦", "|")
        else:
            text = _ocr_read(text)
    caps = _CAPS_WORD.findall(text) if _FOUR_CAPITALS.search(text) else ()
    if caps:
        if len(caps) * 4 < len(text.split()):  # a shouted name, not a shouted answer
            shadow = _SHORT_CAPS_WORD.sub(lambda m: m.group().capitalize() if _shouted_name(text, m) else m.group(), text)
        else:
            shadow = _unshouted(text)
        if len(shadow) == len(text):
            return _find_personal_data(shadow)
    return _find_personal_data(text)


def _shouted_name(text: str, m: re.Match) -> bool:
    """Return whether a word in capitals among ordinary words may be a name: a listed name of four
    letters or more, or one of two or more words in capitals side by side ("han hedder THOMAS
    KROGH", "WEI ZHANG"); a lone one is an acronym ("HOFOR says", "ADA regulations")."""
    word = m.group().capitalize()
    given, ambiguous, surnames = _name_lists()
    return (len(word) >= 4 and (word in given or word in ambiguous or word in surnames)) \
        or _CAPS_NEIGHBOUR_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None \
        or _CAPS_NEIGHBOUR_AFTER.match(text, m.end()) is not None


_GLUED_TO_ADDRESS = re.compile(r"@|\.\w")  # "SØREN VESTERGAARD SOEREN.V@…": the last word opens an e-mail address


def _unshouted(text: str) -> str:
    """Return an answer written in capitals as one written in lower case, with the names in it
    capitalised: a listed given name followed by more name words ("SIMON ABDI HASSAN, TLF …" →
    "Simon Abdi Hassan, tlf …", "JAMES O'CONNOR HERE" → "James O'Connor here", "MICHAEL R.
    TAYLOR"). The rules know names by their capital, and here only the name lists can tell which
    words are names; a given name alone stays a word ("SINE LANDSMÆND" is "their countrymen")."""
    given, ambiguous, surnames = _name_lists()

    def title(word: str) -> str:  # "o'connor" → "O'Connor", "abdi-hassan" → "Abdi-Hassan"
        return "".join(part.capitalize() for part in re.split(r"([-'’])", word.lower()))

    def name_word(word: str) -> bool:
        return word in given or word in ambiguous or word in surnames or word.startswith(("O'", "O’", "Mc"))

    words = list(_UPPER_WORD.finditer(text))
    keep = [False] * len(words)
    for i, m in enumerate(words):
        if title(m.group()) not in given or keep[i]:
            continue
        j = i + 1
        while j < len(words) and text[words[j - 1].end():words[j].start()] in (" ", ". ") and (
                len(words[j].group()) == 1 and text.startswith(". ", words[j].end())  # "R."
                or name_word(title(words[j].group())) and not _GLUED_TO_ADDRESS.match(text, words[j].end())):
            j += 1
        if j - i >= 2 and len(words[j - 1].group()) > 1:
            keep[i:j] = [True] * (j - i)
    out, pos = [], 0
    for m, name in zip(words, keep, strict=True):
        out.append(text[pos:m.start()])
        out.append(title(m.group()) if name else m.group().lower())
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _find_personal_data(text: str) -> list[_Span]:
    spans: list[_Span] = []
    # (ASCII text: the digits are 0-9; otherwise str.isdigit also takes ² and the like)
    has_digit = (
        _ASCII_DIGIT.search(text) is not None if text.isascii() else any(map(str.isdigit, text))
    )
    if has_digit:
        # CPR and phone numbers all have 8+ digits with at most a few separators between them:
        # one cheap search spares the detailed patterns on text with only short numbers.
        if _LONG_NUMBER.search(text):
            _find_cpr(text, spans)
            _find_phones(text, spans)
            public = _public_numbers()
            spans = [sp for sp in spans if sp[2] != "phone" or not _public_number(text[sp[0]:sp[1]], public)
                     and not _PUBLIC_LINE_BEFORE.search(text, max(0, sp[0] - 70), sp[0])]
        _find_addresses(text, spans)
        if any(kind == "address" for _, _, kind in spans):
            spans = [_with_spaced_house_number(text, sp) for sp in spans]
            spans = [sp for sp in spans if sp[2] != "address" or not _public_address(text[sp[0]:sp[1]])
                     and not _INSTITUTION_BEFORE.search(text, max(0, sp[0] - 40), sp[0])
                     and not _PLACE_DESCRIBED_AFTER.match(text, sp[1])]
    low = text.lower()
    windows = _spoken_number_windows(low)
    if windows:
        _find_spoken_numbers(text, spans, windows)
    if "stave" in low or "spell" in low or "spelt" in low:  # "det staves k j æ r s g a a r d"
        spans.extend((m.start(1), m.end(1), "name") for m in _SPELLED.finditer(text))
    if (
        "@" in text
        or "(" in text
        or "[" in text
        or "{" in text
        or " dot " in text
        or " at " in text
        or "snabel" in text
    ):
        _find_emails(text, spans)
    if "." in text and ("/" in text or "www." in text):
        _find_urls(text, spans)
    if " slash " in text or " skråstreg " in text:
        _find_spoken_urls(text, spans)
    if not text.islower():
        _find_names(text, spans)
        spans = [sp for sp in spans if sp[2] != "name" or not _public_name(text, sp[0], sp[1])
                 and text[sp[0]:sp[1]] not in _LANGUAGES and not _FORM_LABEL.match(text, sp[0])]
    else:  # all lower case: only names written in lower case can be there
        _find_lone_names(text, spans)
        _find_cued_names(text, spans, text)  # all lower case already
        if " from " in text or " fra " in text:
            _find_names_before_from(text, spans)
    if "@" in text:
        names = _lowercase_names()[0]
        taken = [(s, e) for s, e, _ in spans]
        for m in _HANDLE.finditer(text):  # "@lena.rides", "@noahskates"
            if (m.group(1).lower() in names or _is_name_handle(m.group()[1:])
                    or _AKA_BEFORE.search(text, max(0, m.start() - 8), m.start())) \
                    and all(m.end() <= s or m.start() >= e for s, e in taken):
                spans.append((m.start(), m.end(), "name"))
    low = text.lower()
    if "snap" in low or "insta" in low or "tiktok" in low or "discord" in low or "twitch" in low or "gamer" in low \
            or "username" in low or "brugernavn" in low or "add m" in low:
        spans.extend((m.start(1), m.end(1), "name") for m in _APP_HANDLE.finditer(text))
    if spans and (" og " in text or " and " in text or " & " in text or ", " in text or " eller " in text or " or " in text):
        for _ in range(3):  # a list is taken one name further each round: "Hodan Warsame, Ayaan, Fartun and I"
            more = [sp for sp in _coordinated_names(text, spans) if sp not in spans]
            if not more:
                break
            spans.extend(more)
    if "\n" in text and ("|" in text or "," in text or ";" in text or "\t" in text):
        _find_table_cells(text, spans)
    if "\n" in text:
        if _POST_TIME_AT_LINE_END.search(text):
            spans.extend(_post_authors(text))
        if ":" in text:
            spans.extend(_lower_case_speakers(text))
    if "_" in text:
        spans.extend((m.start(1), m.end(1), "name") for m in _HANDLE_CALLED.finditer(text))
    if "(" in text or "-" in text or "kald" in text or " call" in text or "'" in text or "“" in text or '"' in text:
        _find_nicknames(text, spans)
    if ", " in text:
        _find_appositions(text, spans)
    if "initial" in text or "Initial" in text:
        spans.extend(_initials_listed(text))
    if spans:
        if "(" in text:
            spans.extend(_handles_beside_names(text, spans))
        if any(kind == "address" for _, _, kind in spans):
            spans.extend(_names_opening_an_address(text, spans))
        if "\n" in text or ";" in text:
            spans.extend(_names_in_lists(text, spans))
        spans = _whole_lower_names(text, spans)
        spans.extend(_names_before_email(text, spans))
        spans.extend(_repeated_names(text, spans))
        if _TWO_CAPITALS.search(text):
            spans.extend(_initials_of_names(text, spans))
        spans = _with_initials(text, spans)
        if "/" in text or "www." in text:
            spans.extend(_urls_naming(text, spans))
        if "navnet på" in text or "name of" in text:  # "'Viggo' er navnet på kommunens nye chatbot": a thing
            things = {m.group(1) for m in _THING_NAMED.finditer(text)}
            spans = [sp for sp in spans if sp[2] != "name" or text[sp[0]:sp[1]] not in things]
        spans.extend(_numbers_after_names(text, spans))
        if "-" in text:  # "Karl Johan-svampe", "H.C. Andersen-eventyr": a name in a compound noun is a thing
            spans = [sp for sp in spans if sp[2] != "name" or not _in_compound(text, sp[1])]
        # a name found again inside a firm's or a well-known name ("Gurpreet Kaur … Hansen & Kaur ApS")
        spans = [sp for sp in spans if sp[2] != "name" or not _public_name(text, sp[0], sp[1])]
        if any(kind == "address" for _, _, kind in spans):
            spans = [_with_farm_name(text, sp, spans) for sp in spans]
        if any(kind in ("address", "phone") for _, _, kind in spans) and _BUSINESS_MARK.search(text):
            spans = _without_organisation_details(text, spans)
    return _resolve(spans) if spans else spans


# An organisation's own name: a business, a shop, a club or an association ("Hansen & Søn VVS ApS",
# "Jensens Bageri", "Café Marie", "Haveforeningen Marthas Minde", "Ellen's Laundry & Ironing").
_BUSINESS_MARK = re.compile(
    r"(?:\b(?:A/S|ApS|I/S|IVS|Ltd|GmbH|Café|Cafe|Restaurant|Salon|Bistro|Pizzeria)\b|"
    r"(?i:bageri|værksted|fysioterapi|tandlæger|kagebod|fiskehus|blomster|cykler|forening|klub|kitchen|bikes|"
    r"laundry|bakery|pizza bar|administration|kaffebar|kiosk|frisør|butik|grill|skomager|købmand|urmager|guldsmed|cykelsmed|isenkræmmer|glarmester))")
_ORGANISATION_BEFORE = re.compile(
    rf"(?:^|\n|[.!?:][ \t]+)((?:[{_UP}][\w'’/]*|&|[ \t])*?{_BUSINESS_MARK.pattern}[\w'’]*(?:[ \t]+(?:&[ \t]+)?[{_UP}][\w'’]*)*)"
    r"[ \t]*(?:\([^()\n]{0,30}\))?[ \t]*(?:[,:–-]|\()[ \t]*(?:CVR[ \t\d]+,[ \t]*)?(?:(?:kontor|office)[ \t]*:[ \t]*)?$")
_ORGANISATION_CHAIN = re.compile(r"[^.\n]{0,40}?\b\(?(?:tlf|tel|phone|telefon)\.?:?[ \t]*$", re.I)  # ", åbent 6-18, tlf. "
_PHONE_LABEL_BEFORE = re.compile(r"\b(?:tlf|tel|telefon|phone)\.?:?[ \t]*$", re.I)


def _without_organisation_details(text: str, spans: list[_Span]) -> list[_Span]:
    """Leave out an address or phone number that follows an organisation's own name right away
    ("Jensens Bageri, Nørrebrogade 112", "Café Marie, Vesterbrogade 41"), and a phone number right
    after such an address ("…, 2200 København N, tlf. 35 81 22 10"), when no name found stands
    between: the organisation's details, not a person's."""
    names = [(s, e) for s, e, k in spans if k == "name"]
    dropped: list[_Span] = []
    for span in sorted(spans):
        s, e, kind = span
        if kind not in ("address", "phone"):
            continue
        org = _ORGANISATION_BEFORE.search(text, max(0, s - 80), s)
        chained = any(_ORGANISATION_CHAIN.fullmatch(text, pe, s) or text[pe:s].strip(" ,") == "" for _, pe, _ in dropped)
        # an answer that opens with the organisation's name and address and names no one: its number
        # given later is the organisation's too ("Svend Aages Fiskehus, Torvet 3, … Tlf. 49 21 03 30.")
        signed = kind == "phone" and not names and dropped and dropped[0][0] < 60 \
            and _PHONE_LABEL_BEFORE.search(text, max(0, s - 10), s) is not None
        if (org or chained or signed) and not any(a < s and b > (org.start(1) if org else s - 40) for a, b in names):
            dropped.append(span)
    return [sp for sp in spans if sp not in dropped]


# A post or comment pasted from social media opens with its author's display name and the post's
# age, glued together when copied ("Keith Armstrong12 min", "karina holm2 t") or after a dot
# ("Musse_fra_2200 · 5 t", "Jannik Bro Christensen · 4 t"), on a line of their own.
_POST_AGE = r"\d{1,2}[ \t]?(?:min|m|h|t|d|u|w|s|sek|timer|time|dage|dag|uger|uge|hrs|hr|mins)"
_POST_TIME_AT_LINE_END = re.compile(rf"(?:[{_LO}]|[ \t]·[ \t]){_POST_AGE}[ \t]*(?:\((?:redigeret|edited)\)[ \t]*)?$", re.M)
_POST_AUTHOR_LINE = re.compile(
    rf"^[ \t]*((?:[{_UP}{_LO}][{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)?(?:[ \t](?:[{_UP}{_LO}][{_LO}]*(?:-[{_UP}{_LO}][{_LO}]+)?\.?)){{0,3}}"
    rf"|[\w.]*[{_LO}][\w.]*_[\w.]+))(?:(?<=[{_LO}.])|[ \t]·[ \t]){_POST_AGE}[ \t]*(?:\((?:redigeret|edited)\)[ \t]*)?$", re.M)


# A pasted chat whose speakers write their names in lower case: "ben: …", "zara: …", "ben replying to zara: …"
# (_lower_case_speakers).
_LOWER_SPEAKER = re.compile(rf"^([{_LO}]{{3,15}})(?:[ \t]+(?:replying[ \t]+to|svar[ \t]+til)[ \t]+([{_LO}]{{3,15}}))?:[ \t]", re.M)
# A user name with an underscore after "someone called", "brugeren": "bazza_from_brighton".
_HANDLE_CALLED = re.compile(r"\b(?:called|named|kaldet|user|username|brugeren|brugernavnet)[ \t]+([A-Za-z]\w*_\w*[A-Za-z0-9])(?![\w@.])")  # not "report_v2.pdf"


def _lower_case_speakers(text: str) -> list[_Span]:
    """The speakers of a pasted chat written in lower case, when two or more different ones open
    lines, each a listed name or no word, one at least a listed name (not "note:", "edit:", "dsb:
    … rejsekort:")."""
    names = _lowercase_names()[0]
    found = [(m.start(g), m.end(g), "name") for m in _LOWER_SPEAKER.finditer(text) for g in (1, 2)
             if m.group(g) and (m.group(g) in names or _unknown_word(m.group(g))) and m.group(g) not in _not_a_person()]
    speakers = {text[s:e] for s, e, _ in found}
    return found if len(speakers) >= 2 and not names.isdisjoint(speakers) else []


_POST_ROLES = frozenset({"admin", "administrator", "administratorer", "moderator", "moderatoren", "mod", "forfatter",
                         "author", "gruppemedlem", "medlem", "member", "group", "gruppe", "gruppen", "page", "siden", "anonymous", "anonym", "anonymt", "top", "topfan"})


def _post_authors(text: str) -> list[_Span]:
    """The display names above pasted posts (_POST_AUTHOR_LINE), not a role ("Admin · 2 t"), and
    the author's full display name wherever else it stands ("replying to Keith Armstrong")."""
    found = []
    for m in _POST_AUTHOR_LINE.finditer(text):
        words = m.group(1).split()
        first = words[0]
        if first.lower() in _POST_ROLES or first.lower() in _not_a_person() or first in _NOT_SURNAME \
                or first[0].isupper() and any(w.islower() and len(w) > 1 for w in words):  # "Group member · 11h"
            continue
        found.append((m.start(1), m.end(1), "name"))
        if " " in m.group(1) or "_" in m.group(1):
            found.extend((again.start(), again.end(), "name")
                         for again in re.finditer(rf"(?<![\w'’-]){re.escape(m.group(1))}(?![\w-])", text)
                         if again.start() != m.start(1))
    return found


# Tables pasted into an answer (markdown, a spreadsheet's lines, aligned columns): a column headed
# as names or phone numbers holds them in every row below ("| Lejl. | Navn | Tlf. |", "Navn,Adresse,Telefon").
_COLUMN_KINDS = {
    **dict.fromkeys(("navn", "name", "fulde navn", "full name", "fornavn", "efternavn", "first name", "last name",
                     "surname", "beboer", "beboere", "lejer", "tenant", "tenants", "resident", "residents", "deltager",
                     "participant", "kontaktperson", "contact person", "underskrift", "signature", "forælder",
                     "parent"), "name"),
    **dict.fromkeys(("tlf", "telefon", "telefonnummer", "phone", "phone number", "mobil", "mobile", "tel"), "phone"),
}
_TABLE_SEPARATORS = ("|", "\t", ";", ",")
_EMPTY_CELLS = frozenset({"", "-", "–", "—", "n/a", "na", "x", "?", "vacant", "ledig", "fraflyttet", "moved out",
                          "unknown", "ukendt", "anonym", "anonymous", "(not provided)", "(ikke oplyst)"})
_CELL_INITIAL_NAME = re.compile(rf"(?:[{_UP}]\.[ \t]?){{1,2}}[{_UP}][{_LO}]+")  # "Y. Demir", "R. Yildiz"


def _find_table_cells(text: str, spans: list[_Span]) -> None:
    """Names and phone numbers in the columns of a table whose header names them."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    header: tuple[str, dict[int, str]] | None = None
    for line, offset in zip(lines, offsets, strict=True):
        sep = next((c for c in _TABLE_SEPARATORS if c in line), None)
        if sep is None:
            header = None
            continue
        cells = _table_cells(line, sep)
        kinds = {i: _COLUMN_KINDS[c.lower().strip(" .:*")] for i, (_, c) in enumerate(cells)
                 if c.lower().strip(" .:*") in _COLUMN_KINDS}
        if kinds and all(len(c) <= 24 for _, c in cells):
            header = (sep, kinds)
            continue
        if header is None or header[0] != sep:
            continue
        for i, kind in header[1].items():
            if i < len(cells):
                start, cell = cells[i]
                if _table_value(cell, kind):
                    spans.append((offset + start, offset + start + len(cell), kind))


def _table_cells(line: str, sep: str) -> list[tuple[int, str]]:
    """Return a table line's cells as (start, stripped text), without a markdown table's outer pipes."""
    start, end = 0, len(line)
    if sep == "|":
        while start < end and line[start] in " \t":
            start += 1
        if start < end and line[start] == "|":
            start += 1
        stripped = line.rstrip(" \t")
        end = len(stripped) - 1 if stripped.endswith("|") and len(stripped) - 1 >= start else len(stripped)
    cells, pos = [], start
    for part in line[start:end].split(sep):
        lead = len(part) - len(part.lstrip())
        cells.append((pos + lead, part.strip()))
        pos += len(part) + len(sep)
    return cells


def _table_value(cell: str, kind: str) -> bool:
    """Return whether a cell under a header of `kind` holds one: a phone number of 8 to 12 digits, or a
    name with a listed word or an initial and no word of a place or thing."""
    if cell.lower() in _EMPTY_CELLS or len(cell) > 50:
        return False
    if kind == "phone":
        digits = sum(c.isdigit() for c in cell)
        return 8 <= digits <= 12 and all(c.isdigit() or c in " +-()." for c in cell)
    words = cell.replace("&", " ").split()
    if not words or any(c.isdigit() for c in cell) or not cell[0].isupper() or len(words) > 5:
        return False
    given, ambiguous, surnames = _name_lists()
    if any(_place_or_thing(w) for w in words):
        return False
    return _CELL_INITIAL_NAME.fullmatch(cell) is not None \
        or any(w in given or w in ambiguous or w in surnames for w in words)


# A list of people: numbered or bulleted lines ("1) Aase Kragh\n2) Bent Lauritsen\n3) J.P."), or items
# between semicolons ("…: Rikke Vinther; Casper Gade; Ida og Simon Bech").
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-–•*])[ \t]+")
_ITEM_NAME = re.compile(rf"(?:[{_UP}]\.){{1,3}}(?![\w.])|{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}}(?=[ \t]*(?:$|[,;(:.]|[ \t][–-][ \t]))", re.M)
_ITEM_AND = re.compile(rf"[ \t]+(?:og|and|&)[ \t]+({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})(?=[ \t]*(?:$|[,;(:.]|[ \t][–-][ \t]))", re.M)


def _list_items(text: str) -> list[list[int]]:
    """Return the lists in `text` as the start of each item's words: lines opened by a number or a
    bullet, one after the other, and items between semicolons on one line."""
    lists: list[list[int]] = []
    last_line = -2
    for m in _LIST_ITEM.finditer(text):
        line = text.count("\n", 0, m.start())
        if line == last_line + 1 and lists:
            lists[-1].append(m.end())
        else:
            lists.append([m.end()])
        last_line = line
    if ";" in text:
        offset = 0
        for line in text.split("\n"):
            parts = line.split(";")
            if len(parts) >= 3:
                starts, pos = [], offset
                for k, part in enumerate(parts):
                    head = part.rfind(":") + 1 if k == 0 else 0
                    starts.append(pos + head + len(part[head:]) - len(part[head:].lstrip()))
                    pos += len(part) + 1
                lists.append(starts)
            offset += len(line) + 1
    return lists


def _names_in_lists(text: str, spans: list[_Span]) -> list[_Span]:
    """Return name spans for the items of a list of people not found yet: when two of its items or
    more open with a name found, every item that opens with a name-shaped run ("Frank Dyer", "J.P.",
    "Casper Gade") is one, and so is a name joined to one by "og"/"and" ("Kate and Will Burns")."""
    found: list[_Span] = []
    name_starts = {s for s, _, kind in spans if kind == "name"}
    given, _, surnames = _name_lists()
    blocked = _not_a_person()
    for starts in _list_items(text):
        if len(starts) < 2 or sum(start in name_starts for start in starts) < 2:
            continue
        for start in starts:
            m = _ITEM_NAME.match(text, start)
            if m is not None and start not in name_starts:
                words = m.group().split()
                listed_pair = len(words) == 2 and words[0] in given
                if not any(w.lower() in blocked for w in words) and (listed_pair or not any(
                        _place_or_thing(w) for w in words)):
                    found.append((m.start(), m.end(), "name"))
            end = max((e for s, e, kind in spans if s == start and kind == "name"), default=m.end() if m else None)
            more = _ITEM_AND.match(text, end) if end is not None else None
            joined = more.group(1).split() if more else ()
            if joined and not any(w in _NOT_SURNAME for w in joined) and (  # "Kate and Will Burns"
                    len(joined) > 1 or joined[-1] in surnames or joined[-1] in given or joined[-1].lower() not in blocked):
                found.append((more.start(1), more.end(1), "name"))
    return found


def _initials_listed(text: str) -> list[_Span]:
    """Return name spans for initials the writer says stand for people: "(kun initialer, som aftalt):
    MJ, TKB, ASK og …", "initials only: JB, MKR"."""
    low = text.lower()
    found: list[_Span] = []
    at = low.find("initial")
    while at >= 0:
        end = min(i for i in (text.find("\n", at), text.find(". ", at), len(text)) if i >= 0)
        found.extend((m.start(), m.end(), "name") for m in _CAPITALS_2_3.finditer(text, at, end)
                     if m.group() not in _NOT_INITIALS)
        at = low.find("initial", end)
    return found


_CAPITALS_2_3 = re.compile(rf"(?<![\w.]){_TWO_CAPITALS.pattern}[{_UP}]?(?![\w.])")


# Two or three capitalised words opening the answer or a line, then the address: "Guled Abdirashid,
# Stengårds Allé 38", "Cabdullahi Xasan Maxamuud. Address Blågårdsgade 17".
_NAME_OPENING_LINE = re.compile(rf"(?:^|(?<=\n))({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,2}})(?:,[ \t]*|\.[ \t]+(?:Address|Adresse):?[ \t]+)$")


_LINE_ROLES = frozenset({"formand", "næstformand", "kasserer", "sekretær", "chair", "treasurer", "secretary", "mor",
                         "far", "mother", "father"})


def _names_opening_an_address(text: str, spans: list[_Span]) -> list[_Span]:
    """Return a name opening the answer or a line right before an address found, when a word of it is
    a listed name or no word at all, and none ends like a place ("Kongens Lyngby, …")."""
    given, ambiguous, surnames = _name_lists()
    found: list[_Span] = []
    for s, _, kind in spans:
        if kind != "address":
            continue
        m = _NAME_OPENING_LINE.search(text, max(0, s - 60), s)
        if m is None:
            continue
        words = m.group(1).split()
        start = m.start(1)
        if words[0].lower() in _LINE_ROLES:  # "Formand Aage Pind, Møllevej 3": the role stays
            start += len(words[0]) + 1
            words = words[1:]
        if any(_place_or_thing(w) or w.lower() in _not_a_person() or w in _PLACE_PREFIXES for w in words):
            continue
        if any(w in given or w in ambiguous or w in surnames or _unknown_word(w.lower()) for w in words):
            found.append((start, m.end(1), "name"))
    return found


def _handles_beside_names(text: str, spans: list[_Span]) -> list[_Span]:
    """Return name spans for a user name in brackets right after a name found ("Viktor Holm
    (vikzz)": a word no lemma table knows, or one with the digits or underscore of a user name)
    and for a user name right before a name found in brackets ("xX_NoahGG_Xx (Noah Vestergaard)")."""
    found: list[_Span] = []
    for start, end, kind in spans:
        if kind != "name":
            continue
        m = _BRACKETED_HANDLE.match(text, end)
        if m and (any(c.isdigit() or c == "_" for c in m.group(1)) or _unknown_word(m.group(1).lower())) \
                and m.group(1).lower() not in _not_a_person():
            found.append((m.start(1), m.end(1), "name"))
        if start and text[start - 1] == "(":
            before = _HANDLE_BEFORE_BRACKET.search(text, max(0, start - 40), start)
            if before:
                found.append((before.start(1), before.end(1), "name"))
    return found


_PLACEHOLDER = re.compile("|".join(sorted({re.escape(p) for labels in PLACEHOLDERS.values() for p in labels.values()})))


def _outside_placeholders(text: str, spans: list[_Span]) -> list[_Span]:
    """Drop spans that touch a placeholder: redacting stored (already redacted) text again must
    change nothing and count nothing, in either language."""
    taken = [m.span() for m in _PLACEHOLDER.finditer(text)]
    if not taken:
        return spans
    return [sp for sp in spans if all(sp[1] <= s or sp[0] >= e for s, e in taken)]


def redact(text: str, lang: str = "da") -> Redaction:
    """Return `text` with personal data replaced by placeholders in `lang` ("en"; else Danish).

    Idempotent: placeholders already in `text` are never redacted again."""
    labels = PLACEHOLDERS["en" if lang == "en" else "da"]
    spans = find_personal_data(text)
    if spans and "[" in text:
        spans = _outside_placeholders(text, spans)
    if not spans:
        return Redaction(text=text, counts={})
    out: list[str] = []
    counts: dict[str, int] = {}
    pos = 0
    for s, e, kind in spans:
        out.append(text[pos:s])
        out.append(labels[kind])
        counts[kind] = counts.get(kind, 0) + 1
        pos = e
    out.append(text[pos:])
    return Redaction(text="".join(out), counts=counts)
