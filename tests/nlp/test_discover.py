"""Theme discovery: planted clusters of unthemed answers become labelled candidate themes."""

from __future__ import annotations

from collections import Counter

from engage.nlp.discover import CandidateTheme, discover
from engage.nlp.summarise import SummaryItem

DOG_DA = [
    "Vi mangler en hundepark i nærheden, hvor hundene kan løbe frit.",
    "Der burde være flere hundeparker, så hunde ikke skal gå i snor hele tiden.",
    "En indhegnet hundepark ved søerne ville gøre livet lettere for hundeejere.",
    "Hundeparken på Amager er alt for lille til alle de hunde.",
    "Lav en hundepark til de mange hundeejere i kvarteret.",
    "Hundene har ingen steder at løbe, vi har brug for en hundepark.",
    "Hundeejere savner en ordentlig hundepark med hegn og vand til hundene.",
    "Flere hundeparker tak, hundene fortjener plads at løbe.",
    "Jeg går tur med min hund hver dag og savner en hundepark.",
    "Hundeparken bliver aldrig ryddet for hundelort.",
]
DOG_EN = [
    "We need a proper dog park where dogs can run off the leash.",
    "More dog parks please, the dogs have nowhere to play.",
    "The dog park near the lakes is far too small for all the dogs.",
    "As a dog owner I would love a fenced dog park in the neighbourhood.",
    "Dog owners need a dog park with water for the dogs.",
    "Please build a dog park, my dog needs space to run.",
    "There is no dog park nearby and the dogs suffer.",
    "A bigger dog park would make dog owners happy.",
]
SCOOTER_DA = [
    "Løbehjulene ligger og flyder på fortovet over alt.",
    "De elektriske løbehjul bliver parkeret midt på fortovet.",
    "Forbyd el-løbehjul, de kører alt for stærkt på fortovet.",
    "Udlejningsløbehjul spærrer fortovet for gående og barnevogne.",
    "Der ligger løbehjul smidt på fortovet ved stationen hver morgen.",
    "El-løbehjul på fortovet er farlige for ældre og blinde.",
    "Løbehjulene skal have faste parkeringspladser, ikke ligge på fortovet.",
    "Jeg faldt over et løbehjul på fortovet i går.",
    "Lejede løbehjul burde forbydes på fortovet.",
    "Løbehjul overalt på fortovet, det er kaos.",
]
SCOOTER_EN = [
    "E-scooters are dumped on the pavement everywhere.",
    "Rental e-scooters block the pavement for prams and wheelchairs.",
    "Ban e-scooters from the pavement, they go far too fast.",
    "I tripped over an e-scooter left on the pavement.",
    "E-scooters need proper parking bays instead of the pavement.",
    "The e-scooters on the pavement are dangerous for older people.",
    "Too many e-scooters lying across the pavement near the station.",
    "E-scooter riders on the pavement scare pedestrians.",
]
FEST_DA = [
    "Byen burde holde en stor musikfestival om sommeren.",
    "Festivalen i parken var den bedste oplevelse i år, lav flere festivaler.",
    "En gratis festival med musik og mad for hele familien ville være fantastisk.",
    "Festivalen larmede til langt ud på natten, men musikken var god.",
    "Vi savner en lokal festival med koncerter og boder.",
    "Festivalen skal komme igen næste sommer med mere musik.",
    "Musikfestivalen samler hele byen, giv den flere penge.",
    "Festivalen var for dyr, billetterne skal være billigere.",
    "Flere små festivaler med lokale bands og musik i gaderne.",
    "Kulturnatten og festivalen i august er årets højdepunkt.",
]
FEST_EN = [
    "The summer music festival was the highlight of the year.",
    "Bring back the festival with live music and food stalls.",
    "A free festival in the park with music for families would be great.",
    "The festival was too loud late at night but the music was good.",
    "More festivals with local bands and music please.",
    "The festival tickets were too expensive this year.",
    "We loved the festival, make it bigger next summer with more music.",
    "A music festival by the harbour would bring the city together.",
]
NOISE = [
    ("Tak for muligheden.", "da"),
    ("Ved ikke.", "da"),
    ("Ingen kommentarer.", "da"),
    ("Politikerne lytter aldrig alligevel.", "da"),
    ("Godt initiativ!", "da"),
    ("Jeg har ikke mere at tilføje.", "da"),
    ("Det ved jeg ikke noget om.", "da"),
    ("Min nabo spiller trompet om søndagen.", "da"),
    ("Hvorfor spørger I om det her?", "da"),
    ("Thanks for asking.", "en"),
    ("No comment.", "en"),
    ("Not sure really.", "en"),
    ("I just moved here from Berlin.", "en"),
    ("Good luck with the survey!", "en"),
    ("My cat prefers the radiator.", "en"),
]

