"""Citizens' repair requests: submit one (idempotently) and track it with its token.

A request refers to an analysis SmartRe made; RepairApp fetches it once (an unknown id is
``422 AnalysisNotFound``: the route exists, the body names something that does not) and keeps
a copy, so tracking never depends on SmartRe being up. Contact details stay in RepairApp: they
are neither logged nor sent to SmartRe. The tracking token is returned once and stored only as
a SHA-256; the idempotency record keeps the response (token included) until its TTL, because the
same key and body must return the same answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from chalicelib import resources
from chalicelib.identifiers import (
    REPAIR_ID,
    TRACKING_TOKEN,
    new_repair_id,
    new_tracking_token,
    token_digest,
    token_matches,
)
from chalicelib.repairs import Status, history_entry, timestamp, tracking_view
from chalicelib.services import bookings, notifications
from repaircore.contracts import repairapp as contract
from repaircore.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    TransactionConflict,
    Unprocessable,
)
from repaircore.validation import decode
from repaircore.vocabulary import LANGUAGES, canonical_category

logger = logging.getLogger(__name__)

IDEMPOTENCY_SCOPE = "repairs"
# One "@", a sensible local part (<= 64, RFC 5321) and a dotted domain of DNS labels.
EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64})"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
# Belgian postcodes (bpost): 1000 (Brussels) to 9992 (Maldegem).
POSTCODE_RANGE = range(1000, 9993)


@dataclass(frozen=True)
class RepairRequest:
    analysis_id: str
    name: str
    email: str
    postcode: str
    # The visitor's language for mails; None: the analysis's.
    language: str | None = None
    # The repair-café event to book a seat at; None: no booking (walk in later).
    event_id: str | None = None

    @classmethod
    def parse(cls, body: dict[str, Any]) -> RepairRequest:
        if body.get("consent") is not True:  # first, and for a missing one too
            raise InvalidInput(
                "consent must be true: we keep your contact details only to handle this request",
                code="ConsentRequired",
            )
        declared = decode(body, contract.RepairRequest)
        analysis_id, name = declared.analysis_id, declared.contact.name
        match = EMAIL.fullmatch(declared.contact.email)
        if match is None:
            raise InvalidInput("contact.email is not an email address", code="InvalidEmail")
        postcode = declared.postcode
        if int(postcode) not in POSTCODE_RANGE:
            raise InvalidInput(
                "postcode must be a Belgian postcode (4 digits, 1000-9992)",
                code="InvalidPostcode",
            )
        language = declared.language
        return cls(
            analysis_id=analysis_id,
            name=name,
            email=f"{match['local']}@{match['domain'].lower()}",
            postcode=postcode,
            language=str(language) if language is not None else None,
            event_id=declared.event_id,
        )

    def fingerprint(self) -> dict[str, Any]:
        """What the idempotency key is bound to (stored only as a hash)."""
        fingerprint: dict[str, Any] = {
            "analysisId": self.analysis_id,
            "contact": {"name": self.name, "email": self.email},
            "postcode": self.postcode,
        }
        if self.language:  # absent keeps the fingerprints of requests made before it existed
            fingerprint["language"] = self.language
        if self.event_id:
            fingerprint["eventId"] = self.event_id
        return fingerprint


def submit_repair(idempotency_key: str | None, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``{repairId, trackingToken, trackingUrl}`` and whether it is a replay for this key."""
    request = RepairRequest.parse(body)
    outcome = resources.idempotency().run(
        IDEMPOTENCY_SCOPE,
        idempotency_key or "",
        request.fingerprint(),
        lambda repair_id: _create(repair_id, request),
        new_id=new_repair_id,
    )
    return outcome.result, outcome.replayed


