"""The register's API is public: anyone, without an account, reads texts, tallies, checks claims,
reads votes, countries and agreement. Errors come in the project's shape."""

import pytest

from register import formats
from register.importer import import_files
from tests.conftest import ApiClient
from tests.register.conftest import COUNTERLETTER_2019, LETTER_2019, write


@pytest.fixture
def anyone(db):
    return ApiClient()


@pytest.fixture
def record(real_council, letters_2019, tmp_path):
    """The real record, and two joint statements known only by a count (no list): illustrative
    rows for the tests, not sourced record (the demo's data cites its sources)."""
    import_files(
        [
            write(
                tmp_path,
                "statement.csv",
                formats.TEXTS,
                [
                    [
                        "HRC44-JS-2020",
                        "joint_statement",
                        "HRC",
                        "44",
                        "2020-06-30",
                        "Joint statement read by Cuba",
                        "CUB",
                        "",
                        "Hong Kong",
                        "53",
                        "UN Web TV",
                    ],
                    [
                        "GA74-3C-2019",
                        "joint_statement",
                        "GA Third Committee",
                        "74",
                        "2019-10-29",
                        "Joint statement read by Belarus",
                        "BLR",
                        "",
                        "Xinjiang",
                        "54",
                        "press reports",
                    ],
                ],
            )
        ]
    )


def test_anyone_lists_the_texts(record, anyone):
    response = anyone.get("/register/texts")

    assert response.status_code == 200
    assert [t["text"] for t in response.json()] == [
        LETTER_2019,
        COUNTERLETTER_2019,
        "GA74-3C-2019",
        "HRC44-JS-2020",
        "A/HRC/51/L.6",
    ]
    counterletter = response.json()[1]
    assert (counterletter["listed_count"], counterletter["reported_count"]) == (50, 50)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"session": "41"}, [LETTER_2019, COUNTERLETTER_2019]),
        ({"forum": "GA Third Committee"}, ["GA74-3C-2019"]),
        ({"kind": "draft_decision"}, ["A/HRC/51/L.6"]),
        ({"topic": "Hong Kong"}, ["HRC44-JS-2020"]),
        ({"country": "Qatar"}, [COUNTERLETTER_2019]),
        ({"country": "USA"}, ["A/HRC/51/L.6"]),  # as the lead
        ({"country": "Japan"}, [LETTER_2019]),
        ({"kind": "joint_letter", "country": "CAN"}, [LETTER_2019]),
    ],
)
def test_the_texts_can_be_filtered(record, anyone, query, expected):
    assert [t["text"] for t in anyone.get("/register/texts", **query).json()] == expected


def test_a_filter_with_an_unknown_kind_or_country_is_refused(record, anyone):
    assert anyone.get("/register/texts", kind="petition").status_code == 422
    response = anyone.get("/register/texts", country="Korea")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "ambiguous_country"


def test_a_text_with_slashes_in_its_identifier_is_found(record, anyone):
    response = anyone.get("/register/texts/A/HRC/51/L.6")

    assert response.status_code == 200
    body = response.json()
    assert (body["text"], body["kind"], body["lead"], body["session"]) == (
        "A/HRC/51/L.6",
        "draft_decision",
        "USA",
        "51",
    )
    assert body["participants"] == [] and body["live"] == [] and body["listed_count"] == 0


def test_a_text_gives_each_participant_with_its_provenance_and_who_supports_it_now(record, anyone):
    body = anyone.get(f"/register/texts/{COUNTERLETTER_2019}").json()

    qatar = [p for p in body["participants"] if p["country"] == "QAT"]
    assert [(p["event"], p["date"], p["provenance"]) for p in qatar] == [
        ("signed", "2019-07-12", "reported"),
        ("withdrew", "2019-07-18", "reported"),
    ]
    assert qatar[0]["name"] == "Qatar" and qatar[0]["source"]
    assert "QAT" not in body["live"] and "YEM" in body["live"]
    assert body["listed_count"] == len(body["live"]) == 50
    assert body["reported_count"] == 50


def test_names_follow_the_readers_language(record, anyone):
    body = anyone.client.get(f"/api/v1/register/texts/{COUNTERLETTER_2019}", HTTP_ACCEPT_LANGUAGE="fr").json()

    assert next(p["name"] for p in body["participants"] if p["country"] == "QAT") == "Qatar"
    assert next(p["name"] for p in body["participants"] if p["country"] == "SAU") == "Arabie saoudite"


def test_an_unknown_text_is_404_in_the_projects_error_shape(record, anyone):
    response = anyone.get("/register/texts/A/HRC/99/L.99")

    assert response.status_code == 404
    assert set(response.json()["error"]) >= {"code", "message"}


