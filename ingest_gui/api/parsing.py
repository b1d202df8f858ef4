"""Pure functions that turn the service's answers into the client's types.

Kept apart from the HTTP code so they can be tested (and fuzzed) on their own. The rule that runs
through all of them: an answer that is not what the API documents raises
:class:`~ingest_gui.api.errors.ResponseFormatError`; nothing is ever taken as *accepted* unless the
answer says so item by item.
"""

from __future__ import annotations

import email.utils
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeGuard, TypeVar

import msgspec

from ingest_gui.api.errors import ResponseFormatError
from ingest_gui.api.items import user_id_text
from ingest_gui.api.results import ItemResult, RateLimit, WriteResult, accepted_item
from ingest_gui.texts import QT_TRANSLATE_NOOP, fill, translate, translate_marked

# Item messages, translated where an answer needs them. (Here, above the ``#:``
# comments, which lupdate would hand to translators as notes on these sentences.)
NO_REASON = QT_TRANSLATE_NOOP(
    "ApiClient", "The service rejected this item without giving a reason.")
BATCH_REJECTED = QT_TRANSLATE_NOOP(
    "ApiClient", "The service rejected every item of this batch (422) without giving a reason.")
TOO_DEEPLY_NESTED = QT_TRANSLATE_NOOP(
    "ApiClient", "The service's error message was too deeply nested to read.")

#: ``X-RateLimit-Reset`` values below this are seconds from now, not a Unix timestamp
#: (10**9 seconds after the epoch is September 2001).
_EPOCH_THRESHOLD = 1e9
#: Longest service message kept in an error or item message.
MAX_MESSAGE_CHARS = 500
#: Most messages kept for one item (a hostile answer could list millions).
MAX_MESSAGES_PER_ITEM = 50

ACCEPTED_STATUSES = frozenset({"success", "ok", "accepted", "created", "updated", "deleted"})
REJECTED_STATUSES = frozenset({"error", "failed", "failure", "rejected", "invalid"})

Redactor = Callable[[str], str]
SpecT = TypeVar("SpecT")


def _keep(text: str) -> str:
    return text


def clip(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# -- headers ------------------------------------------------------------------------------------
def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return number


def _integer(value: str | None) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """``Retry-After`` as seconds from ``now``: delta-seconds or an HTTP date."""
    seconds = _number(value)
    if seconds is not None or value is None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        return None
    return max(0.0, when.timestamp() - now)


def parse_rate_limit(headers: Mapping[str, str], now: float) -> RateLimit:
    """The ``X-RateLimit-*`` and ``Retry-After`` headers of one answer; ``now`` is Unix time."""
    reset = _number(headers.get("x-ratelimit-reset"))
    if reset is not None and reset < _EPOCH_THRESHOLD:
        reset = now + reset
    return RateLimit(
        limit=_integer(headers.get("x-ratelimit-limit")),
        remaining=_integer(headers.get("x-ratelimit-remaining")),
        reset_at=reset,
        retry_after=parse_retry_after(headers.get("retry-after"), now),
    )


# -- bodies -------------------------------------------------------------------------------------
def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: One strict decoder for every answer (``json.loads`` with an option builds one per call);
#: shared across threads like ``json``'s own default decoder.
_STRICT_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_ANY_JSON = msgspec.json.Decoder()


def _strict_loads(body: bytes) -> Any:
    """``body`` as strict JSON (no ``NaN``/``Infinity``); ValueError or RecursionError if not.

    msgspec reads the usual answer (UTF-8) several times faster than ``json``. What it refuses
    goes to ``json``, which stays the judge of what is acceptable: UTF-16/32 bodies, a BOM and
    escaped lone surrogates read as before, and anything else is still refused.
    """
    try:
        return _ANY_JSON.decode(body)
    except msgspec.DecodeError:
        pass
    return _STRICT_DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))


