"""A small structural checker for Inno Setup scripts (``.iss``): what ISCC would refuse, and
references between sections, found without Windows.

It knows the sections, ``[Setup]`` directives and entry parameters the app's script can use; a
name it does not know is reported, so a typo ("DestDirr") fails here rather than on the first
tagged release. Preprocessor lines (``#define``, ``#ifndef`` ... ``#endif``, ``#error``) are
checked for balance and every ``{#Name}`` for a definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SETUP_DIRECTIVES = frozenset({
    "AppId", "AppName", "AppVersion", "AppVerName", "AppPublisher", "AppPublisherURL",
    "AppSupportURL", "AppUpdatesURL", "AppCopyright", "AppContact", "AppComments",
    "VersionInfoVersion", "VersionInfoProductName", "VersionInfoProductVersion",
    "VersionInfoCompany", "VersionInfoDescription", "VersionInfoCopyright",
    "PrivilegesRequired", "PrivilegesRequiredOverridesAllowed", "DefaultDirName",
    "DefaultGroupName", "DisableProgramGroupPage", "DisableDirPage", "DisableWelcomePage",
    "DisableReadyPage", "UninstallDisplayIcon", "UninstallDisplayName", "SetupIconFile",
    "OutputDir", "OutputBaseFilename", "Compression", "SolidCompression", "WizardStyle",
    "ArchitecturesAllowed", "ArchitecturesInstallIn64BitMode", "CloseApplications",
    "RestartApplications", "LicenseFile", "InfoBeforeFile", "InfoAfterFile", "SignTool",
    "SignedUninstaller", "UsePreviousAppDir", "ChangesAssociations", "ChangesEnvironment",
    "MinVersion", "ShowLanguageDialog", "UsedUserAreasWarning", "SetupLogging",
})
#: Section -> (allowed parameters, required parameters).
ENTRY_SECTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Languages": (frozenset({"Name", "MessagesFile", "LicenseFile", "InfoBeforeFile",
                             "InfoAfterFile"}), frozenset({"Name", "MessagesFile"})),
    "Tasks": (frozenset({"Name", "Description", "GroupDescription", "Flags", "Components",
                         "Check", "Languages"}), frozenset({"Name", "Description"})),
    "Files": (frozenset({"Source", "DestDir", "DestName", "Flags", "Excludes", "Tasks",
                         "Components", "Permissions", "Check", "Attribs", "Languages"}),
              frozenset({"Source", "DestDir"})),
    "InstallDelete": (frozenset({"Type", "Name", "Tasks", "Components", "Check"}),
                      frozenset({"Type", "Name"})),
    "UninstallDelete": (frozenset({"Type", "Name", "Tasks", "Components", "Check"}),
                        frozenset({"Type", "Name"})),
    "Icons": (frozenset({"Name", "Filename", "Parameters", "WorkingDir", "IconFilename",
                         "IconIndex", "Comment", "Flags", "Tasks", "Components",
                         "AppUserModelID", "Check", "Languages"}),
              frozenset({"Name", "Filename"})),
    "Run": (frozenset({"Filename", "Description", "Parameters", "WorkingDir", "StatusMsg",
                       "Flags", "Tasks", "Check", "RunOnceId", "Verb", "Languages"}),
            frozenset({"Filename"})),
}
#: Inno Setup constants the script may use (``{cm:...}`` and ``{#...}`` are checked apart).
CONSTANTS = frozenset({"app", "autopf", "autoprograms", "autodesktop", "group", "tmp", "src",
                       "userappdata", "localappdata", "commonpf", "sys", "win", "uninstallexe"})

_PARAMETER = re.compile(r'\s*(\w+)\s*:\s*("(?:[^"]|"")*"|[^;]*?)\s*(?:;|$)')
_PREPROCESSOR_REFERENCE = re.compile(r"\{#(\w+)\}")


@dataclass
class Script:
    defines: dict[str, str] = field(default_factory=dict)
    setup: dict[str, str] = field(default_factory=dict)
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('""', '"')
    return value


def _check_braces(value: str, where: str, script: Script) -> None:
    """``{{`` is a literal brace; every other ``{`` opens a constant closed by ``}``."""
    position = 0
    while position < len(value):
        if value.startswith("{{", position):
            position += 2
            continue
        if value[position] != "{":
            position += 1
            continue
        depth, end = 0, position
        while end < len(value):
            depth += {"{": 1, "}": -1}.get(value[end], 0)
            if depth == 0:
                break
            end += 1
        if depth != 0:
            script.errors.append(f"{where}: unclosed '{{' in {value!r}")
            return
        constant = value[position + 1:end]
        if not constant.startswith(("#", "cm:")) and constant not in CONSTANTS:
            script.errors.append(f"{where}: unknown constant {{{constant}}}")
        position = end + 1


def parse(text: str, *, command_line_defines: tuple[str, ...] = ()) -> Script:
    script = Script(defines=dict.fromkeys(command_line_defines, ""))
    section: str | None = None
    conditions = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"line {number}"
        if not line or line.startswith(";"):
            continue
        if line.startswith("#"):
            directive, _, rest = line[1:].partition(" ")
            if directive in ("if", "ifdef", "ifndef"):
                conditions += 1
            elif directive == "endif":
                conditions -= 1
                if conditions < 0:
                    script.errors.append(f"{where}: #endif without #if")
                    conditions = 0
            elif directive == "define":
                name, _, value = rest.strip().partition(" ")
                script.defines[name] = _unquote(value.strip())
            elif directive not in ("error", "else", "elif", "include"):
                script.errors.append(f"{where}: unknown preprocessor directive #{directive}")
            continue
        for name in _PREPROCESSOR_REFERENCE.findall(line):
            if name not in script.defines:
                script.errors.append(f"{where}: {{#{name}}} is never defined")
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = header.group(1)
            if section != "Setup" and section not in ENTRY_SECTIONS:
                script.errors.append(f"{where}: unknown section [{section}]")
            continue
        if section is None:
            script.errors.append(f"{where}: text before the first section")
        elif section == "Setup":
            key, equals, value = line.partition("=")
            if not equals:
                script.errors.append(f"{where}: not a Key=Value directive")
            elif key.strip() not in SETUP_DIRECTIVES:
                script.errors.append(f"{where}: unknown [Setup] directive {key.strip()}")
            else:
                script.setup[key.strip()] = value.strip()
                _check_braces(value.strip(), where, script)
        elif section in ENTRY_SECTIONS:
            allowed, required = ENTRY_SECTIONS[section]
            entry: dict[str, str] = {}
            consumed = 0
            for match in _PARAMETER.finditer(line):
                if not match.group(0).strip():
                    continue
                consumed += len(match.group(0))
                entry[match.group(1)] = _unquote(match.group(2))
            if consumed < len(line.rstrip(";")):
                script.errors.append(f"{where}: cannot read the parameters of {line!r}")
            unknown = set(entry) - allowed
            if unknown:
                script.errors.append(f"{where}: unknown [{section}] parameters {sorted(unknown)}")
            if not required <= set(entry):
                script.errors.append(
                    f"{where}: [{section}] entry lacks {sorted(required - set(entry))}")
            for value in entry.values():
                _check_braces(value, where, script)
            script.entries.setdefault(section, []).append(entry)
    if conditions:
        script.errors.append("an #if/#ifdef/#ifndef is never closed with #endif")
    tasks = {entry["Name"] for entry in script.entries.get("Tasks", [])}
    for section, entries in script.entries.items():
        for entry in entries:
            for task in filter(None, re.split(r"[\s,]+", entry.get("Tasks", ""))):
                if task.lstrip("!") not in tasks:
                    script.errors.append(f"[{section}] names the undeclared task {task!r}")
    return script


def expand(value: str, defines: dict[str, str]) -> str:
    """``value`` with every ``{#Name}`` replaced by its definition."""
    return _PREPROCESSOR_REFERENCE.sub(lambda match: defines[match.group(1)], value)