def test_a_tally_gives_bounds_and_never_adds_kinds(record, anyone):
    response = anyone.post("/register/tally", {"texts": [COUNTERLETTER_2019, "HRC44-JS-2020"]})

    assert response.status_code == 200
    body = response.json()
    assert (body["distinct_listed"], body["lower"], body["upper"]) == (50, 53, 50 + 53)
    assert body["rests_on_reported"] is True
    assert set(body["by_kind"]) == {"joint_letter", "joint_statement"}
    assert body["by_kind"]["joint_letter"] == {"texts": 1, "distinct_listed": 50, "lower": 50, "upper": 50}
    assert sum(body["by_group"].values()) == 50
    assert body["overlap"] == {"states": [], "pairs": []}


def test_the_two_2019_letters_share_no_state(record, anyone):
    body = anyone.post("/register/tally", {"texts": [LETTER_2019, COUNTERLETTER_2019]}).json()

    assert (body["distinct_listed"], body["lower"], body["upper"]) == (72, 72, 72)
    # The 22 are 18 Western European and other States, Japan and the three Baltic States; the
    # Eastern European States of the 50 are Belarus, the Russian Federation and Serbia.
    assert body["by_group"]["Western European and other States"] == 18
    assert body["by_group"]["Eastern European States"] == 6


def test_a_tally_counts_the_council_members_of_each_texts_date(record, anyone):
    body = anyone.post("/register/tally", {"texts": [LETTER_2019, COUNTERLETTER_2019]}).json()

    # On 12 July 2019: Australia, Austria, Denmark, Iceland, Japan, Spain and the United Kingdom
    # of the 22; seventeen of the 50 (Qatar, a member, had withdrawn).
    assert [t["council_members"] for t in body["per_text"]] == [7, 17]


def test_a_tally_with_a_text_without_list_or_count_has_no_upper_bound(record, anyone):
    body = anyone.post("/register/tally", {"texts": [COUNTERLETTER_2019, "A/HRC/51/L.6"]}).json()

    assert body["upper"] is None


def test_a_tally_of_unknown_texts_is_422_naming_them(record, anyone):
    response = anyone.post("/register/tally", {"texts": [LETTER_2019, "nope", "A/HRC/0/L.0"]})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_texts"
    assert error["texts"] == ["nope", "A/HRC/0/L.0"]
    assert "“nope”" in error["message"]


@pytest.mark.parametrize("body", [{"texts": []}, {"texts": [LETTER_2019], "extra": 1}, {}, {"texts": "x"}])
def test_a_tally_request_of_the_wrong_shape_is_422(record, anyone, body):
    assert anyone.post("/register/tally", body).status_code == 422


def test_a_claim_gets_a_verdict_bounds_and_a_public_link(record, anyone):
    response = anyone.post(
        "/register/claims",
        {
            "statement": "nearly 100 countries supported China",
            "number": 100,
            "texts": [COUNTERLETTER_2019, "HRC44-JS-2020"],
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["verdict"], body["lower"], body["upper"], body["rests_on_reported"]) == ("consistent", 53, 103, True)
    assert body["url"].endswith(f"/register/claims/{body['id']}")
    assert len(body["id"]) >= 16
    assert anyone.get(f"/register/claims/{body['id']}").json()["verdict"] == "consistent"


@pytest.mark.parametrize(
    "number, texts, verdict",
    [
        (104, [COUNTERLETTER_2019, "HRC44-JS-2020"], "exceeds_record"),
        (52, [COUNTERLETTER_2019, "HRC44-JS-2020"], "below_record"),
        (100, [COUNTERLETTER_2019, "A/HRC/51/L.6"], "unverifiable"),
        (40, [COUNTERLETTER_2019, "A/HRC/51/L.6"], "below_record"),
    ],
)
def test_each_verdict(record, anyone, number, texts, verdict):
    body = anyone.post("/register/claims", {"statement": "s", "number": number, "texts": texts}).json()

    assert body["verdict"] == verdict


def test_the_same_claim_twice_answers_200_with_the_same_link(record, anyone):
    claim = {"statement": "nearly 100", "number": 100, "texts": [COUNTERLETTER_2019]}
    first = anyone.post("/register/claims", claim).json()

    again = anyone.post("/register/claims", claim)

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"statement": "s", "number": True, "texts": [LETTER_2019]},
        {"statement": "s", "number": "100", "texts": [LETTER_2019]},
        {"statement": "s", "number": -1, "texts": [LETTER_2019]},
        {"statement": "", "number": 1, "texts": [LETTER_2019]},
        {"statement": "s", "number": 1, "texts": [LETTER_2019], "verdict": "consistent"},
    ],
)
def test_a_claim_of_the_wrong_shape_is_422(record, anyone, body):
    assert anyone.post("/register/claims", body).status_code == 422


def test_an_unknown_claim_is_404(record, anyone):
    assert anyone.get("/register/claims/nothing-here").status_code == 404


