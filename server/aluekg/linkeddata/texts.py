"""The words of the pages themselves (not of the data) in Finnish, Swedish and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "site": {"fi": "aluekg", "sv": "aluekg", "en": "aluekg"},
    "tagline": {
        "fi": "Alueiden kehittämisohjelmat linkitettynä datana",
        "sv": "Regionala utvecklingsprogram som länkade data",
        "en": "Regional development programmes as linked data",
    },
    "skip": {"fi": "Siirry sisältöön", "sv": "Till innehållet", "en": "Skip to content"},
    "home": {"fi": "Etusivu", "sv": "Startsida", "en": "Home"},
    "ontology": {"fi": "Ontologia", "sv": "Ontologi", "en": "Ontology"},
    "query": {"fi": "SPARQL-kysely", "sv": "SPARQL-fråga", "en": "SPARQL query"},
    "search": {"fi": "Haku", "sv": "Sök", "en": "Search"},
    "search_label": {
        "fi": "Hae nimellä (kunta, ohjelma, käsite…)",
        "sv": "Sök på namn (kommun, program, begrepp…)",
        "en": "Search by name (municipality, programme, concept…)",
    },
    "language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "type": {"fi": "Tyyppi", "sv": "Typ", "en": "Type"},
    "property": {"fi": "Ominaisuus", "sv": "Egenskap", "en": "Property"},
    "value": {"fi": "Arvo", "sv": "Värde", "en": "Value"},
    "statements": {"fi": "Tiedot", "sv": "Uppgifter", "en": "Statements"},
    "referrers": {"fi": "Viittaukset tähän", "sv": "Hänvisningar hit", "en": "What refers to it"},
    "formats": {"fi": "Tiedostomuodot", "sv": "Format", "en": "Formats"},
    "query_about": {
        "fi": "Kysy tästä SPARQL-kyselyllä",
        "sv": "Fråga om detta med SPARQL",
        "en": "Query about it with SPARQL",
    },
    "programmes": {"fi": "Ohjelmat", "sv": "Program", "en": "Programmes"},
    "regions": {"fi": "Maakunnat", "sv": "Landskap", "en": "Regions"},
    "endpoint": {"fi": "SPARQL-palvelu", "sv": "SPARQL-tjänst", "en": "SPARQL endpoint"},
    "downloads": {"fi": "Lataukset", "sv": "Nedladdningar", "en": "Downloads"},
    "api": {"fi": "Kyselyrajapinta", "sv": "Frågegränssnitt", "en": "Query API"},
    "void": {
        "fi": "Aineiston kuvaus (VoID)",
        "sv": "Datamängdsbeskrivning (VoID)",
        "en": "Dataset description (VoID)",
    },
    "licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "results": {"fi": "Tulokset", "sv": "Resultat", "en": "Results"},
    "no_results": {"fi": "Ei osumia.", "sv": "Inga träffar.", "en": "No matches."},
    "other": {"fi": "Muut", "sv": "Övriga", "en": "Other"},
    "not_found": {"fi": "Ei löytynyt", "sv": "Hittades inte", "en": "Not found"},
    "not_found_text": {
        "fi": "Tietoverkossa ei ole mitään tällä tunnisteella:",
        "sv": "Kunskapsgrafen har inget med denna identifierare:",
        "en": "The knowledge graph has nothing with this identifier:",
    },
    "try": {
        "fi": "Kokeile hakua tai aloita etusivulta.",
        "sv": "Försök söka eller börja från startsidan.",
        "en": "Try a search, or start from the home page.",
    },
    "graph_contents": {
        "fi": "Graafin resurssit",
        "sv": "Grafens resurser",
        "en": "Resources in this graph",
    },
    "iri": {"fi": "Tunniste (IRI)", "sv": "Identifierare (IRI)", "en": "Identifier (IRI)"},
}


def texts(lang: str) -> dict[str, str]:
    """The page words in one language."""
    return {key: words[lang] for key, words in TEXTS.items()}
