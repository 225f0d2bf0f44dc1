"""The words of the demo's letters: titles, texts, version notes and circulation messages.

The 2019 letters are summaries in neutral words with their real signatories and dates
(core/data/letters_2019.csv); the 2022 letter's text and signatories are illustrative, and say
so wherever they appear (undersigned/demo.py loads them)."""

ILLUSTRATIVE_NAMES = (
    "The real list of signatories of the 2022 letter was never published: the 40 States "
    "signing it in this demo are illustrative."
)

LETTER_2022_TITLE = (
    "Joint letter to the United Nations High Commissioner for Human Rights on the assessment concerning Xinjiang"
)

_ILLUSTRATIVE_2022 = (
    "*Illustrative text written for the Undersigned demo around the passages of the letter "
    "quoted by Reuters in July 2022. It is not the original letter, whose full text was "
    "not published, and its signatories here are illustrative too: which States signed "
    "was never published.*"
)

LETTER_2022_V1 = f"""{_ILLUSTRATIVE_2022}

Excellency,

We have the honour to write to you on behalf of a group of States, Members of the United Nations,
to convey our serious concern regarding the assessment of the human rights situation in the
Xinjiang Uygur Autonomous Region of China that the Office of the High Commissioner for Human
Rights (OHCHR) is reported to be finalising.

No resolution of the Human Rights Council or of the General Assembly requested such an
assessment, and the country concerned did not consent to it. The assessment has therefore been
prepared without a warrant and in serious breach of OHCHR's duties, which are to be discharged
in accordance with the principles of universality, impartiality, objectivity and
non-selectivity, and in constructive dialogue and cooperation with the States concerned.

The assessment, if published, will intensify the politicization and confrontation of blocs in
the field of human rights, undermine the credibility of the OHCHR and will harm cooperation
between OHCHR and Member States. It would also gravely undermine the personal credibility of the
High Commissioner, at the end of her term of office.

We recall that the High Commissioner visited China in May 2022 at the invitation of its
Government, and that the exchanges held during that visit are the appropriate basis for
continued cooperation.

We urge the High Commissioner not to publish such an assessment.

Please accept, Excellency, the assurances of our highest consideration.
"""

LETTER_2022_V2 = f"""{_ILLUSTRATIVE_2022}

Excellency,

We have the honour to write to you on behalf of a group of States, Members of the United Nations,
to convey our serious concern regarding the assessment of the human rights situation in the
Xinjiang Uygur Autonomous Region of China that the Office of the High Commissioner for Human
Rights (OHCHR) is reported to be finalising.

We believe that the work of the Office should be guided by the principles of universality,
impartiality, objectivity and non-selectivity, and carried out in constructive dialogue and
cooperation with the States concerned.

The assessment, if published, will intensify the politicization and confrontation of blocs in
the field of human rights, undermine the credibility of the OHCHR and will harm cooperation
between OHCHR and Member States.

We recall that the High Commissioner visited China in May 2022 at the invitation of its
Government, and that the exchanges held during that visit are the appropriate basis for
continued cooperation.

We urge the High Commissioner not to publish such an assessment.

Please accept, Excellency, the assurances of our highest consideration.
"""

NOTE_2022_V1 = (
    "First text for circulation, illustrative: written for the demo around the passages Reuters "
    'quoted; this harsher version says the assessment was prepared "without a warrant and in '
    "serious breach of OHCHR's duties\" and would undermine the High Commissioner's personal "
    "credibility. " + ILLUSTRATIVE_NAMES
)

NOTE_2022_V2 = (
    'Softer final text: drops "without a warrant and in serious breach of OHCHR\'s duties" and the '
    "sentence on the High Commissioner's personal credibility; keeps the assessment passage and the "
    "request not to publish. Why (illustrative; Reuters could not tell who edited it or why): "
    "several missions could support the request but not an attack on the Office."
)

MESSAGE_2022 = (
    "Dear colleagues, please find attached a joint letter to the High Commissioner on the "
    "assessment concerning Xinjiang. Missions wishing to join are kindly requested to sign by "
    "8 July 2022, the last day of the 50th session of the Human Rights Council.\n\n"
    "(Demo: this message and the letter's text are illustrative. " + ILLUSTRATIVE_NAMES + ")"
)