def decode_json(body: bytes, what: str) -> Any:
    """Parse an answer body; anything that is not strict JSON raises ResponseFormatError.

    ``what`` names the request, translated ("the stream request")."""
    try:
        return _strict_loads(body)
    except (ValueError, RecursionError):
        # ValueError covers UnicodeDecodeError and over-long integers too.
        pass
    # Raised outside the ``except``: the decoder's error holds the whole body as context, and
    # the body may repeat anything (a token included).
    raise ResponseFormatError(fill(translate(
        "ApiClient", "The Instasent API answered {request} with something that is not valid JSON."),
        request=what))


def try_decode_json(body: bytes) -> Any:
    """Like :func:`decode_json`, but ``None`` for an empty or unreadable body."""
    if not body.strip():
        return None
    try:
        return _strict_loads(body)
    except (ValueError, RecursionError):
        return None


class _Echo(msgspec.Struct, gc=False):
    """An echoed item, reduced to its ``_user_id``: the rest of the echo is skipped, not built."""

    user_id: Any = msgspec.field(default=msgspec.UNSET, name="_user_id")


class _Entry(msgspec.Struct, gc=False):
    """One shape-A entry. An absent key reads as ``None``, as ``Mapping.get`` gives it, which is
    all the rules below ever ask of an entry. A position that is not an integer (``true``,
    ``1.0``, ``"1"``) sends the whole answer to the general path."""

    position: int | None = None
    item: _Echo | str | int | None = None
    error: Any = None
    errors: Any = None
    message: Any = None


class _SkimmedAnswer(msgspec.Struct, gc=False):
    """The keys of a write answer the parser reads; others are skipped."""

    accepted: list[_Entry] | msgspec.UnsetType = msgspec.UNSET
    errors: list[_Entry] | msgspec.UnsetType = msgspec.UNSET
    dryRun: Any = msgspec.UNSET
    entity: Any = msgspec.UNSET


_SKIMMED_KEYS = _SkimmedAnswer.__struct_fields__
_SKIM = msgspec.json.Decoder(_SkimmedAnswer)


def decode_write_answer(body: bytes) -> Any:
    """A write answer's body, for :func:`parse_write_answer`; ResponseFormatError if not JSON.

    Shape A echoes every item sent (about 28 KB for 100 contacts), and building all of it as
    Python objects was the largest part of the client's CPU per batch. Here each echo is read as
    its ``_user_id`` only (msgspec skips the rest without building it); the parser's rules are
    the same either way. A body of any other form (shape B, an entry or echo of an unexpected
    type, not plain UTF-8) is decoded whole instead, as :func:`decode_json` does.
    """
    try:
        skimmed = _SKIM.decode(body)
    except msgspec.DecodeError:
        return decode_json(body, "this batch")
    return {key: value for key in _SKIMMED_KEYS
            if (value := getattr(skimmed, key)) is not msgspec.UNSET}


def _entry_mapping(entry: _Entry) -> dict[str, Any]:
    """A skimmed entry as the mapping the general rules read (the echo as its user id)."""
    item: Any = entry.item
    if type(item) is _Echo:
        item = {} if item.user_id is msgspec.UNSET else {"_user_id": item.user_id}
    return {"position": entry.position, "item": item, "error": entry.error,
            "errors": entry.errors, "message": entry.message}


def _text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        parts = [text for text in (_text_of(item) for item in value) if text]
        return "; ".join(parts) or None
    if isinstance(value, Mapping):
        parts = []
        for key, item in value.items():
            text = _text_of(item)
            if text:
                parts.append(f"{key}: {text}")
        return "; ".join(parts) or None
    return str(value)


def service_message(body: Any, redact: Redactor = _keep) -> str | None:
    """The human message of an error body: ``message``, else ``error``, else ``errors``."""
    if isinstance(body, str):
        text = _text_of(body)
        return clip(redact(text)) if text else None
    if not isinstance(body, Mapping):
        return None
    for key in ("message", "error", "errors", "detail"):
        try:
            text = _text_of(body.get(key))
        except RecursionError:
            text = None
        if text:
            return clip(redact(text))
    return None


