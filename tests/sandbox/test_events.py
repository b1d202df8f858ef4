"""POST /stream/events: storage, dedupe, silent skips, _user_data, the automation window."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
from tests.sandbox.conftest import Api, FakeClock, errors_of


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def purchase(event_id: str, user_id: str = "U1", **extra):
    return {"_user_id": user_id, "_event_id": event_id, "_event_type": "purchase",
            "_event_parameters": {"order_id": f"O-{event_id}", "amount": "19.90"}, **extra}


@pytest.fixture
def contact(api):
    assert api.contacts([{"_user_id": "U1"}]).status_code == 202


@pytest.mark.usefixtures("contact")
def test_an_event_is_stored_with_its_fields(api, sandbox):
    date = iso(datetime.now(UTC) - timedelta(minutes=5))
    response = api.events([purchase("E1", _event_date=date)])
    assert response.status_code == 202
    assert response.json()["entitiesSuccess"] == 1
    assert sandbox.state()["events"] == [{
        "_user_id": "U1",
        "_event_id": "E1",
        "_event_type": "purchase",
        "_event_date": date,
        "_event_parameters": {"order_id": "O-E1", "amount": "19.90"},
        "automation": True,
    }]


@pytest.mark.usefixtures("contact")
def test_automation_flag_follows_the_one_hour_window(api, sandbox):
    now = datetime.now(UTC)
    items = [
        purchase("inside-past", _event_date=iso(now - timedelta(minutes=50))),
        purchase("inside-future", _event_date=iso(now + timedelta(minutes=50))),
        purchase("outside-past", _event_date=iso(now - timedelta(hours=2))),
        purchase("outside-future", _event_date=iso(now + timedelta(hours=3))),
        purchase("backfill", _event_date="2019-05-01T08:00:00.000Z"),
        purchase("no-date"),
    ]
    assert api.events(items).status_code == 202
    flags = {event["_event_id"]: event["automation"] for event in sandbox.state()["events"]}
    assert flags == {"inside-past": True, "inside-future": True, "outside-past": False,
                     "outside-future": False, "backfill": False, "no-date": True}
    no_date = sandbox.state()["events"][-1]
    stored = datetime.fromisoformat(no_date["_event_date"])
    assert abs(stored - datetime.now(UTC)) < timedelta(minutes=5)


def test_window_edges_against_the_reception_time():
    clock = FakeClock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC).timestamp())
    with SandboxServer(SandboxConfig(), clock=clock) as server:
        api = Api(server)
        try:
            api.contacts([{"_user_id": "U1"}])
            api.events([
                purchase("edge", _event_date="2026-11-27T11:00:00.000Z"),
                purchase("past-edge", _event_date="2026-11-27T10:59:59.999Z"),
                purchase("offset", _event_date="2026-11-27T13:30:00+01:00"),
                # No offset: read in the datasource's timezone (Madrid, UTC+1 in November).
                purchase("local", _event_date="2026-11-27T13:00:00"),
                purchase("local-late", _event_date="2026-11-27T14:30:00"),
            ])
            flags = {event["_event_id"]: event["automation"] for event in server.state()["events"]}
        finally:
            api.close()
    assert flags == {"edge": True, "past-edge": False, "offset": True, "local": True,
                     "local-late": False}


@pytest.mark.usefixtures("contact")
def test_repeated_event_id_is_accepted_but_stored_once(api, sandbox):
    first = api.events([purchase("DUP"), purchase("DUP"), purchase("OTHER")])
    assert first.status_code == 202
    assert first.json()["entitiesSuccess"] == 3
    again = api.events([purchase("DUP")])
    assert again.status_code == 202
    assert again.json()["entitiesSuccess"] == 1
    assert [event["_event_id"] for event in sandbox.state()["events"]] == ["DUP", "OTHER"]


def test_event_only_item_for_a_missing_contact_is_skipped_silently(api, sandbox):
    response = api.events([purchase("E1", user_id="NOBODY")])
    assert response.status_code == 202
    assert response.json()["entitiesSuccess"] == 1
    assert response.json()["errors"] == []
    assert sandbox.state() == {"contacts": {}, "events": []}
    # Not stored, so the id was not used up either: once the contact exists it goes in.
    api.contacts([{"_user_id": "NOBODY"}])
    api.events([purchase("E1", user_id="NOBODY")])
    assert [event["_event_id"] for event in sandbox.state()["events"]] == ["E1"]


def test_user_data_creates_or_updates_the_contact(api, sandbox):
    response = api.events([
        purchase("E1", user_id="NEW", _user_data={"_first_name": "Ada", "plan": "pro"}),
        # Same batch: the contact now exists, so an event-only item for it is stored.
        purchase("E2", user_id="NEW"),
        purchase("E3", user_id="NEW", _user_data={"plan": None, "vip": True}),
    ])
    assert response.status_code == 202
    state = sandbox.state()
    assert state["contacts"] == {"NEW": {"_user_id": "NEW", "_first_name": "Ada", "vip": True}}
    assert [event["_event_id"] for event in state["events"]] == ["E1", "E2", "E3"]


def test_invalid_user_data_rejects_the_whole_item(api, sandbox):
    response = api.events([
        purchase("E1", user_id="NEW", _user_data={"_email": "not-an-email"}),
        purchase("E2", user_id="NEW", _user_data={"_email_verified": "1"}),
        purchase("E3", user_id="NEW", _user_data={"_user_id": "SOMEONE-ELSE"}),
    ])
    assert response.status_code == 422
    errors = errors_of(response.json())
    assert errors[0].startswith("_user_data._email: ")
    assert "read-only" in errors[1]
    assert errors[2].startswith("_user_data._user_id: ")
    assert sandbox.state() == {"contacts": {}, "events": []}


@pytest.mark.usefixtures("contact")
@pytest.mark.parametrize(("item", "field"), [
    ({"_event_id": "X", "_event_type": "purchase",
      "_event_parameters": {"order_id": "1", "amount": 1}}, "_user_id"),
    ({"_user_id": "U1", "_event_type": "purchase",
      "_event_parameters": {"order_id": "1", "amount": 1}}, "_event_id"),
    ({"_user_id": "U1", "_event_id": 7, "_event_type": "signup"}, "_event_id"),
    ({"_user_id": "U1", "_event_id": "X"}, "_event_type"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "teleported"}, "_event_type"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "signup",
      "_event_date": "27/11/2026 10:00"}, "_event_date"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "signup", "plan": "pro"}, "plan"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "signup",
      "_event_parameters": ["source"]}, "_event_parameters"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "purchase",
      "_event_parameters": {"amount": 5}}, "_event_parameters.order_id"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "purchase",
      "_event_parameters": {"order_id": "O" * 33, "amount": 5}}, "_event_parameters.order_id"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "purchase",
      "_event_parameters": {"order_id": "O", "amount": "five"}}, "_event_parameters.amount"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "purchase",
      "_event_parameters": {"order_id": "O", "amount": 5, "coupon": "X"}},
     "_event_parameters.coupon"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "purchase",
      "_event_parameters": {"order_id": "O", "amount": 5, "products": ["p"] * 11}},
     "_event_parameters.products"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "reservation_made",
      "_event_parameters": {"reservation_id": "R", "check_in": "2026-13-01"}},
     "_event_parameters.check_in"),
    ({"_user_id": "U1", "_event_id": "X", "_event_type": "signup",
      "_event_parameters": {"newsletter": "yes"}}, "_event_parameters.newsletter"),
])
def test_invalid_events_are_rejected_per_item(api, sandbox, item, field):
    response = api.events([item, purchase("GOOD")])
    assert response.status_code == 202, response.text
    errors = errors_of(response.json())
    assert list(errors) == [0]
    assert errors[0].startswith(f"{field}: "), errors[0]
    assert [event["_event_id"] for event in sandbox.state()["events"]] == ["GOOD"]


@pytest.mark.usefixtures("contact")
def test_optional_parameters_and_limits_that_pass(api, sandbox):
    response = api.events([
        {"_user_id": "U1", "_event_id": "S", "_event_type": "signup"},
        {"_user_id": "U1", "_event_id": "P", "_event_type": "purchase",
         "_event_parameters": {"order_id": "O" * 32, "amount": 5, "currency": "EUR",
                               "products": ["p"] * 10}},
        {"_user_id": "U1", "_event_id": "R", "_event_type": "reservation_made",
         "_event_parameters": {"reservation_id": "R1", "check_in": "2026-12-24",
                               "guests": "2"}},
        {"_user_id": "U1", "_event_id": "V", "_event_type": "viewed_product",
         "_event_parameters": {"product_id": "SKU-1", "url": None}},
    ])
    assert response.status_code == 202
    assert response.json()["errors"] == []
    assert len(sandbox.state()["events"]) == 4


@pytest.mark.usefixtures("contact")
def test_dry_run_stores_no_event_and_no_user_data(api, sandbox):
    response = api.events([purchase("E1"), purchase("E2", user_id="NEW",
                                                    _user_data={"_first_name": "X"})],
                          _dryRun="")
    assert response.status_code == 202
    assert response.json()["dryRun"] is True
    state = sandbox.state()
    assert state["events"] == []
    assert set(state["contacts"]) == {"U1"}


@pytest.mark.usefixtures("contact")
def test_events_keep_arrival_order(api, sandbox):
    for batch in range(3):
        api.events([purchase(f"B{batch}-{index}") for index in range(4)])
    assert [event["_event_id"] for event in sandbox.state()["events"]] == [
        f"B{batch}-{index}" for batch in range(3) for index in range(4)
    ]


def test_events_answer_shape_b_names_the_user(api, sandbox):
    sandbox.set_answer_shape("B")
    api.contacts([{"_user_id": "U1"}])
    response = api.events([purchase("E1"), {"_user_id": "U2", "_event_id": "E2",
                                            "_event_type": "nope"}])
    items = response.json()["entity"]["items"]
    assert items[0] == {"status": "success", "_user_id": "U1"}
    assert items[1]["status"] == "error"
    assert items[1]["_user_id"] == "U2"
    assert list(items[1]["errors"]) == ["_event_type"]


def test_reception_time_comes_from_the_server_clock():
    clock = FakeClock(time.time() - 10 * 3600)  # the server believes it is 10 hours ago
    with SandboxServer(SandboxConfig(), clock=clock) as server:
        api = Api(server)
        try:
            api.events([purchase("NOW", user_id="U", _user_data={})])
            event = server.state()["events"][0]
        finally:
            api.close()
    assert datetime.fromisoformat(event["_event_date"]).timestamp() == pytest.approx(
        clock.now, abs=0.001)
    assert event["automation"] is True
