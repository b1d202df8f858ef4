"""phonenumbers: its region metadata modules, without the geocoder, carrier and time-zone data.

Replaces the community hook (hooks here take precedence), which collects every submodule:
the geocoder's data alone is 40 MB and the app only parses, validates and formats numbers.
phonenumbers imports each region's metadata module by name on first use (``data/region_ES``),
so those must be collected explicitly.
"""

from PyInstaller.utils.hooks import collect_submodules

_UNUSED = ("phonenumbers.geodata", "phonenumbers.carrierdata", "phonenumbers.tzdata",
           "phonenumbers.geocoder", "phonenumbers.carrier", "phonenumbers.timezone")

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: not name.startswith(_UNUSED))
