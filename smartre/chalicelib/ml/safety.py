"""Safety screen: hand-written rules that flag dangerous repairs in the problem description.

A learned model would miss rare but serious cases, so these are explicit patterns with tests per
language. Every rule matches English, Dutch, French and German text (and common Danish words)
whatever language the person chose; the message and advice come back in the requested language
(en, nl, fr, de; anything else falls back to English). A match directly preceded by a negation
("no smoke", "geen rook", "kein Rauch", "pas de fumée") is ignored.
"""

import functools
import re
from dataclasses import dataclass

VERSION = "safety-rules-1"
LANGUAGES = ("en", "nl", "fr", "de")


@dataclass(frozen=True)
class SafetyWarning:
    code: str
    severity: str  # "danger" | "warning"
    message: str
    advice: str


@dataclass(frozen=True)
class _Rule:
    code: str
    severity: str
    patterns: tuple[str, ...]  # compiled on first use: compiling them all costs ~30 ms
    texts: dict[str, tuple[str, str]]


def _near(first: str, second: str, gap: int = 40) -> str:
    """`first` and `second` (either order) within `gap` characters, same sentence."""
    between = rf"[^.!?\n]{{0,{gap}}}"
    return rf"(?:(?:{first}){between}(?:{second})|(?:{second}){between}(?:{first}))"


def _sources(*patterns: str) -> tuple[str, ...]:
    return patterns


_BATTERY = r"\b(?:batter\w*|accu\w*|akku\w*|batterij\w*|batterie\w*|pile\w*|li-?ion)"
_SWOLLEN = (
    r"(?:swoll\w*|swell\w*|bulg\w*|puff\w*|expand\w*|leak\w*|opgezwollen|gezwollen|opgeblazen|"
    r"\bbol\b|lek\w*|aufgebläht|gebläht|aufgequollen|ausgelaufen|läuft aus|gonfl\w*|fuit\w*|"
    r"coul\w*|opsvulmet|hævet|lækker)"
)
_CABLE = (
    r"(?:\b(?:power|mains)\s*(?:cable|cord|lead|plug)|\bcable|\bcord\b|\bflex\b|\bplug\b|snoer\w*|"
    r"kabel\w*|stekker\w*|\w*kabel\b|stecker\w*|câble\w*|cordon\w*|prise\b|ledning\w*|stik\b)"
)
_DAMAGED = (
    r"(?:fray\w*|damag\w*|\bcut\b|exposed|melt\w*|split|torn|chewed|beschadigd|gesmolten|"
    r"gerafeld|doorgesneden|beschädigt|geschmolzen|angeschmort|durchgescheuert|aufgescheuert|"
    r"endommag\w*|abîm\w*|dénud\w*|fondu\w*|coupé\w*|beskadig\w*|smeltet)"
)
_WATER = r"(?:\bwater\w*|\bliquid|\bwet\b|\bnat\b|\bnass\w*|\bwasser\w*|\beau\b|mouill\w*|\bvand\b)"
_WATER_EVENT = (
    r"(?:damage|spill\w*|dropped|fell|flood\w*|soaked|schade|gemorst|gevallen|overstroom\w*|"
    r"schaden|verschüttet|gefallen|dégât\w*|renvers\w*|tomb\w*|inond\w*|skade|spildt|faldet)"
)

