//! Node bindings for govshare (SKELETON: filled in by the Node package issue).
