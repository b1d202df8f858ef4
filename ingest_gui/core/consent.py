"""Marketing consent: which attributes carry it, what an import changes, and the guard.

Granting marketing consent by import is a legal act for the marketer (GDPR, ePrivacy): a column
mapped by mistake can send SMS to thousands of people who never agreed. So:

- :func:`consent_attribute` recognises a consent attribute of any datasource: Instasent's
  ``_accepts_marketing_*`` / ``_is_subscribed_*`` uids, or any yes/no attribute whose uid or
  label says consent (consent, opt-in, accepts marketing, subscribed, suscrito, acepta, ...),
  with its channel (SMS, e-mail, WhatsApp, other). An attribute that says the opposite
  ("Unsubscribed", "Opted out of email") is *negative*: its "1" withdraws consent.
- :func:`withdraw_conflicting_grants` makes negative signals win before the batches are
  planned: when the file both grants and withdraws a channel's consent for the same person
  (two rows with the same user id, or two attributes of one channel in one row), every value
  of that person for that channel is sent as the withdrawal.
- :func:`count_consent` counts, over the rows the plan sends and the values it sends for them,
  the contacts each channel's consent is given to and withdrawn from; with a preview sample of
  current records, how many of the granted ones did not have it before.
- :func:`require_confirmation` refuses an import that grants consent on a channel the user
  did not confirm by name. Withdrawing needs no confirmation; it is shown.

What counts as granting: a value that leaves the contact with consent ("1" on a positive
attribute; "0" or ``null`` on a negative one). Everything else, ``null`` on a positive
attribute included (it clears the consent), counts as withdrawing.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest_gui.api.specs import AttributeSpec, DatasourceSpecs
from ingest_gui.core.mapping import USER_DATA_PREFIX, ImportKind
from ingest_gui.core.mapping import Mapping as ColumnMapping
from ingest_gui.texts import QT_TRANSLATE_NOOP, fill, translate, translate_marked

if TYPE_CHECKING:
    from ingest_gui.core.payload import PayloadPlan
    from ingest_gui.core.validation import ValidationResult

USER_ID = "_user_id"


class Channel(StrEnum):
    """Where marketing may reach a contact. The values are the command line's words."""

    SMS = "sms"
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    # Consent that names no channel ("Newsletter", "Partner offers", "Consentimiento RGPD").
    OTHER = "other"


# Instasent's own consent and subscription attributes (the API reference's consent note).
KNOWN_CONSENT_UIDS: dict[str, Channel] = {
    "_accepts_marketing_sms": Channel.SMS,
    "_accepts_marketing_email": Channel.EMAIL,
    "_accepts_marketing_whatsapp": Channel.WHATSAPP,
    "_is_subscribed_sms": Channel.SMS,
    "_is_subscribed_email": Channel.EMAIL,
    "_is_subscribed_whatsapp": Channel.WHATSAPP,
}

# Matched against " word word ... " (uid and label, lower case, accents and punctuation gone).
_CONSENT_PHRASES = (
    "consent", "consents", "consentimiento", "consiente", "opt in", "optin", "opted in",
    "subscribed", "subscriber", "subscription", "suscrito", "suscrita", "suscripcion",
    "acepta", "aceptan", "acepto", "newsletter", "permission",
)
# "Accepts SMS marketing", "Accept marketing": both words anywhere.
_ACCEPT_WORDS = ("accepts", "accept", "accepted")
_MARKETING_WORDS = ("marketing", "publicidad", "comunicaciones", "ofertas", "offers", "ads")
_NEGATIVE_PHRASES = (
    "unsubscribed", "unsubscribe", "unsub", "desuscrito", "opt out", "optout", "opted out",
    "blacklisted", "blacklist", "blocklisted", "blocklist", "suppressed", "suppression",
    "do not", "dont", "no acepta", "no suscrito", "baja", "rechaza",
)
_CHANNEL_PHRASES: tuple[tuple[Channel, tuple[str, ...]], ...] = (
    (Channel.WHATSAPP, ("whatsapp", "wa", "whats app")),
    (Channel.SMS, ("sms", "text message", "text messages", "texto")),
    (Channel.EMAIL, ("email", "e mail", "mail", "correo", "newsletter", "emails")),
)

_CHANNEL_NAMES = {
    Channel.SMS: QT_TRANSLATE_NOOP("Consent", "SMS"),
    Channel.EMAIL: QT_TRANSLATE_NOOP("Consent", "e-mail"),
    Channel.WHATSAPP: QT_TRANSLATE_NOOP("Consent", "WhatsApp"),
    Channel.OTHER: QT_TRANSLATE_NOOP("Consent", "other"),
}


