"""Kind classification (firm / agency / other) for organisations not in the KB.

Rules look at head words of the name ("Ministry", "Commission", "Bank of
<country>", "Association", "Times", ...) and at legal suffixes ("Inc", "Ltd",
"Holdings" ...).  Unknown names without any cue default to ``firm``.
"""

from __future__ import annotations

from .canonical import GROUP_WORDS, LEGAL_SUFFIXES

__all__ = ["KINDS", "classify"]

KINDS = ("firm", "agency", "other")

_AGENCY_WORDS = frozenset(
    """ministry ministries department dept commission bureau administration agency authority parliament
    council court tribunal army navy police senate congress assembly government cabinet directorate
    inspectorate secretariat regulator regulatory customs embassy consulate prosecutor prosecutors
    treasury ministerium bundesbank reserve military marines forces guard legislature judiciary
    municipality presidency commissioner ombudsman""".split()
)
_AGENCY_PHRASES = ("air force", "central bank", "reserve bank", "national bank of", "federal reserve",
                   "monetary authority", "public prosecutor", "state council", "central committee",
                   "security council", "people's bank")
_OTHER_WORDS = frozenset(
    """association associations union unions party federation society club institute institution university
    college school foundation times news post journal herald tribune daily gazette telegraph radio
    television tv press magazine league team fc afc rovers wanderers athletic athletico albion rangers
    county united city hotspur movement front alliance church committee organisation organization
    charity academy orchestra museum hospital review weekly observer chronicle monitor broadcasting
    workers steelworkers mineworkers autoworkers teamsters""".split()
)
# Other-words that make an "other" only as the name's head (its last word, or
# before "of"): "Soviet Union", "The New York Times", "Union of Concerned
# Scientists", but "Union Carbide", "Nippon Telegraph and Telephone", "Times
# Mirror" are firms.
_HEAD_ONLY = frozenset(
    "union unions united city county telegraph times post news press daily herald tribune journal front alliance movement".split()
)
_FIRM_WORDS = frozenset(
    """bancorp bank banks industries technologies technology systems airlines airways motors motor securities
    capital partners investments investment resources petroleum oil energy steel mining pharmaceuticals
    pharmaceutical electronics communications telecom telecommunications software insurance financial
    trust brewery breweries chemicals chemical foods enterprises ventures labs laboratories semiconductor
    airline stores shipping logistics media entertainment properties realty developers construction
    engineering electric power utilities gas networks""".split()
)
_COUNTRIES = frozenset(
    """england japan canada france italy spain korea thailand israel greece portugal russia mexico brazil
    india indonesia finland sweden norway denmark austria belgium ireland poland hungary jamaica ghana
    uganda tanzania zambia botswana lebanon jordan algeria morocco tunisia sudan albania lithuania latvia
    estonia slovenia croatia slovakia namibia mauritius korea""".split()
)


def classify(name: str) -> str:
    """Guess the kind of an organisation from its (surface or canonical) name."""
    low = name.lower().replace(".", "").replace(",", "")
    words = low.split()
    if not words:
        return "firm"
    for p in _AGENCY_PHRASES:
        if p in low:
            return "agency"
    if len(words) >= 3 and words[-3] == "bank" and words[-2] == "of" and words[-1] in _COUNTRIES:
        return "agency"
    if "news" in words and "agency" in words:
        return "other"
    last = words[-1]
    if last in LEGAL_SUFFIXES or last in GROUP_WORDS:
        return "firm"
    for w in words:
        if w in _AGENCY_WORDS:
            return "agency"
    if last in _FIRM_WORDS or any(w in LEGAL_SUFFIXES for w in words[1:]):
        return "firm"
    for k, w in enumerate(words):
        if w in _OTHER_WORDS and (w not in _HEAD_ONLY or k == len(words) - 1 or words[k + 1] == "of"):
            return "other"
    return "firm"
