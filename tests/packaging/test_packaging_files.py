"""The packaging inputs: icons, bundle metadata, the spec's promises, the installer scripts."""

from __future__ import annotations

import ast
import plistlib
import re
import struct

import pytest
from PySide6.QtGui import QImage

from tests.packaging.helpers import ROOT, load_bundle_metadata, load_packaging_module

ICONS = ROOT / "resources" / "icons"


def read_ico(data: bytes) -> dict[int, bytes]:
    """size -> PNG bytes of an .ico whose images are PNGs."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    images = {}
    for index in range(count):
        width, height, _colours, _zero, _planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index)
        assert width == height
        assert bits == 32
        images[width or 256] = data[offset:offset + length]
    return images


def read_icns(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    elements, position = [], 8
    while position < len(data):
        kind, length = data[position:position + 4], struct.unpack(
            ">I", data[position + 4:position + 8])[0]
        elements.append((kind, data[position + 8:position + length]))
        position += length
    assert position == len(data)
    return elements


def png_size(png: bytes) -> tuple[int, int]:
    image = QImage.fromData(png, "PNG")
    assert not image.isNull()
    return image.width(), image.height()


def assert_icons_valid(ico: bytes, icns: bytes) -> None:
    make_icons = load_packaging_module("make_icons")
    images = read_ico(ico)
    assert sorted(images) == sorted(make_icons.ICO_SIZES)
    for size, png in images.items():
        assert png_size(png) == (size, size)
    elements = read_icns(icns)
    assert [kind for kind, _png in elements] == [kind for kind, _size in make_icons.ICNS_TYPES]
    for (kind, png), (_kind, size) in zip(elements, make_icons.ICNS_TYPES, strict=True):
        assert png_size(png) == (size, size), kind
    # Drawn, not blank: the corner is transparent, the middle is the icon's blue.
    big = QImage.fromData(dict(elements)[b"ic08"], "PNG")
    assert big.pixelColor(1, 1).alpha() == 0
    assert big.pixelColor(20, 128).name() == "#1f6feb"


def test_committed_icons_hold_every_size_rendered_from_the_svg(qapp) -> None:
    assert_icons_valid((ICONS / "app.ico").read_bytes(), (ICONS / "app.icns").read_bytes())


def test_make_icons_writes_valid_ico_and_icns(qapp, tmp_path) -> None:
    ico, icns = load_packaging_module("make_icons").make_icons(ICONS / "app.svg", tmp_path)
    assert_icons_valid(ico.read_bytes(), icns.read_bytes())


@pytest.mark.qt_log_ignore("Cannot read file")
def test_make_icons_refuses_a_file_that_is_not_svg(qapp, tmp_path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("not an image")
    with pytest.raises(ValueError, match="not an SVG image"):
        load_packaging_module("make_icons").render_png(broken, 32)


@pytest.mark.parametrize(("version", "expected"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2rc1", (1, 2, 0, 0)), ("2.10.3.4.5", (2, 10, 3, 4)),
    ("3.0.0+local", (3, 0, 0, 0)), ("dev", (0, 0, 0, 0)),
])
def test_windows_version_numbers(version, expected) -> None:
    assert load_bundle_metadata().version_tuple(version) == expected


def test_bundle_metadata_reads_this_checkouts_version_and_name() -> None:
    import ingest_gui

    metadata = load_bundle_metadata()
    assert metadata.read_version(ROOT) == ingest_gui.__version__
    assert metadata.read_app_name(ROOT) == ingest_gui.APP_NAME


def test_windows_version_resource_names_product_and_version() -> None:
    text = load_bundle_metadata().windows_version_info("1.4.2", "Instasent Ingest Wizard")
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call)
    assert ast.unparse(tree.body.func) == "VSVersionInfo"
    assert "filevers=(1, 4, 2, 0)" in text
    for key, value in [("ProductName", "Instasent Ingest Wizard"), ("ProductVersion", "1.4.2"),
                       ("FileVersion", "1.4.2"), ("OriginalFilename", "IngestWizard.exe")]:
        assert f"StringStruct('{key}', '{value}')" in text


def test_info_plist_keys_make_a_valid_plist() -> None:
    keys = load_bundle_metadata().info_plist("1.4.2", "Instasent Ingest Wizard")
    assert plistlib.loads(plistlib.dumps(keys)) == keys
    assert keys["CFBundleName"] == "Instasent Ingest Wizard"
    assert keys["CFBundleShortVersionString"] == "1.4.2"
    assert keys["NSHighResolutionCapable"] is True


def spec_list(name: str) -> list[str]:
    """The string entries of ``name = [...]`` in the spec, with the comment lines above each."""
    text = (ROOT / "packaging" / "ingest_gui.spec").read_text(encoding="utf-8")
    block = re.search(rf"^{name} = \[\n(.*?)^\]", text, re.MULTILINE | re.DOTALL)
    assert block is not None, name
    return block.group(1).splitlines()


def test_every_hidden_import_in_the_spec_says_why() -> None:
    lines = spec_list("hiddenimports")
    explained = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            explained = True
        elif not stripped:
            explained = False
        elif stripped.startswith(('"', "*")):
            assert explained or "#" in stripped, f"hidden import without a reason: {stripped}"


def test_spec_keeps_plain_text_keyrings_and_unused_qt_out() -> None:
    excludes = {line.strip().strip('",') for line in spec_list("excludes")}
    assert {"keyrings.alt", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore",
            "PySide6.QtMultimedia", "PySide6.Qt3DCore", "phonenumbers.geodata"} <= excludes
    hidden = "\n".join(spec_list("hiddenimports"))
    for module in ("keyring.backends.Windows", "keyring.backends.macOS", "uvicorn.loops.auto",
                   "uvicorn.protocols.http.h11_impl", "uvicorn.lifespan.on", "tzdata",
                   "fastexcel", "pyarrow"):
        assert f'"{module}"' in hidden


def test_inno_setup_script_installs_per_user_with_the_built_folder() -> None:
    script = (ROOT / "packaging" / "windows" / "ingest_gui.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", script, re.MULTILINE)
    assert "#ifndef AppVersion" in script
    assert '#define BuildDir "..\\dist\\IngestWizard"' in script
    assert 'Source: "{#BuildDir}\\*"' in script
    assert "[Icons]" in script
    assert "{autoprograms}" in script
