"""The Qt-free heart of the app: loading, mapping, validation, payloads, upload and journal."""