_RULES = (
    _Rule(
        "battery_swollen_or_leaking",
        "danger",
        _sources(_near(_BATTERY, _SWOLLEN)),
        {
            "en": (
                "A swollen or leaking battery can catch fire.",
                "Do not charge, puncture or press it; keep the device away from anything that "
                "burns and bring it in a fireproof container.",
            ),
            "nl": (
                "Een opgezwollen of lekkende batterij kan vlam vatten.",
                "Niet opladen, doorprikken of indrukken; houd het toestel weg van brandbare "
                "spullen en breng het mee in een brandveilige bak.",
            ),
            "fr": (
                "Une batterie gonflée ou qui fuit peut prendre feu.",
                "Ne la chargez pas, ne la percez pas et ne l'écrasez pas ; tenez l'appareil loin "
                "de tout ce qui brûle et apportez-le dans un récipient ininflammable.",
            ),
            "de": (
                "Ein aufgeblähter oder auslaufender Akku kann Feuer fangen.",
                "Nicht laden, nicht anstechen oder drücken; Gerät von Brennbarem fernhalten und "
                "in einem feuerfesten Behälter mitbringen.",
            ),
        },
    ),
    _Rule(
        "burning_smell",
        "danger",
        _sources(
            r"\bburn\w*\s+smell|\bsmell\w*\s+(?:of\s+)?(?:burn\w*|burnt|scorch\w*)|\bburnt\s+smell",
            r"brandlucht|schroeilucht|ruikt\s+(?:naar\s+)?(?:verbrand|geschroeid|brand)",
            r"brandgeruch|schmorgeruch|riecht\s+(?:nach\s+)?(?:verbrannt|verschmort|brand)|verschmort",
            r"odeur\s+de\s+(?:brûl|brul|cram)\w*|sent\s+(?:le\s+)?(?:brûl|brul|cram)\w*",
            r"brændt\s+lugt|lugter\s+brændt",
        ),
        {
            "en": (
                "A burning smell means something is overheating.",
                "Unplug it now and do not switch it on again until it has been checked.",
            ),
            "nl": (
                "Een brandlucht betekent dat er iets oververhit raakt.",
                "Haal de stekker er nu uit en zet het toestel niet meer aan tot het is nagekeken.",
            ),
            "fr": (
                "Une odeur de brûlé signifie que quelque chose surchauffe.",
                "Débranchez l'appareil maintenant et ne le rallumez pas avant qu'il soit vérifié.",
            ),
            "de": (
                "Brandgeruch bedeutet, dass etwas überhitzt.",
                "Sofort den Stecker ziehen und das Gerät erst nach einer Prüfung wieder "
                "einschalten.",
            ),
        },
    ),
    _Rule(
        "smoke_or_sparks",
        "danger",
        _sources(
            r"\bsmok(?:e|es|ed|ing|y)\b(?!\s*(?:detector|alarm))|\bspark(?:s|ed|ing|y)?\b(?!\s*plug)"
            r"|\bflames?\b|\bcaught\s+fire\b|\bon\s+fire\b",
            r"\brook(?:t|te|ontwikkeling|wolk)?\b|\bvonk\w*|\bvlam(?:men)?\b|\bvlam\s+gevat",
            r"\brauch(?:t|te|en|entwicklung)?\b|\bqualm\w*|\bfunk(?:en|t|te|ten)\b|\bflamme\b",
            r"\bfum(?:ée|ee|e)\b(?!\s*(?:détecteur))|\bétincel\w*|\bflammes?\b|prend\s+feu",
            r"\brøg\b|\bgnister\b",
        ),
        {
            "en": (
                "Smoke, sparks or flames: this is a fire risk.",
                "Unplug it (only if that is safe), do not use it again and tell the repairer "
                "what happened.",
            ),
            "nl": (
                "Rook, vonken of vlammen: er is brandgevaar.",
                "Haal de stekker eruit (alleen als dat veilig kan), gebruik het niet meer en "
                "vertel de hersteller wat er gebeurde.",
            ),
            "fr": (
                "Fumée, étincelles ou flammes : il y a un risque d'incendie.",
                "Débranchez-le (seulement si c'est sans danger), ne l'utilisez plus et dites au "
                "réparateur ce qui s'est passé.",
            ),
            "de": (
                "Rauch, Funken oder Flammen: Es besteht Brandgefahr.",
                "Stecker ziehen (nur wenn das gefahrlos geht), nicht mehr benutzen und der "
                "Reparaturperson sagen, was passiert ist.",
            ),
        },
    ),
    _Rule(
        "damaged_mains_cable",
        "danger",
        _sources(
            _near(_CABLE, _DAMAGED, 30),
            r"\b(?:exposed|bare)\s+wires?\b|blote\s+draden|blanke\s+(?:drähte|adern)|fils?\s+dénudés?",
        ),
        {
            "en": (
                "A damaged cable or plug can give an electric shock.",
                "Do not plug it in; a damaged mains cable must be replaced, not taped.",
            ),
            "nl": (
                "Een beschadigd snoer of stekker kan een elektrische schok geven.",
                "Steek de stekker niet in het stopcontact; een beschadigd snoer moet vervangen "
                "worden, niet afgeplakt.",
            ),
            "fr": (
                "Un câble ou une prise endommagé peut provoquer une électrocution.",
                "Ne le branchez pas ; un câble secteur abîmé doit être remplacé, pas réparé avec "
                "du ruban adhésif.",
            ),
            "de": (
                "Ein beschädigtes Kabel oder ein beschädigter Stecker kann einen Stromschlag "
                "verursachen.",
                "Nicht einstecken; ein beschädigtes Netzkabel muss ersetzt und nicht geklebt "
                "werden.",
            ),
        },
    ),
    _Rule(
        "water_damage_mains",
        "warning",
        _sources(
            _near(_WATER, _WATER_EVENT, 25),
            r"\bwater\s*(?:damage|schade)|\bwasserschaden|dégâts?\s+des\s+eaux|\bvandskade",
            r"\b(?:got|gotten|became)\s+wet\b|\bnat\s+geworden|\bnass\s+geworden|\bmouillée?\b",
        ),
        {
            "en": (
                "Water in a mains-powered device can cause a shock or short circuit.",
                "Keep it unplugged, let it dry for several days and do not switch it on before "
                "it has been checked.",
            ),
            "nl": (
                "Water in een toestel op netstroom kan een schok of kortsluiting geven.",
                "Laat de stekker eruit, laat het een paar dagen drogen en zet het niet aan "
                "voordat het is nagekeken.",
            ),
            "fr": (
                "De l'eau dans un appareil sur secteur peut provoquer une électrocution ou un "
                "court-circuit.",
                "Laissez-le débranché, laissez-le sécher plusieurs jours et ne l'allumez pas "
                "avant qu'il soit vérifié.",
            ),
            "de": (
                "Wasser in einem Netzgerät kann einen Stromschlag oder Kurzschluss verursachen.",
                "Ausgesteckt lassen, einige Tage trocknen lassen und erst nach einer Prüfung "
                "einschalten.",
            ),
        },
    ),
    _Rule(
        "gas_appliance",
        "danger",
        _sources(
            r"\bgas\s*-?\s*(?:cooker|hob|heater|boiler|stove|oven|fire|appliance|leak|smell|"
            r"fornuis|kachel|ketel|lek|geur|lucht|herd|heizung|therme|leck|geruch|ofen)",
            r"\b(?:smell|lucht|geur|geruch|odeur|fuite|leak)\w*\s+(?:of\s+|van\s+|nach\s+|de\s+)?"
            r"(?:gas|gaz)\b",
            r"\bgaslucht|\bgasgeruch|\bgaslek|\bgasleck|\bgasfornuis|\bgasherd|\bgaz\b",
        ),
        {
            "en": (
                "Gas appliances are not repaired at a repair café.",
                "If you smell gas, open the windows, do not use switches or flames and call the "
                "gas emergency number; have gas appliances serviced by a registered engineer.",
            ),
            "nl": (
                "Gastoestellen worden niet hersteld in een repair café.",
                "Ruik je gas, zet ramen open, gebruik geen schakelaars of vuur en bel het "
                "noodnummer voor gas; laat gastoestellen nazien door een erkende installateur.",
            ),
            "fr": (
                "Les appareils au gaz ne sont pas réparés au repair café.",
                "Si vous sentez le gaz, aérez, n'utilisez ni interrupteur ni flamme et appelez le "
                "numéro d'urgence gaz ; faites entretenir les appareils au gaz par un "
                "professionnel agréé.",
            ),
            "de": (
                "Gasgeräte werden im Repair Café nicht repariert.",
                "Bei Gasgeruch Fenster öffnen, keine Schalter oder Flammen benutzen und den "
                "Gas-Notruf wählen; Gasgeräte nur von zugelassenen Fachleuten warten lassen.",
            ),
        },
    ),
    _Rule(
        "microwave_high_voltage",
        "danger",
        _sources(
            r"\bmicro-?\s?wave\w*|\bmagnetron\w*|\bmikrowelle\w*|micro-?\s?ondes?|\bmikroovn\w*"
        ),
        {
            "en": (
                "Microwave ovens hold a deadly high voltage inside, even when unplugged.",
                "Never open the casing yourself; only a trained repairer may discharge the "
                "capacitor and work on it.",
            ),
            "nl": (
                "Een magnetron bevat een dodelijke hoogspanning, ook als de stekker eruit is.",
                "Open de behuizing nooit zelf; alleen een opgeleide hersteller mag de condensator "
                "ontladen en eraan werken.",
            ),
            "fr": (
                "Un four à micro-ondes contient une haute tension mortelle, même débranché.",
                "N'ouvrez jamais le boîtier vous-même ; seul un réparateur formé peut décharger "
                "le condensateur et intervenir.",
            ),
            "de": (
                "Mikrowellengeräte enthalten eine lebensgefährliche Hochspannung, auch ohne Strom.",
                "Gehäuse nie selbst öffnen; nur geschulte Reparaturpersonen dürfen den "
                "Kondensator entladen und daran arbeiten.",
            ),
        },
    ),
)