# Illustrative signatories, all from the final list of the 2019 counter-letter (Qatar excepted).
SIGNED_V1_AND_RECONFIRMED = [
    "pak",
    "cub",
    "ven",
    "blr",
    "rus",
    "syr",
    "prk",
    "lao",
    "khm",
    "mmr",
    "egy",
    "sau",
    "are",
    "bhr",
    "kwt",
    "omn",
    "dza",
    "ago",
    "bdi",
    "cmr",
    "cog",
    "eri",
    "gab",
    "sdn",
    "ssd",
    "zwe",
]
SIGNED_V1_ONLY = ["phl", "nga", "tgo", "srb"]  # did not re-confirm on version 2
SIGNED_V2_ONLY = [
    "bol",
    "bfa",
    "com",
    "cod",
    "som",
    "tjk",
    "tkm",
    "irn",
    "irq",
    "npl",
    "moz",
    "uzb",
    "zmb",
    "lka",
    "uga",
]
WITHDREW_2022 = "npl"
INVITED_GROUPS_2022 = [
    "African States",
    "Asia-Pacific States",
    "Latin American and Caribbean States",
    "Eastern European States",
]


# ---------------------------------------------------------------- the 2019 letters (real lists)

LETTER_2019 = "hrc41-letter-2019-07-08"
COUNTER_2019 = "hrc41-counterletter-2019-07-12"

LETTER_2019_TITLE = (
    "Joint letter of 8 July 2019 to the President of the Human Rights Council and the "
    "High Commissioner for Human Rights on Xinjiang (summary)"
)
COUNTER_2019_TITLE = (
    "Joint letter of 12 July 2019 to the President of the Human Rights Council and the "
    "High Commissioner for Human Rights on Xinjiang (summary)"
)

_SUMMARY = (
    "*Summary written for the Undersigned demo: it describes what the letter was about in neutral "
    "terms and is not the original wording, which is not reproduced here.*"
)

LETTER_2019_BODY = f"""{_SUMMARY}

Addressed to the President of the Human Rights Council and the United Nations High Commissioner
for Human Rights, during the 41st session of the Council.

The signatory States expressed concern about reports of large-scale arbitrary detention and of
widespread surveillance and restrictions in Xinjiang, affecting in particular Uighurs and other
minorities. They called on China to respect its national laws and international obligations,
including freedom of religion or belief, to refrain from arbitrary detention and from
restricting the freedom of movement of Uighurs and other minority communities, and to give
independent international observers, including the High Commissioner, meaningful access to
Xinjiang. They asked the Council to keep the situation under review.
"""

COUNTER_2019_BODY = f"""{_SUMMARY}

Addressed to the President of the Human Rights Council and the United Nations High Commissioner
for Human Rights, during the 41st session of the Council.

The signatory States expressed support for China's position on Xinjiang. They described the
measures China had taken there, including vocational education and training centres, as a
response to terrorism and extremism that had, in their view, restored safety and security, and
they noted that diplomats, officials of international organisations and journalists had been
invited to visit the region. They opposed what they called the politicization of human rights
and the practice of publicly criticising countries, and called for human rights issues to be
addressed through dialogue and cooperation.
"""

NOTE_2019 = (
    "Summary, not the original wording. Real signatories and date (core/data/letters_2019.csv). "
    "The letter was coordinated by a group of States; which one held the pen is not on record here, "
    "so the demo makes Australia, the first State in the published list, the penholder."
)

NOTE_COUNTER_2019 = (
    "Summary, not the original wording. Real signatories and dates "
    "(core/data/letters_2019.csv). Which State coordinated the letter is not on record "
    "here; the demo makes Algeria, the first State in the first published list, the penholder. "
    "Yemen: no sourced date; it is in the final list of 50 in UN document A/HRC/41/G/17, and "
    "the demo records it last."
)

MESSAGE_2019 = (
    "Demo: the real circulation of this letter is not on record. Only the States that signed are "
    "invited here, and the times of circulation, closing and publication are set for the demo; "
    "the signatories and the dates of signature are real."
)

MESSAGE_COUNTER_2019 = (
    MESSAGE_2019 + "\n\nQatar withdrew by a letter dated 18 July 2019 (Bloomberg, reported by ThePrint and "
    "Al-Araby), after the first delivery, so its withdrawal is recorded as late. Thirteen States joined on "
    "26 July 2019 (Tashkent Times) and went to the addressee as an addendum. Yemen appears in the final list "
    "of 50 States in UN document A/HRC/41/G/17, but the date it joined is not sourced: the demo records its "
    "signature as the last step before publication, and the time shown for it is not a real date."
)
