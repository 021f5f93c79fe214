"""What the method codes of chemicals (ChEDL) stand for, in the words a chemist reads in a
source on a sheet: shared by the two build tools, tools/build_reagents.py (the curated
library's data) and tools/build_reagent_db.py (the embedded database)."""

from __future__ import annotations

METHOD_NAMES = {
    "CRC_INORG": "CRC Handbook, inorganic compounds",
    "CRC_ORG": "CRC Handbook, organic compounds",
    "CRC": "CRC Handbook, critical constants",
    "COMMON_CHEMISTRY": "CAS Common Chemistry",
    "OPEN_NTBKM": "Open Notebook melting point data",
    "WEBBOOK": "NIST Chemistry WebBook",
    "WIKIDATA": "Wikidata",
    "YAWS": "Yaws' handbook",
    "HEOS": "CoolProp Helmholtz-energy equations of state",
    "IUPAC": "IUPAC critical data compilation",
    "MATTHEWS": "Matthews (1972)",
    "PSRK": "PSRK revision 4 parameters",
    "PINAMARTINES": "Piña-Martinez et al. (2021)",
    "PD": "Passut-Danner (1973)",
    "IEC 60079-20-1 (2010)": "IEC 60079-20-1 (2010)",
    "NFPA 497 (2008)": "NFPA 497 (2008)",
    "Serat DIPPR (2017)": "Serat et al. (2017), DIPPR data",
    "Ontario Limits": "Ontario occupational exposure limits",
    "JOBACK": "Joback group-contribution estimate",
    "WILSON_JASPERSON": "Wilson–Jasperson group-contribution estimate",
    "ACENTRIC_DEFINITION": "from its definition, with the tabulated vapour pressure at 0.7 Tc",
}