def _messages(value: Any, redact: Redactor) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        texts = [_text_of(item) for item in value[:MAX_MESSAGES_PER_ITEM]]
    else:
        texts = [_text_of(value)]
    return tuple(clip(redact(text)) for text in texts if text)


def field_errors(value: Any, redact: Redactor = _keep) -> dict[str, tuple[str, ...]]:
    """Normalise a per-item error (a string, a list, or ``{field: message(s)}``)."""
    errors: dict[str, tuple[str, ...]] = {}
    try:
        if isinstance(value, Mapping):
            for key, item in list(value.items())[:MAX_MESSAGES_PER_ITEM]:
                texts = _messages(item, redact)
                if texts:
                    name = clip(redact(str(key)), 100)
                    errors[name] = errors.get(name, ()) + texts
        else:
            texts = _messages(value, redact)
            if texts:
                errors[""] = texts
    except RecursionError:
        errors = {"": (translate_marked("ApiClient", TOO_DEEPLY_NESTED),)}
    return errors


def _user_id_of(value: Any) -> str | None:
    """An item's (or a bare) ``_user_id`` as text without surrounding spaces, else ``None``."""
    # ``type(...) is`` first: JSON gives plain dicts, and the ABC check is slow.
    if type(value) is dict or isinstance(value, Mapping):
        value = value.get("_user_id")
    text = user_id_text(value)
    return None if text is None else text.strip()


def _check_echo(sent: Sequence[str | None], position: int, echoed: Any) -> None:
    """The answer names a ``_user_id`` for an item: it must be the one sent at that position.

    A mismatch means the answer is not aligned with the request, and mapping its errors to
    spreadsheet rows would blame the wrong rows.
    """
    answered = _user_id_of(echoed)
    if answered is None:
        return
    sent_id = sent[position]
    if sent_id == answered:  # the usual case: the very text sent, echoed back
        return
    expected = _user_id_of(sent_id)
    if expected is not None and expected != answered:
        raise _format_error(fill(translate(
            "ApiClient", "item {item} names a different _user_id than the one sent"),
            item=str(position)))


def _format_error(detail: str) -> ResponseFormatError:
    """``detail``: what is wrong with the answer, translated."""
    return ResponseFormatError(fill(translate(
        "ApiClient", "The Instasent API's answer to this batch could not be understood "
        "({detail}); no item of it is counted as accepted."), detail=detail))


def _item_errors(entry: Mapping[str, Any], redact: Redactor) -> dict[str, tuple[str, ...]]:
    for key in ("error", "errors", "message"):
        if entry.get(key) is not None:
            errors = field_errors(entry.get(key), redact)
            if errors:
                return errors
    return {}


def _shape_a(
    body: Mapping[str, Any], sent: Sequence[str | None], redact: Redactor
) -> list[ItemResult]:
    """``{"accepted": [{"position", "item"}], "errors": [{"position", "item", "error"}]}``."""
    accepted, rejected = body.get("accepted", []), body.get("errors", [])
    if not isinstance(accepted, list) or not isinstance(rejected, list):
        raise _format_error(translate("ApiClient", "'accepted' and 'errors' must be lists"))
    count = len(sent)
    if not rejected and _every_item_echoed_in_order(accepted, sent):
        return [accepted_item(position) for position in range(count)]
    results: list[ItemResult | None] = [None] * count
    for entry in accepted:
        # The usual skimmed entry (a new position whose echo is exactly the user id sent) is
        # settled here, anything else by the general rules.
        if type(entry) is _Entry:
            position, item = entry.position, entry.item
            if (type(position) is int and 0 <= position < count and results[position] is None
                    and type(item) is _Echo and item.user_id == sent[position]):
                results[position] = accepted_item(position)
                continue
            entry = _entry_mapping(entry)
        _settle_entry(entry, None, sent, results)
    for entry in rejected:
        _settle_entry(_entry_mapping(entry) if type(entry) is _Entry else entry, redact, sent,
                      results)
    complete = [result for result in results if result is not None]
    if len(complete) != count:
        missing = results.index(None)
        raise _format_error(fill(translate("ApiClient", "it says nothing about item {item}"),
                                 item=str(missing)))
    return complete