def _create(repair_id: str, request: RepairRequest) -> dict[str, Any]:
    analysis = _analysis(request.analysis_id)
    token = new_tracking_token()
    now = timestamp()
    category, source = _category(analysis)
    item = {
        "repairId": repair_id,
        "status": Status.SUBMITTED.value,
        "version": 1,
        "createdAt": now,
        "updatedAt": now,
        "history": [history_entry(Status.SUBMITTED, now)],
        "trackingTokenHash": token_digest(token),
        "contact": {"name": request.name, "email": request.email},
        "postcode": request.postcode,
        "consentAt": now,
        "analysisId": request.analysis_id,
        "analysis": analysis,
        "productCategory": category,
        "categorySource": source,
        "language": _language(request, analysis),
    }
    extra = []
    event = None
    if request.event_id:
        event = bookings.bookable_event(request.event_id, category)
        item.update(bookings.booking_fields(request.event_id))
        extra.append(resources.events().take_seat(request.event_id, bookings.now_utc()))
    try:
        resources.repairs().create(item, extra=extra)
    except TransactionConflict as exc:
        if request.event_id is None or exc.failed_index != 0:
            raise
        raise bookings.seat_refused(request.event_id) from exc
    except Conflict:
        # An earlier attempt with this key wrote the request and died before answering, so its
        # token never reached anyone: this retry (same reserved id) hands out a fresh one.
        resources.repairs().replace_token(repair_id, token_digest(token))
    logger.info("repair request %s submitted", repair_id)
    notifications.send_confirmation(item, token)
    if event is not None:
        notifications.send_booking(item, event)
    return {
        "repairId": repair_id,
        "trackingToken": token,
        # The token in the fragment: browsers never send it to a server, so no log keeps it.
        "trackingUrl": f"/repairs/{repair_id}#token={token}",
    }


def _language(request: RepairRequest, analysis: dict[str, Any]) -> str:
    """The visitor's language: as sent, else the one they used for the triage, else Dutch."""
    if request.language:
        return request.language
    used = (analysis.get("inputs") or {}).get("language")
    return used if isinstance(used, str) and used in LANGUAGES else "nl"


def _analysis(analysis_id: str) -> dict[str, Any]:
    try:
        return resources.smartre().get_analysis(analysis_id)
    except NotFound as exc:
        raise Unprocessable(
            "analysisId names no analysis: run the triage first", code="AnalysisNotFound"
        ) from exc


def _category(analysis: dict[str, Any]) -> tuple[str | None, str | None]:
    """The request's category: the citizen's own choice, else the photo model's if it was sure."""
    chosen = (analysis.get("inputs") or {}).get("productCategory")
    if isinstance(chosen, str) and canonical_category(chosen):
        return canonical_category(chosen), "citizen"
    predicted = analysis.get("productCategory") or {}
    label = predicted.get("label")
    if predicted.get("recognised") and isinstance(label, str) and canonical_category(label):
        return canonical_category(label), "model"
    return None, None


# Compared against when the id is unknown, so an unknown id and a wrong token cost the same.
_NO_REPAIR_DIGEST = token_digest("no repair request has this token")


def track_repair(repair_id: str, token: str | None) -> dict[str, Any]:
    """The request for whoever holds its token, with its booking; any mismatch is one 404."""
    return _tracked(owned_repair(repair_id, token))


def book_repair(repair_id: str, token: str | None, body: dict[str, Any]) -> dict[str, Any]:
    """Book or move the request's seat at an event (``bookings.book``)."""
    return _tracked(bookings.book(owned_repair(repair_id, token), body))


def cancel_booking(repair_id: str, token: str | None) -> dict[str, Any]:
    return _tracked(bookings.cancel(owned_repair(repair_id, token)))


def _tracked(item: dict[str, Any]) -> dict[str, Any]:
    return {**tracking_view(item), "booking": bookings.tracking_booking(item)}


def owned_repair(repair_id: str, token: str | None) -> dict[str, Any]:
    """The stored request for whoever holds its token; any mismatch is the same 404.

    An unknown id and a known id with a wrong token do the same work: one read of the token
    digest alone, one constant-time comparison (against a dummy digest when there is none), and
    only a match reads the whole request.
    """
    not_found = NotFound("no repair request with this id and token")
    if not REPAIR_ID.fullmatch(repair_id) or token is None or not TRACKING_TOKEN.fullmatch(token):
        raise not_found
    store = resources.repairs()
    stored = store.tracking_token_hash(repair_id)
    matches = token_matches(token, stored or _NO_REPAIR_DIGEST)
    item = store.find(repair_id) if matches and stored is not None else None
    if item is None:
        raise not_found
    return item