_NEGATION = re.compile(
    r"\b(?:no|not|without|never|geen|niet|zonder|nooit|kein\w*|nicht|ohne|nie|pas|sans|"
    r"aucune?|jamais|ingen|ikke|uden)\b(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)


@functools.cache
def _compiled(sources: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(source, re.IGNORECASE) for source in sources)


def _matches(rule: _Rule, text: str) -> bool:
    for pattern in _compiled(rule.patterns):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 30) : match.start()]
            if not _NEGATION.search(before):
                return True
    return False


def screen(text: str | None, language: str | None = None) -> list[SafetyWarning]:
    """Every rule the text triggers, in a fixed order, worded in `language` (default English)."""
    if not text or not text.strip():
        return []
    lang = (language or "en").strip().lower()[:2]
    if lang not in LANGUAGES:
        lang = "en"
    warnings = []
    for rule in _RULES:
        if _matches(rule, text):
            message, advice = rule.texts[lang]
            warnings.append(SafetyWarning(rule.code, rule.severity, message, advice))
    return warnings


def translations(code: str) -> dict[str, dict[str, str]]:
    """Rule ``code``'s message and advice in every language (empty for an unknown code)."""
    for rule in _RULES:
        if rule.code == code:
            return {lang: {"message": m, "advice": a} for lang, (m, a) in rule.texts.items()}
    return {}


def rule_codes() -> tuple[str, ...]:
    return tuple(rule.code for rule in _RULES)