def _every_item_echoed_in_order(accepted: list[Any], sent: Sequence[str | None]) -> bool:
    """Whether ``accepted`` is one skimmed entry per item sent, in request order, each echoing
    the very user id sent: the usual answer, checked in two list comparisons."""
    try:
        return ([entry.position for entry in accepted] == list(range(len(sent)))
                and [entry.item.user_id for entry in accepted] == list(sent))
    except AttributeError:  # an entry that is not skimmed, or an echo that is not an object
        return False


def _settle_entry(entry: Any, rejected_with: Redactor | None, sent: Sequence[str | None],
                  results: list[ItemResult | None]) -> None:
    """Record one shape-A entry in ``results``: accepted, or rejected when ``rejected_with``
    (the redactor for its messages) is given."""
    if not isinstance(entry, Mapping):
        raise _format_error(translate("ApiClient", "an item entry is not an object"))
    count = len(sent)
    position = entry.get("position")
    if type(position) is not int or not 0 <= position < count:
        raise _format_error(fill(translate(
            "ApiClient", "an item position is missing or outside 0..{last}"), last=str(count - 1)))
    if results[position] is not None:
        raise _format_error(fill(translate("ApiClient", "item {item} is reported twice"),
                                 item=str(position)))
    _check_echo(sent, position, entry.get("item"))
    if rejected_with is None:
        results[position] = accepted_item(position)
    else:
        errors = _item_errors(entry, rejected_with) or {
            "": (translate_marked("ApiClient", NO_REASON),)}
        results[position] = ItemResult(position, False, errors)


def _shape_b(
    entity: Mapping[str, Any], sent: Sequence[str | None], redact: Redactor
) -> list[ItemResult]:
    """``{"entity": {"items": [{"status": "success"|"error", "errors": {field: [msgs]}}]}}``."""
    items = entity.get("items")
    if not isinstance(items, list):
        raise _format_error(translate("ApiClient", "'entity.items' is not a list"))
    if len(items) != len(sent):
        raise _format_error(fill(translate(
            "ApiClient", "it answers for a different number of items than were sent "
            "(answers: {answered}, items sent: {sent})"), answered=len(items), sent=len(sent)))
    results: list[ItemResult] = []
    for index, entry in enumerate(items):
        if not isinstance(entry, Mapping):
            raise _format_error(translate("ApiClient", "an item entry is not an object"))
        raw_status = entry.get("status")
        status = raw_status.strip().lower() if isinstance(raw_status, str) else None
        if status in ACCEPTED_STATUSES:
            is_accepted = True
        elif status in REJECTED_STATUSES:
            is_accepted = False
        else:
            raise _format_error(fill(translate(
                "ApiClient", "item {item} has no recognisable status"), item=str(index)))
        _check_echo(sent, index, entry)
        errors = _item_errors(entry, redact)
        if is_accepted and not errors:
            results.append(accepted_item(index))
            continue
        if not is_accepted and not errors:
            errors = {"": (translate_marked("ApiClient", NO_REASON),)}
        results.append(ItemResult(index, is_accepted, errors))
    return results


def _dry_run_flag(body: Mapping[str, Any], requested: bool) -> bool:
    for holder in (body, body.get("entity")):
        if isinstance(holder, Mapping) and isinstance(holder.get("dryRun"), bool):
            return bool(holder["dryRun"])
    return requested


def is_write_answer(body: Any) -> TypeGuard[Mapping[str, Any]]:
    """Whether ``body`` looks like shape A or shape B at all."""
    if not isinstance(body, Mapping):
        return False
    if isinstance(body.get("entity"), Mapping):
        return True
    return "accepted" in body or isinstance(body.get("errors"), list)