def _words(text: str) -> str:
    """`` word word `` from any text: lower case, no accents, camelCase and ``_`` split."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


def _has(words: str, phrases: Iterable[str]) -> bool:
    return any(f" {phrase} " in words for phrase in phrases)


@dataclass(frozen=True, slots=True)
class ConsentAttribute:
    """A yes/no attribute that gives or withdraws marketing consent on one channel."""

    uid: str
    label: str
    channel: Channel
    # Its "1" withdraws consent ("Unsubscribed", "Opted out of email").
    negative: bool = False

    def grants(self, value: Any) -> bool:
        """True when sending ``value`` (``"1"``, ``"0"`` or ``None``) leaves consent given."""
        return _truthy(value) != self.negative


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return value is True or (isinstance(value, int | float) and value == 1)


def consent_attribute(spec: AttributeSpec) -> ConsentAttribute | None:
    """``spec`` as a consent attribute, or None when it is not one.

    Only yes/no (``bool``) attributes carry consent: a known uid, or a uid or label with a
    consent word. The channel comes from the known uid, else from channel words.
    """
    if spec.effective_type != "bool":
        return None
    label = spec.display_label or spec.uid
    words = _words(f"{spec.uid} {label}")
    negative = _has(words, _NEGATIVE_PHRASES)
    known = KNOWN_CONSENT_UIDS.get(spec.uid)
    recognised = known is not None or negative or _has(words, _CONSENT_PHRASES) or (
        _has(words, _ACCEPT_WORDS) and _has(words, _MARKETING_WORDS))
    if not recognised:
        return None
    channel = known or next(
        (channel for channel, phrases in _CHANNEL_PHRASES if _has(words, phrases)),
        Channel.OTHER)
    return ConsentAttribute(spec.uid, label, channel, negative=negative and known is None)


def consent_attributes(specs: DatasourceSpecs) -> dict[str, ConsentAttribute]:
    """Every consent attribute of the datasource, by uid."""
    found = (consent_attribute(spec) for spec in specs.attributes)
    return {attribute.uid: attribute for attribute in found if attribute is not None}


@dataclass(frozen=True, slots=True)
class ConsentTarget:
    """A mapped target that writes consent: its key (``uid`` or ``_user_data.uid``), the column
    feeding it and the attribute."""

    key: str
    column: str
    attribute: ConsentAttribute


def consent_targets(mapping: ColumnMapping, specs: DatasourceSpecs) -> list[ConsentTarget]:
    """The targets of ``mapping`` that write consent (contacts, or events' ``_user_data``)."""
    if mapping.kind is ImportKind.DELETE:
        return []
    attributes = consent_attributes(specs)
    found = []
    for key, column in mapping.assignments.items():
        uid = key.removeprefix(USER_DATA_PREFIX) if mapping.kind is ImportKind.EVENTS else key
        if mapping.kind is ImportKind.EVENTS and uid == key:
            continue  # an event's own field, not a contact attribute
        attribute = attributes.get(uid)
        if attribute is not None:
            found.append(ConsentTarget(key, column, attribute))
    return found


def _groups(targets: Iterable[ConsentTarget]) -> list[list[ConsentTarget]]:
    """Targets that speak for the same consent: one group per named channel; an "other"
    attribute alone ("Newsletter" and "Partner offers" are different permissions)."""
    by_channel: dict[Channel, list[ConsentTarget]] = {}
    groups: list[list[ConsentTarget]] = []
    for target in targets:
        if target.attribute.channel is Channel.OTHER:
            groups.append([target])
        else:
            by_channel.setdefault(target.attribute.channel, []).append(target)
    return [*by_channel.values(), *groups]


# --------------------------------------------------------------------------- negative signals


def _arrow(column: Any) -> Any:
    """A column of ``ValidationResult.values`` (an Arrow table) as one Arrow array."""
    import pyarrow as pa

    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _signals(validation: ValidationResult, target: ConsentTarget) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """Per frame row: does it send a value for ``target`` at all, and does that value leave
    consent given. An empty cell is left out, unless its column clears (then it is ``null``)."""
    import pyarrow.compute as pc

    column = _arrow(validation.values[target.key])
    if target.key in validation.clear_targets:
        sent = np.ones(len(column), dtype=bool)
    else:
        sent = np.asarray(pc.is_valid(column).to_numpy(zero_copy_only=False), dtype=bool)
    left_out = validation.left_out.get(target.key)
    if left_out is not None:
        sent &= ~left_out  # an invalid value left out says nothing, even where empty cells clear
    one = np.asarray(pc.fill_null(pc.equal(column, "1"), False).to_numpy(zero_copy_only=False),
                     dtype=bool)
    return sent, sent & (one != target.attribute.negative)


def _present_targets(validation: ValidationResult) -> list[ConsentTarget]:
    names = validation.values.column_names
    if USER_ID not in names:
        return []
    return [target for target in consent_targets(validation.mapping, validation.specs)
            if target.key in names]


def withdraw_conflicting_grants(
    validation: ValidationResult,
) -> tuple[ValidationResult, dict[str, int]]:
    """Negative signals win: ``validation`` with every grant of a person who is also withdrawn
    on the same channel turned into the withdrawal, and per channel how many people that was.

    A person is a user id. The file withdraws when any of their rows sends a withdrawing
    value ("0"; ``null`` from a column whose empty cells clear) on any attribute of the channel
    — invalid rows included: what the file says is known even if the row cannot be sent.
    The result is a new :class:`ValidationResult` (the values of untouched columns shared),
    or ``validation`` itself when nothing conflicts.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    targets = _present_targets(validation)
    if not targets:
        return validation, {}
    values = validation.values
    ids = _arrow(values[USER_ID])
    has_id = np.asarray(pc.is_valid(ids).to_numpy(zero_copy_only=False), dtype=bool)
    changed: dict[str, Any] = {}
    conflicts: dict[str, int] = {}
    for group in _groups(targets):
        grants: list[np.ndarray] = []
        withdraws: list[np.ndarray] = []
        for target in group:
            sent, grant = _signals(validation, target)
            grants.append(grant)
            withdraws.append(sent & ~grant)
        granting_rows = has_id & np.logical_or.reduce(grants)
        withdrawing_rows = has_id & np.logical_or.reduce(withdraws)
        if not granting_rows.any() or not withdrawing_rows.any():
            continue
        withdrawn_ids = pc.unique(pc.filter(ids, pa.array(withdrawing_rows)))
        withdrawn = pc.fill_null(pc.is_in(ids, value_set=withdrawn_ids), False)
        conflicting_rows = granting_rows & np.asarray(
            withdrawn.to_numpy(zero_copy_only=False), dtype=bool)
        if not conflicting_rows.any():
            continue
        for target, grant in zip(group, grants, strict=True):
            rewrite = conflicting_rows & grant
            if rewrite.any():
                column = changed.get(target.key, _arrow(values[target.key]))
                withdrawal = pa.scalar("1" if target.attribute.negative else "0", column.type)
                changed[target.key] = pc.if_else(pa.array(rewrite), withdrawal, column)
        channel = group[0].attribute.channel
        name = group[0].key if channel is Channel.OTHER else channel.value
        conflicts[name] = int(pc.count_distinct(
            pc.filter(ids, pa.array(conflicting_rows))).as_py())
    if not changed:
        return validation, {}
    new_values = values
    for key, column in changed.items():
        new_values = new_values.set_column(new_values.column_names.index(key), key, column)
    return dataclasses.replace(validation, values=new_values), conflicts


# --------------------------------------------------------------------------- counts


@dataclass(frozen=True, slots=True)
class ConsentCount:
    """Contacts whose consent an import gives and withdraws (on a channel or an attribute)."""

    grant: int = 0
    revoke: int = 0
    # Of the granted contacts found in the preview sample: how many (None: no sample).
    sampled_grants: int | None = None
    # ... and how many of those did not have consent before.
    newly_granted: int | None = None

    def as_json(self) -> dict[str, int]:
        return {"grant": self.grant, "revoke": self.revoke}


@dataclass(frozen=True, slots=True)
class ConsentReport:
    """What an import changes in marketing consent: the consent guard's facts.

    ``channels`` has one entry per channel the mapping writes (even when nothing changes);
    ``attributes`` one per consent target key; ``conflicts`` per channel (or target key, for
    "other" consent), how many people the file both granted and withdrew — sent withdrawn.
    """

    targets: tuple[ConsentTarget, ...] = ()
    channels: dict[Channel, ConsentCount] = field(default_factory=dict)
    attributes: dict[str, ConsentCount] = field(default_factory=dict)
    conflicts: dict[str, int] = field(default_factory=dict)

    @property
    def writes_consent(self) -> bool:
        return bool(self.targets)

    @property
    def granting_channels(self) -> list[Channel]:
        """Channels on which some contact would be given consent (these need confirming)."""
        return [channel for channel, count in self.channels.items() if count.grant]

    def as_json(self) -> dict[str, dict[str, int]]:
        """``{"sms": {"grant": n, "revoke": m}, ...}``: the ``--json`` summary's ``consent``."""
        return {channel.value: count.as_json() for channel, count in self.channels.items()}

    def sentences(self) -> list[str]:
        """Plain words, one sentence per channel (per attribute for "other" consent), then the
        conflicts resolved and what the preview sample says."""
        lines = []
        for channel, count in self.channels.items():
            if channel is Channel.OTHER:
                for target in self.targets:
                    if target.attribute.channel is Channel.OTHER:
                        lines.append(_change_sentence(
                            fill(translate("Consent", '"{label}"'),
                                 label=target.attribute.label),
                            self.attributes.get(target.key, ConsentCount())))
                continue
            lines.append(_change_sentence(
                fill(translate("Consent", "{channel} marketing"),
                     channel=translate_marked("Consent", _CHANNEL_NAMES[channel])), count))
        for name, people in self.conflicts.items():
            lines.append(fill(translate(
                "Consent", "{count} contacts both give and withdraw {what} consent in this "
                "file: they are sent as withdrawn (a withdrawal always wins)."),
                count=people, what=_what(name, self.targets)))
        for channel, count in self.channels.items():
            if count.sampled_grants:
                lines.append(fill(translate(
                    "Consent", "In the preview sample, {new} of the {sampled} contacts given "
                    "{channel} consent did not have it before."),
                    new=count.newly_granted or 0, sampled=count.sampled_grants,
                    channel=translate_marked("Consent", _CHANNEL_NAMES[channel])))
        return lines


def _what(name: str, targets: Iterable[ConsentTarget]) -> str:
    try:
        return translate_marked("Consent", _CHANNEL_NAMES[Channel(name)])
    except ValueError:
        label = next((t.attribute.label for t in targets if t.key == name), name)
        return fill(translate("Consent", '"{label}"'), label=label)


def _change_sentence(what: str, count: ConsentCount) -> str:
    if count.grant and count.revoke:
        template = translate("Consent", "This import gives {what} consent to {grant} contacts "
                             "and withdraws it from {revoke}.")
    elif count.grant:
        template = translate("Consent", "This import gives {what} consent to {grant} contacts.")
    elif count.revoke:
        template = translate("Consent", "This import withdraws {what} consent from {revoke} "
                             "contacts.")
    else:
        template = translate("Consent", "This import changes no contact's {what} consent.")
    return fill(template, what=what, grant=count.grant, revoke=count.revoke)


@dataclass(frozen=True, slots=True)
class _Seen:
    """Per contact (a user id's code) of the sent rows: any value sent, any withdrawing."""

    sent: np.ndarray
    withdrawn: np.ndarray

    def __or__(self, other: _Seen) -> _Seen:
        return _Seen(self.sent | other.sent, self.withdrawn | other.withdrawn)

    @property
    def granted(self) -> np.ndarray:
        granted: np.ndarray = self.sent & ~self.withdrawn
        return granted


def count_consent(
    validation: ValidationResult,
    plan: PayloadPlan,
    *,
    conflicts: Mapping[str, int] | None = None,
    current: Mapping[str, Mapping[str, Any] | None] | None = None,
) -> ConsentReport:
    """Count the contacts each consent channel and attribute is given to and withdrawn from by
    the rows ``plan`` sends (a contact is a user id, counted once; withdrawing wins).

    ``plan`` is the plan built from ``validation`` (after :func:`withdraw_conflicting_grants`):
    its rows are the rows sent, and each sends the cleaned value ``validation`` holds
    (``tests/core/test_consent.py`` proves the counts equal to those of the decoded items).
    ``conflicts``: what :func:`withdraw_conflicting_grants` resolved. ``current``: a preview
    sample, user id -> that contact's current record (None: no such contact yet); the granted
    contacts found in it are counted, and those without consent on that channel before.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    targets = tuple(_present_targets(validation))
    if not targets:
        return ConsentReport()
    rows = [np.asarray(batch.rows, dtype=np.int64) for batch in plan.batches
            if batch.kind is not ImportKind.DELETE]
    sent_rows = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    positions = pd.Index(validation.table.row_numbers).get_indexer(sent_rows)
    users = pc.dictionary_encode(_arrow(validation.values[USER_ID]).take(pa.array(positions)))
    if isinstance(users, pa.ChunkedArray):
        users = users.combine_chunks() if users.num_chunks != 1 else users.chunk(0)
    codes = np.asarray(users.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    dictionary = users.dictionary
    by_key: dict[str, _Seen] = {}
    for target in targets:
        sent, grant = (mask[positions] for mask in _signals(validation, target))
        seen = _Seen(np.zeros(len(dictionary), dtype=bool), np.zeros(len(dictionary), dtype=bool))
        seen.sent[codes[sent]] = True
        seen.withdrawn[codes[sent & ~grant]] = True
        by_key[target.key] = seen
    by_channel: dict[Channel, _Seen] = {}
    for target in targets:
        channel = target.attribute.channel
        seen = by_key[target.key]
        by_channel[channel] = by_channel[channel] | seen if channel in by_channel else seen
    sample = _sample_codes(dictionary, current)
    channels = {channel: _count(seen, [t.attribute for t in targets
                                       if t.attribute.channel is channel], sample)
                for channel, seen in by_channel.items()}
    attributes = {target.key: _count(by_key[target.key], [target.attribute], sample)
                  for target in targets}
    return ConsentReport(targets, channels, attributes, dict(conflicts or {}))


def _sample_codes(dictionary: Any, current: Mapping[str, Mapping[str, Any] | None] | None,
                  ) -> list[tuple[int, Mapping[str, Any] | None]] | None:
    """The preview sample's records by user code (the sampled user ids this import sends)."""
    if current is None:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    sampled = list(current)
    found = pc.index_in(pa.array(sampled, type=pa.string()),
                        value_set=dictionary.cast(pa.string())).to_pylist()
    return [(code, current[user]) for user, code in zip(sampled, found, strict=True)
            if code is not None]


def _count(seen: _Seen, attributes: list[ConsentAttribute],
           sample: list[tuple[int, Mapping[str, Any] | None]] | None) -> ConsentCount:
    granted = seen.granted
    grant = int(granted.sum())
    revoke = int((seen.sent & seen.withdrawn).sum())
    if sample is None:
        return ConsentCount(grant, revoke)
    records = [record for code, record in sample if granted[code]]
    newly = sum(1 for record in records if not _had_consent(record, attributes))
    return ConsentCount(grant, revoke, len(records), newly)


def _had_consent(record: Mapping[str, Any] | None, attributes: list[ConsentAttribute]) -> bool:
    if not record:
        return False
    return any(attribute.grants(record[attribute.uid]) for attribute in attributes
               if attribute.uid in record and record[attribute.uid] is not None)


# --------------------------------------------------------------------------- the guard


class ConsentNotConfirmedError(Exception):
    """An import would give consent on channels nobody confirmed. ``str()`` is a sentence naming
    the counts and channels; ``channels`` are the ones still to confirm."""

    def __init__(self, message: str, channels: list[Channel]) -> None:
        super().__init__(message)
        self.channels = channels


def parse_channels(text: str) -> list[Channel]:
    """``"sms,email"`` -> the channels; ``ValueError`` with a sentence for an unknown name."""
    channels = []
    for part in text.split(","):
        name = part.strip().lower()
        if not name:
            continue
        try:
            channels.append(Channel(name))
        except ValueError:
            raise ValueError(fill(translate(
                "Consent", '"{name}" is not a consent channel: use sms, email, whatsapp or '
                "other."), name=part.strip())) from None
    return channels


def unconfirmed_channels(report: ConsentReport, confirmed: Collection[str]) -> list[Channel]:
    """The channels ``report`` grants consent on that ``confirmed`` does not name."""
    names = {str(name).lower() for name in confirmed}
    return [channel for channel in report.granting_channels if channel.value not in names]


def require_confirmation(report: ConsentReport, confirmed: Collection[str]) -> None:
    """Raise :class:`ConsentNotConfirmedError` unless every channel ``report`` grants consent
    on is in ``confirmed`` (channel names). Withdrawals need no confirmation."""
    missing = unconfirmed_channels(report, confirmed)
    if not missing:
        return
    parts = []
    for channel in missing:
        grant = report.channels[channel].grant
        if channel is Channel.OTHER:
            labels = ", ".join(f'"{t.attribute.label}"' for t in report.targets
                               if t.attribute.channel is Channel.OTHER)
            parts.append(fill(translate("Consent", "{labels} consent to {grant} contacts"),
                              labels=labels, grant=grant))
        else:
            parts.append(fill(translate(
                "Consent", "{channel} marketing consent to {grant} contacts"),
                channel=translate_marked("Consent", _CHANNEL_NAMES[channel]), grant=grant))
    raise ConsentNotConfirmedError(fill(translate(
        "Consent", "This import would give {grants}. Nothing was sent: giving marketing "
        "consent needs an explicit confirmation, channel by channel, that these people "
        "agreed."), grants="; ".join(parts)), missing)
