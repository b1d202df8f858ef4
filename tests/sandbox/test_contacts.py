"""POST/GET/DELETE contacts: upsert and merge rules, per-item validation, batch limits, shapes."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import errors_of


def test_upsert_keeps_omitted_attributes_and_null_clears(api, sandbox):
    first = api.contacts([{"_user_id": "U1", "_first_name": "Ada", "plan": "pro",
                           "_email": "ada@example.com"}])
    assert first.status_code == 202
    second = api.contacts([{"_user_id": "U1", "plan": None, "vip": "1"}])
    assert second.status_code == 202
    contact = sandbox.state()["contacts"]["U1"]
    assert contact == {"_user_id": "U1", "_first_name": "Ada", "_email": "ada@example.com",
                       "vip": "1"}
    assert api.get("/contacts/U1").json() == contact


def test_a_new_contact_is_stored_without_its_nulls_and_with_its_user_id_first(api, sandbox):
    api.contacts([{"_first_name": "Ada", "_user_id": 7, "plan": None},
                  {"_first_name": "Linus", "_user_id": 8},
                  {"_first_name": "Grace", "_user_id": "U2", "vip": "0"}])
    contacts = sandbox.state()["contacts"]
    assert list(contacts["7"].items()) == [("_user_id", "7"), ("_first_name", "Ada")]
    assert list(contacts["8"].items()) == [("_user_id", "8"), ("_first_name", "Linus")]
    assert list(contacts["U2"].items()) == [("_user_id", "U2"), ("_first_name", "Grace"),
                                            ("vip", "0")]


def test_in_process_state_matches_the_http_state_endpoint(api, sandbox):
    api.contacts([{"_user_id": "U1", "interests": ["golf", "wine"]}])
    assert api.state() == sandbox.state()
    assert api.state()["contacts"]["U1"]["interests"] == ["golf", "wine"]


def test_read_only_and_unknown_attributes_reject_only_their_item(api, sandbox):
    response = api.contacts([
        {"_user_id": "OK", "_first_name": "Grace"},
        {"_user_id": "RO", "_first_name": "Linus", "_email_verified": "1"},
        {"_user_id": "UNK", "favourite_colour": "blue"},
    ])
    assert response.status_code == 202
    body = response.json()
    assert body["success"] is True
    assert (body["entitiesSuccess"], body["entitiesFailures"]) == (1, 2)
    assert [entry["position"] for entry in body["accepted"]] == [0]
    assert body["accepted"][0]["item"] == {"_user_id": "OK", "_first_name": "Grace"}
    errors = errors_of(body)
    assert "_email_verified" in errors[1]
    assert "read-only" in errors[1]
    assert "favourite_colour" in errors[2]
    assert set(sandbox.state()["contacts"]) == {"OK"}  # a rejected item changes nothing


VALID_AND_INVALID = [
    ("notes", "Long free text", 42),
    ("plan", "pro", ["pro"]),
    ("orders_count", 3, "three"),
    ("orders_count", "12", "12abc"),
    ("lifetime_value", 10.5, True),
    ("lifetime_value", "-3.25", "3,25"),
    ("vip", True, "yes"),
    ("vip", "0", 1),
    ("birthday", "1990-02-28", "1990-02-30"),
    ("birthday", "2000-01-01", "01/02/2000"),
    ("last_login", "2026-11-27T10:15:00.000Z", "2026-11-27"),
    ("last_login", "2026-11-27T10:15:00+01:00", "yesterday"),
    ("_email", "ada@example.com", "ada@example"),
    ("work_email", "a.b+c@sub.example.org", "no at sign"),
    ("_phone_mobile", "+34600000000", "600000000"),
    ("landline", "+1234567", "+123456"),
    ("landline", "+123456789012345", "+1234567890123456"),
    ("interests", ["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"]),
    ("interests", ["golf"], "golf"),
    ("loyalty_tier", "gold", 3),  # an unknown dataType is text
]


@pytest.mark.parametrize(("attribute", "good", "bad"), VALID_AND_INVALID)
def test_each_data_type_is_checked(api, sandbox, attribute, good, bad):
    response = api.contacts([{"_user_id": "G", attribute: good}, {"_user_id": "B", attribute: bad}])
    assert response.status_code == 202, response.text
    errors = errors_of(response.json())
    assert list(errors) == [1]
    assert errors[1].startswith(f"{attribute}: ")
    assert sandbox.state()["contacts"]["G"][attribute] == good


@pytest.mark.parametrize("bad_id", [None, "", "   ", True, 1.5, {"id": 1}])
def test_user_id_is_required(api, bad_id):
    item = {"_first_name": "Nobody"} if bad_id is None else {"_user_id": bad_id}
    response = api.contacts([item])
    assert response.status_code == 422
    assert errors_of(response.json())[0].startswith("_user_id: ")


def test_numeric_user_id_is_stored_as_text(api, sandbox):
    assert api.contacts([{"_user_id": 12345}]).status_code == 202
    assert sandbox.state()["contacts"] == {"12345": {"_user_id": "12345"}}


def test_item_that_is_not_an_object_is_rejected_alone(api):
    response = api.contacts([{"_user_id": "X"}, "not an object"])
    assert response.status_code == 202
    assert "JSON object" in errors_of(response.json())[1]


def test_all_items_failing_is_422_with_the_same_body_shape(api, sandbox):
    response = api.contacts([{"_user_id": "A", "_email": "bad"}, {"_user_id": "B", "vip": 7}])
    assert response.status_code == 422
    body = response.json()
    assert body["success"] is False
    assert (body["entitiesSuccess"], body["entitiesFailures"]) == (0, 2)
    assert body["accepted"] == []
    assert [entry["position"] for entry in body["errors"]] == [0, 1]
    assert body["errors"][0]["item"] == {"_user_id": "A", "_email": "bad"}
    assert sandbox.state()["contacts"] == {}


def test_dry_run_validates_and_writes_nothing(api, sandbox):
    response = api.contacts([{"_user_id": "D1"}, {"_user_id": "D2", "_email": "bad"}],
                            _dryRun="")
    assert response.status_code == 202
    body = response.json()
    assert body["dryRun"] is True
    assert (body["entitiesSuccess"], body["entitiesFailures"]) == (1, 1)
    assert sandbox.state() == {"contacts": {}, "events": []}
    # The bare flag: "?_dryRun" with no value at all.
    bare = api.http.post(f"{api.stream}/contacts?_dryRun&_sync", json=[{"_user_id": "D3"}])
    assert bare.json()["dryRun"] is True
    assert sandbox.state()["contacts"] == {}
    real = api.contacts([{"_user_id": "D4"}], _sync="")
    assert real.json()["dryRun"] is False
    assert set(sandbox.state()["contacts"]) == {"D4"}


@pytest.mark.parametrize(("body", "fragment"), [
    (b"{not json", "not valid JSON"),
    # Python's json reads these; a strict parser (as the service's) refuses them.
    (b'[{"_user_id": "A", "score": NaN}]', "not valid JSON"),
    (b'\xef\xbb\xbf[{"_user_id": "A"}]', "not valid JSON"),
    (b'[{"_user_id": "\\ud800"}]', "not valid JSON"),
    (b'{"_user_id": "A"}', "JSON array"),
    (b'"text"', "JSON array"),
    (b"[]", "empty array"),
    (("[" + ",".join(['{"_user_id": "A"}'] * 101) + "]").encode(), "at most 100 items"),
])
def test_malformed_batches_are_400_with_a_message(api, sandbox, body, fragment):
    response = api.http.post(f"{api.stream}/contacts", content=body,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert fragment in response.json()["message"]
    events = api.http.post(f"{api.stream}/events", content=body,
                           headers={"Content-Type": "application/json"})
    assert events.status_code == 400
    assert sandbox.state()["contacts"] == {}


def test_a_batch_of_exactly_100_items_is_fine(api, sandbox):
    response = api.contacts([{"_user_id": f"U{i}"} for i in range(100)])
    assert response.status_code == 202
    assert response.json()["entitiesSuccess"] == 100
    assert len(sandbox.state()["contacts"]) == 100


def test_answer_shape_b(api, sandbox):
    sandbox.set_answer_shape("B")
    response = api.contacts([{"_user_id": "U1"}, {"_user_id": "U3", "_email": "x",
                                                  "vip": "maybe"}])
    assert response.status_code == 202
    assert response.json() == {"entity": {
        "successful": 1,
        "failed": 1,
        "items": [
            {"status": "success", "_user_id": "U1"},
            {"status": "error", "_user_id": "U3", "errors": {
                "_email": ["must be a valid email address"],
                "vip": ['must be true, false, "1" or "0"'],
            }},
        ],
    }}
    failed = api.contacts([{"_user_id": "U4", "_email": "x"}])
    assert failed.status_code == 422
    assert failed.json()["entity"]["failed"] == 1
    dry = api.contacts([{"_user_id": "U5"}], _dryRun="1")
    assert dry.json()["dryRun"] is True
    assert set(sandbox.state()["contacts"]) == {"U1"}


def test_answer_shape_is_validated(sandbox):
    with pytest.raises(ValueError, match="'A' or 'B'"):
        sandbox.set_answer_shape("C")


def test_get_and_delete_a_contact(api, sandbox):
    api.contacts([{"_user_id": "DEL/1", "plan": "pro"}, {"_user_id": "KEEP"}])
    assert api.get("/contacts/DEL%2F1").json() == {"_user_id": "DEL/1", "plan": "pro"}
    deleted = api.delete("DEL%2F1")
    assert deleted.status_code == 202
    body = deleted.json()
    assert body["accepted"] == [{"position": 0, "item": "DEL/1"}]
    assert body["errors"] == []
    assert set(sandbox.state()["contacts"]) == {"KEEP"}
    assert api.get("/contacts/DEL%2F1").status_code == 404


def test_delete_or_get_of_a_missing_contact_is_404_with_a_message(api):
    deleted = api.delete("GHOST")
    assert deleted.status_code == 404
    assert "GHOST" in deleted.json()["message"]
    fetched = api.get("/contacts/GHOST")
    assert fetched.status_code == 404
    assert "GHOST" in fetched.json()["message"]


def test_delete_in_answer_shape_b(api, sandbox):
    sandbox.set_answer_shape("B")
    api.contacts([{"_user_id": "D"}])
    assert api.delete("D").json() == {"entity": {
        "successful": 1, "failed": 0, "items": [{"status": "success", "_user_id": "D"}]}}
