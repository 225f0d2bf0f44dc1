"""Checking a claim ("nearly 100 countries supported ...") against the texts it rests on, saving
it under a public link, and saying in plain words why it got its verdict."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from register import queries
from register import tally as tallies
from register import vocabulary as v
from register.models import Claim, Text


def claim_path(claim_id: str) -> str:
    return f"/register/claims/{claim_id}"


def claim_url(claim_id: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{claim_path(claim_id)}"


def assess(number: int, texts: list[str]) -> tuple[tallies.Bounds, str, list[tallies.TextFacts]]:
    """The bounds over the texts, the claim's verdict and the facts they rest on."""
    facts = queries.text_facts(texts, council=False)
    bounds = tallies.bounds(facts)
    return bounds, tallies.verdict(number, bounds.lower, bounds.upper), facts


def save_claim(statement: str, number: int, texts: list[str]) -> tuple[Claim, bool]:
    """The saved claim and whether it is new. The same claim on the same texts that got the same
    verdict is the same claim (a double click, or two people checking one sentence): its link
    is reused."""
    texts = list(dict.fromkeys(texts))
    bounds, verdict, _facts = assess(number, texts)
    fields = {
        "statement": statement,
        "number": number,
        "texts": texts,
        "verdict": verdict,
        "lower": bounds.lower,
        "upper": bounds.upper,
        "rests_on_reported": bounds.rests_on_reported,
    }
    existing = Claim.objects.filter(**{k: val for k, val in fields.items() if k != "texts"}).order_by("created_at")
    for claim in existing:
        if claim.texts == texts:
            return claim, False
    return Claim.objects.create(**fields), True


def saved_facts(claim: Claim) -> list[tallies.TextFacts]:
    """The facts of the claim's texts still in the register, in the claim's order (an abandoned
    letter of this platform leaves the register; the claim keeps its verdict)."""
    held = set(Text.objects.filter(identifier__in=claim.texts).values_list("identifier", flat=True))
    return queries.text_facts([text for text in claim.texts if text in held], council=False)


def claim_data(claim: Claim) -> dict:
    return {
        "id": claim.id,
        "url": claim_url(claim.id),
        "statement": claim.statement,
        "number": claim.number,
        "texts": claim.texts,
        "verdict": claim.verdict,
        "lower": claim.lower,
        "upper": claim.upper,
        "rests_on_reported": claim.rests_on_reported,
        "created_at": claim.created_at,
    }


def explain(number: int, facts: list[tallies.TextFacts]) -> str:
    """Plain words for a claim's verdict on the record as it stands, in the active language:
    what the record names, which texts count more than they list, and why the claim is or is
    not borne out.

    "The record names 47 States. "Joint statement ..." gives a count of 69 States and lists none.
    "Joint letter ..." has neither a list nor a count. A claim of 100 cannot be checked: ..."
    """
    bounds = tallies.bounds(facts)
    return " ".join(sentences(number, facts, bounds.lower, bounds.upper))


def claim_sentences(claim: Claim, facts: list[tallies.TextFacts]) -> list[str]:
    """The saved claim explained, sentence by sentence, in the active language: the page shows
    them one per paragraph, the API joined. The verdict is the one the claim was saved with (its
    bounds), the texts are described as the record holds them now."""
    return sentences(claim.number, facts, claim.lower, claim.upper)


def sentences(number: int, facts: list[tallies.TextFacts], lower: int, upper: int | None) -> list[str]:
    """What the record names, a sentence for each text that counts more than it lists or has
    neither a list nor a count, and the verdict of `number` between `lower` and `upper`."""
    listed = len(tallies.union_of(facts))
    about = [
        ngettext("The record names %(count)d State.", "The record names %(count)d States.", listed) % {"count": listed}
    ]
    about += [sentence for sentence in map(_about_text, facts) if sentence]
    about.append(_about_verdict(number, lower, upper, listed))
    return about


def _label(facts: tallies.TextFacts) -> str:
    return f"\u201c{facts.title or facts.text}\u201d"


def _about_text(facts: tallies.TextFacts) -> str | None:
    reported = facts.reported or 0
    if not facts.known:
        return _("%(text)s has neither a list nor a count.") % {"text": _label(facts)}
    if facts.remainder and facts.listed == 0:
        return ngettext(
            "%(text)s gives a count of %(count)d State and lists none.",
            "%(text)s gives a count of %(count)d States and lists none.",
            reported,
        ) % {"text": _label(facts), "count": reported}
    if facts.remainder:
        return ngettext(
            "%(text)s lists %(listed)d of the %(count)d State it counts.",
            "%(text)s lists %(listed)d of the %(count)d States it counts.",
            reported,
        ) % {"text": _label(facts), "listed": facts.listed, "count": reported}
    return None


def _about_verdict(number: int, lower: int, upper_bound: int | None, listed: int) -> str:
    upper = upper_bound or 0  # read only where there is an upper bound
    values = {"number": number, "lower": lower, "upper": upper, "listed": listed}
    verdict = tallies.verdict(number, lower, upper_bound)
    if verdict == v.UNVERIFIABLE:
        return (
            ngettext(
                "A claim of %(number)d cannot be checked: the record shows at least %(lower)d State, and a text with "
                "neither a list nor a count leaves no upper limit.",
                "A claim of %(number)d cannot be checked: the record shows at least %(lower)d States, and a text with "
                "neither a list nor a count leaves no upper limit.",
                lower,
            )
            % values
        )
    if verdict == v.BELOW_RECORD:
        return (
            ngettext(
                "A claim of %(number)d is below the record, which shows at least %(lower)d State.",
                "A claim of %(number)d is below the record, which shows at least %(lower)d States.",
                lower,
            )
            % values
        )
    if verdict == v.EXCEEDS_RECORD:
        sentence = (
            ngettext(
                "A claim of %(number)d exceeds the record, which allows at most %(upper)d State.",
                "A claim of %(number)d exceeds the record, which allows at most %(upper)d States.",
                upper,
            )
            % values
        )
    else:
        sentence = (
            ngettext(
                "A claim of %(number)d is consistent with the record, which allows from %(lower)d to %(upper)d State.",
                "A claim of %(number)d is consistent with the record, which allows from %(lower)d to %(upper)d States.",
                upper,
            )
            % values
        )
    if verdict == v.CONSISTENT and number > listed:
        # The part of the claim above the names rests on counts alone.
        sentence += (
            " "
            + ngettext(
                "Beyond the %(listed)d State named, it rests on counts nobody has listed.",
                "Beyond the %(listed)d States named, it rests on counts nobody has listed.",
                listed,
            )
            % values
        )
    return sentence
