//! Python bindings for govshare (SKELETON: filled in by the Python package issue).
