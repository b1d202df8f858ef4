#!/usr/bin/env bash
# Build the one-folder app with PyInstaller: packaging/dist/IngestWizard/ (Linux, Windows) or
# packaging/dist/Instasent Ingest Wizard.app (macOS), then print its size.
#
#   bash packaging/build.sh
#
# Python: $PYTHON if set (the release workflow and tests/packaging pass theirs), else the
# checkout's .venv (created with packaging/bootstrap.py when missing). PyInstaller (the
# "packaging" extra in pyproject.toml) is installed into that environment when it is missing.
# The app's own code and resources come from this checkout, whatever environment builds it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then
        PYTHON=.venv/bin/python
    elif [[ -x .venv/Scripts/python.exe ]]; then
        PYTHON=.venv/Scripts/python.exe
    else
        python3 packaging/bootstrap.py setup
        PYTHON=$([[ -x .venv/bin/python ]] && echo .venv/bin/python || echo .venv/Scripts/python.exe)
    fi
fi

if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
    echo "==> Installing PyInstaller (the packaging extra) into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    # Only the extra's requirements: installing ".[packaging]" would repoint an editable install
    # of ingest-gui at this checkout.
    requirements=$("$PYTHON" -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["packaging"]))')
    # shellcheck disable=SC2086  # one word per requirement, none contains a space
    "$PYTHON" -m pip install --quiet $requirements
fi

dist="$root/packaging/dist"
work="$root/packaging/build"
echo "==> PyInstaller $("$PYTHON" -m PyInstaller --version) building $(sed -n 's/^__version__ = "\(.*\)"/\1/p' ingest_gui/__init__.py)"
started=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" packaging/ingest_gui.spec
elapsed=$(( $(date +%s) - started ))

if [[ -d "$dist/Instasent Ingest Wizard.app" ]]; then
    built="$dist/Instasent Ingest Wizard.app"
    executable="$built/Contents/MacOS/IngestWizard"
else
    built="$dist/IngestWizard"
    executable="$built/IngestWizard"
    [[ -f "$executable.exe" ]] && executable="$executable.exe"
fi
[[ -x "$executable" ]] || { echo "Build finished but $executable is missing." >&2; exit 1; }

size=$(du -sh "$built" | cut -f1)
files=$(find "$built" -type f | wc -l | tr -d ' ')
echo "==> Built $built in ${elapsed}s: $size on disk, $files files"
echo "==> Check it: \"$executable\" --smoke-test"
