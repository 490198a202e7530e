"""The article-level health check (viewer/core/safety_domain.py), fail-safe by design: an
article is about health, and its warnings show, unless another domain's vocabulary clearly
wins. A leaflet in plain words keeps its warnings; an article of a domain that borrows warning
words (a software update's "side effects", a fertiliser's "dosage") shows none, and so does a
long article of a domain nobody listed (a takeover's "poison pill", a chess "poisoned pawn"),
for want of positive evidence of health; a reader's own words in the rules file count; a
broken [domain] table is one clear line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

from tests.safety_dev import DEV_SET, SPLITS
from viewer.core.errors import ViewerError
from viewer.core.library import read_article
from viewer.core.md_loader import load_markdown
from viewer.core.model import Article
from viewer.core.resources import load_toml, resource_path
from viewer.core.safety import SafetyClassifier


@pytest.fixture(scope="module")
def classifier() -> SafetyClassifier:
    return SafetyClassifier.load()


def _article(text: str, title: str = "An article") -> Article:
    return load_markdown(f"---\ntitle: {title}\n---\n\n## About\n\n{text}\n", Path("a.md"), "a")


def _warnings(classifier: SafetyClassifier, article: Article) -> list[str]:
    classifier.annotate(article)
    return [s.text for p in article.paragraphs() for s in p.sentences if s.safety]


_LEAFLET = (
    "Contact lenses sit on the surface of the eye, so clean hands and a clean case matter more "
    "than any brand. Your optician will show you how to put the lenses in and take them out. "
    "Never use tap water to rinse your lenses or their case: it can carry a germ that causes "
    "a serious infection and, rarely, blindness. If your eye becomes red or painful, take the "
    "lenses out and see your optician the same day. Replace the case every month. "
    "The solution bottle should be closed after each use and thrown away once it is out of "
    "date. Lenses can be worn for sport, and many people find them easier than glasses."
)


def test_a_leaflet_in_plain_words_is_read_as_health_and_keeps_its_warnings(classifier):
    article = _article(_LEAFLET, "Looking after your contact lenses")
    assert classifier.domain_of(article).health
    warnings = _warnings(classifier, article)
    assert any("tap water" in text for text in warnings)


def test_a_short_text_with_no_evidence_of_another_domain_is_health(classifier):
    # Fail-safe: too few words to tell is health, so a warning is never hidden for lack of words.
    article = _article("Keep the bottle out of the reach of children. Do not swallow the gel.")
    assert classifier.domain_of(article).health
    assert _warnings(classifier, article)


# One control a domain, each borrowing a warning word in its own sense.
_CONTROLS = {
    "software": "Version 3.2 of the library has side effects for developers: the parser now "
    "rejects invalid JSON, the API drops the old callback argument, and the compiler warns on "
    "deprecated syntax. Do not upgrade a production server before you run the test suite and "
    "read the changelog on GitHub.",
    "finance": "An early withdrawal from a pension can cost you dearly: the lump sum is taxed "
    "as income, the fund loses years of investment growth, and some providers charge fees. "
    "Never take cash from your savings to pay a loan without talking to the bank and an "
    "accountant about the tax first.",
    "law": "Under Scots law, prescription ends a debt after five years. The creditor can stop "
    "it by raising a court action, and the sheriff will hear the debtor's defence. Do not sign "
    "anything that restarts prescription before you ask a solicitor what the statute says "
    "about your liability.",
    "cooking": "Preheat the oven, rub the lamb with garlic, rosemary and thyme, and press the "
    "breadcrumb crust on with mustard. Do not overdose on salt: the sauce is already seasoned. "
    "Roast for an hour, rest the meat, and serve with beans and a spoon of the pan juices. This "
    "recipe serves four.",
    "gardening": "Feed the lawn in spring with a nitrogen fertiliser and never exceed the "
    "recommended dosage, or the grass will scorch. Rake out the moss, mow high, and keep the "
    "fertiliser off flower beds and shrubs. Water the turf if no rain falls within two days.",
    "engineering": "Additives change how an engine oil behaves. A detergent additive keeps "
    "sludge off the pistons, a viscosity improver thins less when hot, and the wrong dose can "
    "damage the diesel particulate filter. Check the torque figures and the gearbox oil in the "
    "vehicle handbook.",
    "sport": "A high press asks every player to close down the opponent with the ball. The "
    "striker screens the pass into midfield, the winger cuts off the fullback, and the "
    "defenders push up to the halfway line. Overdose on pressing and the team tires by the "
    "second half of the match; the coach rotates the squad across the league fixtures.",
    "games": "The new dungeon has side effects for every character: each boss drains mana, "
    "the loot table is reshuffled, and multiplayer quests reset. Players on console should "
    "not respawn before the puzzle room, and gamers on PlayStation get the patch a day later.",
    "chemistry": "Add the reagent to the beaker drop by drop until the solution changes colour. "
    "The titration is complete when the ions are neutralised; record the molarity and the "
    "mass of the precipitate. Excess solvent can skew the result, so do not overdose the flask "
    "with catalyst.",
    "statistics": "Regression dependence is a side effect of bad policy models: when the "
    "covariates are correlated, the coefficient estimates become unstable and the variance "
    "grows. An instrumental variable or a lagged predictor can help, but omitted variables "
    "still bias the OLS estimator.",
    "fiction": "The novel opens with a poisoning at a country house, and the detective "
    "inspector suspects everyone. The author builds the plot chapter by chapter, each scene "
    "adding a clue, and the villain's overdose of arsenic in the final act is the twist readers "
    "of the genre will see coming. The heroine is the best character in the book.",
    "aquarium": "Dose the water conditioner every time you add tap water to the aquarium: it "
    "removes chlorine and chloramine, which harm fish and shrimp. Never overdose the tank; "
    "rinse the filter sponge in old tank water, vacuum the gravel, and test for ammonia and "
    "nitrite weekly.",
}


# Unlisted domains, each borrowing warning words (holdout4's kinds of control). Every one is
# padded to article length with the same plain prose, as the leaflet below is.
_PADDING = (
    "The page was written for readers who are new to the subject. It sets out what to do "
    "first, what comes next and what most people get wrong, with a short summary at the end. "
    "Read it through once before you start, and keep it to hand for the second time. "
) * 5
_UNLISTED = {
    "takeover": "The board adopted a poison pill to stop the hostile bid: if any buyer passes "
    "fifteen per cent of the shares, every other holder may buy new shares at half price. "
    "Do not read the pill as a refusal to sell; it forces the bidder to negotiate.",
    "pool": "Shock the pool with a double dose of chlorine after a heavy weekend of use, and "
    "never exceed the dosage on the tub: too much chlorine bleaches liners and fades swimwear. "
    "Test the water twice a week and keep the pH between 7.2 and 7.6.",
    "game patch": "Patch 1.4 nerfs the potion of haste: an overdose now drains stamina for "
    "ten seconds, and players report withdrawal from the old speed build. Do not stack three "
    "potions before the boss; the cooldown resets only at a campfire.",
    "chess": "The poisoned pawn variation offers a pawn that looks free. Taking it breaks the "
    "queen's dependency on the centre and invites a long withdrawal under attack, so never "
    "grab the pawn without counting the tempo you lose.",
    "play review": "Romeo buys the poison from a poor apothecary, and the lovers die within "
    "minutes of each other in the tomb. The new staging is fast and loud; the fight scenes are "
    "thrilling, though the balcony scene drags and the nurse steals every scene she is in.",
}


@pytest.mark.parametrize("subject", sorted(_UNLISTED))
def test_a_long_article_of_a_domain_nobody_listed_shows_no_warning(classifier, subject):
    # No list of its domain exists: what vetoes it is how little of health it names.
    article = _article(_PADDING + "\n\n" + _UNLISTED[subject], subject.title())
    verdict = classifier.domain_of(article)
    assert not verdict.health, verdict
    assert "not about health" in verdict.reason()
    assert _warnings(classifier, article) == []


def test_a_plain_word_leaflet_of_the_same_length_keeps_its_warnings(classifier):
    # The same padding around the contact-lens leaflet: a body, its care and its symptoms.
    article = _article(_PADDING + "\n\n" + _LEAFLET, "Looking after your contact lenses")
    assert classifier.domain_of(article).health
    assert any("tap water" in text for text in _warnings(classifier, article))


@pytest.mark.parametrize("domain", sorted(_CONTROLS))
def test_an_article_of_a_domain_that_borrows_warning_words_shows_no_warning(classifier, domain):
    article = _article(_CONTROLS[domain])
    verdict = classifier.domain_of(article)
    assert not verdict.health and verdict.domain == domain
    assert _warnings(classifier, article) == []


def test_a_health_article_full_of_another_domains_words_keeps_its_warnings(classifier):
    # A recipe for heart patients names twenty cooking words, but health words make up a
    # good share of it: no listed domain vetoes it, and the potassium warning shows.
    recipe = (
        "This low-salt chicken and bean stew is written for people with high blood pressure "
        "and heart failure. Preheat the oven. Fry the onion and garlic in a teaspoon of oil, "
        "add the chicken, tomatoes, beans, thyme, rosemary and paprika, then simmer the sauce "
        "for forty minutes. Do not add salt: too much sodium raises blood pressure and makes "
        "the heart work harder. Salt substitutes made with potassium are dangerous if you take "
        "certain heart tablets or have kidney disease, so ask your doctor or dietitian first. "
        "Serve with bread or rice, and keep leftovers in the fridge for two days."
    )
    article = _article(recipe, "A low-salt stew for a healthy heart")
    assert classifier.domain_of(article).health
    assert any("potassium" in text for text in _warnings(classifier, article))


def test_a_vetoed_article_says_which_domain_won(classifier):
    # The software control's "side effects" sentence: set aside, and the reason names the words.
    article = _article(_CONTROLS["software"])
    classifier.annotate(article)
    evidence = [e for p in article.paragraphs() for s in p.sentences for e in s.evidence]
    assert any("about software, not health" in e and "callback" in e for e in evidence)


# Short articles (150 to 250 words) of domains nobody listed, holdout7's kinds and one more
# (knitting), each borrowing warning words: what vetoes them is how little of their text is
# health, however short.
_SHORT_CONTROLS = {
    "paint": "Tinting a base paint is a matter of the right dose of colourant. A pastel base "
    "takes a small dose, a deep base far more, and every can has a maximum tint load printed "
    "on the lid. Never exceed it: an overdose of colourant leaves the film soft, slow to dry "
    "and prone to flaking. Cheap universal tints have side effects of their own, such as a "
    "finish that scuffs easily or fades by the window. Measure each tint with the dispenser, "
    "stir the can for three full minutes, scrape the sides, and brush a sample onto card "
    "before you paint the wall. Many suppliers have announced the withdrawal of older "
    "colourant systems, so buy enough paint to finish the room from one batch, and write the "
    "exact dose of every tint on the lid for touching up later. A toxic combination of the "
    "wrong colourants can turn a warm grey into a green nobody chose. Let the first coat dry "
    "overnight before the second, and keep the roller wrapped between coats.",
    "workplace": "A toxic workplace culture rarely starts with one bad manager. It grows "
    "when deadlines always win over people, when credit goes upward and blame goes down, and "
    "when nobody in the team feels able to say no. The side effects show up in the numbers "
    "first: staff turnover climbs, sick days rise, and the best people leave for rivals. HR "
    "teams often treat the withdrawal of goodwill as a pay problem, but exit interviews tell "
    "another story. Start with the meetings: who speaks, who is interrupted, and who is "
    "copied on the emails that matter. Reward managers for the teams they grow, not only the "
    "targets they hit. Make the grievance process quick and confidential, and act on what it "
    "finds. A culture changes when leaders change what they praise, so put it in the "
    "quarterly review and the promotion criteria, and report on it to the board. Train new "
    "managers before they are promoted, not after the first complaint, and ask the whole "
    "team once a year, anonymously, whether they would recommend the place to a friend.",
    "knitting": "Blocking has side effects on wool that every knitter should know. The yarn "
    "relaxes, the stitches even out and the lace opens, but an overdose of fabric softener "
    "in the soak leaves the fibres limp and the shawl will grow. Never use hot water on "
    "superwash yarn, and keep a toxic moth spray away from the knitting bag. Pin the shawl "
    "out on foam mats with rust-proof pins, stretch it a little past the size in the pattern, "
    "and let it dry completely before you unpin. Check the gauge on a washed swatch, not a "
    "fresh one, because many yarns bloom after the first wash. Cotton and linen behave "
    "differently: they hardly stretch at all, so shape them while damp and lay them flat. "
    "Keep a note of the needles, the cast-on and the number of repeats with the pattern for "
    "the next time. A blocked jumper should be folded, never hung, or the shoulders stretch "
    "out of shape; store it in a cotton bag with a cedar block rather than in plastic.",
}


@pytest.mark.parametrize("subject", sorted(_SHORT_CONTROLS))
def test_a_short_article_that_names_little_of_health_shows_no_warning(classifier, subject):
    article = _article(_SHORT_CONTROLS[subject], subject.title())
    verdict = classifier.domain_of(article)
    assert not verdict.health, verdict
    assert "not about health" in verdict.reason()
    assert _warnings(classifier, article) == []


# Plain-word leaflets of the same length, holdout7's safer-sleep kind and one more (choking):
# they name a person and a plain body (baby, cot, back, breathing) more than medicine.
_PLAIN_LEAFLETS = {
    "safer sleep": "Always put your baby down to sleep on their back, for naps and at night. "
    "Never put your baby to sleep on their front or side, and use a firm, flat mattress in a "
    "cot with no pillows, bumpers or soft toys. Keep the cot in your room for the first six "
    "months. Do not let your baby get too hot: a room of 16 to 20 degrees is right, and no "
    "hat is needed indoors. Never fall asleep with your baby on a sofa or armchair. Do not "
    "share a bed with your baby if you or your partner smoke, have been drinking, or take "
    "anything that makes you sleepy. Keep your baby away from smoke before and after birth. "
    "Car seats are for travel, not sleep, so take your baby out once you arrive. If your baby "
    "seems unwell, is floppy or is breathing oddly, call for help straight away.",
    "choking": "If a child is choking but can still cough, let them cough: it is the best way "
    "to clear the throat. If the cough stops or they cannot breathe, act at once. Lay a baby "
    "face down along your thigh, support the head, and give up to five firm blows between the "
    "shoulder blades with the heel of your hand. For a child over one, lean them forward and "
    "do the same. If that fails, give up to five thrusts: for a baby, two fingers pressing "
    "down on the middle of the chest; for an older child, a fist above the tummy button, "
    "pulling in and up. Never put your fingers blindly into the child's mouth. Call 999 if "
    "the object does not come out, and keep going with the blows and thrusts until help "
    "comes. Even when it comes out, a child who had thrusts should be checked by a doctor.",
}


@pytest.mark.parametrize("subject", sorted(_PLAIN_LEAFLETS))
def test_a_short_plain_word_leaflet_is_health_and_keeps_its_warnings(classifier, subject):
    article = _article(_PLAIN_LEAFLETS[subject], subject.title())
    assert classifier.domain_of(article).health
    assert _warnings(classifier, article)


def test_a_text_naming_few_health_words_but_often_is_health(classifier, tmp_path):
    # The share of its words that are health words rescues it: with the share rule off, the
    # same leaflet (long enough, few different health words) would be vetoed and warn nothing.
    text = (_PLAIN_LEAFLETS["safer sleep"] + " ") * 2
    rules = resource_path("safety.toml").read_text(encoding="utf-8")
    strict = tmp_path / "strict.toml"
    strict.write_text(rules.replace("min_health = 6\n", "min_health = 40\n", 1), "utf-8")
    assert SafetyClassifier.load(strict).domain_of(_article(text)).health
    off = tmp_path / "off.toml"
    off.write_text(
        rules.replace("min_health = 6\n", "min_health = 40\n", 1).replace(
            "min_density = 0.02\n", "min_density = 0.9\n", 1
        ),
        "utf-8",
    )
    verdict = SafetyClassifier.load(off).domain_of(_article(text))
    assert not verdict.health and "% of its words" in verdict.reason()


# Office software how-to guides that borrow medicine's metaphors (holdout15's spreadsheet
# tutorial was this kind, read as health text until round 14): "a healthy workbook", "the
# heart of", "toxic", "an overdose of", and a body word in its own sense (a spreadsheet's cell).
_OFFICE_GUIDES = {
    "spreadsheet": "Formulas are the heart of any spreadsheet, and a healthy workbook keeps "
    "them simple. Avoid toxic circular references, where a formula refers back to its own "
    "cell, and don't overdose on nested IFs: use XLOOKUP, SUMIFS or IFERROR, and recalculate "
    "the worksheet before you share it, checking every cell that feeds the rows of a total.",
    "slides": "A healthy slide deck has one idea a slide. Do not overdose on fonts: two fonts "
    "and one colour scheme are enough, and a toxic mix of animations tires any audience. Paste "
    "charts from the clipboard with Ctrl+Shift+V, check every hyperlink before the slideshow, "
    "and save a copy as PowerPoint and as PDF.",
}


@pytest.mark.parametrize("guide", sorted(_OFFICE_GUIDES))
def test_an_office_how_to_using_medical_metaphors_is_software(classifier, guide):
    article = _article(_OFFICE_GUIDES[guide], f"Five habits for a better {guide}")
    verdict = classifier.domain_of(article)
    assert not verdict.health and verdict.domain == "software", verdict
    assert _warnings(classifier, article) == []


def test_a_health_leaflet_that_names_a_spreadsheet_keeps_its_warnings(classifier):
    # The near miss: a diabetes leaflet that suggests a spreadsheet for the readings.
    article = _article(
        "Check your blood sugar before meals and at bedtime, and write the readings in a "
        "notebook or a spreadsheet to show your diabetes nurse. If your blood sugar is below 4, "
        "eat or drink something sugary at once. Do not drive if you feel shaky, sweaty or "
        "confused, and tell your GP if you have more than two low readings a week.",
        "Checking your blood sugar",
    )
    assert classifier.domain_of(article).health
    assert any("drive" in text for text in _warnings(classifier, article))


# Articles of a split that was evaluated blind and not yet trained on, which the domain check
# gets wrong, stated rather than hidden (tests/test_safety_figures.py). holdout7's three (a
# safer-sleep leaflet, a paint-tint and a workplace-culture control) are fixed, and holdout15's
# spreadsheet tutorial ("toxic circular references", "an overdose of nested IFs"; its "cell"
# again and again made up 2.2% of its words, a leaflet's share) in round 14, by the software
# vocabulary's office words (a cap on how often one word counts cost SciFact abstracts).
KNOWN_MISJUDGED: set[tuple[str, str]] = set()


def test_every_labelled_article_comes_out_right(classifier):
    # Health articles of every split are health; controls are not; a new split's known
    # errors may only go away.
    wrong = set()
    for split in SPLITS:
        labels = tomllib.loads((DEV_SET / split / "labels.toml").read_text(encoding="utf-8"))
        for key, table in labels.items():
            (path,) = [p for p in (DEV_SET / split).glob(key + ".*")]
            article = read_article(path, key)
            if classifier.domain_of(article).health is table["control"]:
                wrong.add((split, key))
    assert wrong <= KNOWN_MISJUDGED, sorted(wrong - KNOWN_MISJUDGED)


_AYURVEDA = (
    "Triphala is a classic Ayurvedic blend said to balance the vata, pitta and kapha doshas. "
    "Stir a teaspoon of the powder into warm water with ghee, ginger, cumin and a pinch of salt, "
    "or bake it into a flatbread dough; some cooks add it to soup. Do not take triphala in "
    "pregnancy."
)


def _user_rules(tmp_path: Path, health: str = "", other: str = "") -> SafetyClassifier:
    text = resource_path("safety.toml").read_text(encoding="utf-8")
    text = text.replace("\nhealth = [\n", f"\nhealth = [\n    {health}\n", 1)
    text = text.replace("[domain.other]\n", f"[domain.other]\n{other}\n", 1)
    path = tmp_path / "my-safety.toml"
    path.write_text(text, encoding="utf-8")
    return SafetyClassifier.load(path)


def test_a_readers_own_words_in_the_rules_file_count(classifier, tmp_path):
    # Bundled rules: the cooking words win over one health word, the warning is hidden.
    assert not classifier.domain_of(_article(_AYURVEDA)).health
    mine = _user_rules(tmp_path, health='"ayurved*", "dosha*", "triphala", "vata", "pitta",')
    assert mine.domain_of(_article(_AYURVEDA)).health
    assert any("pregnancy" in text for text in _warnings(mine, _article(_AYURVEDA)))

    # A domain of the reader's own vetoes what no bundled vocabulary knows.
    knitting = (
        "Blocking has side effects on wool: the yarn relaxes, the stitches even out, the lace "
        "opens. Pin the shawl on a mat, steam the knitted fabric, and never overdose the "
        "wash with softener; check the gauge of the swatch and the needles before you cast on."
    )
    assert classifier.domain_of(_article(knitting)).health
    mine = _user_rules(
        tmp_path, other='knitting = ["wool", "yarn", "stitch*", "knit*", "shawl*", "swatch*"]'
    )
    verdict = mine.domain_of(_article(knitting))
    assert not verdict.health and verdict.domain == "knitting"
    assert _warnings(mine, _article(knitting)) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda rules: rules.update(domain="health words"),
        lambda rules: rules["domain"].update(health="eye"),
        lambda rules: rules["domain"].update(ratio="clearly"),
        lambda rules: rules["domain"].update(min_words="long"),
        lambda rules: rules["domain"].update(min_density="often"),
        lambda rules: rules["domain"].update(sure_density=[0.04]),
        lambda rules: rules["domain"].update(borrowed=["poison pill"]),
        lambda rules: rules["domain"].update(other="software"),
        lambda rules: rules["domain"].update(other={"knitting": "wool"}),
        lambda rules: rules["domain"].update(health=["side effect"]),
    ],
)
def test_a_broken_domain_table_is_one_line_naming_the_file(change):
    rules = load_toml(resource_path("safety.toml"))
    change(rules)
    with pytest.raises(ViewerError) as error:
        SafetyClassifier(rules, "/home/me/my-safety.toml")
    message = str(error.value)
    assert "/home/me/my-safety.toml" in message and "\n" not in message and "domain" in message
