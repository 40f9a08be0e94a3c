"""The sample directory reads like real listings: every bio the parts can make is
grammatical. The loaded demo's bios, phones (each city's own area code) and names (no
artist named like another clinic) are checked in tests/demo/test_whole_demo.py, with the
other tests that need the whole demo loaded."""

import itertools
import re

import pytest

from demo import texts

# What a caller would dial before the local number, per sample city.
AREA_CODES = {
    "London": "+44 20 ",
    "Manchester": "+44 161 ",
    "Birmingham": "+44 121 ",
    "Leeds": "+44 113 ",
    "Bristol": "+44 117 ",
    "Glasgow": "+44 141 ",
    "New York": "+1 212 ",
    "Los Angeles": "+1 213 ",
    "Miami": "+1 305 ",
    "Chicago": "+1 312 ",
    "Houston": "+1 713 ",
    "München": "+49 89 ",
    "Berlin": "+49 30 ",
    "Köln": "+49 221 ",
    "Hamburg": "+49 40 ",
    "Düsseldorf": "+49 211 ",
    "Madrid": "+34 91 ",
    "Barcelona": "+34 93 ",
    "Málaga": "+34 952 ",
    "Valencia": "+34 96 ",
    "Sydney": "+61 2 ",
    "Melbourne": "+61 3 ",
    "Brisbane": "+61 7 ",
    "Perth": "+61 8 ",
    "Toronto": "+1 416 ",
    "Vancouver": "+1 604 ",
    "Montréal": "+1 514 ",
}

# Words that may follow ", and " because they start a clause of their own.
SUBJECTS = {"they", "she", "he", "we", "you", "it", "i", "the", "a", "an", "their", "his", "her"}
# "an" before these is right (a vowel sound), "a" before these is right (a consonant sound).
AN_BEFORE = {"smp", "hour", "honest"}
A_BEFORE = {"one", "user", "union"}


def grammar_problems(bio: str) -> list[str]:
    """Simple checks a reader would trip on; empty when the bio reads right."""
    problems = []
    if not bio.endswith("."):
        problems.append("does not end with a full stop")
    words = re.findall(r"[\w'’-]+", bio)
    for first, second in itertools.pairwise(words):
        if first.lower() == second.lower():
            problems.append(f"doubled word “{first} {second}”")
        if first.lower() == "a" and second[0].lower() in "aeiou" and second.lower() not in A_BEFORE:
            problems.append(f"“a {second}”")
        if first.lower() == "a" and second.lower() in AN_BEFORE:
            problems.append(f"“a {second}”")
        if first.lower() == "an" and (
            second[0].lower() not in "aeiou" and second.lower() not in AN_BEFORE
        ):
            problems.append(f"“an {second}”")
    for sentence in re.split(r"(?<=\.) ", bio):
        if not sentence[:1].isupper():
            problems.append(f"sentence starts in lower case: “{sentence}”")
        # "They" takes "keep", not "keeps"; "They is" is the mistake this catches most.
        match = re.match(r"They (?:always |often )?(\w+)", sentence)
        verb = match.group(1) if match else ""
        if verb in {"is", "has", "was", "does"} or (verb.endswith("s") and verb[-2:] != "us"):
            problems.append(f"“They {verb}”")
    for match in re.finditer(r", and (\w+)", bio):
        word = match.group(1)
        if word.lower() not in SUBJECTS and not word[0].isupper():
            problems.append(f"“, and {word}” joins a clause that has no subject")
    return problems


@pytest.mark.parametrize(
    "bio, problem",
    [
        (
            "Jonas worked as a nurse. Most of their work is the shaved look, and keeps notes.",
            "“, and keeps” joins a clause that has no subject",
        ),
        ("Lena trained at a SMP academy.", "“a SMP”"),
        ("They keeps a note of every mix.", "“They keeps”"),
        ("Lena trained trained in SMP.", "doubled word “trained trained”"),
        ("Lena trained in SMP", "does not end with a full stop"),
    ],
)
def test_the_grammar_checks_catch_what_they_name(bio, problem):
    assert problem in grammar_problems(bio)


class OneCombination:
    """Stands in for texts.Parts: hands artist_bio one given combination of parts."""

    def __init__(self, route: str, service: str, habit: str, focus: str):
        self.combination = (route, service, habit)
        self.rng = self
        self.focus = focus

    def pick(self, *_choices):
        return self.combination

    def choice(self, _options):
        return self.focus


def test_every_bio_the_parts_can_make_is_a_grammatical_sentence():
    bad = {}
    for route, service, habit in itertools.product(texts.ROUTES, texts.FOCUS, texts.HABITS):
        for focus in texts.FOCUS[service][2]:
            bio = texts.artist_bio(OneCombination(route, service, habit, focus), "Lena", [service])
            if problems := grammar_problems(bio):
                bad[bio] = problems
    assert not bad, f"{len(bad)} bios read wrong, e.g. {next(iter(bad.items()))}"
