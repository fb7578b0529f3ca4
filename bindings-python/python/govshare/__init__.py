"""govshare: Chinese government information-resource sharing rules, from Rust.

Everything here is the native module ``govshare._govshare``; this file only
re-exports it. No rule lives in Python.
"""

from ._govshare import (
    Answer,
    Auditor,
    Calendar,
    CalendarError,
    Day,
    Decision,
    Engine,
    Finding,
    GovShareError,
    Ledger,
    Month,
    PolicyError,
    Reason,
    Registry,
    RegistryError,
    ServeAnswer,
    Violation,
    WorkflowError,
    __version__,
    audit,
    usage_report,
)

__all__ = [
    "Answer",
    "Auditor",
    "Calendar",
    "CalendarError",
    "Day",
    "Decision",
    "Engine",
    "Finding",
    "GovShareError",
    "Ledger",
    "Month",
    "PolicyError",
    "Reason",
    "Registry",
    "RegistryError",
    "ServeAnswer",
    "Violation",
    "WorkflowError",
    "__version__",
    "audit",
    "usage_report",
]