KEYWORDS = {
    "dog": {"hundepark", "hund", "dog park", "dog", "park"},
    "scooter": {"løbehjul", "fortov", "e-scooter", "pavement", "el-løbehjul"},
    "fest": {"festival", "music", "musik", "musikfestival"},
}


def _items() -> list[SummaryItem]:
    """Return three planted topics in Danish and English, noise, and a few themed answers."""
    items = []
    for name, group, lang in [
        ("dog", DOG_DA, "da"),
        ("dog", DOG_EN, "en"),
        ("scooter", SCOOTER_DA, "da"),
        ("scooter", SCOOTER_EN, "en"),
        ("fest", FEST_DA, "da"),
        ("fest", FEST_EN, "en"),
    ]:
        for i, text in enumerate(group):
            items.append(SummaryItem(f"{name}-{lang}-{i}", text, lang, (), 0.0, i % 2 == 0))
    for i, (text, lang) in enumerate(NOISE):
        items.append(SummaryItem(f"noise-{i}", text, lang, (), 0.0))
    for i, text in enumerate(["Flere cykelstier tak", "Busserne er for sjældne", "Mere cykelsti"]):
        items.append(SummaryItem(f"themed-{i}", text, "da", ("mobility",), 0.0))
    return items


def _group(candidate: CandidateTheme) -> tuple[str, float]:
    """Return the planted group most of a candidate's members come from, and its share."""
    groups = Counter(answer_id.split("-")[0] for answer_id in candidate.ids)
    group, count = groups.most_common(1)[0]
    return group, count / candidate.size


def test_discovery_finds_planted_clusters_with_their_key_phrases():
    """Each planted topic (dog parks, e-scooters, a festival) becomes a pure, well-labelled candidate."""
    candidates = discover(_items(), seed=0)
    found = {}
    for candidate in candidates:
        group, purity = _group(candidate)
        if group in KEYWORDS and purity >= 0.8:
            found.setdefault(group, []).append(candidate)
    assert set(found) == set(KEYWORDS)
    for group, matches in found.items():
        for candidate in matches:
            lemmas = {p.lemma for p in candidate.key_phrases[:3]}
            assert lemmas & KEYWORDS[group], (group, candidate.label)
            assert any(p.text in candidate.label for p in candidate.key_phrases[:3])
    covered = {i for c in candidates for i in c.ids}
    for name in ("dog-da", "dog-en", "scooter-da", "scooter-en", "fest-da", "fest-en"):
        members = [i for i in covered if i.startswith(name + "-")]
        assert len(members) >= 5, name  # both languages of every topic are found


def test_candidates_sorted_sized_and_exemplified():
    """Candidates come largest first, none is tiny, and examples are distinct members with ids."""
    candidates = discover(_items(), seed=0)
    sizes = [c.size for c in candidates]
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= 3 for size in sizes)
    texts = {item.id: item for item in _items()}
    for candidate in candidates:
        assert 1 <= len(candidate.examples) <= 5
        assert len({e.text for e in candidate.examples}) == len(candidate.examples)
        for example in candidate.examples:
            assert example.id in candidate.ids
            assert example.text == texts[example.id].text
            assert example.lang == texts[example.id].lang
        assert 0 < candidate.share <= 1
        assert sum(candidate.languages.values()) == candidate.size


def test_themed_answers_and_noise_are_left_out():
    """Answers that already have a theme are never clustered, and most noise joins no candidate."""
    candidates = discover(_items(), seed=0)
    ids = [i for c in candidates for i in c.ids]
    assert not [i for i in ids if i.startswith("themed")]
    assert len([i for i in ids if i.startswith("noise")]) <= len(NOISE) // 3
    assert len(ids) == len(set(ids))


def test_discovery_is_deterministic_for_a_seed():
    """The same answers and seed give the same candidates."""
    first = [c.to_dict() for c in discover(_items(), seed=3)]
    second = [c.to_dict() for c in discover(_items(), seed=3)]
    assert first == second


def test_too_few_answers_give_no_candidates():
    """Fewer than ten unthemed answers are not clustered."""
    few = [item for item in _items() if item.id.startswith("dog-da")][:9]
    assert discover(few) == []
    assert discover([]) == []


def test_identical_or_empty_answers_give_no_noise():
    """Answers that are all the same, or all stop words, do not break discovery."""
    same = [SummaryItem(str(i), "Ved ikke.", "da", (), 0.0) for i in range(30)]
    assert discover(same) == []
    pairs = [
        SummaryItem(str(i), "hundepark tak" if i % 2 else "dog park", "en", (), 0.0)
        for i in range(30)
    ]
    candidates = discover(pairs)
    assert sorted(c.size for c in candidates) == [15, 15]
    assert all(c.cohesion <= 1.0 for c in candidates)
