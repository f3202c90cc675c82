"""Mail to the people who asked for a repair: render a template in their language, send via SES.

One job, so other features (sessions, bookings) can reuse it: ``render`` picks a template by name
and language and fills it; ``Mailer.send`` hands it to Amazon SES. Sending never fails or blocks
the request that triggers it: the SES client has a 1 s connect / 2 s read timeout and no retries
(``repaircore.clients``), every error is logged (never the address or the text) and counted
(``MailFailed``), and the caller goes on. Inline rather than through a queue: one small API call
after the write that matters, at most ~3 s in the worst case, and nothing more to deploy or run
locally; a lost mail is not lost data (the tracking page holds everything the mail says).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from repaircore import metrics

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE: Final = "nl"
MAIL_SENT: Final = metrics.MAIL_SENT
MAIL_FAILED: Final = metrics.MAIL_FAILED

_STATUS_NAMES: Final[dict[str, dict[str, str]]] = {
    "nl": {
        "submitted": "Ingediend",
        "accepted": "Aanvaard door een vrijwilliger",
        "in_repair": "Wordt hersteld",
        "fixed": "Hersteld",
        "repairable": "Herstelbaar",
        "end_of_life": "Einde levensduur",
        "cancelled": "Geannuleerd",
    },
    "fr": {
        "submitted": "Envoyée",
        "accepted": "Acceptée par un bénévole",
        "in_repair": "En réparation",
        "fixed": "Réparé",
        "repairable": "Réparable",
        "end_of_life": "Fin de vie",
        "cancelled": "Annulée",
    },
    "en": {
        "submitted": "Submitted",
        "accepted": "Accepted by a volunteer",
        "in_repair": "Being repaired",
        "fixed": "Fixed",
        "repairable": "Repairable",
        "end_of_life": "End of life",
        "cancelled": "Cancelled",
    },
    "de": {
        "submitted": "Gesendet",
        "accepted": "Von Ehrenamtlichen angenommen",
        "in_repair": "Wird repariert",
        "fixed": "Repariert",
        "repairable": "Reparierbar",
        "end_of_life": "Lebensende",
        "cancelled": "Storniert",
    },
}

# name → language → (subject, body); ``str.format`` fields. Plain text: every client shows it.
TEMPLATES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "confirmation": {
        "nl": (
            "Je herstelaanvraag is ontvangen",
            "Hallo {name},\n\nWe hebben je herstelaanvraag ontvangen. Een vrijwilliger bekijkt "
            "ze zo snel mogelijk.\n\nVolg ze via deze link (bewaar deze mail: de link is de "
            "enige weg terug):\n{tracking_url}\n\nJe krijgt een korte mail bij elke nieuwe "
            "stap. Je contactgegevens worden gewist zodra de aanvraag is afgesloten.\n\n"
            "RepairApp",
        ),
        "fr": (
            "Votre demande de réparation est bien reçue",
            "Bonjour {name},\n\nNous avons bien reçu votre demande de réparation. Un bénévole "
            "l’examinera dès que possible.\n\nSuivez-la avec ce lien (gardez ce message : le "
            "lien est le seul moyen d’y revenir) :\n{tracking_url}\n\nVous recevrez un court "
            "message à chaque nouvelle étape. Vos coordonnées sont effacées dès que la demande "
            "est clôturée.\n\nRepairApp",
        ),
        "en": (
            "Your repair request has been received",
            "Hello {name},\n\nWe have received your repair request. A volunteer will look at it "
            "as soon as possible.\n\nFollow it with this link (keep this mail: the link is the "
            "only way back):\n{tracking_url}\n\nYou will get a short mail at each new step. "
            "Your contact details are erased as soon as the request is closed.\n\nRepairApp",
        ),
        "de": (
            "Ihre Reparaturanfrage ist eingegangen",
            "Hallo {name},\n\nwir haben Ihre Reparaturanfrage erhalten. Ehrenamtliche sehen sie "
            "sich so bald wie möglich an.\n\nVerfolgen Sie sie über diesen Link (bewahren Sie "
            "diese Mail auf: der Link ist der einzige Weg zurück):\n{tracking_url}\n\nSie "
            "erhalten bei jedem neuen Schritt eine kurze Mail. Ihre Kontaktdaten werden "
            "gelöscht, sobald die Anfrage abgeschlossen ist.\n\nRepairApp",
        ),
    },
    "status": {
        "nl": (
            "Je herstelaanvraag: {status}",
            "Hallo {name},\n\nJe herstelaanvraag heeft een nieuwe status: {status}.\n"
            "{message}\nAlles staat op je volgpagina (de link uit onze eerste mail).\n\n"
            "RepairApp",
        ),
        "fr": (
            "Votre demande de réparation : {status}",
            "Bonjour {name},\n\nVotre demande de réparation a un nouveau statut : {status}.\n"
            "{message}\nTout se trouve sur votre page de suivi (le lien de notre premier "
            "message).\n\nRepairApp",
        ),
        "en": (
            "Your repair request: {status}",
            "Hello {name},\n\nYour repair request has a new status: {status}.\n{message}\n"
            "Everything is on your tracking page (the link in our first mail).\n\nRepairApp",
        ),
        "de": (
            "Ihre Reparaturanfrage: {status}",
            "Hallo {name},\n\nIhre Reparaturanfrage hat einen neuen Status: {status}.\n"
            "{message}\nAlles steht auf Ihrer Verfolgungsseite (der Link aus unserer ersten "
            "Mail).\n\nRepairApp",
        ),
    },
    # Repair-café events (docs/events.md): {place}, {address}, {when}, {calendar_url}.
    "booking": {
        "nl": (
            "Je plaats in het repair café: {when}",
            "Hallo {name},\n\nJe hebt een plaats in het repair café:\n{place}, {address}\n"
            "{when}\n\nZet het in je agenda: {calendar_url}\nVerplaatsen of annuleren kan op je "
            "volgpagina (de link uit onze eerste mail).\n\nRepairApp",
        ),
        "fr": (
            "Votre place au repair café : {when}",
            "Bonjour {name},\n\nVotre place au repair café est réservée :\n{place}, {address}\n"
            "{when}\n\nAjoutez-le à votre agenda : {calendar_url}\nPour déplacer ou annuler, "
            "passez par votre page de suivi (le lien de notre premier message).\n\nRepairApp",
        ),
        "en": (
            "Your place at the repair café: {when}",
            "Hello {name},\n\nYou have a place at the repair café:\n{place}, {address}\n"
            "{when}\n\nAdd it to your calendar: {calendar_url}\nTo move or cancel it, use your "
            "tracking page (the link in our first mail).\n\nRepairApp",
        ),
        "de": (
            "Ihr Platz im Repair Café: {when}",
            "Hallo {name},\n\nIhr Platz im Repair Café ist reserviert:\n{place}, {address}\n"
            "{when}\n\nIn den Kalender: {calendar_url}\nVerschieben oder absagen können Sie "
            "auf Ihrer Verfolgungsseite (der Link aus unserer ersten Mail).\n\nRepairApp",
        ),
    },
    "booking_cancelled": {
        "nl": (
            "Je plaats in het repair café is geannuleerd",
            "Hallo {name},\n\nJe plaats in het repair café van {when} ({place}) is "
            "geannuleerd. Je aanvraag blijft open: kies een andere datum op je volgpagina.\n\n"
            "RepairApp",
        ),
        "fr": (
            "Votre place au repair café est annulée",
            "Bonjour {name},\n\nVotre place au repair café du {when} ({place}) est annulée. "
            "Votre demande reste ouverte : choisissez une autre date sur votre page de suivi."
            "\n\nRepairApp",
        ),
        "en": (
            "Your place at the repair café is cancelled",
            "Hello {name},\n\nYour place at the repair café of {when} ({place}) is cancelled. "
            "Your request stays open: pick another date on your tracking page.\n\nRepairApp",
        ),
        "de": (
            "Ihr Platz im Repair Café ist storniert",
            "Hallo {name},\n\nIhr Platz im Repair Café am {when} ({place}) ist storniert. Ihre "
            "Anfrage bleibt offen: wählen Sie auf Ihrer Verfolgungsseite einen anderen Termin."
            "\n\nRepairApp",
        ),
    },
    "reminder": {
        "nl": (
            "Morgen repair café: {when}",
            "Hallo {name},\n\nMorgen is het repair café waar je een plaats hebt:\n{place}, "
            "{address}\n{when}\n\nNeem je toestel mee (en de lader, als het er een heeft)."
            "\nKan je niet komen? Annuleer op je volgpagina, dan krijgt iemand anders je plaats."
            "\n\nRepairApp",
        ),
        "fr": (
            "Demain, repair café : {when}",
            "Bonjour {name},\n\nC’est demain, le repair café où vous avez une place :\n"
            "{place}, {address}\n{when}\n\nApportez votre appareil (et son chargeur s’il en a "
            "un).\nEmpêché ? Annulez sur votre page de suivi : quelqu’un d’autre aura votre place."
            "\n\nRepairApp",
        ),
        "en": (
            "Tomorrow: repair café, {when}",
            "Hello {name},\n\nTomorrow is the repair café where you have a place:\n{place}, "
            "{address}\n{when}\n\nBring your item (and its charger, if it has one).\nCannot "
            "come? Cancel on your tracking page so someone else gets your place.\n\nRepairApp",
        ),
        "de": (
            "Morgen: Repair Café, {when}",
            "Hallo {name},\n\nmorgen ist das Repair Café, in dem Sie einen Platz haben:\n"
            "{place}, {address}\n{when}\n\nBringen Sie Ihr Gerät mit (und das Ladegerät, falls "
            "es eines hat).\nVerhindert? Sagen Sie auf Ihrer Verfolgungsseite ab, dann bekommt "
            "jemand anderes den Platz.\n\nRepairApp",
        ),
    },
    "follow_up": {
        "nl": (
            "Je toestel is herstelbaar: kom terug naar het repair café",
            "Hallo {name},\n\nJe toestel bleek herstelbaar. Het volgende repair café dat het "
            "aanneemt:\n{place}, {address}\n{when}\n\nRepairApp",
        ),
        "fr": (
            "Votre appareil est réparable : revenez au repair café",
            "Bonjour {name},\n\nVotre appareil est réparable. Le prochain repair café qui "
            "l’accepte :\n{place}, {address}\n{when}\n\nRepairApp",
        ),
        "en": (
            "Your item is repairable: come back to the repair café",
            "Hello {name},\n\nYour item turned out to be repairable. The next repair café that "
            "takes it:\n{place}, {address}\n{when}\n\nRepairApp",
        ),
        "de": (
            "Ihr Gerät ist reparierbar: kommen Sie wieder ins Repair Café",
            "Hallo {name},\n\nIhr Gerät ist reparierbar. Das nächste Repair Café, das es "
            "annimmt:\n{place}, {address}\n{when}\n\nRepairApp",
        ),
    },
    "nudge": {
        "nl": (
            "Repair café {place} ({when}): {open_count} uitkomsten ontbreken",
            "Hallo,\n\nVan het repair café in {place} ({when}) hebben {open_count} toestellen "
            "nog geen uitkomst. Vul ze aan op de samenvattingspagina:\n{summary_url}\n\n"
            "Elke uitkomst maakt de triage beter.\n\nRepairApp",
        ),
        "fr": (
            "Repair café {place} ({when}) : {open_count} résultats manquent",
            "Bonjour,\n\nAu repair café de {place} ({when}), {open_count} objets n’ont pas "
            "encore de résultat. Complétez-les sur la page de synthèse :\n{summary_url}\n\n"
            "Chaque résultat améliore le triage.\n\nRepairApp",
        ),
        "en": (
            "Repair café {place} ({when}): {open_count} outcomes missing",
            "Hello,\n\n{open_count} items seen at the repair café in {place} ({when}) have no "
            "outcome yet. Fill them in on the summary page:\n{summary_url}\n\nEvery outcome "
            "makes the triage better.\n\nRepairApp",
        ),
        "de": (
            "Repair Café {place} ({when}): {open_count} Ergebnisse fehlen",
            "Hallo,\n\nim Repair Café in {place} ({when}) haben {open_count} Geräte noch kein "
            "Ergebnis. Ergänzen Sie sie auf der Übersichtsseite:\n{summary_url}\n\nJedes "
            "Ergebnis verbessert die Triage.\n\nRepairApp",
        ),
    },
}
_MESSAGE_LEAD: Final[dict[str, str]] = {
    "nl": "Bericht van de vrijwilliger:",
    "fr": "Message du bénévole :",
    "en": "Message from the volunteer:",
    "de": "Nachricht der Ehrenamtlichen:",
}


@dataclass(frozen=True)
class Mail:
    template: str
    to: str
    subject: str
    body: str


def language_of(value: Any) -> str:
    return (
        value
        if isinstance(value, str) and value in TEMPLATES["confirmation"]
        else (DEFAULT_LANGUAGE)
    )


def render(template: str, language: str, to: str, values: Mapping[str, str]) -> Mail:
    """The mail ``template`` in ``language`` (Dutch if there is no such language)."""
    subject, body = TEMPLATES[template][language_of(language)]
    return Mail(template, to, subject.format(**values), body.format(**values))


def confirmation(language: str, to: str, name: str, tracking_url: str) -> Mail:
    return render("confirmation", language, to, {"name": name, "tracking_url": tracking_url})


def status_changed(
    language: str, to: str, name: str, status: str, public_message: str | None
) -> Mail:
    lang = language_of(language)
    message = f"\n{_MESSAGE_LEAD[lang]}\n{public_message}\n" if public_message else ""
    status_name = _STATUS_NAMES[lang].get(status, status)
    return render("status", lang, to, {"name": name, "status": status_name, "message": message})


def about_event(
    template: str, language: str, to: str, name: str, event: Mapping[str, Any], **extra: str
) -> Mail:
    """One of the event mails; the time is written as people read it (Brussels time)."""
    starts = datetime.fromisoformat(str(event["startsAt"]))
    ends = datetime.fromisoformat(str(event["endsAt"]))
    when = f"{starts:%Y-%m-%d} {starts:%H:%M}–{ends:%H:%M}"
    values = {
        "name": name,
        "place": str(event["place"]),
        "address": f"{event['address']}, {event['postcode']}",
        "when": when,
        "calendar_url": "",
        **extra,
    }
    return render(template, language, to, values)


class Mailer:
    """Sends through SES from ``sender`` (a verified identity); ``send`` never raises."""

    def __init__(self, client: Any, sender: str) -> None:
        self._client = client
        self._sender = sender

    def send(self, mail: Mail) -> bool:
        try:
            self._client.send_email(
                Source=self._sender,
                Destination={"ToAddresses": [mail.to]},
                Message={
                    "Subject": {"Data": mail.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": mail.body, "Charset": "UTF-8"}},
                },
            )
        except (ClientError, BotoCoreError) as exc:
            code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else ""
            logger.warning("mail %s not sent: %s %s", mail.template, type(exc).__name__, code)
            metrics.record(MAIL_FAILED, dimensions={"Template": mail.template})
            return False
        metrics.record(MAIL_SENT, dimensions={"Template": mail.template})
        return True
