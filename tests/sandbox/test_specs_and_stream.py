"""The demo datasource as served: spec endpoints, field names, and GET /stream metadata."""

from __future__ import annotations

from ingest_gui.api.specs import (
    AttributeSpec,
    DatasourceSpecs,
    EventParameterSpec,
    EventSpec,
    StreamInfo,
)
from tests.core.factories import make_specs

ATTRIBUTE_FIELDS = {"uid", "displayLabel", "description", "dataType", "multivalue", "readOnly",
                    "requiredInWebhook", "important", "visible", "custom"}
EVENT_FIELDS = {"uid", "name", "description", "category", "attribution", "automation", "icon",
                "emoji", "important"}
PARAMETER_FIELDS = {"parameter", "title", "description", "icon", "dataType", "visualType",
                    "maxLength", "required", "multiValue"}


def test_spec_endpoints_serve_the_reference_field_names(api):
    attributes = api.get("/specs/attributes")
    events = api.get("/specs/events")
    assert attributes.status_code == events.status_code == 200
    assert all(set(spec) == ATTRIBUTE_FIELDS for spec in attributes.json()["specs"])
    assert all(set(spec) == EVENT_FIELDS for spec in events.json()["specs"])
    for event in events.json()["specs"]:
        parameters = api.get(f"/specs/event-parameters/{event['uid']}")
        assert parameters.status_code == 200
        assert all(set(spec) == PARAMETER_FIELDS for spec in parameters.json()["specs"])


def test_served_specs_are_the_same_datasource_as_the_core_test_factory(api):
    """Core tests (make_specs) and end-to-end tests (the sandbox) must describe one datasource."""
    attributes = tuple(AttributeSpec.from_json(spec)
                       for spec in api.get("/specs/attributes").json()["specs"])
    events = tuple(EventSpec.from_json(spec) for spec in api.get("/specs/events").json()["specs"])
    parameters = {
        event.uid: tuple(
            EventParameterSpec.from_json(spec)
            for spec in api.get(f"/specs/event-parameters/{event.uid}").json()["specs"]
        )
        for event in events
    }
    info = StreamInfo.from_json(api.get().json())
    served = DatasourceSpecs(attributes, events, parameters, info.default_country, info.timezone)
    assert served == make_specs()


def test_demo_datasource_covers_every_data_type_and_rule(api):
    attributes = {spec["uid"]: spec for spec in api.get("/specs/attributes").json()["specs"]}
    system = {"_user_id", "_first_name", "_last_name", "_full_name", "_email", "_phone_mobile",
              "_country_code", "_email_verified"}
    assert system <= set(attributes)
    assert attributes["_email_verified"]["readOnly"] is True
    types = {spec["dataType"] for spec in attributes.values() if spec["custom"]}
    assert {"text", "string", "number", "decimal", "bool", "date", "datetime", "email",
            "phone"} <= types
    assert attributes["interests"]["multivalue"] == 5
    event_types = [spec["uid"] for spec in api.get("/specs/events").json()["specs"]]
    assert event_types == ["purchase", "viewed_product", "reservation_made", "signup"]
    signup = api.get("/specs/event-parameters/signup").json()["specs"]
    assert signup
    assert not any(spec["required"] for spec in signup)
    purchase = {spec["parameter"]: spec
                for spec in api.get("/specs/event-parameters/purchase").json()["specs"]}
    assert purchase["order_id"]["required"]
    assert purchase["order_id"]["maxLength"] == 32
    assert purchase["amount"]["maxLength"] is None


def test_unknown_event_type_parameters_are_404(api):
    response = api.get("/specs/event-parameters/teleported")
    assert response.status_code == 404
    assert "teleported" in response.json()["message"]


def test_stream_metadata_sections_and_live_counters(api):
    first = api.get().json()
    assert set(first) >= {"organization", "project", "datasource", "stream"}
    assert first["organization"]["api"]["tier"]
    assert {"id", "uid", "name", "locale", "timezone"} <= set(first["project"])
    datasource = first["datasource"]
    assert datasource["defaultCountry"] == "ES"
    assert datasource["timezone"] == "Europe/Madrid"
    assert datasource["receivedContacts"] == 0
    assert {"callsTotal", "callsSuccess", "callsFailures", "processedEntitiesSuccess",
            "processedEntitiesFailures"} <= set(first["stream"])
    assert "sandbox-token" not in api.get().text

    api.contacts([{"_user_id": "A"}, {"_user_id": "B"}, {"_user_id": "C", "_email": "nope"}])
    api.events([{"_user_id": "A", "_event_id": "e1", "_event_type": "signup"}])
    api.http.get(api.stream, headers={"Authorization": "Bearer wrong"})  # not this datasource's

    later = api.get().json()
    assert later["datasource"]["receivedContacts"] == 2
    assert later["datasource"]["receivedEvents"] == 1
    stream = later["stream"]
    # Counted: the two GETs above and both POSTs; the 401 never authenticated, and a call's
    # own answer is computed before it is counted.
    assert stream["callsTotal"] == first["stream"]["callsTotal"] + 4
    assert stream["processedEntitiesSuccess"] == 3
    assert stream["processedEntitiesFailures"] == 1
