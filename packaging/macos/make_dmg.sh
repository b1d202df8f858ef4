#!/usr/bin/env bash
# Wrap the built .app in a compressed disk image (drag to Applications), signing and
# notarising both when the secrets exist.
#
#   bash packaging/build.sh && bash packaging/macos/make_dmg.sh
#
# Output: packaging/dist/InstasentIngestWizard-<version>.dmg
#
# Signing (optional; without it the app runs after "right-click -> Open", see the README):
#   MACOS_SIGNING_IDENTITY  "Developer ID Application: Name (TEAMID)", already in a keychain
#                           (the release workflow imports it from its secrets)
# Notarisation (optional, needs signing):
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD (an app-specific password)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
product="Instasent Ingest Wizard"
app="$root/packaging/dist/$product.app"
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/ingest_gui/__init__.py")"
dmg="$root/packaging/dist/InstasentIngestWizard-$version.dmg"
entitlements="$root/packaging/macos/entitlements.plist"

[[ -d "$app" ]] || { echo "No $app: run packaging/build.sh on macOS first." >&2; exit 1; }

identity="${MACOS_SIGNING_IDENTITY:-}"
if [[ -n "$identity" ]]; then
    echo "==> Signing $product.app as $identity"
    # Inside out: every library and executable, then the bundle (hardened runtime is required
    # for notarisation). --deep alone misses files Apple does not expect in Frameworks/.
    find "$app/Contents" -type f \( -name "*.so" -o -name "*.dylib" -o -perm -u+x \) -print0 |
        while IFS= read -r -d '' file; do
            if file "$file" | grep -q "Mach-O"; then
                codesign --force --timestamp --options runtime --entitlements "$entitlements" \
                    --sign "$identity" "$file"
            fi
        done
    codesign --force --timestamp --options runtime --entitlements "$entitlements" \
        --sign "$identity" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
else
    echo "==> MACOS_SIGNING_IDENTITY not set: the app and disk image stay unsigned"
fi

echo "==> Creating $(basename "$dmg")"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "$product $version" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$dmg"

if [[ -n "$identity" ]]; then
    codesign --force --timestamp --sign "$identity" "$dmg"
    if [[ -n "${APPLE_ID:-}" && -n "${APPLE_TEAM_ID:-}" && -n "${APPLE_APP_PASSWORD:-}" ]]; then
        echo "==> Notarising (this waits for Apple's answer)"
        xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
            --password "$APPLE_APP_PASSWORD" --wait
        xcrun stapler staple "$dmg"
        spctl --assess --type open --context context:primary-signature --verbose "$dmg"
    else
        echo "==> APPLE_ID / APPLE_TEAM_ID / APPLE_APP_PASSWORD not set: not notarised"
    fi
fi
echo "==> $dmg ($(du -h "$dmg" | cut -f1))"