def test_a_vote_gives_totals_outcome_groups_and_members(record, anyone):
    response = anyone.get("/register/votes/A/HRC/51/L.6")

    assert response.status_code == 200
    body = response.json()
    assert (body["yes"], body["no"], body["abstain"], body["absent"], body["outcome"], body["members"]) == (
        17,
        19,
        11,
        0,
        "rejected",
        47,
    )
    assert body["by_group"]["African States"] == {
        "yes": 1,
        "no": 8,
        "abstain": 4,
        "absent": 0,
        "cohesion": pytest.approx(7 / 9),
    }
    assert len(body["ballots"]) == 47


def test_a_text_without_a_vote_has_none(record, anyone):
    assert anyone.get(f"/register/votes/{LETTER_2019}").status_code == 404
    assert anyone.get("/register/votes/A/HRC/51/L.6", date="2022-10-07").status_code == 404


def test_a_country_gives_its_name_group_terms_texts_and_votes(record, anyone):
    response = anyone.get("/register/countries/QAT")

    assert response.status_code == 200
    body = response.json()
    assert (body["iso3"], body["name"], body["regional_group"]) == ("QAT", "Qatar", "Asia-Pacific States")
    assert [(t["term_start"], t["term_end"]) for t in body["terms"]] == [
        ("2018-01-01", "2020-12-31"),
        ("2022-01-01", "2024-12-31"),
    ]
    assert body["texts"] == [
        {
            "text": COUNTERLETTER_2019,
            "kind": "joint_letter",
            "title": body["texts"][0]["title"],
            "date": "2019-07-12",
            "supporting": False,
            "events": body["texts"][0]["events"],
        }
    ]
    assert [e["event"] for e in body["texts"][0]["events"]] == ["signed", "withdrew"]
    assert body["votes"] == [
        {"text": "A/HRC/51/L.6", "title": body["votes"][0]["title"], "date": "2022-10-06", "vote": "no"}
    ]


def test_a_country_may_be_named_and_an_unknown_one_is_404(record, anyone):
    assert anyone.get("/register/countries/Ivory Coast").json()["iso3"] == "CIV"
    response = anyone.get("/register/countries/XYZ")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_country"


def test_agreement_between_two_states(record, anyone):
    response = anyone.get("/register/agreement", a="CHN", b="India")

    assert response.status_code == 200
    body = response.json()
    assert (body["a"], body["b"], body["agreement"]) == ("CHN", "IND", 0.5)
    assert body["votes"] == [{"text": "A/HRC/51/L.6", "date": "2022-10-06", "a": "no", "b": "abstain", "score": 0.5}]


def test_agreement_over_a_session_with_no_votes_is_null(record, anyone):
    body = anyone.get("/register/agreement", a="CHN", b="PAK", session="41").json()

    assert body["agreement"] is None and body["votes"] == []


def test_agreement_needs_two_states(record, anyone):
    assert anyone.get("/register/agreement", a="CHN").status_code == 422
    assert anyone.get("/register/agreement", a="CHN", b="Korea").status_code == 422


def test_the_register_is_in_the_openapi_document(db, anyone):
    paths = anyone.get("/openapi.json").json()["paths"]

    assert {
        "/api/v1/register/texts",
        "/api/v1/register/tally",
        "/api/v1/register/claims",
        "/api/v1/register/agreement",
    } <= set(paths)


@pytest.mark.parametrize(
    "path, schema",
    [
        ("/register/texts", "TextSummaryOut"),
        (f"/register/texts/{COUNTERLETTER_2019}", "TextOut"),
        ("/register/countries/QAT", "CountryOut"),
        ("/register/votes/A/HRC/51/L.6", "VoteOut"),
        ("/register/agreement?a=CHN&b=IND", "AgreementOut"),
    ],
)
def test_each_answer_has_the_shape_the_openapi_document_declares(record, anyone, path, schema):
    from pydantic import TypeAdapter

    from api import register_schemas

    path, _, query = path.partition("?")
    body = anyone.get(path, **dict(part.split("=") for part in query.split("&") if part)).json()
    shape = getattr(register_schemas, schema)
    TypeAdapter(list[shape] if path == "/register/texts" else shape).validate_python(body)
    fields = set(shape.model_fields)
    for item in body if isinstance(body, list) else [body]:
        assert set(item) == fields


def test_a_tally_has_the_shape_the_openapi_document_declares(record, anyone):
    from api.register_schemas import TallyOut

    body = anyone.post("/register/tally", {"texts": [LETTER_2019, COUNTERLETTER_2019]}).json()

    TallyOut.model_validate(body)
    assert set(body) == set(TallyOut.model_fields)


def test_a_text_identifier_may_come_with_its_slashes_escaped(record, anyone):
    assert anyone.get("/register/texts/A%2FHRC%2F51%2FL.6").json()["text"] == "A/HRC/51/L.6"
    assert anyone.get("/register/votes/A%2FHRC%2F51%2FL.6").json()["outcome"] == "rejected"
