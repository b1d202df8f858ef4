# Sign Windows binaries with signtool when the signing secrets exist; otherwise say so and exit 0.
#
#   pwsh packaging/windows/sign.ps1 packaging/dist/IngestWizard/IngestWizard.exe
#
# WINDOWS_CERTIFICATE           the code-signing certificate (.pfx), base64-encoded
# WINDOWS_CERTIFICATE_PASSWORD  its password
# Unsigned builds work too: SmartScreen asks "More info -> Run anyway" on first launch.
param([Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]]$Files)
$ErrorActionPreference = "Stop"

if (-not $env:WINDOWS_CERTIFICATE -or -not $env:WINDOWS_CERTIFICATE_PASSWORD) {
    Write-Host "==> WINDOWS_CERTIFICATE not set: $($Files -join ', ') stay unsigned"
    exit 0
}

$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
    Sort-Object FullName -Descending | Select-Object -First 1
if (-not $signtool) { throw "signtool.exe not found (install the Windows SDK)." }

$temp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { [IO.Path]::GetTempPath() }
$pfx = Join-Path $temp "codesign.pfx"
[IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERTIFICATE))
try {
    foreach ($file in $Files) {
        Write-Host "==> Signing $file"
        & $signtool.FullName sign /f $pfx /p $env:WINDOWS_CERTIFICATE_PASSWORD `
            /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 `
            /d "Instasent Ingest Wizard" $file
        if ($LASTEXITCODE -ne 0) { throw "signtool failed on $file" }
    }
} finally {
    Remove-Item $pfx -Force
}
