; Inno Setup script: a per-user installer for the one-folder build (no admin rights needed).
;
;   bash packaging/build.sh                       (makes packaging\dist\IngestWizard\)
;   iscc /DAppVersion=0.1.0 packaging\windows\ingest_gui.iss
;
; Output: packaging\dist\installer\InstasentIngestWizard-<version>-setup.exe. The release
; workflow passes the version read from ingest_gui/__init__.py and signs the result when the
; signing secrets exist (the app's own .exe is signed before this script runs).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\ingest_gui.iss
#endif
#define AppName "Instasent Ingest Wizard"
#define AppPublisher "Instasent"
#define AppExeName "IngestWizard.exe"
#define BuildDir "..\dist\IngestWizard"

[Setup]
; A fixed id: upgrades replace the installed version instead of installing beside it.
AppId={{6C1F0E7A-3B8E-4E6B-9C55-2A9D1E0F4B21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppPublisherURL=https://www.instasent.com/
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: marketers rarely have admin rights on their laptops.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
SetupIconFile=..\..\resources\icons\app.ico
OutputDir=..\dist\installer
OutputBaseFilename=InstasentIngestWizard-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Close a running copy before replacing its files.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not keep libraries the new version no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