def parse_write_answer(
    body: Any,
    sent: Sequence[str | None],
    *,
    status: int,
    rate_limit: RateLimit,
    requested_dry_run: bool = False,
    redact: Redactor = _keep,
) -> WriteResult:
    """One :class:`WriteResult` with an item per item sent, from shape A or shape B.

    ``sent`` holds the ``_user_id`` of each item sent, in request order (``None`` where an item
    had none): echoed user ids are checked against it.

    ``status`` 422 means every item failed: whatever the body claims, no item is accepted, and a
    body in neither shape still yields a result (every item rejected with the service's message).
    """
    all_failed = status == 422
    if is_write_answer(body):
        entity = body.get("entity")
        try:
            if isinstance(entity, Mapping):
                results = _shape_b(entity, sent, redact)
            else:
                results = _shape_a(body, sent, redact)
        except ResponseFormatError:
            if not all_failed:
                raise
            # The status alone says every item failed; an unreadable body cannot change that.
            return _all_rejected(body, sent, status, rate_limit, requested_dry_run, redact)
        if all_failed:
            batch_rejected = translate_marked("ApiClient", BATCH_REJECTED)
            results = [
                item if not item.accepted
                else ItemResult(item.position, False, {"": (batch_rejected,)})
                for item in results
            ]
        dry_run = _dry_run_flag(body, requested_dry_run)
        return WriteResult(status, tuple(results), dry_run, rate_limit)
    if not all_failed:
        raise _format_error(translate("ApiClient", "it is in neither documented answer shape"))
    return _all_rejected(body, sent, status, rate_limit, requested_dry_run, redact)


def _all_rejected(
    body: Any,
    sent: Sequence[str | None],
    status: int,
    rate_limit: RateLimit,
    dry_run: bool,
    redact: Redactor,
) -> WriteResult:
    message = service_message(body, redact)
    reason = (
        fill(translate("ApiClient", "The service rejected every item of this batch: {message}"),
             message=message)
        if message else translate_marked("ApiClient", BATCH_REJECTED)
    )
    items = tuple(ItemResult(index, False, {"": (reason,)}) for index in range(len(sent)))
    return WriteResult(status, items, dry_run, rate_limit)


# -- reads --------------------------------------------------------------------------------------
def parse_spec_list(
    body: Any, factory: Callable[[Mapping[str, Any]], SpecT], key: str, what: str
) -> tuple[SpecT, ...]:
    """``{"specs": [...]}`` (or a bare list) into spec objects; every entry needs its ``key``.

    ``what`` names the list's contents, translated ("contact attributes")."""
    entries = body.get("specs") if isinstance(body, Mapping) else body
    if not isinstance(entries, list):
        raise ResponseFormatError(fill(translate(
            "ApiClient", "The Instasent API's list of {what} is not a list."), what=what))
    specs: list[SpecT] = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise ResponseFormatError(fill(translate(
                "ApiClient", "An entry in the Instasent API's list of {what} is not an object."),
                what=what))
        identifier = entry.get(key)
        if not isinstance(identifier, str) or not identifier.strip():
            raise ResponseFormatError(fill(translate(
                "ApiClient", "An entry in the Instasent API's list of {what} has no '{key}'."),
                what=what, key=key))
        try:
            specs.append(factory(entry))
            continue
        except (TypeError, ValueError, OverflowError, RecursionError):
            pass
        raise ResponseFormatError(fill(translate(
            "ApiClient", "An entry in the Instasent API's list of {what} could not be read."),
            what=what))
    return tuple(specs)


def unwrap_contact(body: Any) -> Mapping[str, Any]:
    """The contact from ``GET /stream/contacts/{id}``: bare, or under entity/contact/data."""
    if not isinstance(body, Mapping):
        raise ResponseFormatError(translate(
            "ApiClient", "The Instasent API's answer about the contact is not an object."))
    if "_user_id" not in body:
        for key in ("entity", "contact", "data"):
            inner = body.get(key)
            if isinstance(inner, Mapping):
                return inner
    return body
